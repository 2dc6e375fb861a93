#!/usr/bin/env bash
# Refreshes every addon's i18n/<addon>.pot from a database holding the bundle,
# merges it into i18n/zh_CN.po (translations kept, new terms left empty) and
# lists the terms that still need a Chinese translation.
source "$(dirname "$0")/lib.sh"

ensure_venv
ensure_pg

DB=${CRM_I18N_DB:-crm_i18n}
if bundle_installed "$DB"; then
    odoo -d "$DB" -u "$BUNDLE_CSV" --stop-after-init --logfile "$LOGDIR/i18n-install.log"
else
    odoo -d "$DB" -i "$BUNDLE_CSV" --without-demo=all --stop-after-init --logfile "$LOGDIR/i18n-install.log"
fi
for addon in "${BUNDLE[@]}"; do
    mkdir -p "$ROOT/addons/$addon/i18n"
    odoo -d "$DB" --i18n-export="$ROOT/addons/$addon/i18n/$addon.pot" --modules="$addon" \
        --stop-after-init --logfile "$LOGDIR/i18n-export.log"
done
"$PY" "$ROOT/scripts/crmtool.py" po-merge "${BUNDLE[@]}"
