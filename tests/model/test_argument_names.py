"""Argument names (engine/model/roles.py): the name each argument and parameter goes by, how
alike two names read, and the name features of a candidate swap, through featurize, windows,
batches, the training cache and the model."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import pytest
import torch

from engine.model import train
from engine.model.config import TheaM2Config
from engine.model.features import DocFeatures, collate, featurize
from engine.model.modeling import TheaM2ForBugDetection
from engine.model.roles import NAME_FEATURES, argument_roles, name_similarity, name_words
from engine.model.sites import find_sites
from engine.model.tokenizer import encode, marker_ids, train_tokenizer
from engine.parse import Source, parse
from tests.model.round_trip import assert_round_trips

CODE = """\
function copyFile(sourcePath, targetPath, mode = 0) { return [sourcePath, targetPath, mode]; }
copyFile(targetPath, sourcePath);
copyFile(options.sourcePath, this.targetPath, 1);
copyFile(left, right);
function area(width, height) { return width * height; }
area(box.width, box.height);
area(h, w);
link(nodeA, nodeB);
"""


def _features(code: str) -> tuple[list, DocFeatures]:
    source = Source(code)
    tree = parse(source)
    tokenizer = train_tokenizer([code] * 3, vocab_size=300)
    sites = find_sites(tree)
    return sites, featurize(encode(tokenizer, source), sites, marker_ids(tokenizer), roles=argument_roles(tree))


def _by_text(code: str) -> dict[str, list[float]]:
    sites, features = _features(code)
    assert features.site_role_names is not None
    rows = {}
    for site, row in zip(sites, features.site_role_names.tolist()):
        if site.kind == "swapped-arguments":
            rows[code.encode()[site.start:site.end].decode()] = [round(value, 3) for value in row]
        else:
            assert row == [0.0] * NAME_FEATURES
    return rows


def test_the_name_an_argument_or_parameter_goes_by() -> None:
    code = "function f(plain, withDefault = 1, { pattern }, ...rest) {}\nf(a.b.leaf, this.own, call(), 'text', (wrapped), x);\n"
    names = [(use.key, use.name) for use in argument_roles(parse(Source(code)))]
    assert names == [("f#0", "plain"), ("f#1", "withDefault"), ("f#2", ""),
                     ("f#0", "leaf"), ("f#1", "own"), ("f#2", ""), ("f#3", ""), ("f#4", "wrapped"), ("f#5", "x")]


@pytest.mark.parametrize(("name", "words"), [
    ("maxRetryCount", {"max", "retry", "count"}), ("max_retry_count", {"max", "retry", "count"}),
    ("parseHTTPResponse2", {"parse", "http", "response", "2"}), ("URL", {"url"}), ("$", set()),
])
def test_names_split_into_lower_case_words(name: str, words: set[str]) -> None:
    assert name_words(name) == words


def test_name_similarity_is_word_overlap() -> None:
    assert name_similarity("src", "src") == 1.0
    assert name_similarity("sourcePath", "source_path") == 1.0  # the same words
    assert name_similarity("sourcePath", "targetPath") == pytest.approx(1 / 3)
    assert name_similarity("left", "right") == 0.0
    assert name_similarity("", "x") == 0.0 and name_similarity("$", "$x") == 0.0


def test_a_swap_reads_as_written_or_swapped_against_parameters_and_other_calls() -> None:
    rows = _by_text(CODE)
    # against the declared parameters, then the other calls' arguments:
    # [1 ~ own role, 2 ~ own role, 1 ~ 2's role, 2 ~ 1's role]
    assert rows["targetPath, sourcePath"] == [0.333, 0.333, 1.0, 1.0,  # fits swapped
                                              0.333, 0.333, 1.0, 1.0]  # options.sourcePath, this.targetPath
    assert rows["options.sourcePath, this.targetPath"][:4] == [1.0, 1.0, 0.333, 0.333]  # fits as written
    assert rows["this.targetPath, 1"][:4] == [1.0, 0.0, 0.0, 0.0]  # a literal has no name; `mode` is unlike
    assert rows["box.width, box.height"] == [1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]  # `h`, `w` share no word
    assert rows["left, right"][:4] == [0.0, 0.0, 0.0, 0.0]  # nothing alike: no evidence either way
    # a call's own arguments are never its evidence: `nodeA` is not compared with `nodeB`
    assert rows["nodeA, nodeB"] == [0.0] * NAME_FEATURES


def test_windows_batches_and_the_training_cache_keep_the_name_features() -> None:
    sites, features = _features(CODE)
    assert features.site_role_names is not None
    swap = next(i for i, s in enumerate(sites) if CODE.encode()[s.start:s.end] == b"targetPath, sourcePath")
    start = int(features.site_start[swap]) - 1
    window = features.window(start, int(features.ids.shape[0]))
    assert window is not None and window.site_role_names is not None
    kept = int(((features.site_start >= start)[:swap]).sum())
    torch.testing.assert_close(window.site_role_names[kept], features.site_role_names[swap])
    # the cache stores plain lists as compact tensors: fractions must stay fractions
    row = {k: v.tolist() if isinstance(v, torch.Tensor) else v for k, v in train._to_dict(features).items()}
    cached = DocFeatures(**train._widen(train._from_lists(row)))
    assert cached.site_role_names is not None and cached.ids.dtype == torch.long
    torch.testing.assert_close(cached.site_role_names.float(), features.site_role_names, atol=1e-3, rtol=0)
    batch = collate([features, cached])
    assert batch.sites.site_role_names is not None
    assert batch.sites.site_role_names.shape == (2 * len(sites), NAME_FEATURES)
    assert batch.sites.site_role_names.dtype == torch.float32
    # features built without roles read as zeros
    bare = DocFeatures(features.ids, features.site_start, features.site_end, features.site_kind, features.repair_site,
                       features.repair_start, features.repair_end, features.repair_token)
    assert not collate([bare]).sites.site_role_names.any()


def test_a_model_with_argument_names_reads_them_and_round_trips(tmp_path: Path) -> None:
    torch.manual_seed(0)
    _, features = _features(CODE)
    batch = collate([features])
    config = TheaM2Config(vocab_size=300, hidden_size=16, num_hidden_layers=1, intermediate_size=32,
                          hyena_filter_order=8, argument_roles=True, argument_names=True)
    model = TheaM2ForBugDetection(config).eval()
    with torch.no_grad():
        first = model(batch.input_ids, batch.attention_mask, batch.sites)[0]
        assert batch.sites.site_role_names is not None
        blind = dataclasses.replace(batch.sites, site_role_names=torch.zeros_like(batch.sites.site_role_names))
        without = model(batch.input_ids, batch.attention_mask, blind)[0]
    swaps = features.site_role_names.abs().sum(dim=1) > 0  # type: ignore[union-attr]
    assert not torch.allclose(first[0][swaps], without[0][swaps])  # the names move the swap sites' scores
    torch.testing.assert_close(first[0][~swaps], without[0][~swaps])  # and no other site's
    assert assert_round_trips(model, batch, first, tmp_path).argument_names


def test_the_training_flag_sets_the_config() -> None:
    args = train.build_parser().parse_args(["--argument-names"])
    assert isinstance(args, argparse.Namespace) and args.argument_names
    assert not train.build_parser().parse_args([]).argument_names
