"""Thea's language server (pygls 2): diagnostics, quick fixes and fix-all for JavaScript.

Start it with `thea serve` or `python -m thea_lsp` (stdio; `--tcp --port N` for debugging).

    __main__.py       the CLI: `main(argv)`
    server.py         registration glue: which handler calls what
    protocol.py       pygls' protocol, adjusted (encoding choice, capabilities, bad requests)
    stdio.py          reading stdin on the event loop; a stdout writer any thread may use
    options.py        the server's own settings (`thea.server`), fully defaulted
    configuration.py  editor settings per workspace folder, config files per document
    documents.py      an open document's text and tree (incremental), immutable snapshots
    sources.py        the FindingSource protocol; the rules source
    pipeline.py       edits -> snapshots -> sources -> per-source results, versions, debounce
    document_state.py an open document's loop-side state: epochs, snapshot, results
    lane_jobs.py      what the pipeline runs in its worker threads
    diagnostics.py    push or pull, never both; textDocument/diagnostic
    workspace_diagnostics.py  workspace/diagnostic over the folders' files on disk
    convert.py        findings -> LSP JSON in the negotiated position encoding
    minimal_edits.py  quick-fix edits narrowed to the bytes they change
    disable.py        the edits of "Disable <rule> for this line / file"
    code_actions.py   quick fixes, disable actions, documentation, the fix-all action
    fix_all.py        every safe fix to a fixpoint, as one minimal edit
    progress.py       work-done progress
    logs.py           logging to stderr or a file, and to the client's log
"""

__version__ = "0.1.0"
