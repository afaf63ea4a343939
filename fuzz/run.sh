#!/usr/bin/env bash
# Usage: fuzz/run.sh [SECONDS [TARGET...]]
#
# Builds the fuzz targets and runs each (or each TARGET named) for SECONDS (default 30), one at a
# time under `nice -n 19`, starting from the seeds in fuzz/seeds/<target>/ plus whatever
# fuzz/corpus/<target>/ (not committed) has gathered. Fails when a target crashes, hangs or runs
# out of memory; the input that did it is in fuzz/artifacts/<target>/.
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). The toolchain is stable: libFuzzer's
# instrumentation flags are nightly-only, so RUSTC_BOOTSTRAP=1 lets stable rustc accept them.
# Targets build optimised with debug assertions and overflow checks, and without a sanitizer
# (copydesk is safe Rust; a panic or a failed assertion is the crash we look for).
#
# Per target it prints executions, coverage (cov: and ft: from libFuzzer's last status line) and
# the CPU seconds used; logs are in fuzz/logs/<target>.log.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-30}"
shift || true
export RUSTC_BOOTSTRAP=1
flags=(-O -a -s none)

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz/run.sh: cargo-fuzz is missing: cargo install cargo-fuzz --locked" >&2
  exit 2
fi

echo "== fuzz: building the targets"
nice -n 19 cargo fuzz build "${flags[@]}"

mkdir -p logs
failed=()
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  log="logs/$target.log"
  TIMEFORMAT="%U %S"
  status=0
  { time nice -n 19 cargo fuzz run "${flags[@]}" "$target" "corpus/$target" "seeds/$target" -- \
      -max_total_time="$seconds" -timeout=120 -rss_limit_mb=4096 -print_final_stats=1 >"$log" 2>&1 || status=$?; } 2>"logs/$target.cpu"
  cpu=$(awk '{printf "%.0f", $1 + $2}' "logs/$target.cpu")
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")
  cov=$(grep -oE 'cov: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || echo "?")
  ft=$(grep -oE 'ft: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || echo "?")
  if [ "$status" -ne 0 ]; then
    failed+=("$target")
    echo "fuzz $target: CRASH after ${cpu} CPU s (exit $status); input in fuzz/artifacts/$target/, log in fuzz/$log:"
    grep -E -A 6 "panicked at|ERROR: libFuzzer|SUMMARY" "$log" | head -n 30 || true
  else
    echo "fuzz $target: ${execs} executions, cov ${cov}, ft ${ft}, ${cpu} CPU s, no crash"
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: crashes in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: every target ran ${seconds} s without a crash"
