"""Training documents of one file (engine/model/dataset.py): mutants with every site labelled,
and, with `clean_versions`, the file as it is."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from engine.linter import RuleSet
from engine.model.dataset import cut_windows, training_documents
from engine.model.sites import find_sites
from engine.model.tokenizer import encode, train_tokenizer
from engine.parse import Source, parse

CODE = """'use strict';
function clamp(value, low, high) {
  if (value < low) { return low; }
  return value > high ? high : value;
}
function average(items) {
  let total = 0;
  for (let index = 0; index < items.length; index++) { total += items[index]; }
  return items.length === 0 ? 0 : total / items.length;
}
module.exports = { clamp, average };
"""


@pytest.fixture(scope="module")
def tokenizer():  # type: ignore[no-untyped-def]
    return train_tokenizer([CODE] * 4, 400)


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return RuleSet.recommended()


def test_mutants_alone_always_hold_a_bug_even_in_a_short_file(tmp_path: Path, tokenizer, rules: RuleSet) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "short.js"
    path.write_text(CODE)
    docs = training_documents(path, tokenizer, rules, seed=0, per_kb=0.1, versions=3)
    assert len(docs) == 3
    assert all(int((doc.labels() >= 0).sum()) >= 1 for doc in docs)


@pytest.mark.parametrize("clean_versions", [1, 2])
def test_clean_versions_add_the_file_as_it_is_with_every_site_clean(tmp_path: Path, tokenizer, rules: RuleSet,  # type: ignore[no-untyped-def]
                                                                    clean_versions: int) -> None:
    path = tmp_path / "short.js"
    path.write_text(CODE)
    mutants = training_documents(path, tokenizer, rules, seed=0, per_kb=5.0, versions=2)
    docs = training_documents(path, tokenizer, rules, seed=0, per_kb=5.0, versions=2, clean_versions=clean_versions)
    assert len(docs) == 2 + clean_versions
    for mutant, again in zip(mutants, docs):  # the mutants are drawn as before
        assert mutant.ids.tolist() == again.ids.tolist() and mutant.labels().tolist() == again.labels().tolist()
    unmutated = encode(tokenizer, Source(CODE)).ids.tolist()
    for clean in docs[2:]:
        assert clean.ids.tolist() == unmutated
        assert clean.site_label is not None and bool((clean.site_label == -1).all())
        assert clean.site_start.numel() == len(find_sites(parse(Source(CODE))))  # every candidate site
    windows = cut_windows(docs[2:], random.Random(0), 16)
    assert windows and all(bool((w.labels() == -1).all()) for w in windows)
