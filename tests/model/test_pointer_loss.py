"""The localisation (pointer) term of the training loss: any-bug against each-bug, on real
tree-sitter sites of multi-bug mutants, checked against the softmax written out by hand."""

from __future__ import annotations

import math

import pytest
import torch

from engine.model.features import Batch, collate, featurize
from engine.model.inject import inject_many
from engine.model.scoring import head_loss
from engine.model.sites import find_sites
from engine.model.tokenizer import encode, marker_ids, train_tokenizer
from engine.parse import Source, parse

CODE = [
    "function area(width, height) { if (width < 0 && height > 1) { return width * height - 1; } return 0; }\n",
    "function pick(list, index) { if (index < list.length) { return list[index + 1]; } return null; }\n",
]


def _batch(bugs_per_doc: int) -> Batch:
    tokenizer = train_tokenizer(CODE * 5, vocab_size=300)
    markers = marker_ids(tokenizer)
    docs = []
    for code in CODE:
        source = Source(code)
        sites = find_sites(parse(source))
        picks: list = []
        for site in sites:
            if len(picks) < bugs_per_doc and (not picks or site.start > picks[-1][0].end):
                picks.append((site, site.repairs[0]))
        mutant = inject_many(source, picks, None, None)
        assert mutant is not None
        docs.append(featurize(encode(tokenizer, mutant.source), mutant.sites, markers, targets=mutant.targets))
    docs.append(featurize(encode(tokenizer, Source(CODE[0])), find_sites(parse(Source(CODE[0]))), markers))  # clean
    return collate(docs)


def _logits(batch: Batch, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    sites, docs = batch.site_label.shape[0], batch.input_ids.shape[0]
    repairs = batch.sites.repair_site.shape[0]
    return (torch.randn(sites, generator=generator), torch.randn(docs, generator=generator),
            torch.randn(repairs, generator=generator))


def _head_loss_value(logits: tuple[torch.Tensor, torch.Tensor, torch.Tensor], batch: Batch, pointer: str) -> float:
    # the dense term does not depend on the pointer: the difference of two losses isolates it
    return float(head_loss(logits, batch, pointer).detach())


def _each_bug_by_hand(logits: tuple[torch.Tensor, torch.Tensor, torch.Tensor], batch: Batch) -> float:
    site_logits, no_bug_logits, _ = logits
    total = 0.0
    for d in range(no_bug_logits.shape[0]):
        s0, s1 = int(batch.site_offsets[d]), int(batch.site_offsets[d + 1])
        labels = batch.site_label[s0:s1]
        own = site_logits[s0:s1].tolist()
        clean = [math.exp(v) for v, label in zip(own, labels.tolist()) if label < 0]
        rivals = sum(clean) + math.exp(float(no_bug_logits[d]))
        bugs = [v for v, label in zip(own, labels.tolist()) if label >= 0]
        if bugs:
            total += sum(-math.log(math.exp(v) / (math.exp(v) + rivals)) for v in bugs)
        else:
            total += -math.log(math.exp(float(no_bug_logits[d])) / rivals)
    return total / no_bug_logits.shape[0]


def _any_bug_by_hand(logits: tuple[torch.Tensor, torch.Tensor, torch.Tensor], batch: Batch) -> float:
    site_logits, no_bug_logits, _ = logits
    total = 0.0
    for d in range(no_bug_logits.shape[0]):
        s0, s1 = int(batch.site_offsets[d]), int(batch.site_offsets[d + 1])
        labels = batch.site_label[s0:s1].tolist()
        own = site_logits[s0:s1].tolist()
        norm = sum(math.exp(v) for v in own) + math.exp(float(no_bug_logits[d]))
        bugs = [math.exp(v) for v, label in zip(own, labels) if label >= 0]
        total += -math.log((sum(bugs) if bugs else math.exp(float(no_bug_logits[d]))) / norm)
    return total / no_bug_logits.shape[0]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_bug_pointer_matches_the_softmax_written_out(seed: int) -> None:
    batch = _batch(bugs_per_doc=3)
    assert int((batch.site_label >= 0).sum()) >= 5, "several bugs per mutant"
    logits = _logits(batch, seed)
    difference = _head_loss_value(logits, batch, "each-bug") - _head_loss_value(logits, batch, "any-bug")
    assert difference == pytest.approx(_each_bug_by_hand(logits, batch) - _any_bug_by_hand(logits, batch), rel=1e-4, abs=1e-4)


def test_the_two_pointers_agree_on_single_bug_and_clean_documents() -> None:
    batch = _batch(bugs_per_doc=1)
    logits = _logits(batch)
    assert _head_loss_value(logits, batch, "each-bug") == pytest.approx(_head_loss_value(logits, batch, "any-bug"), rel=1e-5)


def test_each_bug_pointer_does_not_let_the_easiest_bug_carry_a_window() -> None:
    # one bug ranked far above everything, the others below the clean sites: any-bug is content,
    # each-bug is not
    batch = _batch(bugs_per_doc=3)
    site_logits, no_bug_logits, repair_logits = _logits(batch)
    buggy = batch.site_label >= 0
    first_bug = torch.zeros_like(buggy)
    for d in range(no_bug_logits.shape[0]):
        s0, s1 = int(batch.site_offsets[d]), int(batch.site_offsets[d + 1])
        hits = torch.nonzero(buggy[s0:s1]).flatten()
        if hits.numel():
            first_bug[s0 + int(hits[0])] = True
    site_logits = torch.where(first_bug, torch.full_like(site_logits, 12.0), torch.where(buggy, -3.0, 0.0))
    logits = (site_logits, no_bug_logits, repair_logits)
    easy = _head_loss_value(logits, batch, "each-bug") - _head_loss_value(logits, batch, "any-bug")
    assert easy > 1.0
    later_bugs = buggy & ~first_bug
    gradients = {}
    for pointer in ("any-bug", "each-bug"):
        leaf = site_logits.clone().requires_grad_()
        head_loss((leaf, no_bug_logits, repair_logits), batch, pointer).backward()
        assert leaf.grad is not None
        gradients[pointer] = leaf.grad
    # the dense term pulls every bug up under both; each-bug pulls the hidden ones up harder
    assert bool((gradients["each-bug"][later_bugs] < gradients["any-bug"][later_bugs] - 0.1).all())


def test_an_unknown_pointer_is_refused() -> None:
    batch = _batch(bugs_per_doc=1)
    with pytest.raises(ValueError, match="each-bug"):
        head_loss(_logits(batch), batch, "every-bug")
