# Sourced by tests/postgres/run.sh and the store benchmark: a throwaway PostgreSQL 15 primary
# and streaming replica on loopback (../shared/notes/postgresql.md). As root the servers run
# as the postgres user. Set PG_BASE_PORT to choose the ports (primary, primary + 1 replica).
PG=${PG:-/usr/lib/postgresql/15/bin}
PG_BASE_PORT=${PG_BASE_PORT:-56501}
PG_PRIMARY_PORT=$PG_BASE_PORT
PG_REPLICA_PORT=$((PG_BASE_PORT + 1))

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi
}

# pg_start: initdb, start the primary, clone and start the replica; sets PG_DIR.
pg_start() {
  PG_DIR=$(mktemp -d /tmp/copydesk-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
  as_pg "$PG/initdb -D $PG_DIR/p -A trust -U copydesk >/dev/null
    echo 'host replication all 127.0.0.1/32 trust' >> $PG_DIR/p/pg_hba.conf
    $PG/pg_ctl -D $PG_DIR/p -l $PG_DIR/p.log -w start -o '-k $PG_DIR -c listen_addresses=127.0.0.1 -p $PG_PRIMARY_PORT -c wal_level=replica -c max_connections=200 -c shared_buffers=128MB -c fsync=off -c synchronous_commit=off -c full_page_writes=off' >/dev/null
    $PG/pg_basebackup -h 127.0.0.1 -p $PG_PRIMARY_PORT -U copydesk -D $PG_DIR/r -R -X stream
    $PG/pg_ctl -D $PG_DIR/r -l $PG_DIR/r.log -w start -o '-k $PG_DIR -c listen_addresses=127.0.0.1 -p $PG_REPLICA_PORT -c max_connections=200 -c hot_standby_feedback=on' >/dev/null"
  PG_PRIMARY_URL="postgresql://copydesk@127.0.0.1:$PG_PRIMARY_PORT/postgres"
  PG_REPLICA_URL="postgresql://copydesk@127.0.0.1:$PG_REPLICA_PORT/postgres"
  # Readers: the replica first, the primary if it is down. Writers: the read-write one.
  PG_READ_URL="postgresql://copydesk@127.0.0.1:$PG_REPLICA_PORT,127.0.0.1:$PG_PRIMARY_PORT/postgres"
  PG_WRITE_URL="postgresql://copydesk@127.0.0.1:$PG_REPLICA_PORT,127.0.0.1:$PG_PRIMARY_PORT/postgres"
}

pg_stop_one() { # p or r
  [ -n "${PG_DIR:-}" ] && [ -f "$PG_DIR/$1/postmaster.pid" ] && as_pg "$PG/pg_ctl -D $PG_DIR/$1 -m immediate stop >/dev/null" || true
}

pg_start_one() { # p or r
  local port=$PG_PRIMARY_PORT extra="-c wal_level=replica -c fsync=off -c synchronous_commit=off"
  [ "$1" = r ] && port=$PG_REPLICA_PORT && extra="-c hot_standby_feedback=on"
  as_pg "$PG/pg_ctl -D $PG_DIR/$1 -l $PG_DIR/$1.log -w start -o '-k $PG_DIR -c listen_addresses=127.0.0.1 -p $port -c max_connections=200 $extra' >/dev/null"
}

pg_cleanup() {
  if [ -n "${PG_DIR:-}" ]; then
    pg_stop_one r
    pg_stop_one p
    rm -rf "$PG_DIR"
  fi
}

# pg_wait_replay: waits until the replica has replayed everything the primary wrote.
pg_wait_replay() {
  local lsn
  lsn=$(psql -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U copydesk -d postgres -tAc 'select pg_current_wal_lsn()')
  for _ in $(seq 1 600); do
    if [ "$(psql -h 127.0.0.1 -p "$PG_REPLICA_PORT" -U copydesk -d postgres -tAc "select pg_last_wal_replay_lsn() >= '$lsn'")" = t ]; then
      return 0
    fi
    sleep 0.1
  done
  echo "the replica did not catch up" >&2
  return 1
}
