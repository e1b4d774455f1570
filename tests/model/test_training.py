"""A tiny overfit on CPU in seconds: the data pipeline, the loss and the heads fit together."""

from __future__ import annotations

import pytest
import torch

from engine.model.config import TheaM2Config
from engine.model.features import collate, featurize
from engine.model.inject import inject, inject_many
from engine.model.modeling import TheaM2ForBugDetection
from engine.model.roles import argument_roles as roles_of
from engine.model.scoring import loss, scores
from engine.model.sites import find_sites
from engine.model.tokenizer import encode, marker_ids, train_tokenizer
from engine.parse import Source, parse

CODE = [
    "function area(width, height) { return width * height - 1; }\n",
    "function pick(list, index) { if (index < list.length) { return list[index]; } return null; }\n",
    "function ratio(total, part) { return part / total; }\n",
]


def _examples():  # type: ignore[no-untyped-def]
    tokenizer = train_tokenizer(CODE * 5, vocab_size=300)
    markers = marker_ids(tokenizer)
    docs = []
    for code in CODE:
        source = Source(code)
        sites = find_sites(parse(source))
        docs.append(featurize(encode(tokenizer, source), sites, markers))
        for site in sites[:3]:
            mutant = inject(source, site, site.repairs[0], None, None)
            if mutant is not None:
                docs.append(featurize(encode(tokenizer, mutant.source), mutant.sites, markers,
                                      (mutant.target_site, mutant.target_repair)))
    return tokenizer, docs


def test_tiny_overfit() -> None:
    torch.manual_seed(0)
    tokenizer, docs = _examples()
    assert sum(d.target_site >= 0 for d in docs) >= 6
    config = TheaM2Config(vocab_size=tokenizer.get_vocab_size(), hidden_size=32, num_hidden_layers=2,
                          intermediate_size=64, max_position_embeddings=256, hyena_filter_order=16, hidden_dropout_prob=0.0)
    model = TheaM2ForBugDetection(config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    batch = collate(docs)
    first = None
    for _ in range(150):
        value = loss(model(batch.input_ids, batch.attention_mask, batch.sites), batch)
        first = float(value.detach()) if first is None else first
        optimizer.zero_grad()
        value.backward()
        optimizer.step()
    assert float(value.detach()) < 0.1 * first
    model.eval()
    with torch.no_grad():
        out = scores(model(batch.input_ids, batch.attention_mask, batch.sites)[0], batch)
    for i, doc in enumerate(docs):
        s0, s1 = int(batch.site_offsets[i]), int(batch.site_offsets[i + 1])
        if doc.target_site < 0:
            assert float(out.no_bug_prob[i]) > 0.5
        else:
            assert int(out.site_prob[s0:s1].argmax()) == doc.target_site
            assert float(out.repair_prob[batch.target_repair[i]]) > 0.5


@pytest.mark.parametrize(("site_mixer_layers", "argument_roles"), [(0, False), (1, False), (0, True)])
def test_tiny_overfit_with_every_site_labelled(site_mixer_layers: int, argument_roles: bool) -> None:
    # training documents carry several bugs, every other site labelled clean
    torch.manual_seed(0)
    tokenizer = train_tokenizer(CODE * 5, vocab_size=300)
    markers = marker_ids(tokenizer)
    docs = []
    for code in CODE * 2:
        source = Source(code)
        sites = find_sites(parse(source))
        picks = [(site, site.repairs[0]) for site in sites[len(docs) % 2::4]][:2]
        picks = [p for i, p in enumerate(picks) if i == 0 or p[0].start > picks[i - 1][0].end]
        mutant = inject_many(source, picks, None, None)
        assert mutant is not None
        docs.append(featurize(encode(tokenizer, mutant.source), mutant.sites, markers, targets=mutant.targets,
                              roles=roles_of(mutant.tree) if argument_roles else None))
    batch = collate(docs)
    assert int((batch.site_label >= 0).sum()) >= 8
    config = TheaM2Config(vocab_size=tokenizer.get_vocab_size(), hidden_size=32, num_hidden_layers=2,
                          intermediate_size=64, max_position_embeddings=256, hyena_filter_order=16, hidden_dropout_prob=0.0,
                          site_mixer_layers=site_mixer_layers, argument_roles=argument_roles)
    model = TheaM2ForBugDetection(config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    for _ in range(200):
        value = loss(model(batch.input_ids, batch.attention_mask, batch.sites), batch)
        optimizer.zero_grad()
        value.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        site_logits, _, repair_logits = model(batch.input_ids, batch.attention_mask, batch.sites)[0]
    buggy = batch.site_label >= 0
    assert bool((site_logits[buggy] > 0).all()), "P(bug) > 1/2 at every injected bug"
    assert bool((site_logits[~buggy] < 0).all()), "P(bug) < 1/2 at every clean site"
    out = scores((site_logits, torch.zeros(len(docs)), repair_logits), batch)
    assert bool((out.repair_prob[batch.site_label[buggy]] > 0.5).all())


def test_uses_of_one_name_share_a_group_and_name_repairs_point_at_it() -> None:
    tokenizer = train_tokenizer(CODE * 5, vocab_size=300)
    source = Source("function f(a, b) { return a + b * a; }\n")
    sites = find_sites(parse(source))
    features = featurize(encode(tokenizer, source), sites, marker_ids(tokenizer))
    site_group, repair_group = features.groups()
    names = {site.name: int(group) for site, group in zip(sites, site_group) if site.kind == "variable-misuse"}
    assert set(names) == {"a", "b"} and names["a"] != names["b"]
    uses_of_a = [i for i, site in enumerate(sites) if site.name == "a"]
    assert len(uses_of_a) == 2 and len({int(site_group[i]) for i in uses_of_a}) == 1
    for index, repair_site in enumerate(features.repair_site.tolist()):
        repair = [r for s in sites for r in s.repairs][index]
        if sites[repair_site].kind == "variable-misuse":
            assert int(repair_group[index]) == names.get(repair.edit.text, -1)  # `f`: declared, never used
    assert bool((repair_group >= 0).any())  # `a` at a use of `b` and back
    window = features.window(0, int(features.ids.shape[0]))  # cropping keeps the groups
    assert window is not None and torch.equal(window.groups()[0], site_group)
    batch = collate([features, features])  # the second document's groups are its own
    assert int(batch.sites.site_group.max()) == 2 * (max(names.values()) + 1) - 1


def test_swap_in_replaces_the_target_whole(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from engine.model.train import _swap_in

    target, staging = tmp_path / "model", tmp_path / "model.partial"
    target.mkdir()
    (target / "old.txt").write_text("old")
    staging.mkdir()
    (staging / "new.txt").write_text("new")
    _swap_in(staging, target)
    assert [p.name for p in target.iterdir()] == ["new.txt"]
    assert not staging.exists() and not (tmp_path / "model.old").exists()
