#!/usr/bin/env bash
# Packages the platform-specific .vsix: the copydesk binary goes into server/ (server/copydesk,
# or server/copydesk.exe for win32-*), and `vsce package --target TARGET` marks the package for
# that platform, so the extension works without copydesk on PATH. The server/ folder is removed
# again afterwards, so a plain `vsce package` (the PATH-based .vsix) never picks up a stale binary.
#
#   bundle.sh TARGET BINARY [OUT.vsix]
#
# TARGET is a VS Code platform: linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64, ...
# BINARY is `copydesk` built for that platform (cargo build --release [--target TRIPLE]).
# OUT defaults to copydesk-TARGET-VERSION.vsix here. Run `npm ci` first.
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: bundle.sh TARGET BINARY [OUT.vsix]" >&2
  exit 2
fi
target=$1
binary=$2
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -f "$binary" ]; then
  echo "bundle.sh: $binary: no such file (build copydesk first: cargo build --release)" >&2
  exit 2
fi
version=$(node -p 'require(process.argv[1]).version' "$here/package.json")
out=${3:-$here/copydesk-$target-$version.vsix}
case "$out" in /*) ;; *) out=$PWD/$out ;; esac
name=copydesk
case "$target" in win32-*) name=copydesk.exe ;; esac

cd "$here"
rm -rf server
mkdir server
trap 'rm -rf "$here/server"' EXIT
cp "$binary" "server/$name"
chmod 755 "server/$name"
# The release profile keeps line tables for profiling (debug = 1); users need none of it, and it
# is most of the binary's size. strip may not know another platform's format: then keep it whole.
if [ "$name" = copydesk ] && command -v strip >/dev/null; then
  strip "server/$name" 2>/dev/null || echo "bundle.sh: strip could not read $binary; bundled unstripped" >&2
fi
npx vsce package --target "$target" --out "$out"
# The package must hold the server, executable (Windows has no executable bit to check).
if command -v unzip >/dev/null; then
  listing=$(unzip -Z "$out")
  mode='^-rwx.* '
  [ "$name" = copydesk ] || mode='^.* '
  if ! grep -E "${mode}extension/server/$name\$" <<<"$listing" >/dev/null; then
    echo "bundle.sh: $out lacks an executable extension/server/$name" >&2
    echo "$listing" >&2
    exit 1
  fi
else
  echo "bundle.sh: no unzip here; the package's contents were not checked" >&2
fi
echo "bundle.sh: $out ($target, server $(du -h "server/$name" | cut -f1))"
