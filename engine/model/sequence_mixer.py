"""M2-BERT's sequence mixer: the attention replacement.

u -> in_linear -> 3 streams (x1, x2, v) -> short depthwise conv -> v*x1 -> bidirectional long
conv with implicit filters -> *x2 -> (+ a residual long conv of u) -> out_linear.
No dense attention: the cost is O(n log n) in the sequence length.
"""

from __future__ import annotations

import torch
from einops import rearrange
from torch import nn

from engine.model.hyena_filter import HyenaFilter
from engine.model.long_conv import fft_long_conv


class MonarchMixerSequenceMixing(nn.Module):
    def __init__(
        self,
        d_model: int,
        max_len: int,
        filter_order: int,
        emb_dim: int,
        short_kernel: int = 3,
        bidirectional: bool = True,
        residual_long_conv: bool = True,
        filter_scale: int = 2048,
        normalized_filters: bool = False,
    ) -> None:
        super().__init__()
        self.d_model = d_model
        self.in_linear = nn.Linear(d_model, 3 * d_model)
        self.out_linear = nn.Linear(d_model, d_model)
        # depthwise (groups = channels) causal-padded short convolution over the 3 streams
        self.short_filter = nn.Conv1d(3 * d_model, 3 * d_model, short_kernel, groups=3 * d_model, padding=short_kernel - 1)
        self.filter_fn = HyenaFilter(d_model, filter_order, emb_dim, max_len, bidirectional, filter_scale, normalized_filters)
        self.filter_fn2 = (
            HyenaFilter(d_model, filter_order, emb_dim, max_len, bidirectional, filter_scale, normalized_filters)
            if residual_long_conv else None
        )

    def forward(self, u: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        # u: (b, l, d); mask: (b, l) with 1 for real tokens, 0 for padding
        length = u.shape[1]
        if mask is not None:
            u = u * mask.unsqueeze(-1)  # padding must not leak through the convolutions
        streams = rearrange(self.in_linear(u), "b l d -> b d l")  # (b, 3d, l)
        streams = self._short_conv(streams)  # (b, 3d, l)
        x1, x2, v = streams.split(self.d_model, dim=1)  # (b, d, l) each
        v = v * x1
        k_fwd, k_rev = self.filter_fn(length, u.device)  # (d, l) each
        if mask is not None:
            v = v * mask.unsqueeze(1)
        y = fft_long_conv(v, k_fwd, k_rev, self.filter_fn.bias) * x2  # (b, d, l)
        if self.filter_fn2 is not None:
            k2_fwd, k2_rev = self.filter_fn2(length, u.device)
            y = y + fft_long_conv(rearrange(u, "b l d -> b d l"), k2_fwd, k2_rev, self.filter_fn2.bias)
        return self.out_linear(rearrange(y, "b d l -> b l d"))  # (b, l, d)

    def _short_conv(self, x: torch.Tensor) -> torch.Tensor:
        """The causal depthwise convolution `self.short_filter(x)[..., :l]`; for training, as k
        shifted multiply-adds: the same result without CPU depthwise-conv backward, which is slow."""
        # x: (b, c, l); weight: (c, 1, k)
        length = x.shape[-1]
        if not torch.is_grad_enabled():  # inference: the convolution itself is twice as fast forward
            return self.short_filter(x)[..., :length]
        kernel = self.short_filter.kernel_size[0]
        padded = torch.nn.functional.pad(x, (kernel - 1, 0))  # (b, c, l+k-1)
        weight = self.short_filter.weight[:, 0, :]  # (c, k)
        out = self.short_filter.bias.unsqueeze(-1) + weight[:, 0:1] * padded[..., :length]
        for j in range(1, kernel):
            out = out + weight[:, j:j + 1] * padded[..., j:j + length]
        return out
