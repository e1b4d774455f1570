"""The byte-level BPE: any text round-trips, and token offsets are byte offsets into Source.data."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.model.sites import REPAIR_MARKERS
from engine.model.tokenizer import PAD, encode, marker_ids, train_tokenizer
from engine.parse import Source

SHIPPED = Path(__file__).resolve().parents[2] / "models" / "thea-m2-detector" / "tokenizer.json"
SAMPLES = [
    "const answer = compute(a, b) <= limit ? 'ok' : \"no\";\n",
    "export default function héllo(ñame) { return `${ñame} → ✓ 😀`; }\r\n",
    "\tif (!x && y >>> 2 !== 0x1f) {}\n\n// comment ünïcode\n",
]


@pytest.fixture(scope="module")
def tokenizer():  # type: ignore[no-untyped-def]
    corpus = [sample * 3 for sample in SAMPLES] + ["function f(a, b) { return a + b; }\n" * 20]
    return train_tokenizer(corpus, vocab_size=400)


@pytest.mark.parametrize("text", SAMPLES + ["", "日本語 only", "x = '\\u{1F600}'"])
def test_round_trip_and_byte_offsets(tokenizer, text: str) -> None:  # type: ignore[no-untyped-def]
    source = Source(text)
    encoded = encode(tokenizer, source)
    assert tokenizer.decode(encoded.ids.tolist(), skip_special_tokens=False) == text
    starts, ends = encoded.starts, encoded.ends
    if text.isascii():  # tokens tile the bytes exactly
        assert b"".join(source.data[a:b] for a, b in zip(starts, ends)) == source.data
    else:  # a token may hold part of a character: its span is the whole character
        assert starts == sorted(starts) and ends == sorted(ends)
        covered = {i for a, b in zip(starts, ends) for i in range(a, b)}
        assert covered == set(range(len(source.data)))


def test_special_tokens(tokenizer) -> None:  # type: ignore[no-untyped-def]
    assert tokenizer.token_to_id(PAD) == 0
    assert set(marker_ids(tokenizer)) == set(REPAIR_MARKERS)


def test_token_span_covers_the_bytes(tokenizer) -> None:  # type: ignore[no-untyped-def]
    source = Source("let value = other <= limit;")
    encoded = encode(tokenizer, source)
    start = source.data.index(b"<=")
    first, last = encoded.token_span(start, start + 2)
    assert encoded.starts[first] <= start and encoded.ends[last - 1] >= start + 2


@pytest.mark.skipif(not SHIPPED.exists(), reason="no shipped checkpoint in models/")
def test_shipped_tokenizer_round_trips() -> None:
    from tokenizers import Tokenizer

    shipped = Tokenizer.from_file(str(SHIPPED))
    assert 8000 <= shipped.get_vocab_size() <= 16384
    for text in SAMPLES:
        assert shipped.decode(encode(shipped, Source(text)).ids.tolist(), skip_special_tokens=False) == text
