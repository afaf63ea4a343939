#!/usr/bin/env bash
# The shared store against a real PostgreSQL 15 primary and streaming replica on loopback
# (issue 17): publishes the seeds and the AI/tech corpus to the primary, checks that lint via
# the replica gives byte-identical JSON to the embedded index and equal dev figures, then the
# two fault tests: the replica stopped in the middle of an editing session, the primary
# stopped in the middle of a publish.
#
#   COPYDESK_BIN=target/release/copydesk tests/postgres/run.sh
#
# Needs ../shared beside the checkout (skipped without it) and PostgreSQL 15 in
# /usr/lib/postgresql/15/bin (installed with apt when missing). About 3-4 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$(realpath "${COPYDESK_BIN:-target/release/copydesk}")
SHARED=../shared
if [ ! -d "$SHARED/eval" ]; then
  echo "tests/postgres: ../shared is not here; skipped"
  exit 0
fi
if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  apt-get update -qq && apt-get install -y -qq postgresql-15 >/dev/null
fi
. tests/postgres/cluster.sh
WORK=$(mktemp -d /tmp/copydesk-pg-test.XXXXXX)
trap 'pg_cleanup; rm -rf "$WORK"' EXIT
pg_start
echo "== PostgreSQL primary :$PG_PRIMARY_PORT, streaming replica :$PG_REPLICA_PORT ($PG_DIR)"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
for db in seeds newsroom fault; do
  psql -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U copydesk -d postgres -c "create database $db"
done
hosts="127.0.0.1:$PG_REPLICA_PORT,127.0.0.1:$PG_PRIMARY_PORT"
replica_only="127.0.0.1:$PG_REPLICA_PORT"

echo "== publish the seeds and seeds + ai_tech_news (the hosts list, replica first: publishing finds the primary)"
"$BIN" index --corpus seeds --store "postgresql://copydesk@$hosts/seeds"
"$BIN" index --corpus seeds --corpus "$SHARED/corpora/ai_tech_news" --store "postgresql://copydesk@$hosts/newsroom"
echo "== publish again: nothing changed, nothing written"
"$BIN" index --corpus seeds --store "postgresql://copydesk@$hosts/seeds" | tee "$WORK/again.txt"
grep -q "0 new, 0 with content already stored, 2 unchanged, 0 removed; 0.0 MB written" "$WORK/again.txt"
pg_wait_replay

same_json() { # NAME STORE_URL EMBEDDED_CORPUS_ARGS... -- FILES...
  local name=$1 url=$2; shift 2
  local embedded=()
  while [ "$1" != -- ]; do embedded+=("$1"); shift; done
  shift
  "$BIN" lint --format json --corpus "$url" "$@" > "$WORK/$name.pg.json" || [ $? -eq 1 ]
  "$BIN" lint --format json --no-index "${embedded[@]}" "$@" > "$WORK/$name.embedded.json" 2>/dev/null || [ $? -eq 1 ]
  if cmp -s "$WORK/$name.pg.json" "$WORK/$name.embedded.json"; then
    echo "$name: byte-identical JSON via the replica and the embedded index ($(wc -c < "$WORK/$name.pg.json") bytes)"
  else
    echo "FAIL: $name: the JSON differs"; diff <(tr ',' '\n' < "$WORK/$name.pg.json") <(tr ',' '\n' < "$WORK/$name.embedded.json") | head -20
    exit 1
  fi
}
echo "== the same JSON via the replica alone as from the embedded index"
same_json dev "postgresql://copydesk@$replica_only/seeds" --corpus seeds -- "$SHARED"/eval/dev/*.md
same_json newsroom-dev "postgresql://copydesk@$replica_only/newsroom" --corpus seeds --corpus "$SHARED/corpora/ai_tech_news" -- "$SHARED"/eval/newsroom-dev/*.md
same_json sample "postgresql://copydesk@$replica_only/seeds" --corpus seeds -- tests/fixtures/sample.md

echo "== dev scoring against the replica equals the embedded figures"
score_line() { "$SHARED/eval/score" --bin "$BIN" "$@" | tail -1; }
pg_dev=$(score_line --corpus "postgresql://copydesk@$replica_only/seeds" "$SHARED/eval/dev")
emb_dev=$(score_line --corpus seeds "$SHARED/eval/dev")
echo "dev via PostgreSQL: $pg_dev"; echo "dev embedded:       $emb_dev"
[ "$pg_dev" = "$emb_dev" ] || { echo "FAIL: dev figures differ"; exit 1; }
pg_nr=$(score_line --corpus "postgresql://copydesk@$replica_only/newsroom" "$SHARED/eval/newsroom-dev")
emb_nr=$(score_line --corpus seeds --corpus "$SHARED/corpora/ai_tech_news" "$SHARED/eval/newsroom-dev")
echo "newsroom-dev via PostgreSQL: $pg_nr"; echo "newsroom-dev embedded:       $emb_nr"
[ "$pg_nr" = "$emb_nr" ] || { echo "FAIL: newsroom-dev figures differ"; exit 1; }

echo "== a corpus another build published: refused with what to do, then published again"
psql -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U copydesk -d seeds -c "update copydesk_versions set build = '0.0.0+other'"
if "$BIN" lint --corpus "postgresql://copydesk@127.0.0.1:$PG_PRIMARY_PORT/seeds" tests/fixtures/sample.md > "$WORK/other.out" 2>&1; then
  echo "FAIL: a corpus another build published was read"; exit 1
else
  code=$?; [ "$code" -eq 2 ] || { echo "FAIL: exit $code, not 2"; cat "$WORK/other.out"; exit 1; }
fi
grep -q "published by copydesk 0.0.0+other" "$WORK/other.out" || { cat "$WORK/other.out"; exit 1; }
grep -q "publish it again" "$WORK/other.out"
"$BIN" index --corpus seeds --store "postgresql://copydesk@$hosts/seeds" | tee "$WORK/republish.txt"
grep -q "2 new" "$WORK/republish.txt" || { echo "FAIL: the republish reused another build's documents"; exit 1; }
pg_wait_replay
same_json republished "postgresql://copydesk@$replica_only/seeds" --corpus seeds -- tests/fixtures/sample.md
psql -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U copydesk -d seeds -tAc "select count(*) from copydesk_figures where concept <> ''" | grep -Eq '^[1-9]' || { echo "FAIL: no figure has its concept"; exit 1; }
psql -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U copydesk -d seeds -tAc "select count(*) from copydesk_quotations where speaker is not null" | grep -Eq '^[1-9]' || { echo "FAIL: no quotation has its speaker"; exit 1; }

echo "== a store of schema version 1 (before builds were recorded) is migrated and published again"
psql -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U copydesk -d postgres -c "create database upgrade"
psql -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U copydesk -d upgrade -f migrations/0001_corpus.sql
psql -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U copydesk -d upgrade <<'SQL'
create table copydesk_schema (version integer primary key, applied timestamptz not null default now());
insert into copydesk_schema (version) values (1);
insert into copydesk_blobs values (42, 12, 'An old text.', 1, 3);
insert into copydesk_postings values (7, 42, 0, 1, 3);
insert into copydesk_versions (completed, documents, sentences, total_length, bytes) values (now(), 1, 1, 3, 12);
insert into copydesk_documents (version, id, path, format, title, size, mtime_ns, hash, first_sentence)
  values (1, 0, 'old.txt', 'text', 'An old text', 12, 0, 42, 0);
insert into copydesk_terms values (1, 7, 1);
SQL
if "$BIN" lint --corpus "postgresql://copydesk@127.0.0.1:$PG_PRIMARY_PORT/upgrade" tests/fixtures/sample.md > "$WORK/v1.out" 2>&1; then
  echo "FAIL: a version 1 corpus was read"; exit 1
fi
grep -q "published by an earlier copydesk" "$WORK/v1.out" || { cat "$WORK/v1.out"; exit 1; }
"$BIN" index --corpus seeds --store "postgresql://copydesk@127.0.0.1:$PG_PRIMARY_PORT/upgrade" | tee "$WORK/upgrade.txt"
grep -q "2 new" "$WORK/upgrade.txt"
psql -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U copydesk -d upgrade -tAc "select max(version) from copydesk_schema" | grep -qx 2
pg_wait_replay
same_json upgraded "postgresql://copydesk@$replica_only/upgrade" --corpus seeds -- tests/fixtures/sample.md

echo "== a password never in copydesk.toml"
mkdir -p "$WORK/project"
printf 'corpus = "postgresql://copydesk:secret@%s/seeds"\n' "$hosts" > "$WORK/project/copydesk.toml"
if (cd "$WORK/project" && "$BIN" lint "$OLDPWD/tests/fixtures/sample.md") > "$WORK/pw.out" 2>&1; then
  echo "FAIL: a password in copydesk.toml was accepted"; exit 1
fi
grep -q "does not belong in copydesk.toml" "$WORK/pw.out"
if grep -q secret "$WORK/pw.out"; then echo "FAIL: the password was printed"; exit 1; fi
printf 'corpus = "postgresql://copydesk@%s/seeds"\n' "$hosts" > "$WORK/project/copydesk.toml"
(cd "$WORK/project" && "$BIN" lint --format json "$OLDPWD/tests/fixtures/sample.md" > "$WORK/toml.json") || [ $? -eq 1 ]
echo "copydesk.toml corpus = \"postgresql://...\": ok"

echo "== fault: the replica stops in the middle of an editing session"
printf '#!/usr/bin/env bash\nset -e\n. tests/postgres/cluster.sh\nPG_DIR=%s\npg_stop_one r\n' "$PG_DIR" > "$WORK/stop-replica.sh"
STOP_REPLICA="bash $WORK/stop-replica.sh" python3 tests/postgres/lsp_failover.py "$BIN" "postgresql://copydesk@$hosts/newsroom" tests/fixtures/sample.md
pg_start_one r
echo "lint with the replica stopped and restarted: the same JSON"
same_json after-restart "postgresql://copydesk@$hosts/seeds" --corpus seeds -- tests/fixtures/sample.md

echo "== fault: the primary stops in the middle of a publish"
mkdir -p "$WORK/corpus"
cp -r seeds "$WORK/corpus/seeds"
"$BIN" index --corpus "$WORK/corpus" --store "postgresql://copydesk@$hosts/fault"
pg_wait_replay
same_json fault-v1 "postgresql://copydesk@$replica_only/fault" --corpus "$WORK/corpus" -- tests/fixtures/sample.md "$SHARED"/eval/newsroom-dev/0[1-4]*.md
for folder in technologyreview theguardian theatlantic vox theverge; do cp -r "$SHARED/corpora/ai_tech_news/$folder" "$WORK/corpus/"; done
"$BIN" index --corpus "$WORK/corpus" --store "postgresql://copydesk@$hosts/fault" > "$WORK/publish.out" 2> "$WORK/publish.err" &
publisher=$!
# Stopped once the first batches are written, before the version is complete.
for _ in $(seq 1 600); do
  n=$(command psql -X -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U copydesk -d fault -tAc "select count(*) from copydesk_blobs" 2>/dev/null || echo 0)
  [ "${n:-0}" -ge 300 ] && break
  sleep 0.1
done
pg_stop_one p
echo "primary stopped with $n documents' content written"
if wait "$publisher"; then echo "FAIL: the publish did not report the failure"; exit 1; fi
cat "$WORK/publish.err"
grep -q "rerun to resume" "$WORK/publish.err"
echo "readers on the replica keep the last complete version:"
same_json fault-readers "postgresql://copydesk@$hosts/fault" --corpus "$WORK/corpus/seeds" -- tests/fixtures/sample.md "$SHARED"/eval/newsroom-dev/0[1-4]*.md
pg_start_one p
"$BIN" index --corpus "$WORK/corpus" --store "postgresql://copydesk@$hosts/fault" | tee "$WORK/rerun.out"
grep -Eq "[1-9][0-9]* with content already stored" "$WORK/rerun.out" || { echo "FAIL: the rerun did not resume"; exit 1; }
pg_wait_replay
same_json fault-v2 "postgresql://copydesk@$replica_only/fault" --corpus "$WORK/corpus" -- tests/fixtures/sample.md "$SHARED"/eval/newsroom-dev/0[1-4]*.md
echo "PASS: tests/postgres"
