"""Configuration is data: nothing from a workspace is evaluated, imported or run."""

from __future__ import annotations

import ast
from pathlib import Path

import engine.config
from engine.config import ConfigError, discover_files, resolve_config
from engine.config import ConfigCache
from tests.config.conftest import write

# builtins called by bare name (re.compile is fine), and loaders or spawners under any object
FORBIDDEN_BUILTINS = {"eval", "exec", "compile", "__import__", "breakpoint"}
FORBIDDEN_METHODS = {"run_path", "run_module", "import_module", "exec_module", "spec_from_file_location", "system", "popen", "Popen", "check_output", "spawnv", "execv"}
FORBIDDEN_MODULES = {"importlib", "runpy", "subprocess", "pickle", "marshal", "code", "ctypes"}


def test_config_package_has_no_way_to_run_code() -> None:
    package = Path(engine.config.__file__).parent
    for module in sorted(package.glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not {alias.name.split(".")[0] for alias in node.names} & FORBIDDEN_MODULES, module
            elif isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] not in FORBIDDEN_MODULES, module
            elif isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name):
                    assert func.id not in FORBIDDEN_BUILTINS, f"{module.name}:{node.lineno} calls {func.id}"
                elif isinstance(func, ast.Attribute):
                    assert func.attr not in FORBIDDEN_METHODS, f"{module.name}:{node.lineno} calls {func.attr}"


def test_code_shaped_config_files_are_never_loaded(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    payload = f"open({str(marker)!r}, 'w').write('ran')\n"
    for name in ("thea.config.py", "thea_config.py", "conftest.py", "setup.py", "eslint.config.js", ".thearc.js", "thea.config.mjs"):
        write(tmp_path / name, payload)
    write(tmp_path / "src" / "a.js", payload)
    assert resolve_config(tmp_path / "src" / "a.js", environ={}).config_path is None
    assert [entry.path for entry in discover_files([tmp_path], ConfigCache(), environ={})]
    assert not marker.exists()


def test_keys_that_would_name_code_are_rejected(tmp_path: Path) -> None:
    for text, key in (
        ('extends = "./shared.config.js"', "extends"),
        ('plugins = ["thea-plugin-x"]', "plugins"),
        ('[rules]\n"./local-rule.js" = "error"', 'rules../local-rule.js'),
    ):
        write(tmp_path / ".thea.toml", text + "\n")
        try:
            resolve_config(tmp_path / "a.js", environ={})
        except ConfigError as error:
            assert error.key == key
        else:
            raise AssertionError(f"{text!r} was accepted")
