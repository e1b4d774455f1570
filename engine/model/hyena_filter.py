"""Implicit long-convolution filters (Hyena): a small MLP of sine features of the position,
decayed exponentially, produces a filter as long as the sequence for every channel.

Poli et al., "Hyena Hierarchy" (2023); the M2-BERT variant (Fu et al., 2023) learns separate
forward and reverse filters for bidirectional mixing.
"""

from __future__ import annotations

import math

import torch
from einops import rearrange
from torch import nn


class Sin(nn.Module):
    def __init__(self, dim: int, w: float = 10.0) -> None:
        super().__init__()
        self.freq = nn.Parameter(w * torch.ones(1, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sin(self.freq * x)


class PositionalEmbedding(nn.Module):
    """(t, cos/sin bands) features of absolute positions 0..L-1.

    M2-BERT normalises positions by the sequence length, so a token's filter changes with
    the length of its document (and with padding). Thea normalises by a fixed `scale`
    instead: a position's features, and so the model's output, do not depend on how long
    the document or its padding is. Positions past `scale` extrapolate smoothly.
    """

    def __init__(self, emb_dim: int, scale: int) -> None:
        super().__init__()
        if emb_dim < 3 or emb_dim % 2 == 0:
            raise ValueError("emb_dim must be odd and >= 3 (time + cos/sin pairs)")
        self.bands = (emb_dim - 1) // 2
        self.scale = scale

    def forward(self, length: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
        positions = torch.arange(length, device=device, dtype=torch.float32).unsqueeze(-1)  # (l, 1)
        t = positions / self.scale  # (l, 1)
        w = 2 * math.pi * t  # (l, 1)
        f = torch.linspace(1e-4, self.bands - 1, self.bands, device=device).unsqueeze(0)  # (1, bands)
        z = torch.cat([t, torch.cos(f * w), -torch.sin(f * w)], dim=-1)  # (l, emb_dim)
        return z, t


class ExponentialModulation(nn.Module):
    """Multiply filters by exp(-|delta| t): each channel decays at its own, fixed rate.

    The rates are recomputed in forward rather than kept in a buffer: they are constants,
    and non-persistent buffers do not survive transformers' meta-device loading.
    """

    def __init__(self, d_model: int, fast_decay_pct: float = 0.3, slow_decay_pct: float = 1.5, target: float = 1e-2,
                 shift: float = 0.0) -> None:
        super().__init__()
        self.d_model = d_model
        self.max_decay = math.log(target) / fast_decay_pct
        self.min_decay = math.log(target) / slow_decay_pct
        self.shift = shift

    def forward(self, t: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        # t: (l, 1), x: (l, d)
        deltas = torch.linspace(self.min_decay, self.max_decay, self.d_model, device=x.device).unsqueeze(0)  # (1, d)
        return x * (torch.exp(-t * deltas.abs()) + self.shift)


class HyenaFilter(nn.Module):
    """Produces k_fwd (and k_rev when bidirectional), each (d, l), for any l <= max_len.

    `normalized` (Hyena's option): each channel's filters are divided by their L1 norm, so the
    convolution is a weighted average of its input rather than a sum over hundreds of
    positions, which at initialisation is 5-20x larger than the residual stream and alike at
    every position (the post-norm layers then lose the tokens). The norm is taken over a fixed
    `norm_span` = 1.5 x scale positions (where the slowest channel has decayed to 1%), never
    over the sequence: the filter stays independent of the document's length.
    """

    def __init__(self, d_model: int, order: int, emb_dim: int, max_len: int, bidirectional: bool, scale: int = 2048,
                 normalized: bool = False) -> None:
        super().__init__()
        self.d_model, self.max_len, self.bidirectional = d_model, max_len, bidirectional
        self.normalized = normalized
        self.norm_span = min(max_len, (3 * scale) // 2)
        self.pos_emb = PositionalEmbedding(emb_dim, scale)
        channels = 2 * d_model if bidirectional else d_model
        self.implicit_filter = nn.Sequential(
            nn.Linear(emb_dim, order), Sin(order),
            nn.Linear(order, order), Sin(order),
            nn.Linear(order, channels, bias=False),
        )
        self.modulation = ExponentialModulation(d_model)
        self.bias = nn.Parameter(torch.randn(d_model))  # the D (skip) term of the convolution

    def forward(self, length: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor | None]:
        if length > self.max_len:
            raise ValueError(f"sequence of {length} tokens exceeds the filter's {self.max_len} positions")
        span = max(length, self.norm_span) if self.normalized else length
        z, t = self.pos_emb(span, device)  # (n, emb), (n, 1)
        h = self.implicit_filter(z)  # (n, channels)
        if self.bidirectional:
            h_fwd, h_rev = h.chunk(2, dim=-1)  # (n, d) each
            k_fwd = rearrange(self.modulation(t, h_fwd), "n d -> d n")
            k_rev = rearrange(self.modulation(t, h_rev), "n d -> d n")
        else:
            k_fwd, k_rev = rearrange(self.modulation(t, h), "n d -> d n"), None
        if self.normalized:
            norm = k_fwd[:, :self.norm_span].abs().sum(-1, keepdim=True)  # (d, 1)
            if k_rev is not None:
                norm = norm + k_rev[:, :self.norm_span].abs().sum(-1, keepdim=True)
            k_fwd = k_fwd / norm.clamp(min=1e-6)
            k_rev = k_rev / norm.clamp(min=1e-6) if k_rev is not None else None
        return k_fwd[:, :length], k_rev[:, :length] if k_rev is not None else None
