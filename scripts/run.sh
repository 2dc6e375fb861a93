#!/usr/bin/env bash
# Command 1: set everything up and serve the product on a demo database.
# First run: Debian packages (as root), .venv, PostgreSQL, database crm_demo
# with all six addons and demo data. Later runs reuse all of it.
source "$(dirname "$0")/lib.sh"

DB=${CRM_DEMO_DB:-crm_demo}
PORT=${CRM_HTTP_PORT:-8069}

ensure_system_packages
ensure_venv
ensure_pg

if ! bundle_installed "$DB"; then
    say "creating database $DB with the bundle and demo data (log: $LOGDIR/run-install.log)"
    odoo -d "$DB" -i "$BUNDLE_CSV" --stop-after-init --logfile "$LOGDIR/run-install.log" \
        || { tail -40 "$LOGDIR/run-install.log" >&2; die "installing the bundle into $DB failed"; }
fi

cat <<MSG

  Customer Management is starting: http://127.0.0.1:$PORT/web/login  (database $DB)

  Demo logins (password = login):
    admin     Administrator, General Manager
    gm        Zhang Min (张敏), General Manager (总经理)
    manager   Wang Fang (王芳), Department Manager (部门主管), East China Sales
    manager2  Chen Jing (陈静), Department Manager, South China Sales
    rep       Li Wei (李伟), Sales Rep (业务员), Shanghai Team (under East China)
    rep2      Zhao Lei (赵磊), Sales Rep, Shanghai Team
    rep3      Liu Yang (刘洋), Sales Rep, East China Sales
    rep4      Huang Li (黄丽), Sales Rep, South China Sales

  Stop with Ctrl-C. Log: $LOGDIR/run.log

MSG
exec "$PY" "$ODOO_SRC/odoo-bin" -c "$ROOT/odoo.conf" --data-dir "$LOCAL/filestore" \
    -d "$DB" --db-filter "^$DB\$" --http-interface 127.0.0.1 --http-port "$PORT" \
    --logfile "$LOGDIR/run.log" "$@"
