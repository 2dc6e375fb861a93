#!/usr/bin/env bash
# The benchmarks: each tests/bench/bench_*.py runs inside `odoo shell` on the
# database crm_bench (the bundle without demo data, made on first use) and
# prints its figures. Benchmarks create their own data and roll it back.
# Usage: scripts/bench.sh [bench_name ...]
source "$(dirname "$0")/lib.sh"

ensure_venv
ensure_pg

DB=${CRM_BENCH_DB:-crm_bench}
if ! bundle_installed "$DB"; then
    say "creating $DB (log: $LOGDIR/bench-install.log)"
    odoo -d "$DB" -i "$BUNDLE_CSV" --without-demo=all --stop-after-init --logfile "$LOGDIR/bench-install.log" \
        || die "installing the bundle into $DB failed"
else
    odoo -d "$DB" -u "$BUNDLE_CSV" --stop-after-init --logfile "$LOGDIR/bench-install.log" \
        || die "updating the bundle in $DB failed"
fi

status=0
for file in "$ROOT"/tests/bench/bench_*.py; do
    name=$(basename "$file" .py)
    [ $# = 0 ] || [[ " $* " == *" $name "* ]] || continue
    echo "== $name"
    odoo shell -d "$DB" --no-http --logfile "$LOGDIR/bench-$name.log" <"$file" || status=1
done
exit $status
