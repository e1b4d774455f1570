"""Thea's analysis engine: parsing, rules, fixes, configuration and the batch mode.

The language server (`thea_lsp`) and the batch mode (`engine.batch`) call the same API:
`engine.linter.lint_source` for findings and `engine.fix.apply_fixes` for fixes.
"""

__version__ = "0.1.0"
