"""Argument types and checks shared by `thea train` and `thea eval`: a bad value is a usage
error (exit 2, the option named) before any data is read or any output is touched."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T", int, float)


def positive_int(text: str) -> int:
    return _bounded(text, int, lambda value: value >= 1, "an integer >= 1")


def non_negative_int(text: str) -> int:
    return _bounded(text, int, lambda value: value >= 0, "an integer >= 0")


def positive_float(text: str) -> float:
    return _bounded(text, _finite_float, lambda value: value > 0, "a number > 0")


def non_negative_float(text: str) -> float:
    return _bounded(text, _finite_float, lambda value: value >= 0, "a number >= 0")


def fraction(text: str) -> float:
    return _bounded(text, _finite_float, lambda value: 0 <= value < 1, "a number from 0 to below 1")


def average_decay(text: str) -> float:
    return _bounded(text, _finite_float, lambda value: 0 < value < 1, "a number strictly between 0 and 1")


def probability(text: str) -> float:
    return _bounded(text, _finite_float, lambda value: 0 <= value <= 1, "a number from 0 to 1")


def check_corpus(parser: argparse.ArgumentParser, corpus: Path) -> None:
    """The corpus directory holds package directories, else a usage error saying how to build it."""
    if not corpus.is_dir() or not any(p.is_dir() for p in corpus.iterdir()):
        parser.error(f"--corpus {corpus}: no corpus there; build it with `python -m engine.model.corpus build`")


def _bounded(text: str, parse: Callable[[str], T], ok: Callable[[T], bool], what: str) -> T:
    try:
        value = parse(text)
    except ValueError:  # not a number at all
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
    if not ok(value):
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
    return value


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value
