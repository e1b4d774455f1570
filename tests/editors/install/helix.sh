#!/bin/bash
# Helix from Debian trixie's hx .deb, unpacked under the cache (bookworm has no helix package).
# trixie's hx needs glibc >= 2.39 and bookworm has 2.36, so trixie's libc6 is unpacked beside it and
# a wrapper starts hx through that loader. Child processes (the language server) use the system glibc.
# A private apt list dir keeps the system's apt sources untouched. Prints the wrapper's path.
source "$(dirname "$0")/_lib.sh"
H="$EDITORS_CACHE/helix"
R="$H/root"
if [ ! -x "$R/usr/lib/hx/hx" ]; then
  apt_install tmux ca-certificates
  A="$H/apt"; rm -rf "$A" "$H/debs"
  mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$H/debs"
  URI=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  echo "deb ${URI:-http://deb.debian.org/debian} trixie main" > "$A/sources.list"
  O=(-o Dir::Etc::SourceList="$A/sources.list" -o Dir::Etc::SourceParts=/dev/null
     -o Dir::State::Lists="$A/lists" -o Dir::Cache="$A/cache" -o APT::Sandbox::User=root)
  log "download hx/trixie libc6/trixie"
  apt-get "${O[@]}" update -q >&2
  (cd "$H/debs" && apt-get "${O[@]}" download hx/trixie libc6/trixie >&2)
  rm -rf "$R.tmp"; mkdir -p "$R.tmp"
  for d in "$H"/debs/*.deb; do dpkg-deb -x "$d" "$R.tmp"; done
  rm -rf "$R" "$A" "$H/debs"; mv "$R.tmp" "$R"   # the 21 MB of apt lists are not needed again
fi
apt_install tmux
cat > "$H/hx" <<SH
#!/bin/sh
export HELIX_RUNTIME="\${HELIX_RUNTIME:-$R/usr/lib/hx/runtime}"
exec "$R/usr/lib64/ld-linux-x86-64.so.2" --library-path "$R/usr/lib/x86_64-linux-gnu" "$R/usr/lib/hx/hx" "\$@"
SH
chmod +x "$H/hx"
"$H/hx" --version >&2
echo "$H/hx"
