"""Argument roles (engine/model/roles.py): which spans are uses of which role, how a swap site
finds its two arguments, and what the model pools from them."""

from __future__ import annotations

from pathlib import Path

import torch

from engine.model.config import TheaM2Config
from engine.model.features import collate, featurize
from engine.model.modeling import SiteBatch, TheaM2ForBugDetection, role_features
from engine.model.roles import argument_roles
from engine.model.sites import find_sites
from engine.model.tokenizer import encode, marker_ids, train_tokenizer
from engine.parse import Source, parse
from tests.model.round_trip import assert_round_trips

CODE = """\
function copy(from, to) { return to.concat(from); }
const move = (a, b, ...rest) => a + b;
copy(src, dst);
fs.promises.copy(source, dest);
new Thing(1, 2);
obj.scale = function (x, y) {};
const table = { lookup(key, fallback) {}, resize: (w, h) => w };
log(...items, tail);
make()(p, q);
items[0](p, q);
"""


def _roles(code: str) -> list[tuple[str, str, bool]]:
    source = Source(code)
    return [(code.encode()[use.start:use.end].decode(), use.key, use.argument) for use in argument_roles(parse(source))]


def test_arguments_and_parameters_of_named_callees_are_role_uses() -> None:
    assert _roles(CODE) == [
        ("from", "copy#0", False), ("to", "copy#1", False), ("from", "concat#0", True),
        ("a", "move#0", False), ("b", "move#1", False),  # a rest parameter ends the positions
        ("src", "copy#0", True), ("dst", "copy#1", True),
        ("source", "copy#0", True), ("dest", "copy#1", True),  # a member callee goes by its last name
        ("1", "Thing#0", True), ("2", "Thing#1", True),
        ("x", "scale#0", False), ("y", "scale#1", False),
        ("key", "lookup#0", False), ("fallback", "lookup#1", False),
        ("w", "resize#0", False), ("h", "resize#1", False),
    ]  # spread arguments and unnamed callees (`make()(...)`, `items[0](...)`) give none


def test_a_swap_site_points_at_its_two_arguments_and_windows_keep_the_pair() -> None:
    source = Source(CODE)
    tree = parse(source)
    tokenizer = train_tokenizer([CODE] * 3, vocab_size=300)
    encoded = encode(tokenizer, source)
    sites = find_sites(tree)
    roles = argument_roles(tree)
    features = featurize(encoded, sites, marker_ids(tokenizer), roles=roles)
    pairs = {}
    for site, (first, second) in zip(sites, features.site_role.tolist()):
        text = CODE.encode()[site.start:site.end].decode()
        if site.kind != "swapped-arguments":
            assert (first, second) == (-1, -1)
            continue
        pairs[text] = (roles[first].key, roles[second].key) if first >= 0 else None
    assert pairs["src, dst"] == ("copy#0", "copy#1")
    assert pairs["source, dest"] == ("copy#0", "copy#1")
    assert pairs["p, q"] is None  # an unnamed callee: no roles to compare with
    group = features.role_group.tolist()
    assert group[[r.key for r in roles].index("copy#0")] == group[[r.key for r in roles].index("copy#0", 3)]
    # a window keeps the uses inside it and renumbers the pairs of its sites
    swap = next(i for i, s in enumerate(sites) if CODE.encode()[s.start:s.end] == b"source, dest")
    start = int(features.site_start[swap]) - 2
    window = features.window(start, int(features.ids.shape[0]))
    assert window is not None
    kept = int(((features.site_start >= start)[:swap]).sum())
    first, second = window.site_role[kept].tolist()
    assert (int(window.role_start[first]), int(window.role_end[second])) == (
        int(features.site_start[swap]) - start, int(features.site_end[swap]) - start)
    # a batch makes use and group ids global, as it does site ids
    batch = collate([features, window])
    n = int(features.role_start.shape[0])
    assert batch.sites.site_role is not None and batch.sites.role_group is not None
    assert batch.sites.site_role[int(batch.site_offsets[1]) + kept].tolist() == [first + n, second + n]
    assert int(batch.sites.role_group[n:].min()) > int(features.role_group.max())


def test_role_features_pool_the_other_uses_of_each_position() -> None:
    hidden = torch.zeros(1, 6, 2)
    hidden[0, :, 0] = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    hidden[0, :, 1] = 1.0
    t = lambda *values: torch.tensor(values, dtype=torch.long)  # noqa: E731
    # uses: tokens 0 and 2 are role 0 (another call's first argument, this call's first),
    # tokens 1 and 3 role 1; token 4 is role 2 alone
    sites = SiteBatch(site_doc=t(0, 0), site_start=t(2, 4), site_end=t(4, 5), site_kind=t(1, 2),
                      repair_site=t(0, 1), repair_start=t(-1, -1), repair_end=t(-1, -1), repair_token=t(1, 2),
                      role_doc=t(0, 0, 0, 0, 0), role_start=t(0, 1, 2, 3, 4), role_end=t(1, 2, 3, 4, 5),
                      role_group=t(0, 1, 0, 1, 2), site_role=torch.tensor([[2, 3], [-1, -1]]))
    features = role_features(hidden, sites)
    assert features.shape == (2, 4 * 2 + 2)
    a, b, mean_a, mean_b = torch.tensor([3.0, 1.0]), torch.tensor([4.0, 1.0]), torch.tensor([1.0, 1.0]), torch.tensor([2.0, 1.0])
    expected = torch.cat([a * mean_a, b * mean_b, a * mean_b, b * mean_a, torch.log1p(torch.ones(2))])
    torch.testing.assert_close(features[0], expected)
    torch.testing.assert_close(features[1], torch.zeros(10))  # not a swap site


def test_a_model_with_argument_roles_runs_and_round_trips(tmp_path: Path) -> None:
    torch.manual_seed(0)
    source = Source(CODE)
    tree = parse(source)
    tokenizer = train_tokenizer([CODE] * 3, vocab_size=300)
    features = featurize(encode(tokenizer, source), find_sites(tree), marker_ids(tokenizer), roles=argument_roles(tree))
    batch = collate([features])
    config = TheaM2Config(vocab_size=tokenizer.get_vocab_size(), hidden_size=16, num_hidden_layers=1, intermediate_size=32,
                          hyena_filter_order=8, argument_roles=True)
    model = TheaM2ForBugDetection(config).eval()
    with torch.no_grad():
        first = model(batch.input_ids, batch.attention_mask, batch.sites)[0]
    assert assert_round_trips(model, batch, first, tmp_path).argument_roles
