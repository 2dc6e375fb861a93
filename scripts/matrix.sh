#!/usr/bin/env bash
# The install matrix: each addon of the bundle installs alone, with its
# dependencies, into a fresh database without demo data; each edition then
# uninstalls cleanly, and so does the rest of the bundle after it.
# Writes one "name passed failed" line per check to $LOGDIR/matrix-results.txt.
source "$(dirname "$0")/lib.sh"

ensure_venv
ensure_pg

BASE=crm_matrix_base
RESULTS=$LOGDIR/matrix-results.txt
EDITIONS=(crm_foreign_trade crm_security_vertical)
: >"$RESULTS"
result() { echo "$1 $2 $3" >>"$RESULTS"; }   # name (no spaces) passed failed
log_clean() { [ "$("$PY" "$ROOT/scripts/crmtool.py" checklog "$1" | cut -d' ' -f3)" = 0 ]; }

clone_db() {  # like Odoo's duplicate_database: the database and its filestore
    drop_db "$2"
    psql -X -q -d postgres -c "create database \"$2\" template \"$1\"" >/dev/null
    rm -rf "$LOCAL/filestore/filestore/$2"
    [ ! -d "$LOCAL/filestore/filestore/$1" ] || cp -a "$LOCAL/filestore/filestore/$1" "$LOCAL/filestore/filestore/$2"
}

# The base holds what crm_core needs from Odoo, so that every other addon
# must bring (declare) whatever else it uses.
say "matrix: base database with crm_core's dependencies, no demo data"
drop_db "$BASE"
rm -rf "$LOCAL/filestore/filestore/$BASE"
if ! odoo -d "$BASE" -i "$("$PY" "$ROOT/scripts/crmtool.py" deps crm_core)" --without-demo=all \
        --stop-after-init --logfile "$LOGDIR/matrix-base.log"; then
    result matrix:base-database 0 1
    exit 1
fi

for addon in "${BUNDLE[@]}"; do
    db=crm_matrix_$addon log=$LOGDIR/matrix-$addon.log
    say "matrix: $addon alone"
    clone_db "$BASE" "$db"
    if odoo -d "$db" -i "$addon" --without-demo=all --stop-after-init --logfile "$log" \
        && [ "$(psql -X -At -d "$db" -c "select state from ir_module_module where name='$addon'")" = installed ] \
        && log_clean "$log"; then
        result "matrix:install-$addon-alone" 1 0
    else
        result "matrix:install-$addon-alone" 0 1
        continue
    fi
    case " ${EDITIONS[*]} " in *" $addon "*) ;; *) drop_db "$db"; continue ;; esac

    # One shell per uninstall: each one reloads the registry.
    for name in "$addon" crm_core; do
        say "matrix: uninstall $name from $db"
        log=$LOGDIR/matrix-uninstall-$addon-$name.log
        if odoo shell -d "$db" --no-http --logfile "$log" >"$log.out" 2>&1 <<PY && grep -q UNINSTALL_OK "$log.out" && log_clean "$log"
env["ir.module.module"].search([("name", "=", "$name")]).button_immediate_uninstall()
bundle = tuple("${BUNDLE[*]}".split())
removed = ("$name",) if "$name" != "crm_core" else bundle
env.cr.execute("SELECT name FROM ir_module_module WHERE name IN %s AND state != 'uninstalled'", [removed])
left = [row[0] for row in env.cr.fetchall()]
env.cr.execute("SELECT count(*) FROM ir_model_data WHERE module IN %s", [removed])
data = env.cr.fetchone()[0]
assert not left, "still installed: %s" % left
assert not data, "%s ir.model.data rows left" % data
if "$name" == "crm_core":
    # hooks.py narrowed Odoo's sales rules: they are Odoo's own again.
    rule = env.ref("crm.crm_rule_personal_lead")
    assert "crm_scope" not in rule.domain_force, rule.domain_force
print("UNINSTALL_OK")
PY
        then
            result "matrix:uninstall-$name-(from-$addon-db)" 1 0
        else
            result "matrix:uninstall-$name-(from-$addon-db)" 0 1
            cat "$log.out" >&2
        fi
    done
    drop_db "$db"
done
drop_db "$BASE"
cat "$RESULTS"
