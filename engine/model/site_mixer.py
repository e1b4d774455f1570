"""Attention among a document's candidate sites: the pointer reasoning a convolution lacks.

The encoder mixes tokens by position (long convolutions); deciding that `i` should have been
`j`, or that two arguments are swapped, wants content-addressed comparison of one site with
the others (GREAT's transformer layers do that over all tokens). Sites are few (about one per
three tokens) and they only need their neighbours, so each document's sites are cut into
consecutive blocks of at most `block` sites and attention runs inside a block: cost
O(sites * block * d), linear in the document's length, no dense attention over tokens.

A training window of 512 tokens holds well under `block` sites, so training and whole
documents see the same block structure around most sites.
"""

from __future__ import annotations

import torch
from torch import nn


def site_blocks(site_doc: torch.Tensor, block: int) -> tuple[torch.Tensor, torch.Tensor, int, int]:
    """Blocks of consecutive sites of one document. site_doc: (s,), sorted ascending.

    Returns (block index (s,), slot in its block (s,), number of blocks, block width).
    """
    s = site_doc.shape[0]
    index = torch.arange(s, device=site_doc.device)
    doc_first = torch.searchsorted(site_doc, site_doc)  # (s,) first site of each site's document
    position = index - doc_first  # (s,) index of the site inside its document
    slot = position % block
    starts = (slot == 0).long()  # a new block at each document's start and every `block` sites
    block_index = torch.cumsum(starts, 0) - 1
    blocks = int(block_index[-1]) + 1 if s else 0
    width = int(slot.max()) + 1 if s else 1
    return block_index, slot, blocks, width


class SiteMixerLayer(nn.Module):
    """Pre-norm transformer layer over the sites of one block. x: (n, w, d); valid: (n, w)."""

    def __init__(self, d: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.norm2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
        n, w, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).reshape(n, w, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)  # (n, h, w, dh) each
        attend = valid[:, None, None, :]  # (n, 1, 1, w): keys that exist
        mixed = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=attend)  # (n, h, w, dh)
        x = x + self.out(mixed.transpose(1, 2).reshape(n, w, d))
        return x + self.mlp(self.norm2(x))


class SiteMixer(nn.Module):
    """`layers` transformer layers over blocks of sites: (s, d) -> (s, d)."""

    def __init__(self, d: int, layers: int, heads: int, block: int) -> None:
        super().__init__()
        self.block = block
        self.layers = nn.ModuleList(SiteMixerLayer(d, heads) for _ in range(layers))
        self.norm = nn.LayerNorm(d)

    def forward(self, sites: torch.Tensor, site_doc: torch.Tensor) -> torch.Tensor:
        s, d = sites.shape
        if s == 0:
            return sites
        block_index, slot, blocks, width = site_blocks(site_doc, self.block)
        x = sites.new_zeros(blocks, width, d)
        x[block_index, slot] = sites
        valid = torch.zeros(blocks, width, dtype=torch.bool, device=sites.device)
        valid[block_index, slot] = True
        for layer in self.layers:
            x = layer(x, valid)
        return self.norm(x[block_index, slot])  # (s, d)
