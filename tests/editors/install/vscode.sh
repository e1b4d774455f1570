#!/bin/bash
# VS Code for the end-to-end test: code-server 4.100.3 (= VS Code 1.100.3, the newest code-server whose
# engines.node is 20) from npm, headless Debian Chromium, and the repo's npm workspace (playwright-core,
# the extension's build tools). Prints the code-server launcher path.
source "$(dirname "$0")/_lib.sh"
CS_VERSION=4.100.3
# chromium drives the workbench; libkrb5-dev, g++, make: code-server's native modules (kerberos, node-pty);
# ripgrep: seeds @vscode/ripgrep's download cache (below)
apt_install chromium libkrb5-dev ripgrep g++ make

CS_DIR="$EDITORS_CACHE/code-server-$CS_VERSION"
CS="$CS_DIR/node_modules/.bin/code-server"
if [ ! -x "$CS" ] || ! "$CS" --version 2>/dev/null | grep -q "^$CS_VERSION "; then
  # @vscode/ripgrep 1.15.11 (pinned by code-server 4.100.x) downloads rg from GitHub in its postinstall
  # unless its cache file exists: seed that file with Debian's rg 13.0.0.
  # (It looks in os.tmpdir(), so TMPDIR points into the cache for this install.)
  T="$EDITORS_CACHE/tmp"
  RGC="$T/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$RGC"
  tar czf "$RGC/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C /usr/bin rg
  log "npm install code-server@$CS_VERSION -> $CS_DIR (about a minute)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  echo '{"name": "thea-code-server", "private": true}' > "$CS_DIR/package.json"
  # --unsafe-perm: code-server's postinstall refuses root without it (npm 11 warns but still exports it);
  # npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which otherwise asks on a missing TTY.
  (cd "$CS_DIR" && TMPDIR="$T" npm_config_yes=true npm install --unsafe-perm --no-audit --no-fund --loglevel=error \
    "code-server@$CS_VERSION" >&2)
  rm -rf "$T"
fi
"$CS" --version | head -1 >&2

# playwright-core and the extension's toolchain come from the repo's npm workspace (package-lock.json)
if [ ! -d "$REPO_ROOT/node_modules/playwright-core" ] || [ ! -d "$REPO_ROOT/node_modules/@vscode/vsce" ]; then
  log "npm install (workspace) in $REPO_ROOT"
  (cd "$REPO_ROOT" && npm install --no-audit --no-fund --loglevel=error >&2)
fi
command -v chromium >&2
echo "$CS"
