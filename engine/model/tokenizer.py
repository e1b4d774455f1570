"""Thea's byte-level BPE tokenizer for JavaScript (the `tokenizers` library), and the map from
its tokens to the byte offsets every other part of Thea uses.

Trained on the training packages only; shipped as `tokenizer.json` beside the weights.
Byte-level: every input round-trips, whatever its characters. The repair markers of
engine/model/sites.py are special tokens: they never occur in text and stand for a repair.
"""

from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Iterable

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

from engine.model.sites import REPAIR_MARKERS
from engine.parse import Source

logger = logging.getLogger(__name__)

PAD, UNK, CLS, SEP = "[PAD]", "[UNK]", "[CLS]", "[SEP]"
SPECIAL_TOKENS = (PAD, UNK, CLS, SEP) + REPAIR_MARKERS  # PAD is id 0 (the model's pad_token_id)
TOKENIZER_FILE = "tokenizer.json"


def train_tokenizer(texts: Iterable[str], vocab_size: int = 8192) -> Tokenizer:
    tokenizer = Tokenizer(models.BPE(unk_token=UNK))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=list(SPECIAL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    logger.info("trained a byte-level BPE of %d entries", tokenizer.get_vocab_size())
    return tokenizer


def load_tokenizer(directory: Path) -> Tokenizer:
    return Tokenizer.from_file(str(directory / TOKENIZER_FILE))


@dataclass(frozen=True, slots=True)
class Encoded:
    """A document's tokens. ids: (l,) int64; starts, ends: byte offsets into the Source's
    `.data` (end exclusive), as lists: a document has thousands of spans to look up, and a
    bisect of a list costs far less per call than a torch.searchsorted."""

    ids: torch.Tensor
    starts: list[int]
    ends: list[int]

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    def token_span(self, start: int, end: int) -> tuple[int, int]:
        """The tokens overlapping bytes [start, end) (at least one token), end exclusive."""
        first = bisect_right(self.ends, start)
        last = bisect_left(self.starts, max(end, start + 1))
        first = min(first, len(self) - 1)
        return first, max(last, first + 1)


def encode(tokenizer: Tokenizer, source: Source) -> Encoded:
    text = source.data.decode("utf-8")
    encoding = tokenizer.encode(text, add_special_tokens=False)
    offsets = encoding.offsets  # character offsets into `text`
    if len(text) == len(source.data):
        byte_of = None
    else:
        byte_of = [0, *accumulate(len(ch.encode("utf-8")) for ch in text)]
    starts = [byte_of[a] if byte_of else a for a, _ in offsets]
    ends = [byte_of[b] if byte_of else b for _, b in offsets]
    return Encoded(torch.tensor(encoding.ids, dtype=torch.long), starts, ends)


def marker_ids(tokenizer: Tokenizer) -> dict[str, int]:
    ids = {marker: tokenizer.token_to_id(marker) for marker in REPAIR_MARKERS}
    missing = [marker for marker, index in ids.items() if index is None]
    if missing:
        raise ValueError(f"tokenizer lacks the repair markers {missing}")
    return ids  # type: ignore[return-value]
