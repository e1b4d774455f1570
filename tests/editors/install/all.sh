#!/bin/bash
# Install every editor the tests in tests/editors drive. Idempotent: a second run only checks.
set -euo pipefail
D=$(dirname "$0")
for s in neovim-apt neovim-pypi helix vscode; do bash "$D/$s.sh" >/dev/null; done
