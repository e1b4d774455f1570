"""Thea's language server (pygls 2): diagnostics, quick fixes and fix-all for JavaScript.

Start it with `thea serve` or `python -m thea_lsp` (stdio; `--tcp --port N` for debugging).
"""

__version__ = "0.1.0"
