#!/usr/bin/env bash
# The review page (copydesk lint --format html) in a real browser: Debian's Chromium driven by
# playwright-core (review.mjs). For each page it checks that the marks are one for one with
# `--format json` (a mark per diagnostic, a mark per checked figure or quotation no diagnostic
# covers, same code, severity, verdict and words), that selecting a mark shows its finding and
# source passage, that n/p step through the findings and the filters hide them, that no request
# leaves the page and no script of a draft or source runs; it logs how long each page takes to
# render and saves a screenshot of the sample page with a finding selected ($SHOT, default
# /tmp/copydesk-review.png; docs/review-page.png is a copy).
#
# Pages: tests/fixtures/sample.md (built-in seeds); the twelve newsroom-dev drafts in one page
# and a 2,000-word draft made of their paragraphs (against seeds + ../shared/corpora/ai_tech_news,
# or tests/fixtures/drafts with the built-in seeds when ../shared is absent); a draft and a source
# full of HTML and script.
#
# Installs what is missing: Debian's chromium (apt, as root; about a minute) and playwright-core
# (npm ci, a second). COPYDESK_BIN picks the copydesk binary (default: a release build).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
shot=${SHOT:-/tmp/copydesk-review.png}
start=$(date +%s)
step() { echo "== review page [$(( $(date +%s) - start ))s] $*"; }

bin=${COPYDESK_BIN:-}
if [ -z "$bin" ]; then
  (cd "$repo" && cargo build --release --quiet)
  bin="$repo/target/release/copydesk"
fi

# Chromium, and a small font with Chinese characters (the sample's source names a company in
# Chinese; without one the screenshot shows boxes).
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || packages+=(fonts-wqy-microhei)
if [ ${#packages[@]} -gt 0 ]; then
  step "installing ${packages[*]} with apt"
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}" >/dev/null \
    || { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}" >/dev/null; }
fi
if [ ! -d "$here/node_modules/playwright-core" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  step "installing playwright-core (npm ci)"
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lint() { # lint NAME DIR ARGS...: NAME.html and NAME.json from the same run's arguments
  local name=$1 dir=$2; shift 2
  local status=0
  (cd "$dir" && "$bin" lint --no-index --format html --output "$work/$name.html" "$@") || status=$?
  if [ "$status" -gt 1 ]; then echo "FAIL: copydesk lint --format html exited $status" >&2; exit 1; fi
  status=0
  (cd "$dir" && "$bin" lint --no-index --format json "$@" > "$work/$name.json") || status=$?
  if [ "$status" -gt 1 ]; then echo "FAIL: copydesk lint --format json exited $status" >&2; exit 1; fi
}

step "rendering the pages"
lint sample "$repo/tests/fixtures" sample.md
shared=$(cd "$repo/.." && pwd)/shared
if [ -d "$shared/eval/newsroom-dev" ] && [ -d "$shared/corpora/ai_tech_news" ]; then
  drafts_dir=$shared/eval/newsroom-dev
  corpus=(--corpus "$repo/seeds" --corpus "$shared/corpora/ai_tech_news")
  set_name="newsroom-dev"
else
  echo "../shared not found: the large pages use tests/fixtures/drafts and the built-in seeds"
  drafts_dir=$repo/tests/fixtures/drafts
  corpus=()
  set_name="fixtures/drafts"
fi
# The 2,000-word draft: the drafts' paragraphs in file order, repeated, as benches/common makes it.
python3 - "$drafts_dir" "$work/words-2000.md" <<'PY'
import pathlib, sys
paragraphs = []
for f in sorted(pathlib.Path(sys.argv[1]).glob("*.md")):
    if f.name in ("README.md", "SOURCES.md"):
        continue
    for p in f.read_text().split("\n\n"):
        p = p.strip()
        if p and not p.startswith(("-", "#", "|", "`", "<")):
            paragraphs.append(p)
out, words = [], 0
while paragraphs and words < 2000:
    for p in paragraphs:
        out.append(p); words += len(p.split())
        if words >= 2000:
            break
pathlib.Path(sys.argv[2]).write_text("# A 2,000-word draft\n\n" + "\n\n".join(out) + "\n")
PY
mapfile -t set_drafts < <(cd "$drafts_dir" && ls [0-9]*.md 2>/dev/null || ls *.md)
lint drafts "$drafts_dir" "${corpus[@]}" "${set_drafts[@]}"
lint words-2000 "$work" "${corpus[@]}" words-2000.md

# A draft and a source full of markup: shown as text, never run, never fetched.
mkdir -p "$work/hostile/sources"
cat > "$work/hostile/sources/markup.html" <<'HTML'
<html><head><title>Chip &lt;b&gt;sales&lt;/b&gt; <script>window.pwned = "title"</script></title></head>
<body><p>Micron will pay US$1.8 billion for Powerchip's P5 fab site <img src="http://127.0.0.1:9/source.png" onerror="window.pwned='source'">in Miaoli County, <b>the company</b> said.</p></body></html>
HTML
cat > "$work/hostile/draft.md" <<'MD'
# <script>window.pwned = "heading"</script> Fabs

Micron will pay NT$1.8 billion for Powerchip's P5 fab site <img src="http://127.0.0.1:9/draft.png" onerror="window.pwned='draft'"> in Miaoli County.

<script>window.pwned = "block"</script>

<iframe src="http://127.0.0.1:9/frame"></iframe> [a link](javascript:window.pwned='link') and ![img](http://127.0.0.1:9/x.png)
MD
lint hostile "$work/hostile" --corpus sources draft.md

step "driving the pages with headless chromium"
cat > "$work/cases.json" <<JSON
[
  {"name": "sample", "html": "$work/sample.html", "json": "$work/sample.json",
   "select": {"words": "NT\$1.8 billion", "code": "unit-mismatch", "bold": "US\$1.8 billion"}, "keys": true, "filters": true, "looks": true, "shot": "$shot"},
  {"name": "$set_name (${#set_drafts[@]} drafts)", "html": "$work/drafts.html", "json": "$work/drafts.json", "files": ${#set_drafts[@]}, "keys": true},
  {"name": "2,000-word draft", "html": "$work/words-2000.html", "json": "$work/words-2000.json", "timing": true},
  {"name": "HTML and script in a draft and a source", "html": "$work/hostile.html", "json": "$work/hostile.json", "hostile": true,
   "select": {"words": "NT\$1.8 billion", "code": "unit-mismatch", "bold": "US\$1.8 billion"}}
]
JSON
node "$here/review.mjs" "$work/cases.json"
step "ok (screenshot $shot)"
