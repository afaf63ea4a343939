#!/usr/bin/env bash
# Batch test of editors/emacs/copydesk.el: Emacs (29+, for eglot) runs `copydesk lsp' through
# eglot on a Markdown and a text draft and checks flymake's diagnostics and the reload command.
# EMACS picks the binary (default: emacs on PATH); exits 0 with a message when there is no Emacs
# with eglot (Debian 12's Emacs 28 has none: see the README for Emacs 30 from bookworm-backports).
# COPYDESK_BIN picks the copydesk binary (default: a release build of this repository).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
emacs=${EMACS:-emacs}

if ! command -v "$emacs" >/dev/null 2>&1; then
  echo "skipping the Emacs test: no $emacs"
  exit 0
fi
if ! "$emacs" --batch -Q --eval '(kill-emacs (if (require (quote eglot) nil t) 0 1))' 2>/dev/null; then
  echo "skipping the Emacs test: $("$emacs" --version | head -1) has no eglot (Emacs 29+ needed)"
  exit 0
fi

bin=${COPYDESK_BIN:-}
if [ -z "$bin" ]; then
  (cd "$repo" && cargo build --release --quiet)
  bin="$repo/target/release/copydesk"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%s\n' '# Fabs' '' "Micron will pay NT\$1.8 billion for Powerchip's P5 fab site." > "$work/draft.md"
printf '%s\n' "Micron will pay NT\$1.8 billion for Powerchip's P5 fab site." > "$work/notes.txt"

COPYDESK_BIN="$bin" COPYDESK_WORK="$work" COPYDESK_SEEDS="$repo/seeds" COPYDESK_EL="$repo/editors/emacs" \
  timeout 120 "$emacs" --batch -Q -l "$here/test.el"
