#!/usr/bin/env bash
# The load test (issue 9): simulated sales reps, department managers and a
# general manager doing their daily mix over the web client's JSON-RPC,
# XML-RPC and /jsonrpc against Odoo started with --workers=2 on 127.0.0.1,
# for a fixed time (locust, tests/load/locustfile.py). Prints requests per
# second, median and 95th percentile per action and the errors; exits
# non-zero on any error or on a WARNING/ERROR in the server's log.
#
# Knobs (environment):
#   CRM_LOAD_CUSTOMERS  customers in the database (default 200000)
#   CRM_LOAD_USERS      simulated users at once (default 20)
#   CRM_LOAD_TIME       duration, locust syntax: 30s, 2m (default 120s)
#   CRM_LOAD_RATE       users started per second (default 2)
#   CRM_LOAD_WAIT       "min,max" seconds between two actions of a user (default "1,3")
#   CRM_LOAD_DB         database (default crm_load); reused while it holds
#                       CRM_LOAD_CUSTOMERS customers, else made again
#   CRM_LOAD_TEMPLATE   copy this database (with the bundle and its demo
#                       data) instead of installing one: the short run of
#                       scripts/test.sh copies the test database
source "$(dirname "$0")/lib.sh"

ensure_venv
ensure_pg

DB=${CRM_LOAD_DB:-crm_load}
CUSTOMERS=${CRM_LOAD_CUSTOMERS:-200000}
USERS=${CRM_LOAD_USERS:-20}
DURATION=${CRM_LOAD_TIME:-120s}
RATE=${CRM_LOAD_RATE:-2}
LOADVENV=$LOCAL/loadvenv
OUT=$LOGDIR/load-$DB
SERVER_LOG=$OUT-server.log
started=$(date +%s)

# --- locust, in a venv of its own: its gevent is newer than Odoo's pin ------
ensure_loadvenv() {
    local want python
    want=$(sha1sum "$ROOT/tests/load/requirements.txt" | cut -c1-40)
    if [ -x "$LOADVENV/bin/locust" ] && [ "$(cat "$LOADVENV/.crm-stamp" 2>/dev/null)" = "$want" ]; then
        return 0
    fi
    python=$(find_python)
    say "building $LOADVENV for locust (log: $LOGDIR/pip-load.log)"
    [ -x "$LOADVENV/bin/python" ] || "$python" -m venv "$LOADVENV"
    {
        "$LOADVENV/bin/python" -m pip install -q --upgrade pip &&
        "$LOADVENV/bin/python" -m pip install -r "$ROOT/tests/load/requirements.txt"
    } >"$LOGDIR/pip-load.log" 2>&1 || { tail -20 "$LOGDIR/pip-load.log" >&2; die "installing locust failed, see $LOGDIR/pip-load.log"; }
    echo "$want" >"$LOADVENV/.crm-stamp"
}
ensure_loadvenv

# --- the database ------------------------------------------------------------
built_customers() { psql -X -At -d "$DB" -c "select value from ir_config_parameter where key = 'crm_load.customers'" 2>/dev/null || true; }

if [ -n "${CRM_LOAD_TEMPLATE:-}" ]; then
    say "database $DB: a copy of $CRM_LOAD_TEMPLATE"
    drop_db "$DB"
    psql -X -q -d postgres -c "create database \"$DB\" template \"$CRM_LOAD_TEMPLATE\"" || die "copying $CRM_LOAD_TEMPLATE failed"
elif bundle_installed "$DB" && [ "$(built_customers)" = "$CUSTOMERS" ]; then
    say "database $DB: reusing it ($CUSTOMERS customers); updating the bundle (log: $LOGDIR/load-install.log)"
    odoo -d "$DB" -u "$BUNDLE_CSV" --stop-after-init --logfile "$LOGDIR/load-install.log" \
        || die "updating the bundle in $DB failed"
else
    say "database $DB: installing the bundle with its demo data (log: $LOGDIR/load-install.log)"
    drop_db "$DB"
    odoo -d "$DB" -i "$BUNDLE_CSV" --stop-after-init --logfile "$LOGDIR/load-install.log" \
        || die "installing the bundle into $DB failed"
fi
if [ "$(built_customers)" != "$CUSTOMERS" ]; then
    say "database $DB: building $CUSTOMERS customers, their leads and follow-ups, the load users (log: $LOGDIR/load-build.log)"
    CRM_LOAD_CUSTOMERS=$CUSTOMERS odoo shell -d "$DB" --no-http --logfile "$LOGDIR/load-build.log" \
        <"$ROOT/tests/load/build_data.py" || die "building the data set failed, see $LOGDIR/load-build.log"
fi

# --- Odoo with two workers on loopback ------------------------------------------
free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
rm -f "$SERVER_LOG"
# Not through odoo(): exec makes $! the server itself, so that it can be stopped.
# odoo.http at ERROR: a refused call (UserError, AccessError) is logged as a
# WARNING there and is counted by locust as an error anyway; server errors
# still reach the log, which is checked at the end.
(cd "$ROOT" && exec "$PY" "$ODOO_SRC/odoo-bin" server -c "$ROOT/odoo.conf" --data-dir "$LOCAL/filestore" \
    -d "$DB" --db-filter "^$DB\$" --http-interface 127.0.0.1 --http-port "$PORT" --gevent-port "$(free_port)" \
    --workers 2 --max-cron-threads 0 --log-handler odoo.http:ERROR --logfile "$SERVER_LOG" \
    >"$OUT-server.out" 2>&1) &
server_pid=$!
stop_server() {
    kill "$server_pid" 2>/dev/null || return 0
    for _ in $(seq 60); do kill -0 "$server_pid" 2>/dev/null || return 0; sleep 0.5; done
    kill -9 "$server_pid" 2>/dev/null || true
}
trap stop_server EXIT
say "Odoo on $URL with 2 workers (log: $SERVER_LOG)"
deadline=$(($(date +%s) + 180))
until curl -fs -o /dev/null "$URL/web/login"; do
    kill -0 "$server_pid" 2>/dev/null || die "Odoo exited, see $SERVER_LOG and $OUT-server.out"
    [ "$(date +%s)" -lt "$deadline" ] || die "Odoo did not answer on $URL within 180 s"
    sleep 1
done
# Both workers load the registry before the clock starts (concurrent requests reach both).
warm=()
for _ in 1 2 3 4; do curl -fsS -o /dev/null "$URL/web/login" & warm+=($!); done
wait "${warm[@]}"

# --- the run ---------------------------------------------------------------------
say "locust: $USERS users for $DURATION, started $RATE per second (log: $OUT-locust.log)"
rm -f "$OUT"_*.csv
load_before=$(cut -d' ' -f1 /proc/loadavg)
(cd "$ROOT/tests/load" && CRM_LOAD_DB=$DB CRM_LOAD_SAMPLES=${OUT}_samples.csv "$LOADVENV/bin/locust" -f locustfile.py --headless \
    -u "$USERS" -r "$RATE" -t "$DURATION" --stop-timeout 30 --host "$URL" --csv "$OUT" --only-summary \
    >"$OUT-locust.log" 2>&1) || true  # locust's own exit code: judged below from its CSV
load_after=$(cut -d' ' -f1 /proc/loadavg)
# CPU seconds of the Odoo master and its workers (PostgreSQL's not included).
server_cpu=$(ps -o times= --pid "$server_pid" --ppid "$server_pid" | awk '{ s += $1 } END { print s + 0 }')
stop_server
trap - EXIT

echo
echo "Load test: $USERS users for $DURATION on $DB ($CUSTOMERS customers), Odoo --workers=2, $(nproc) cores"
echo "(load average $load_before before, $load_after after; Odoo used $server_cpu CPU seconds since it started)"
status=0
"$LOADVENV/bin/python" "$ROOT/tests/load/report.py" "$OUT" || status=1
read -r _ok _ko warn <<<"$("$PY" "$ROOT/scripts/crmtool.py" checklog "$SERVER_LOG" 2>/dev/null)"
if [ "$warn" != 0 ]; then
    echo "server log: $warn WARNING/ERROR line(s) in $SERVER_LOG:"
    grep -E ' (WARNING|ERROR|CRITICAL) ' "$SERVER_LOG" | head -20
    status=1
else
    echo "server log: no WARNING/ERROR"
fi
echo "($(($(date +%s) - started)) s in all; CSV: ${OUT}_stats.csv)"
exit $status
