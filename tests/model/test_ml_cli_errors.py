"""`thea train` and `thea eval` refuse bad arguments as usage errors (exit 2, the option named)
before reading data or touching --out."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.cli import main


@pytest.mark.parametrize(("arguments", "message"), [
    (["train", "--steps", "-5"], "argument --steps: expected an integer >= 1, got '-5'"),
    (["train", "--lr", "nan"], "argument --lr: expected a finite number, got 'nan'"),
    (["train", "--dropout", "1"], "argument --dropout: expected a number from 0 to below 1, got '1'"),
    (["train", "--batch-tokens", "lots"], "argument --batch-tokens: expected an integer >= 1, got 'lots'"),
    (["train", "--corpus", "absent"], "--corpus absent: no corpus there; build it with `python -m engine.model.corpus build`"),
    (["eval", "--threshold", "2"], "argument --threshold: expected a number from 0 to 1, got '2'"),
    (["eval", "--max-tokens", "0"], "argument --max-tokens: expected an integer >= 1, got '0'"),
    (["eval", "--corpus", "absent"], "--corpus absent: no corpus there"),
])
def test_a_bad_argument_is_a_usage_error(arguments: list[str], message: str, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    extra = ["--out", str(out)] if arguments[0] == "train" else []
    with pytest.raises(SystemExit) as exited:
        main([*arguments, *extra])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err
    assert not out.exists() and not out.with_name("out.partial").exists()


def test_eval_names_a_missing_model_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "some-package").mkdir(parents=True)
    with pytest.raises(SystemExit) as exited:
        main(["eval", "--corpus", str(corpus), "--model", str(tmp_path / "absent")])
    assert exited.value.code == 2
    assert f"--model: {tmp_path / 'absent'}: no such directory" in capsys.readouterr().err


@pytest.mark.parametrize(("command", "option"), [("train", "--no-bug-min-sites"), ("eval", "--files")])
def test_help_prints(command: str, option: str, capsys: pytest.CaptureFixture[str]) -> None:
    """argparse formats help strings with %: a bare "31% -> 35%" in one made `thea train --help` crash."""
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert option in capsys.readouterr().out
