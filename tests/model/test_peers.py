"""Peers (engine/model/sites.py): sites of one shape are grouped in the features, the groups
survive windows and batching, and the model compares each site with its peers."""

from __future__ import annotations

from pathlib import Path

import torch

from engine.model.config import TheaM2Config
from engine.model.features import collate, featurize
from engine.model.modeling import TheaM2ForBugDetection, peer_features
from engine.model.roles import argument_roles
from engine.model.sites import find_sites
from engine.model.tokenizer import encode, marker_ids, train_tokenizer
from engine.parse import Source, parse
from tests.model.round_trip import assert_round_trips

CODE = """\
for (let i = 0; i < items.length; i++) { total += items[i]; }
for (let j = 0; j < items.length; j++) { if (!done) { total -= items[items.length - 1]; } }
while (i < items.length && !done) { i = items.length - 1; }
"""


def _features(code: str = CODE):  # type: ignore[no-untyped-def]
    source = Source(code)
    tree = parse(source)
    tokenizer = train_tokenizer([code] * 3, vocab_size=300)
    sites = find_sites(tree)
    return tokenizer, sites, featurize(encode(tokenizer, source), sites, marker_ids(tokenizer), roles=argument_roles(tree))


def test_sites_of_one_shape_share_a_peer_group_and_others_have_none() -> None:
    _, sites, features = _features()
    groups = features.peers().tolist()
    for site, group in zip(sites, groups):
        assert (group >= 0) == bool(site.peer)
        assert all((other.peer == site.peer) == (g == group) for other, g in zip(sites, groups) if group >= 0 and g >= 0)
    by_kind = {kind: [g for s, g in zip(sites, groups) if s.kind == kind] for kind in ("wrong-operator", "negation")}
    assert by_kind["negation"][0] == by_kind["negation"][1]  # `!done`, twice
    assert len(set(by_kind["wrong-operator"])) < len(by_kind["wrong-operator"])  # `i < items.length`, twice


def test_windows_and_batches_keep_peer_groups_apart() -> None:
    _, _, features = _features()
    window = features.window(10, int(features.ids.shape[0]))
    assert window is not None
    kept = (features.site_start >= 10) & (features.site_end <= int(features.ids.shape[0]))
    assert window.peers().tolist() == features.peers()[kept].tolist()
    batch = collate([features, window])
    assert batch.sites.peer_group is not None
    first, second = batch.sites.peer_group[:int(batch.site_offsets[1])], batch.sites.peer_group[int(batch.site_offsets[1]):]
    assert first.tolist() == features.peers().tolist()
    assert int(second[second >= 0].min()) > int(first.max())  # no group spans two documents


def test_peer_features_pool_the_other_sites_of_a_shape() -> None:
    site_vec = torch.tensor([[1.0, 0.0], [3.0, 0.0], [5.0, 2.0], [7.0, 7.0]])
    features = peer_features(site_vec, torch.tensor([0, 0, 0, -1]))
    assert features.shape == (4, 5)
    mean = torch.tensor([[4.0, 1.0], [3.0, 1.0], [2.0, 0.0], [0.0, 0.0]])  # of the others; none for the last
    torch.testing.assert_close(features[:, :2], mean)
    torch.testing.assert_close(features[:, 2:4], site_vec * mean)
    torch.testing.assert_close(features[:, 4], torch.log1p(torch.tensor([2.0, 2.0, 2.0, 0.0])))
    assert peer_features(site_vec, torch.full((4,), -1)).abs().sum() == 0


def test_a_model_with_peers_reads_them_and_round_trips(tmp_path: Path) -> None:
    torch.manual_seed(0)
    tokenizer, _, features = _features()
    batch = collate([features])
    config = TheaM2Config(vocab_size=tokenizer.get_vocab_size(), hidden_size=16, num_hidden_layers=1, intermediate_size=32,
                          hyena_filter_order=8, argument_roles=True, peer_groups=True)
    model = TheaM2ForBugDetection(config).eval()
    with torch.no_grad():
        first = model(batch.input_ids, batch.attention_mask, batch.sites)[0]
        batch.sites.peer_group = torch.full_like(batch.sites.site_start, -1)
        alone = model(batch.input_ids, batch.attention_mask, batch.sites)[0]
    assert not torch.allclose(first[0], alone[0])  # the site logits depend on the peers
    assert assert_round_trips(model, collate([features]), first, tmp_path).peer_groups
