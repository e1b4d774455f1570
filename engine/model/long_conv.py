"""Bidirectional long convolution by FFT, O(n log n) in the sequence length.

y[t] = sum_{s<=t} k_fwd[t-s] u[s] + sum_{s>=t} k_rev[s-t] u[s] + D * u[t]

Zero-padding to at least 2L turns the FFT's circular convolution into a linear one;
conjugating the reverse filter's spectrum reverses it in time, which makes the second sum a
correlation. The padded size is the next 5-smooth number: an FFT of a length with a large
prime factor (a document of 16,411 tokens) is several times slower.
"""

from __future__ import annotations

from functools import lru_cache

import torch


@torch.compiler.disable  # kept eager under torch.compile: no code generation for complex ops (compiled.py)
def fft_long_conv(
    u: torch.Tensor, k_fwd: torch.Tensor, k_rev: torch.Tensor | None, bias: torch.Tensor
) -> torch.Tensor:
    """u: (b, d, l); k_fwd, k_rev: (d, l); bias: (d,). Returns (b, d, l)."""
    length = u.shape[-1]
    n = fast_fft_size(2 * length)
    dtype = u.dtype
    u32, k32 = u.float(), k_fwd.float()
    k_f = torch.fft.rfft(k32, n=n)  # (d, l+1)
    if k_rev is not None:
        k_f = k_f + torch.fft.rfft(k_rev.float(), n=n).conj()
    u_f = torch.fft.rfft(u32, n=n)  # (b, d, l+1)
    y = torch.fft.irfft(u_f * k_f, n=n)[..., :length]  # (b, d, l)
    return (y + u32 * bias.float().unsqueeze(-1)).to(dtype)


@lru_cache(maxsize=256)
def fast_fft_size(minimum: int) -> int:
    """The smallest even n >= minimum whose only prime factors are 2, 3 and 5."""
    best = 2 * minimum
    power2 = 2
    while power2 < best:
        power3 = power2
        while power3 < best:
            power5 = power3
            while power5 < minimum:
                power5 *= 5
            best = min(best, power5)
            power3 *= 3
        power2 *= 2
    return max(best, 2)


def direct_long_conv(
    u: torch.Tensor, k_fwd: torch.Tensor, k_rev: torch.Tensor | None, bias: torch.Tensor
) -> torch.Tensor:
    """The same operation by the definition, O(n^2): the reference in tests."""
    length = u.shape[-1]
    y = u * bias.unsqueeze(-1)
    for t in range(length):
        for s in range(length):
            if s <= t:
                y[..., t] += k_fwd[:, t - s] * u[..., s]
            if k_rev is not None and s >= t:
                y[..., t] += k_rev[:, s - t] * u[..., s]
    return y
