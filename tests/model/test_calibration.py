"""Temperature scaling and the threshold rule on synthetic scores."""

from __future__ import annotations

from dataclasses import replace

import torch

from engine.model.calibration import ScoredDocument, choose_threshold, fit_temperatures, joined_logits
from engine.model.checkpoint import Calibration
from engine.model.dataset import Document
from engine.model.features import DocFeatures, collate
from engine.model.sites import KINDS


def _doc(kind: str | None, lines: int = 1000) -> Document:
    features = DocFeatures(torch.ones(4, dtype=torch.long), torch.tensor([0, 2]), torch.tensor([1, 3]), torch.tensor([0, 2]),
                           torch.tensor([0, 0]), torch.tensor([-1, -1]), torch.tensor([-1, -1]), torch.tensor([5, 6]),
                           0 if kind else -1, 0 if kind else -1)
    return Document("x.js", kind, features, lines)


def _doc_with_bug_at(site: int) -> Document:
    """Site 0 a name, site 1 an operator, one repair each; the bug at `site`."""
    doc = _doc("variable-misuse" if site == 0 else "wrong-operator")
    features = replace(doc.features, repair_site=torch.tensor([0, 1]), target_site=site, target_repair=site)
    return Document(doc.path, doc.kind, features, doc.lines)


def _fit(cached: list[tuple]):  # type: ignore[no-untyped-def]
    """fit_temperatures on (logits, DocFeatures) pairs, a document each, as calibrate() joins them."""
    return fit_temperatures(joined_logits([logits for logits, _ in cached]),
                            collate([features for _, features in cached], tokens=False))


def test_threshold_keeps_clean_alarms_within_the_target() -> None:
    clean = [ScoredDocument(_doc(None), [0.97, 0.2], 0, 0, 0.97), ScoredDocument(_doc(None), [0.7, 0.1], 0, 0, 0.7)]
    # 2,000 clean lines: the 95% upper bound after 0, 1, 2 alarms is 1.50, 2.37, 3.15 per 1,000
    assert choose_threshold(clean, alarms_per_kloc=1.0) == 0.98  # none: above every clean confidence
    assert choose_threshold(clean, alarms_per_kloc=2.5) == 0.71  # one alarm allowed
    assert choose_threshold(clean, alarms_per_kloc=50.0) == 0.5  # never below the floor


def test_overconfident_logits_get_a_temperature_above_one() -> None:
    # the right site wins only half the time, with huge margins: calibration must soften
    cached = []
    for site in (0, 1) * 5:
        for right in (True, False):
            features = _doc_with_bug_at(site).features
            logits = [0.0, 0.0]
            logits[site if right else 1 - site] = 10.0
            cached.append(((torch.tensor(logits), torch.tensor([0.0]), torch.tensor([0.0, 0.0])), features))
    fitted = _fit(cached)
    assert fitted.loc_temperature > 3.0


def test_repairs_always_right_get_a_temperature_below_one() -> None:
    cached = []
    for _ in range(10):
        features = _doc("negation").features  # both repairs at site 0, the first undoes the bug
        cached.append(((torch.tensor([1.0, 0.0]), torch.tensor([0.0]), torch.tensor([3.0, 0.0])), features))
    assert _fit(cached).repair_temperature < 1.0  # sharpen


def test_the_no_bug_offset_moves_the_prior_to_that_of_whole_documents() -> None:
    # trained on windows dense with bugs, the model calls most clean documents buggy: the
    # fitted offset must raise the no-bug logit until clean and buggy documents are told apart
    cached = []
    for kind in ("negation", None) * 10:
        doc = _doc(kind)
        site_logits = torch.tensor([4.0, 0.0]) if kind else torch.tensor([1.0, 0.5])
        cached.append(((site_logits, torch.tensor([0.0]), torch.tensor([3.0, 0.0])), doc.features))
    assert _fit(cached).no_bug_offset > 1.0


def test_kind_offsets_undo_a_kind_prior_the_documents_do_not_share() -> None:
    # site 0 is a name, site 1 an operator (kinds 0 and 2). The model learnt to rate operators
    # 3 nats higher (their sites were labelled more often in training), but here either site
    # is the bug equally often: the fitted offsets must cancel that preference
    cached = []
    for site in (0, 1) * 10:
        cached.append(((torch.tensor([0.0, 3.0]), torch.tensor([0.0]), torch.tensor([0.0, 0.0])), _doc_with_bug_at(site).features))
    fitted = _fit(cached)
    assert fitted.kind_offsets is not None
    assert fitted.kind_offsets.shape == (len(KINDS),)
    preference = float(fitted.kind_offsets[2] - fitted.kind_offsets[0])
    assert abs(preference + 3.0) < 0.2
    assert abs(float(fitted.kind_offsets.sum())) < 1e-4  # their common shift is the no-bug offset's


def test_member_calibration_defaults_to_identity() -> None:
    member = Calibration(loc_temperatures=[2.0], no_bug_offsets=[1.5], kind_offsets=[[0.5] * len(KINDS)]).member(1)
    assert (member.loc_temperature, member.repair_temperature, member.no_bug_offset, member.kind_offsets) == (1.0, 1.0, 0.0, None)
    first = Calibration(loc_temperatures=[2.0], no_bug_offsets=[1.5], kind_offsets=[[0.5] * len(KINDS)]).member(0)
    assert first.loc_temperature == 2.0 and first.no_bug_offset == 1.5
    assert first.kind_offsets is not None and first.kind_offsets.tolist() == [0.5] * len(KINDS)


def test_the_deployed_prior_leaves_the_temperatures_and_lowers_short_documents(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """calibrate(min_sites=N) fits the same temperatures and offsets as under the training prior,
    then leaves the members counting at least N sites: every short clean document's top
    confidence can only fall, and the threshold with it."""
    from engine.linter import RuleSet
    from engine.model.calibration import calibrate, score_documents
    from engine.model.checkpoint import load_detector
    from engine.model.dataset import documents
    from tests.model.tiny_detector import FUNCTION, build_tiny_detector

    members, tokenizer, _ = load_detector(build_tiny_detector(tmp_path / "model", members=1))
    for i in range(6):
        (tmp_path / f"code{i}.js").write_text("".join(FUNCTION.format(i=i * 10 + j) for j in range(1 + i % 3)))
    docs = documents(sorted(tmp_path.glob("*.js")), tokenizer, RuleSet.recommended(), 0, 2, 4096, tmp_path)
    assert any(doc.kind is None for doc in docs) and any(doc.kind for doc in docs)
    under_one = calibrate(members, docs, 0.1, context_length=4096)
    clean = [doc for doc in docs if doc.kind is None]
    before = [s.top_confidence for s in score_documents(members, clean, under_one)]
    under_many = calibrate(members, docs, 0.1, context_length=4096, min_sites=500)
    assert under_many.loc_temperatures == under_one.loc_temperatures
    assert under_many.no_bug_offsets == under_one.no_bug_offsets
    assert members[0].config.no_bug_min_sites == 500
    after = [s.top_confidence for s in score_documents(members, clean, under_many)]
    assert all(a <= b + 1e-6 for a, b in zip(after, before)) and any(a < b - 1e-3 for a, b in zip(after, before))
    assert under_many.threshold <= under_one.threshold


def test_joined_documents_give_the_nll_of_each_document_summed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The fit reads every validation document at once (`collate(..., tokens=False)` and
    `joined_logits`): the same NLL, and the same gradients, as document by document, on real
    documents of several sizes, clean and buggy."""
    from engine.linter import RuleSet
    from engine.model.calibration import _logits
    from engine.model.checkpoint import load_detector
    from engine.model.dataset import documents
    from engine.model.scoring import nll_terms
    from tests.model.tiny_detector import FUNCTION, build_tiny_detector

    members, tokenizer, _ = load_detector(build_tiny_detector(tmp_path / "model", members=1))
    for i in range(5):
        (tmp_path / f"code{i}.js").write_text("".join(FUNCTION.format(i=i * 10 + j) for j in range(1 + i % 3)))
    docs = documents(sorted(tmp_path.glob("*.js")), tokenizer, RuleSet.recommended(), 0, 2, 4096, tmp_path)
    assert any(doc.kind is None for doc in docs) and sum(doc.kind is not None for doc in docs) >= 3
    cached = _logits(members, docs)[0]
    kind_offsets = torch.linspace(-1.0, 1.0, len(KINDS))
    each_t = torch.tensor([1.3, 0.8], requires_grad=True)
    each = sum(nll_terms(logits, batch, each_t[0], each_t[1], 0.4, kind_offsets) for logits, batch in cached)
    each.backward()  # type: ignore[union-attr]
    batch = collate([doc.features for doc in docs], tokens=False)
    assert batch.input_ids.shape == (len(docs), 0)
    joined_t = torch.tensor([1.3, 0.8], requires_grad=True)
    joined = nll_terms(joined_logits([logits for logits, _ in cached]), batch, joined_t[0], joined_t[1], 0.4,  # type: ignore[arg-type]
                       kind_offsets)
    joined.backward()
    torch.testing.assert_close(joined, each)
    torch.testing.assert_close(joined_t.grad, each_t.grad)
    assert batch.site_offsets.tolist()[-1] == sum(int(b.sites.site_start.shape[0]) for _, b in cached)
    assert int((batch.target_site >= 0).sum()) == sum(doc.kind is not None for doc in docs)
