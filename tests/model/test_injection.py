"""Sites and injectors: every injected bug is parseable code that differs from the original
by exactly the intended edit, and the mutant's own sites hold the repair that undoes it."""

from __future__ import annotations

import pytest

from engine.linter import RuleSet, lint_source
from engine.fix.edit import Edit
from engine.model.dataset import sample_picks
from engine.model.inject import apply_edit, inject, inject_many, rule_counts
from engine.model.sites import KINDS, find_sites
from engine.parse import Source, parse

CODE = """\
function clamp(value, low, high) {
  if (value < low) { return low; }
  if (!isFinite(high) && value > high) { return high; }
  const span = high - low;
  return Math.max(low, Math.min(value, span + 1));
}
function shift(bits, count) { return bits << count; }
"""

EXPECTED = {
    # kind: (a site's text, the repair labels it offers)
    "variable-misuse": ("low", {"value", "high", "span", "clamp", "shift"}),
    "swapped-arguments": ("value, span + 1", {"[SWAP]"}),
    "wrong-operator": ("<", {"<=", ">", ">="}),
    "swapped-operands": ("high - low", {"[SWAP]"}),
    "off-by-one": ("1", {"[INC]", "[DEC]"}),
    "negation": ("!isFinite(high)", {"[UNNOT]"}),
}


def _sites(code: str):  # type: ignore[no-untyped-def]
    source = Source(code)
    return source, find_sites(parse(source))


def test_every_kind_has_sites_with_the_expected_repairs() -> None:
    source, sites = _sites(CODE)
    for kind, (text, labels) in EXPECTED.items():
        matching = [s for s in sites if s.kind == kind and source.data[s.start:s.end] == text.encode()]
        assert matching, f"no {kind} site at {text!r}"
        assert {r.label for r in matching[0].repairs} >= labels if kind == "variable-misuse" else \
            {r.label for r in matching[0].repairs} == labels


def test_declarations_and_properties_are_not_variable_sites() -> None:
    source, sites = _sites("function f(a, b) { const c = a.b; return { b: c }; }")
    texts = [source.data[s.start:s.end] for s in sites if s.kind == "variable-misuse"]
    assert texts == [b"a", b"c"]  # not the parameters, the declared `c`, nor the property `b`


def test_globals_are_not_variable_sites() -> None:
    source, sites = _sites("function f(a) { return console.log(a, window); }")
    assert [source.data[s.start:s.end] for s in sites if s.kind == "variable-misuse"] == [b"a"]  # rival: `f`


def test_a_plain_name_in_a_condition_is_both_a_variable_and_a_negation_site() -> None:
    source, sites = _sites("function f(done, ready) { if (!done) { return; } while (ready) { step(); } return done ? 1 : 2; }")
    negations = {source.data[s.start:s.end]: {r.label for r in s.repairs} for s in sites if s.kind == "negation"}
    assert negations == {b"!done": {"[UNNOT]"}, b"ready": {"[NOT]"}, b"done": {"[NOT]"}}
    names = [source.data[s.start:s.end] for s in sites if s.kind == "variable-misuse"]
    assert names.count(b"done") == 2 and b"ready" in names  # the same names stay variable sites
    for site in (s for s in sites if s.kind == "negation"):
        mutant = inject(source, site, site.repairs[0], None, None)
        assert mutant is not None and not parse(mutant.source).root_node.has_error
        undo = mutant.sites[mutant.target_site].repairs[mutant.target_repair].edit
        assert apply_edit(mutant.source.data, undo) == source.data


def test_a_node_around_a_syntax_error_is_no_site_but_its_intact_parts_are() -> None:
    """Code being typed: `a < ` lacks an operand, and `foo(` left open swallows the next
    statement into its arguments. Neither the comparison nor those arguments are sites (the
    detector was never trained on broken code); the intact code around them still is."""
    source, sites = _sites("function f(a, b, c) {\n  if (a < ) { g(b, c); }\n  return b - c;\n}\n"
                           "foo(\nexport { f } from './f.js';\n")
    assert parse(source).root_node.has_error
    shown = [(s.kind, source.data[s.start:s.end]) for s in sites]
    assert shown == [("variable-misuse", b"a"), ("variable-misuse", b"b"), ("swapped-arguments", b"b, c"),
                     ("variable-misuse", b"c"), ("variable-misuse", b"b"), ("swapped-operands", b"b - c"),
                     ("wrong-operator", b"-"), ("variable-misuse", b"c")]


@pytest.mark.parametrize("kind", KINDS)
def test_each_injector_makes_exactly_the_intended_change(kind: str) -> None:
    original, sites = _sites(CODE)
    made = 0
    for site in (s for s in sites if s.kind == kind):
        for repair in site.repairs:
            mutant = inject(original, site, repair, None, None)
            if mutant is None:
                continue
            made += 1
            assert mutant.source.data == apply_edit(original.data, repair.edit)
            assert not parse(mutant.source).root_node.has_error
            data, before, after = mutant.source.data, original.data[:site.start], original.data[site.end:]
            assert data != original.data
            assert data.startswith(before) and data.endswith(after), "only the site's bytes change"
            assert data[len(before):len(data) - len(after)] == apply_edit(original.data[site.start:site.end], _local(repair.edit, site.start))
            target = mutant.sites[mutant.target_site]
            assert target.kind == kind
            undo = target.repairs[mutant.target_repair].edit
            assert apply_edit(mutant.source.data, undo) == original.data
    assert made > 0, f"no {kind} mutant could be made"


PEERS = """\
for (let i = 0; i < items.length; i++) { if (!done) { total = total + items[i]; } }
for (let i = 0; i < items.length; i++) { if (done) { last = items.length - 1; } }
const tail = items.length - 1;
const gap = total - last;
"""


@pytest.mark.parametrize("kind", ("wrong-operator", "swapped-operands", "off-by-one", "negation"))
def test_a_sites_peer_key_survives_its_own_bug(kind: str) -> None:
    original, sites = _sites(PEERS)
    checked = 0
    for site in (s for s in sites if s.kind == kind and s.peer):
        for repair in site.repairs:
            mutant = inject(original, site, repair, None, None)
            if mutant is None:
                continue
            assert mutant.sites[mutant.target_site].peer == site.peer, (kind, repair.label)
            checked += 1
    assert checked > 0


def test_peers_share_a_shape_whatever_the_choice_at_the_site() -> None:
    source, sites = _sites(PEERS)
    text = lambda site: source.data[site.start:site.end].decode()  # noqa: E731
    def peers_of(kind: str, site_text: str) -> set[str]:
        site = next(s for s in sites if s.kind == kind and text(s) == site_text)
        return {text(s) for s in sites if s.peer == site.peer and s is not site}
    loops = [s for s in sites if s.kind == "wrong-operator" and text(s) == "<"]
    assert len(loops) == 2 and loops[0].peer == loops[1].peer  # `i < items.length`, twice
    assert peers_of("negation", "!done") == {"done"}
    literals = [s for s in sites if s.kind == "off-by-one" and text(s) == "1"]
    assert literals[0].peer == literals[1].peer  # `items.length - #`
    swaps = [s for s in sites if s.kind == "swapped-operands"]
    assert [text(s) for s in swaps] == ["items.length - 1", "items.length - 1", "total - last"]
    assert swaps[0].peer == swaps[1].peer != swaps[2].peer
    assert all(s.peer == "" for s in sites if s.kind in ("variable-misuse", "swapped-arguments"))


def test_a_mutant_a_pattern_rule_reports_is_dropped() -> None:
    rules = RuleSet.only(["no-self-compare"])
    original = Source("function f(a, b) { return a === b; }")
    counts = rule_counts(lint_source(original, parse(original), rules))
    site = next(s for s in find_sites(parse(original))
                if s.kind == "variable-misuse" and original.data[s.start:s.end] == b"b")
    repair = next(r for r in site.repairs if r.edit.text == "a")  # `a === a`: no-self-compare reports it
    assert inject(original, site, repair, rules, counts) is None
    assert inject(original, site, repair, None, None) is not None


def _apply_all(data: bytes, edits: list[Edit]) -> bytes:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        data = apply_edit(data, edit)
    return data


def test_several_bugs_in_one_mutant_are_each_labelled_with_their_own_undo() -> None:
    import random

    original, sites = _sites(CODE)
    made = 0
    for seed in range(20):
        picks = sample_picks(sites, random.Random(seed), wanted=3, gap=4, balance_kinds=True)
        mutant = inject_many(original, picks, None, None)
        if mutant is None:
            continue
        made += 1
        assert not mutant.tree.root_node.has_error
        edits = sorted((repair.edit for _, repair in picks), key=lambda e: e.start)
        assert mutant.source.data == _apply_all(original.data, edits), "exactly the picked edits, nothing else"
        assert len(mutant.targets) == len(edits)
        for index, (site_index, repair_index) in enumerate(mutant.targets):
            undone = apply_edit(mutant.source.data, mutant.sites[site_index].repairs[repair_index].edit)
            # undoing one bug restores its text and leaves exactly the other bugs in place
            assert undone == _apply_all(original.data, edits[:index] + edits[index + 1:])
    assert made >= 10


@pytest.mark.parametrize("balance_kinds", [True, False])
def test_picks_keep_their_distance(balance_kinds: bool) -> None:
    import random

    _, sites = _sites(CODE)
    picks = sample_picks(sites, random.Random(1), wanted=50, gap=8, balance_kinds=balance_kinds)
    assert picks
    spans = sorted((site.start, site.end) for site, _ in picks)
    assert all(b_start >= a_end + 8 for (_, a_end), (b_start, _) in zip(spans, spans[1:]))
    assert all(repair in site.repairs for site, repair in picks)


def test_uniform_picks_follow_the_sites_and_balanced_picks_the_kinds() -> None:
    import random
    from collections import Counter

    _, sites = _sites(CODE)
    share = Counter(site.kind for site in sites)
    commonest, rarest = share.most_common()[0][0], share.most_common()[-1][0]
    uniform, balanced = Counter(), Counter()
    for seed in range(200):
        uniform.update(site.kind for site, _ in sample_picks(sites, random.Random(seed), wanted=1, balance_kinds=False))
        balanced.update(site.kind for site, _ in sample_picks(sites, random.Random(seed), wanted=1, balance_kinds=True))
    assert uniform[commonest] / 200 > 0.5 * share[commonest] / len(sites)  # about its share of the sites
    assert uniform[commonest] > balanced[commonest] and uniform[rarest] < balanced[rarest]


def _local(edit: Edit, offset: int) -> Edit:
    return Edit(edit.start - offset, edit.end - offset, edit.text)
