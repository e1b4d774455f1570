"""The block-diagonal (Monarch) linear layer: a drop-in for nn.Linear with `nblocks` blocks.

A dense d_in x d_out matrix costs d_in * d_out; `nblocks` diagonal blocks cost 1/nblocks of
that. M2-BERT's dimension mixer is a GLU built from these.
"""

from __future__ import annotations

import math

import torch
from einops import rearrange
from torch import nn


class BlockdiagLinear(nn.Module):
    def __init__(self, in_features: int, out_features: int, nblocks: int, bias: bool = True) -> None:
        super().__init__()
        if in_features % nblocks or out_features % nblocks:
            raise ValueError(f"{in_features} and {out_features} must be multiples of nblocks={nblocks}")
        self.in_features, self.out_features, self.nblocks = in_features, out_features, nblocks
        # weight: (nblocks, out/nblocks, in/nblocks)
        self.weight = nn.Parameter(torch.empty(nblocks, out_features // nblocks, in_features // nblocks))
        self.bias = nn.Parameter(torch.zeros(out_features)) if bias else None
        bound = 1 / math.sqrt(in_features // nblocks)
        nn.init.uniform_(self.weight, -bound, bound)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x: (..., in) -> (..., nblocks, in/nblocks) -> (..., nblocks, out/nblocks) -> (..., out)
        blocks = rearrange(x, "... (k i) -> ... k i", k=self.nblocks)
        out = torch.einsum("...ki,koi->...ko", blocks, self.weight)
        out = rearrange(out, "... k o -> ... (k o)")
        return out + self.bias if self.bias is not None else out

    def dense_weight(self) -> torch.Tensor:
        """The equivalent dense (out, in) matrix, for tests."""
        return torch.block_diag(*self.weight.unbind(0))


class MonarchGLU(nn.Module):
    """M2-BERT's dimension mixer: LayerNorm(x + W_o(GELU(W_g x) * W_v x)), W block-diagonal."""

    def __init__(self, hidden: int, intermediate: int, nblocks: int, dropout: float, eps: float) -> None:
        super().__init__()
        self.gated_layers = BlockdiagLinear(hidden, 2 * intermediate, nblocks, bias=False)
        self.wo = BlockdiagLinear(intermediate, hidden, nblocks)
        self.act = nn.GELU(approximate="none")
        self.dropout = nn.Dropout(dropout)
        self.layernorm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        # hidden: (b, l, d)
        gate, value = self.gated_layers(hidden).chunk(2, dim=-1)  # (b, l, i) each
        out = self.wo(self.dropout(self.act(gate) * value))  # (b, l, d)
        return self.layernorm(out + hidden)
