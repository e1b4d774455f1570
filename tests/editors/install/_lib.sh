# Shared by the editor install scripts (sourced, not run).
# Everything an editor needs beyond apt packages goes under $EDITORS_CACHE, so a clean clone
# gets the same layout and a second run finds it and does nothing.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
EDITORS_CACHE=${EDITORS_CACHE:-$REPO_ROOT/.cache/editors}
mkdir -p "$EDITORS_CACHE"
# `nvim --version`, `hx --version` and code-server create their config/state/log dirs on start: keep them here
export XDG_CONFIG_HOME="$EDITORS_CACHE/xdg/config" XDG_CACHE_HOME="$EDITORS_CACHE/xdg/cache" \
  XDG_DATA_HOME="$EDITORS_CACHE/xdg/data" XDG_STATE_HOME="$EDITORS_CACHE/xdg/state"

log() { echo "[$(date +%T)] $(basename "$0"): $*" >&2; }

# apt_install PKG...: install the Debian packages that are not installed yet.
# `apt-get update` runs only when something is missing (CI's clean machine needs it once).
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    log "need root to apt-get install ${missing[*]}"
    return 1
  fi
  log "apt-get install ${missing[*]}"
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}
