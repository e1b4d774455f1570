"""Config files: which one applies, and every error a file can hold."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from engine.config import ConfigCache, ConfigError, resolve_config
from engine.finding import Severity
from tests.config.conftest import write


def _severities(config) -> dict[str, Severity]:
    return {enabled.rule.id: enabled.severity for enabled in config.rule_set.rules}


def _error(tmp_path: Path, text: str, name: str = ".thea.toml") -> ConfigError:
    config = write(tmp_path / "proj" / name, text)
    with pytest.raises(ConfigError) as caught:
        resolve_config(config.parent / "a.js", environ={})
    assert caught.value.path == config
    return caught.value


# --- which file applies --------------------------------------------------------------------------


def test_no_config_gives_recommended_rules_rooted_at_cwd(tmp_path: Path) -> None:
    config = resolve_config(tmp_path / "a.js", environ={})
    assert config.config_path is None
    assert config.root == tmp_path
    assert _severities(config)["eqeqeq"] == Severity.WARNING  # a suggestion rule
    assert _severities(config)["no-debugger"] == Severity.ERROR  # a problem rule
    assert config.max_file_size == 1024 * 1024
    assert config.report_unused_directives is False
    assert config.model.preset == "development"


def test_nearest_config_wins_without_cascading(tmp_path: Path) -> None:
    write(tmp_path / ".thea.toml", '[rules]\neqeqeq = "error"\nno-debugger = "off"\n')
    inner = write(tmp_path / "pkg" / ".thea.toml", 'extends = "none"\n[rules]\neqeqeq = "warn"\n')
    outer_config = resolve_config(tmp_path / "src" / "deep" / "a.js", environ={})
    inner_config = resolve_config(tmp_path / "pkg" / "lib" / "b.js", environ={})
    assert outer_config.config_path == tmp_path / ".thea.toml"
    assert _severities(outer_config) == {**_severities(outer_config), "eqeqeq": Severity.ERROR}
    assert "no-debugger" not in _severities(outer_config)
    assert inner_config.config_path == inner
    assert inner_config.root == tmp_path / "pkg"
    assert _severities(inner_config) == {"eqeqeq": Severity.WARNING}  # nothing inherited from above


def test_pyproject_without_tool_thea_does_not_count(tmp_path: Path) -> None:
    write(tmp_path / ".thea.toml", '[rules]\neqeqeq = "error"\n')
    write(tmp_path / "py" / "pyproject.toml", '[project]\nname = "x"\n[tool.black]\nline-length = 88\n')
    config = resolve_config(tmp_path / "py" / "a.js", environ={})
    assert config.config_path == tmp_path / ".thea.toml"


def test_pyproject_tool_thea_counts(tmp_path: Path) -> None:
    pyproject = write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n[tool.thea.rules]\neqeqeq = 2\n')
    config = resolve_config(tmp_path / "a.js", environ={})
    assert config.config_path == pyproject
    assert _severities(config)["eqeqeq"] == Severity.ERROR


def test_thea_toml_beats_pyproject_in_the_same_directory(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.thea.rules]\neqeqeq = "off"\n')
    thea = write(tmp_path / ".thea.toml", '[rules]\neqeqeq = "error"\n')
    config = resolve_config(tmp_path / "a.js", environ={})
    assert config.config_path == thea
    assert _severities(config)["eqeqeq"] == Severity.ERROR


def test_empty_thea_toml_counts_and_stops_the_search(tmp_path: Path) -> None:
    write(tmp_path / ".thea.toml", 'extends = "none"\n')
    empty = write(tmp_path / "sub" / ".thea.toml", "")
    config = resolve_config(tmp_path / "sub" / "a.js", environ={})
    assert config.config_path == empty
    assert "eqeqeq" in _severities(config)


def test_a_directory_named_like_a_config_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "sub" / ".thea.toml").mkdir(parents=True)
    top = write(tmp_path / ".thea.toml", "")
    assert resolve_config(tmp_path / "sub" / "a.js", environ={}).config_path == top


def test_resolving_a_directory_starts_in_it(tmp_path: Path) -> None:
    own = write(tmp_path / "sub" / ".thea.toml", "")
    assert resolve_config(tmp_path / "sub", environ={}).config_path == own


# --- the rules table -----------------------------------------------------------------------------


def test_rule_entries_in_every_form(tmp_path: Path) -> None:
    write(
        tmp_path / ".thea.toml",
        '[rules]\neqeqeq = ["error", "smart"]\nno-debugger = 1\n',
    )
    config = resolve_config(tmp_path / "a.js", environ={})
    by_id = {enabled.rule.id: enabled for enabled in config.rule_set.rules}
    assert by_id["eqeqeq"].severity == Severity.ERROR
    assert by_id["eqeqeq"].options.mode == "smart"
    assert by_id["no-debugger"].severity == Severity.WARNING


def test_rule_options_as_toml_inline_table(tmp_path: Path) -> None:
    write(tmp_path / ".thea.toml", '[rules]\neqeqeq = ["warn", "always", { null = "ignore" }]\n')
    options = {e.rule.id: e.options for e in resolve_config(tmp_path / "a.js", environ={}).rule_set.rules}["eqeqeq"]
    assert (options.mode, options.null) == ("always", "ignore")


def test_extends_all_none_recommended(tmp_path: Path) -> None:
    from engine.rules import all_rules

    write(tmp_path / "all" / ".thea.toml", 'extends = "all"\n')
    write(tmp_path / "none" / ".thea.toml", 'extends = "none"\n[rules]\nno-debugger = "warn"\n')
    write(tmp_path / "rec" / ".thea.toml", 'extends = "recommended"\n')
    assert set(_severities(resolve_config(tmp_path / "all" / "a.js", environ={}))) == set(all_rules())
    assert _severities(resolve_config(tmp_path / "none" / "a.js", environ={})) == {"no-debugger": Severity.WARNING}
    recommended = {rule_id for rule_id, rule in all_rules().items() if rule.meta.recommended}
    assert set(_severities(resolve_config(tmp_path / "rec" / "a.js", environ={}))) == recommended


def test_unknown_rule_lists_close_matches(tmp_path: Path) -> None:
    error = _error(tmp_path, '[rules]\neqeqqe = "error"\n')
    assert error.key == "rules.eqeqqe"
    assert str(error) == f"{error.path}: rules.eqeqqe: unknown rule; did you mean 'eqeqeq'?"


def test_bad_severity(tmp_path: Path) -> None:
    error = _error(tmp_path, '[rules]\neqeqeq = "warning"\n')
    assert str(error) == (
        f"{error.path}: rules.eqeqeq: expected \"off\" | \"warn\" | \"error\" | 0 | 1 | 2, "
        "or an array [severity, ...options], got 'warning'; did you mean 'warn'?"
    )
    assert _error(tmp_path, "[rules]\neqeqeq = 3\n").message.endswith("got 3")
    assert _error(tmp_path, "[rules]\neqeqeq = true\n").message.endswith("got true")
    assert _error(tmp_path, "[rules]\neqeqeq = []\n").message.endswith("got an array")


def test_bad_rule_options_name_file_and_key(tmp_path: Path) -> None:
    error = _error(tmp_path, '[rules]\neqeqeq = ["error", "sometimes"]\n')
    assert error.key == "rules.eqeqeq"
    assert str(error) == f"{error.path}: rules.eqeqeq: expected \"always\", \"smart\" or \"allow-null\", got 'sometimes'"


def test_rules_must_be_a_table(tmp_path: Path) -> None:
    error = _error(tmp_path, 'rules = ["eqeqeq"]\n')
    assert str(error) == f"{error.path}: rules: expected a table of rule ids to severities, got an array"


# --- other keys ----------------------------------------------------------------------------------


def test_unknown_keys_suggest_the_right_one(tmp_path: Path) -> None:
    assert str(_error(tmp_path, 'extend = "all"\n')).endswith(": extend: unknown key; did you mean 'extends'?")
    assert _error(tmp_path, "max_file_size = 10\n").message == "unknown key; did you mean 'max-file-size'?"
    error = _error(tmp_path, "[model]\nworker = 3\n")
    assert (error.key, error.message) == ("model.worker", "unknown key; did you mean 'workers'?")
    assert _error(tmp_path, "plugins = []\n").message == "unknown key"


def test_pyproject_errors_name_keys_inside_tool_thea(tmp_path: Path) -> None:
    error = _error(tmp_path, "[tool.thea]\nml = 1\n", name="pyproject.toml")
    assert str(error) == f"{error.path}: ml: expected true or false, got 1"
    error = _error(tmp_path, 'tool.thea = "on"\n', name="pyproject.toml")
    assert str(error) == f"{error.path}: tool.thea: expected a table, got 'on'"


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ('extends = "eslint:all"', "extends", "expected \"recommended\" | \"all\" | \"none\", got 'eslint:all'"),
        ('preset = "prod"', "preset", "expected \"development\" | \"production\" | \"edge\", got 'prod'; did you mean 'production'?"),
        ("ml = \"yes\"", "ml", "expected true or false, got 'yes'"),
        ("report-unused-directives = 0", "report-unused-directives", "expected true or false, got 0"),
        ('ignore = "dist"', "ignore", "expected an array of strings, got 'dist'"),
        ("ignore = [1]", "ignore", "expected an array of strings, got an array"),
        ('ignore = ["dist/", "!"]', "ignore[1]", "expected a gitignore-style pattern, got '!'"),
        ('max-file-size = "1 lightyear"', "max-file-size", "got '1 lightyear'"),
        ("max-file-size = 0", "max-file-size", "got 0"),
        ("model = 3", "model", "expected a table, got 3"),
        ("[model]\nworkers = 0", "model.workers", "expected an integer from 1 to 256, got 0"),
        ("[model]\nworkers = 257", "model.workers", "expected an integer from 1 to 256, got 257"),
        ("[model]\nworkers = 2.0", "model.workers", "expected an integer from 1 to 256, got 2.0"),
        ("[model]\nworkers = true", "model.workers", "expected an integer from 1 to 256, got true"),
        ("[model]\ncontext-length = 64", "model.context-length", "expected an integer from 128 to 131072, got 64"),
        ("[model]\ncontext-length = 131073", "model.context-length", "expected an integer from 128 to 131072, got 131073"),
        ("[model]\nconfidence-threshold = 1.5", "model.confidence-threshold", "expected a number from 0 to 1, got 1.5"),
        ("[model]\nconfidence-threshold = nan", "model.confidence-threshold", "expected a number from 0 to 1, got nan"),
        ('[model]\ndevice = "gpu"', "model.device", "expected \"auto\" | \"cpu\", got 'gpu'; did you mean 'cpu'?"),
        ('[model]\npath = ""', "model.path", "expected a non-empty string, got ''"),
    ],
)
def test_every_value_error_names_file_key_and_expectation(tmp_path: Path, text: str, key: str, expected: str) -> None:
    error = _error(tmp_path, text + "\n")
    assert error.key == key
    assert str(error).startswith(f"{error.path}: {key}: expected ")
    assert str(error).endswith(expected)


@pytest.mark.parametrize(
    ("value", "size"),
    [("1MiB", 1024**2), ("512KiB", 512 * 1024), ("2 MB", 2_000_000), ("1.5kb", 1500), ("100", 100), ("7B", 7)],
)
def test_max_file_size_units(tmp_path: Path, value: str, size: int) -> None:
    write(tmp_path / ".thea.toml", f'max-file-size = "{value}"\n')
    assert resolve_config(tmp_path / "a.js", environ={}).max_file_size == size


def test_max_file_size_integer_and_flags(tmp_path: Path) -> None:
    write(tmp_path / ".thea.toml", "max-file-size = 2048\nreport-unused-directives = true\n")
    config = resolve_config(tmp_path / "a.js", environ={})
    assert config.max_file_size == 2048
    assert config.report_unused_directives is True
    assert config.rule_set.report_unused_directives is True


def test_model_path_is_relative_to_the_config_file(tmp_path: Path) -> None:
    write(tmp_path / "proj" / ".thea.toml", '[model]\npath = "models/m2"\n')
    config = resolve_config(tmp_path / "proj" / "src" / "a.js", environ={})
    assert config.model.model_path == str(tmp_path / "proj" / "models" / "m2")


# --- syntax and reading --------------------------------------------------------------------------


def test_bad_toml_syntax_reports_the_line(tmp_path: Path) -> None:
    error = _error(tmp_path, '[rules]\neqeqeq = "error"\nno-debugger = \n')
    assert error.line == 3
    assert str(error).startswith(f"{error.path}: invalid TOML: ")
    assert "line 3" in str(error)


def test_bad_toml_in_pyproject_is_an_error_too(tmp_path: Path) -> None:
    error = _error(tmp_path, "[project\n", name="pyproject.toml")
    assert error.line == 1


def test_non_utf8_config(tmp_path: Path) -> None:
    config = tmp_path / ".thea.toml"
    config.write_bytes(b'extends = "\xff"\n')
    with pytest.raises(ConfigError, match=r"not UTF-8 \(byte 11\)") as caught:
        resolve_config(tmp_path / "a.js", environ={})
    assert caught.value.path == config


# --- the cache -----------------------------------------------------------------------------------


def test_cache_sees_an_edited_config(tmp_path: Path) -> None:
    config_file = write(tmp_path / ".thea.toml", '[rules]\neqeqeq = "warn"\n')
    cache = ConfigCache()
    first = cache.resolve(tmp_path / "a.js", environ={})
    assert cache.resolve(tmp_path / "b.js", environ={}) is first  # same directory, same settings
    config_file.write_text('[rules]\neqeqeq = "error"\n', encoding="utf-8")
    stat = config_file.stat()
    os.utime(config_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    assert _severities(cache.resolve(tmp_path / "a.js", environ={}))["eqeqeq"] == Severity.ERROR


def test_cache_sees_a_new_config_and_invalidate_forgets(tmp_path: Path) -> None:
    cache = ConfigCache()
    assert cache.resolve(tmp_path / "a.js", environ={}).config_path is None
    config_file = write(tmp_path / ".thea.toml", '[rules]\neqeqeq = "off"\n')
    assert cache.resolve(tmp_path / "a.js", environ={}).config_path == config_file
    # same size, same mtime: only invalidate can tell
    stat = config_file.stat()
    config_file.write_text('[rules]\neqeqeq = "err"\n', encoding="utf-8")
    os.utime(config_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert "eqeqeq" not in _severities(cache.resolve(tmp_path / "a.js", environ={}))
    cache.invalidate(config_file)
    with pytest.raises(ConfigError, match="rules.eqeqeq"):
        cache.resolve(tmp_path / "a.js", environ={})


def test_cache_remembers_a_broken_file_and_raises_each_time(tmp_path: Path) -> None:
    write(tmp_path / ".thea.toml", "extends = \n")
    cache = ConfigCache()
    for _ in range(2):
        with pytest.raises(ConfigError, match="invalid TOML"):
            cache.resolve(tmp_path / "a.js", environ={})


def test_cache_is_safe_across_threads(tmp_path: Path) -> None:
    for index in range(8):
        write(tmp_path / f"p{index}" / ".thea.toml", f'[model]\nworkers = {index + 1}\n')
    cache = ConfigCache()
    results: dict[tuple[int, int], int] = {}
    errors: list[BaseException] = []

    def work(thread: int) -> None:
        try:
            for round_ in range(20):
                index = (thread + round_) % 8
                results[(thread, round_)] = cache.resolve(tmp_path / f"p{index}" / "a.js", environ={}).model.max_workers
        except BaseException as error:  # reported below, not swallowed
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all(workers == (thread + round_) % 8 + 1 for (thread, round_), workers in results.items())
    assert len(results) == 6 * 20
