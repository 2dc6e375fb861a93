#!/usr/bin/env bash
# Command 2: the whole test-suite. A fresh database with all six addons and
# their tests, the pytest suite (XML-RPC against a live server), the install
# matrix, and a check that no log has a WARNING or worse. Ends with
# "N passed, N failed"; exits non-zero when anything failed.
source "$(dirname "$0")/lib.sh"

ensure_system_packages
ensure_venv
ensure_pg

DB=${CRM_TEST_DB:-crm_test}
started=$(date +%s)
TAGS=$(printf '/%s,' "${BUNDLE[@]}"); TAGS=${TAGS%,}
rm -f "$LOGDIR"/test-*.log "$LOGDIR"/matrix-*.log "$LOGDIR"/results.txt
passed=0 failed=0
record() {  # record NAME PASSED FAILED
    passed=$((passed + $2)); failed=$((failed + $3))
    printf '%-58s %4s passed %4s failed\n' "$1" "$2" "$3" | tee -a "$LOGDIR/results.txt"
}

# The install matrix runs beside the main suite: two cores, two Odoo processes.
matrix_pid=
if [ "${CRM_SKIP_MATRIX:-0}" != 1 ]; then
    "$ROOT/scripts/matrix.sh" >"$LOGDIR/matrix-output.log" 2>&1 &
    matrix_pid=$!
fi

say "database $DB: installing the bundle's dependencies (log: $LOGDIR/test-deps.log)"
drop_db "$DB"
rm -rf "$LOCAL/filestore/filestore/$DB"
if odoo -d "$DB" -i "$("$PY" scripts/crmtool.py deps)" --stop-after-init --logfile "$LOGDIR/test-deps.log"; then
    read -r _ok _ko warn <<<"$("$PY" scripts/crmtool.py checklog "$LOGDIR/test-deps.log")"
    record "install dependencies (clean log)" $((warn == 0)) $((warn > 0))
else
    record "install dependencies" 0 1
fi

say "database $DB: installing and testing ${BUNDLE[*]} (log: $LOGDIR/test-bundle.log)"
# Browser tours need Odoo's HTTP server: on a free port, so that a running
# `make run` (8069) or another test run does not make this one fail.
free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
odoo -d "$DB" -i "$BUNDLE_CSV" --test-enable --test-tags "$TAGS" --stop-after-init \
    --http-port "$(free_port)" --gevent-port "$(free_port)" --logfile "$LOGDIR/test-bundle.log" || true
read -r ok ko warn <<<"$("$PY" scripts/crmtool.py checklog --expect-tests "$LOGDIR/test-bundle.log")"
record "Odoo tests of the bundle" "$ok" "$ko"
record "install + tests log has no WARNING/ERROR" $((warn == 0)) $((warn > 0))

# The load test's short version (make load is the long one): a copy of the
# fresh test database plus 3,000 customers, 6 users for 30 s; any error fails.
say "short load test on a copy of $DB (log: $LOGDIR/test-load.log)"
status=0
CRM_LOAD_DB="${DB}_load" CRM_LOAD_TEMPLATE="$DB" CRM_LOAD_CUSTOMERS=3000 CRM_LOAD_USERS=6 CRM_LOAD_RATE=3 \
    CRM_LOAD_TIME=30s "$ROOT/scripts/load.sh" >"$LOGDIR/test-load.log" 2>&1 || status=$?
record "load test, 6 users for 30 s: no error, clean server log" $((status == 0)) $((status != 0))
[ "$status" = 0 ] || tail -n 40 "$LOGDIR/test-load.log" >&2

say "pytest suite in tests/ (log: $LOGDIR/test-pytest.log)"
CRM_TEST_DB=$DB "$PY" -m pytest -p no:cacheprovider -q "$ROOT/tests" --junitxml="$LOGDIR/pytest.xml" \
    >"$LOGDIR/test-pytest.log" 2>&1 || true
tail -n 15 "$LOGDIR/test-pytest.log" >&2
read -r ok ko <<<"$("$PY" scripts/crmtool.py junit "$LOGDIR/pytest.xml")"
record "pytest suite (tests/)" "$ok" "$ko"
for log in "$LOGDIR"/test-server-*.log; do
    [ -f "$log" ] || continue
    read -r _ok _ko warn <<<"$("$PY" scripts/crmtool.py checklog "$log")"
    record "server log $(basename "$log") has no WARNING/ERROR" $((warn == 0)) $((warn > 0))
done

if [ -n "$matrix_pid" ]; then
    say "waiting for the install matrix (log: $LOGDIR/matrix-output.log)"
    wait "$matrix_pid" || true
    if [ -f "$LOGDIR/matrix-results.txt" ]; then
        while read -r name ok ko; do record "$name" "$ok" "$ko"; done <"$LOGDIR/matrix-results.txt"
    else
        record "install matrix" 0 1
    fi
    cat "$LOGDIR/matrix-output.log" >&2
fi

echo
echo "Logs: $LOGDIR ($(( $(date +%s) - started )) s)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
