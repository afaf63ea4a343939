#!/usr/bin/env bash
# CI for the editor integrations: builds and packages the VS Code extension (the plain .vsix and
# the platform-specific one carrying the server, bundle.sh), runs the Neovim
# test (0.11 from pip, and Debian's 0.7 for the plugin), the Emacs eglot test (installing Emacs
# 30 from bookworm-backports when run as root on Debian 12), and the real-VS-Code test
# (code-server + headless Chromium; about 9 minutes the first time, 1 minute with the caches in
# /tmp) unless COPYDESK_SKIP_VSCODE_UI=1. COPYDESK_BIN picks the copydesk binary (default: a
# release build).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
start=$(date +%s)
step() { echo "== editors [$(( $(date +%s) - start ))s] $*"; }

bin=${COPYDESK_BIN:-}
if [ -z "$bin" ]; then
  (cd "$repo" && cargo build --release --quiet)
  bin="$repo/target/release/copydesk"
fi
export COPYDESK_BIN="$bin"

step "VS Code extension: npm ci, build, package (plain and platform-specific)"
(
  cd "$here/vscode"
  npm ci --no-audit --no-fund
  npm run build
  out=$(mktemp -d)
  npx vsce package --out "$out/copydesk.vsix"
  # Read the whole listing first: 'grep -q' stops at its first match, and under pipefail the
  # SIGPIPE that unzip then gets fails the step (exit 141) whenever the listing is still being written.
  listing=$(unzip -l "$out/copydesk.vsix")
  grep -q 'extension/dist/extension.js' <<<"$listing"
  # The plain package finds copydesk on PATH: it must not carry a server.
  if grep -q 'extension/server/' <<<"$listing"; then echo "the plain .vsix carries a server" >&2; exit 1; fi
  # The platform package carries this machine's server, executable (bundle.sh checks the mode),
  # and says which platform it is for.
  case "$(uname -m)" in x86_64) target=linux-x64 ;; aarch64) target=linux-arm64 ;; *) target= ;; esac
  if [ -n "$target" ]; then
    ./bundle.sh "$target" "$COPYDESK_BIN" "$out/copydesk-$target.vsix"
    manifest=$(unzip -p "$out/copydesk-$target.vsix" extension.vsixmanifest)
    grep -q "TargetPlatform=\"$target\"" <<<"$manifest"
    listing=$(unzip -l "$out/copydesk-$target.vsix")
    grep -q 'extension/dist/extension.js' <<<"$listing"
    [ ! -e server ] || { echo "bundle.sh left server/ behind" >&2; exit 1; }
  else
    echo "no VS Code target for $(uname -m): platform .vsix not built"
  fi
  rm -rf "$out"
)

step "Neovim"
if [ ! -x /usr/bin/nvim ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  # Debian's Neovim 0.7, for the plugin's oldest code path.
  DEBIAN_FRONTEND=noninteractive apt-get install -y neovim >/dev/null || echo "could not install Debian's neovim"
fi
"$here/nvim/test/run.sh"

step "Emacs"
has_eglot() { command -v emacs >/dev/null && emacs --batch -Q --eval '(kill-emacs (if (require (quote eglot) nil t) 0 1))' 2>/dev/null; }
if ! has_eglot && [ "$(id -u)" = 0 ] && [ -f /etc/apt/sources.list.d/debian.sources ]; then
  # Debian 12's Emacs 28 has no eglot: Emacs 30 from bookworm-backports (the mirror in use).
  if [ ! -f /etc/apt/sources.list.d/backports.sources ]; then
    uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" \
      > /etc/apt/sources.list.d/backports.sources
    apt-get update >/dev/null
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -t bookworm-backports emacs-nox >/dev/null || echo "could not install Emacs 30"
fi
"$here/emacs/test/run.sh"

if [ "${COPYDESK_SKIP_VSCODE_UI:-}" = 1 ]; then
  step "VS Code in code-server: skipped (COPYDESK_SKIP_VSCODE_UI=1)"
else
  step "VS Code in code-server"
  "$here/vscode/test/run.sh"
fi
step "done"
