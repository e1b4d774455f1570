"""Attention among candidate sites stays inside blocks of one document's consecutive sites."""

from __future__ import annotations

import torch

from engine.model.site_mixer import SiteMixer, site_blocks


def test_blocks_are_consecutive_sites_of_one_document() -> None:
    site_doc = torch.tensor([0, 0, 0, 0, 0, 1, 1, 3])
    block, slot, blocks, width = site_blocks(site_doc, block=2)
    assert block.tolist() == [0, 0, 1, 1, 2, 3, 3, 4]
    assert slot.tolist() == [0, 1, 0, 1, 0, 0, 1, 0]
    assert (blocks, width) == (5, 2)


def test_a_site_sees_its_block_and_nothing_else() -> None:
    torch.manual_seed(0)
    mixer = SiteMixer(d=16, layers=2, heads=4, block=3).eval()
    site_doc = torch.tensor([0, 0, 0, 0, 0, 1, 1])
    x = torch.randn(7, 16)
    with torch.no_grad():
        before = mixer(x, site_doc)
        changed = x.clone()
        changed[4] += torch.randn(16)  # document 0, second block (sites 3 and 4)
        after = mixer(changed, site_doc)
    moved = (after - before).abs().amax(dim=1) > 1e-6
    assert moved.tolist() == [False, False, False, True, True, False, False]
    # a document's sites give the same result alone as in a batch
    with torch.no_grad():
        alone = mixer(x[5:], torch.tensor([0, 0]))
    torch.testing.assert_close(alone, before[5:])


def test_no_sites_is_no_work() -> None:
    mixer = SiteMixer(d=8, layers=1, heads=2, block=4)
    assert mixer(torch.zeros(0, 8), torch.zeros(0, dtype=torch.long)).shape == (0, 8)
