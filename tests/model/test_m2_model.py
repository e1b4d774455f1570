"""The M2-BERT building blocks: shapes, the FFT convolution against its definition,
block-diagonal algebra, determinism, and the safetensors round trip through from_pretrained."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from engine.model.config import TheaM2Config
from engine.model.long_conv import direct_long_conv, fft_long_conv
from engine.model.modeling import SiteBatch, TheaM2ForBugDetection, TheaM2Model
from engine.model.monarch import BlockdiagLinear

TINY = dict(vocab_size=64, hidden_size=16, num_hidden_layers=2, intermediate_size=32, nblocks=4,
            max_position_embeddings=128, hyena_filter_order=8)


@pytest.mark.parametrize("length", [1, 11, 16, 37])
@pytest.mark.parametrize("bidirectional", [True, False])
def test_fft_long_conv_equals_direct_convolution(bidirectional: bool, length: int) -> None:
    generator = torch.Generator().manual_seed(0)
    u = torch.randn(2, 3, length, generator=generator, dtype=torch.float64)
    k_fwd = torch.randn(3, length, generator=generator, dtype=torch.float64)
    k_rev = torch.randn(3, length, generator=generator, dtype=torch.float64) if bidirectional else None
    bias = torch.randn(3, generator=generator, dtype=torch.float64)
    fast = fft_long_conv(u, k_fwd, k_rev, bias).double()
    slow = direct_long_conv(u.clone(), k_fwd, k_rev, bias)
    torch.testing.assert_close(fast, slow, atol=1e-4, rtol=1e-4)


def test_fft_sizes_are_5_smooth_and_large_enough() -> None:
    from engine.model.long_conv import fast_fft_size

    for minimum in [2, 3, 22, 74, 2 * 16411, 65536, 65538]:
        n = fast_fft_size(minimum)
        assert n >= minimum and n % 2 == 0
        rest = n
        for prime in (2, 3, 5):
            while rest % prime == 0:
                rest //= prime
        assert rest == 1
        assert n <= minimum * 1.2 + 8  # never far above the minimum
    assert fast_fft_size(65536) == 65536


def test_blockdiag_linear_matches_its_dense_matrix() -> None:
    layer = BlockdiagLinear(8, 12, nblocks=4)
    x = torch.randn(5, 8)
    torch.testing.assert_close(layer(x), x @ layer.dense_weight().T + layer.bias)
    assert layer.weight.numel() == 8 * 12 // 4


def test_encoder_shapes_and_padding_invariance() -> None:
    torch.manual_seed(0)
    model = TheaM2Model(TheaM2Config(**TINY)).eval()
    ids = torch.randint(1, 64, (1, 20))
    padded = torch.cat([ids, torch.zeros(1, 12, dtype=torch.long)], dim=1)
    mask = torch.cat([torch.ones(1, 20), torch.zeros(1, 12)], dim=1).long()
    with torch.no_grad():
        alone = model(ids, torch.ones_like(ids))
        with_pad = model(padded, mask)
    assert alone.shape == (1, 20, 16) and with_pad.shape == (1, 32, 16)
    # Bidirectional filters see the right padding as zeros: real positions are unchanged.
    torch.testing.assert_close(alone, with_pad[:, :20], atol=1e-4, rtol=1e-4)


def test_no_attention_and_80m_32k_shape_is_expressible() -> None:
    config = TheaM2Config.m2_bert_80m_32k()
    assert (config.hidden_size, config.num_hidden_layers, config.nblocks, config.max_position_embeddings) == (768, 12, 4, 32768)
    model = TheaM2Model(TheaM2Config(**TINY))
    assert not any("attention" in type(module).__name__.lower() for module in model.modules())


def _sites() -> SiteBatch:
    t = lambda *values: torch.tensor(values, dtype=torch.long)  # noqa: E731
    return SiteBatch(site_doc=t(0, 0), site_start=t(1, 5), site_end=t(3, 6), site_kind=t(1, 2),
                     repair_site=t(0, 0, 1), repair_start=t(8, -1, -1), repair_end=t(9, -1, -1), repair_token=t(4, 5, 6))


def test_detection_heads_are_deterministic_and_round_trip(tmp_path: Path) -> None:
    torch.manual_seed(0)
    model = TheaM2ForBugDetection(TheaM2Config(**TINY)).eval()
    ids = torch.randint(1, 64, (1, 16))
    mask = torch.ones_like(ids)
    with torch.no_grad():
        first = [x for head in model(ids, mask, _sites()) for x in head]
        second = [x for head in model(ids, mask, _sites()) for x in head]
    assert [x.shape for x in first] == [(2,), (1,), (3,)] * model.config.ensemble_heads
    for a, b in zip(first, second):
        torch.testing.assert_close(a, b)
    model.save_pretrained(tmp_path)
    assert (tmp_path / "model.safetensors").exists()
    assert not list(tmp_path.glob("*.bin"))
    loaded = TheaM2ForBugDetection.from_pretrained(tmp_path, use_safetensors=True).eval()
    with torch.no_grad():
        again = [x for head in loaded(ids, mask, _sites()) for x in head]
    for a, b in zip(first, again):
        torch.testing.assert_close(a, b)


def test_the_encoder_of_a_saved_detector_loads_through_the_auto_classes(tmp_path: Path) -> None:
    """AutoConfig/AutoModel know the model_type once engine.model.modeling is imported: no
    trust_remote_code, no code read from the directory."""
    from transformers import AutoConfig, AutoModel

    torch.manual_seed(0)
    model = TheaM2ForBugDetection(TheaM2Config(**TINY)).eval()
    model.save_pretrained(tmp_path)
    assert isinstance(AutoConfig.from_pretrained(tmp_path, local_files_only=True), TheaM2Config)
    encoder = AutoModel.from_pretrained(tmp_path, use_safetensors=True, local_files_only=True).eval()
    assert isinstance(encoder, TheaM2Model)
    ids = torch.randint(1, 64, (1, 16))
    with torch.no_grad():
        torch.testing.assert_close(encoder(ids, torch.ones_like(ids)), model.m2(ids, torch.ones_like(ids)))


def test_short_conv_equals_the_depthwise_conv1d() -> None:
    from engine.model.sequence_mixer import MonarchMixerSequenceMixing

    torch.manual_seed(0)
    mixer = MonarchMixerSequenceMixing(16, 64, 8, 5)
    x = torch.randn(2, 48, 20, requires_grad=True)
    reference = mixer.short_filter(x)[..., :20]
    training = mixer._short_conv(x)  # the shifted multiply-adds (gradients on)
    torch.testing.assert_close(training, reference)
    with torch.no_grad():  # inference takes the convolution itself
        torch.testing.assert_close(mixer._short_conv(x), reference.detach())


def test_span_means_equal_the_explicit_mean() -> None:
    from engine.model.modeling import span_means

    hidden = torch.randn(2, 10, 4)
    doc, start, end = torch.tensor([0, 1, 1]), torch.tensor([2, 0, 9]), torch.tensor([5, 1, 10])
    expected = torch.stack([hidden[0, 2:5].mean(0), hidden[1, 0:1].mean(0), hidden[1, 9:10].mean(0)])
    torch.testing.assert_close(span_means(hidden, doc, start, end), expected)


def test_normalized_filters_are_unit_l1_and_independent_of_the_length() -> None:
    from engine.model.hyena_filter import HyenaFilter

    torch.manual_seed(0)
    hyena = HyenaFilter(8, 8, 5, 1024, bidirectional=True, scale=64, normalized=True)
    long_fwd, long_rev = hyena(500, torch.device("cpu"))
    short_fwd, short_rev = hyena(50, torch.device("cpu"))
    torch.testing.assert_close(short_fwd, long_fwd[:, :50])  # the same filter whatever the document's length
    torch.testing.assert_close(short_rev, long_rev[:, :50])
    span = hyena.norm_span  # 1.5 x scale positions carry unit mass, forward and reverse together
    mass = long_fwd[:, :span].abs().sum(-1) + long_rev[:, :span].abs().sum(-1)
    torch.testing.assert_close(mass, torch.ones(8))


def test_normalized_long_conv_keeps_tokens_apart_at_initialisation() -> None:
    # unnormalised, the long convolution sums hundreds of positions: its output swamps the
    # residual stream and every position looks alike after the post-norm layers
    def mean_cosine(normalized: bool) -> float:
        torch.manual_seed(0)
        ids = torch.randint(1, 64, (1, 120))
        model = TheaM2Model(TheaM2Config(**{**TINY, "hyena_normalized_filters": normalized})).eval()
        with torch.no_grad():
            hidden = torch.nn.functional.normalize(model(ids, torch.ones_like(ids))[0], dim=-1)  # (l, d)
        return float((hidden @ hidden.T).mean())

    assert mean_cosine(normalized=True) < 0.1 < 0.3 < mean_cosine(normalized=False)


def test_name_uses_pool_the_other_uses_of_a_name() -> None:
    from engine.model.modeling import name_uses

    site_vec = torch.tensor([[1.0, 0.0], [3.0, 0.0], [0.0, 5.0], [7.0, 7.0]])  # sites 0, 1 use name 0; 2 uses name 1
    site_group = torch.tensor([0, 0, 1, -1])
    repair_group = torch.tensor([1, 0, -1])
    other_mean, others, use_mean, uses = name_uses(site_vec, site_group, repair_group, 3)
    torch.testing.assert_close(other_mean, torch.tensor([[3.0, 0.0], [1.0, 0.0], [0.0, 0.0], [0.0, 0.0]]))
    torch.testing.assert_close(others, torch.log1p(torch.tensor([1.0, 1.0, 0.0, 0.0])))
    torch.testing.assert_close(use_mean, torch.tensor([[0.0, 5.0], [2.0, 0.0], [0.0, 0.0]]))
    torch.testing.assert_close(uses, torch.log1p(torch.tensor([1.0, 2.0, 0.0])))


def test_the_repair_head_applies_a_sites_columns_once_and_equals_the_full_rows() -> None:
    from engine.model.modeling import DetectionHead
    from engine.model.roles import NAME_FEATURES

    torch.manual_seed(0)
    d, s, r = 8, 5, 13
    config = TheaM2Config(vocab_size=64, hidden_size=d, num_hidden_layers=1, intermediate_size=16, hyena_filter_order=8,
                          argument_roles=True, peer_groups=True, argument_names=True)
    head = DetectionHead(config)
    context = 4 * d + 2 + 2 * d + 1 + NAME_FEATURES
    site_part, repair_part = torch.randn(s, 2 * d + context + 1), torch.randn(r, 3 * d + 1)
    owner = torch.randint(0, s, (r,))
    rows = torch.cat([site_part[owner, :2 * d], repair_part[:, :3 * d], site_part[owner, 2 * d:], repair_part[:, 3 * d:]], dim=-1)
    torch.testing.assert_close(head._repair_logits(site_part, repair_part, owner), head.repair(rows).squeeze(-1))


@pytest.mark.parametrize("min_sites", [1, 10])
def test_documents_under_the_minimum_sites_get_a_prior_in_proportion(min_sites: int) -> None:
    """Documents of 2, 10 and 20 sites, all alike: with no_bug_min_sites 1 the same chance of a
    bug each; with 10, the 2-site document has a fifth of the 10-site one's odds, and 10 and
    20 sites the same chance."""
    from types import SimpleNamespace

    from engine.model.modeling import DetectionHead, SiteFeatures
    from engine.model.scoring import localisation_log_probs

    torch.manual_seed(0)
    d, s = 8, 32
    config = TheaM2Config(vocab_size=64, hidden_size=d, num_hidden_layers=1, intermediate_size=16, hyena_filter_order=8,
                          no_bug_min_sites=min_sites)
    zeros = torch.zeros(s, d)
    features = SiteFeatures(pooled=torch.zeros(3, d), site_vec=zeros, first=zeros, last=zeros, other_mean=zeros,
                            others=torch.zeros(s), span_repr=zeros, token_repr=zeros, use_mean=zeros, uses=torch.zeros(s))
    sites = SimpleNamespace(site_kind=torch.zeros(s, dtype=torch.long), repair_site=torch.arange(s),
                            site_start=torch.zeros(s, dtype=torch.long), site_doc=torch.tensor([0] * 2 + [1] * 10 + [2] * 20))
    site_logits, no_bug_logits, _ = DetectionHead(config)(features, sites)
    _, no_bug_lp = localisation_log_probs(site_logits, no_bug_logits, SimpleNamespace(sites=sites))
    odds = [(1 - p) / p for p in no_bug_lp.exp().tolist()]  # of a bug
    assert odds[2] == pytest.approx(odds[1], rel=1e-4)
    assert odds[0] == pytest.approx(odds[1] * (1 if min_sites == 1 else 2 / 10), rel=1e-4)


@pytest.mark.parametrize("value", [0, 2.5, "10"])
def test_a_bad_minimum_of_sites_is_refused(value: object) -> None:
    with pytest.raises(ValueError, match="no_bug_min_sites must be an integer >= 1"):
        TheaM2Config(no_bug_min_sites=value)
