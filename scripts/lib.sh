# Shared set-up for the project's commands: sourced, never run.
# Finds Odoo's source, builds .venv, and makes sure a PostgreSQL server is
# reachable (the one the PG* variables name, or a cluster inside the checkout).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CRM_ROOT=$ROOT
export ODOO_SRC=${ODOO_SRC:-/opt/odoo}
VENV=${CRM_VENV:-$ROOT/.venv}
LOCAL=$ROOT/.local
LOGDIR=$LOCAL/logs
PY=$VENV/bin/python
# Every addon of the bundle, dependencies first.
BUNDLE=(crm_core crm_channel crm_project crm_inventory crm_foreign_trade crm_security_vertical)
BUNDLE_CSV=$(IFS=,; echo "${BUNDLE[*]}")
mkdir -p "$LOGDIR"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

find_odoo_src() {
    if [ ! -f "$ODOO_SRC/odoo-bin" ] && [ "${ODOO_DOWNLOAD:-0}" = 1 ]; then
        say "No Odoo source at $ODOO_SRC: downloading Odoo 18.0 Community (ODOO_DOWNLOAD=1)"
        timeout 900 git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git "$ODOO_SRC" \
            || die "could not download Odoo 18.0 into $ODOO_SRC"
    fi
    if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
        die "no Odoo source found at ODOO_SRC=$ODOO_SRC.
This project needs an Odoo 18.0 Community source tree. Either
  git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git $ODOO_SRC
or point ODOO_SRC at an existing 18.0 checkout, or run again with ODOO_DOWNLOAD=1
to let this script clone it (needs access to github.com)."
    fi
    grep -qE '^version_info = \(18, 0,' "$ODOO_SRC/odoo/release.py" \
        || die "$ODOO_SRC is not Odoo 18.0 ($(grep -m1 '^version_info' "$ODOO_SRC/odoo/release.py"))"
}

find_python() {
    local c
    for c in ${PYTHON:-} python3.11 python3.12 python3.10 python3; do
        command -v "$c" >/dev/null 2>&1 || continue
        if "$c" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))'; then
            echo "$c"; return 0
        fi
    done
    die "Odoo 18 needs Python 3.10 to 3.12 (3.11 preferred); none found on PATH"
}

apt_install() {
    # Only as root, and only what is missing: a developer's own machine is theirs.
    is_root || { say "missing system packages ($*): install them, or run as root"; return 0; }
    command -v apt-get >/dev/null || { say "no apt-get: install $* by hand"; return 0; }
    say "installing Debian packages: $*"
    if [ ! -f "$LOCAL/.apt-updated" ]; then
        apt-get update -q >"$LOGDIR/apt.log" 2>&1 && touch "$LOCAL/.apt-updated"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >>"$LOGDIR/apt.log" 2>&1 \
        || die "apt-get install $* failed, see $LOGDIR/apt.log"
}

pg_bindir() {
    local d
    for d in ${PG_BINDIR:-} /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && { echo "$d"; return 0; }
    done
    command -v initdb >/dev/null && dirname "$(command -v initdb)"
}

ensure_system_packages() {
    local missing=()
    [ -n "$(pg_bindir)" ] || missing+=(postgresql)
    command -v psql >/dev/null || missing+=(postgresql-client)
    [ -f /usr/include/postgresql/libpq-fe.h ] || missing+=(libpq-dev)
    command -v gcc >/dev/null || missing+=(build-essential)
    command -v chromium >/dev/null || missing+=(chromium)
    command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
    # Odoo's PDF reports and the zh_CN UI need a CJK font.
    [ -n "$(fc-list :lang=zh 2>/dev/null)" ] || missing+=(fonts-noto-cjk)
    [ ${#missing[@]} = 0 ] || apt_install "${missing[@]}"
}

odoo_requirements() {
    # Odoo's own pins, made to install on this Python: cbor2 5.4.2 no longer
    # builds (needs pkg_resources), and python-ldap only serves auth_ldap.
    sed -E -e 's/^cbor2==5\.4\.2.*/cbor2==5.6.5/' -e '/^python-ldap/d' "$ODOO_SRC/requirements.txt"
}

ensure_venv() {
    find_odoo_src
    local stamp want
    want=$( { odoo_requirements; cat "$ROOT/requirements.txt"; echo "$ODOO_SRC"; } | sha1sum | cut -c1-40)
    stamp=$VENV/.crm-stamp
    if [ -x "$PY" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        return 0
    fi
    local python
    python=$(find_python)
    say "building $VENV with $($python --version) (log: $LOGDIR/pip.log)"
    [ -x "$PY" ] || "$python" -m venv "$VENV"
    odoo_requirements >"$LOCAL/odoo-requirements.txt"
    {
        "$PY" -m pip install -q --upgrade pip 'setuptools<81' wheel &&
        "$PY" -m pip install -r "$LOCAL/odoo-requirements.txt" &&
        # compat mode: the default editable finder lets the odoo/ folder of
        # OCA addon wheels shadow Odoo itself.
        "$PY" -m pip install --no-deps -e "$ODOO_SRC" --config-settings editable_mode=compat &&
        "$PY" -m pip install -r "$ROOT/requirements.txt"
    } >"$LOGDIR/pip.log" 2>&1 || { tail -30 "$LOGDIR/pip.log" >&2; die "pip install failed, see $LOGDIR/pip.log"; }
    "$PY" -c 'import odoo.cli, odoo.addons.base' || die "Odoo does not import from $VENV"
    echo "$want" >"$stamp"
}

# --- PostgreSQL -----------------------------------------------------------
pg_data_dir() {
    local fallback=${TMPDIR:-/tmp}/crm-pg-$(printf %s "$ROOT" | sha1sum | cut -c1-12)/data
    if [ -n "${CRM_PGDATA:-}" ]; then echo "$CRM_PGDATA"
    elif [ -f "$fallback/PG_VERSION" ]; then echo "$fallback"
    else echo "$LOCAL/pg/data"; fi
}

pg_dir_usable() {  # the cluster's owner can create and write the folder
    mkdir -p "$1" "$(dirname "$1")/run" 2>/dev/null || return 1
    if is_root; then chown "$owner" "$1" "$(dirname "$1")" "$(dirname "$1")/run"; fi
    chmod 700 "$1" "$(dirname "$1")/run"
    as_owner test -w "$1" 2>/dev/null
}

pg_reachable() { psql -X -q -At -d "${PGDATABASE:-postgres}" -c 'select 1' >/dev/null 2>&1; }

ensure_pg() {
    if [ -z "${CRM_EMBEDDED_PG:-}" ] && { [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ] || ! is_root; } && pg_reachable; then
        [ "${PGUSER:-$(id -un)}" != postgres ] || die "Odoo refuses the 'postgres' role: set PGUSER to another role"
        say "using the PostgreSQL server at ${PGHOST:-default socket}:${PGPORT:-5432} as ${PGUSER:-$(id -un)}"
        return 0
    fi
    start_embedded_pg
}

start_embedded_pg() {
    local bindir owner data run
    bindir=$(pg_bindir) || true
    [ -n "$bindir" ] || die "no PostgreSQL server binaries (initdb) found; install Debian's postgresql"
    owner=$(id -un)
    if is_root; then
        # initdb and pg_ctl refuse root: the cluster belongs to an unprivileged user.
        owner=${CRM_PG_OWNER:-postgres}
        id "$owner" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
    fi
    # From /: the owner may not be allowed into the checkout's folder.
    as_owner() { if is_root; then (cd / && runuser -u "$owner" -- "$@"); else "$@"; fi; }
    data=$(pg_data_dir)
    if [ -z "${CRM_PGDATA:-}" ] && { ! pg_dir_usable "$data" || [ ${#data} -gt 80 ]; }; then
        # The checkout is closed to the cluster's owner (a checkout under /root)
        # or too deep for a unix socket path: keep the cluster in /tmp instead.
        data=${TMPDIR:-/tmp}/crm-pg-$(printf %s "$ROOT" | sha1sum | cut -c1-12)/data
        say "the checkout is not usable for the cluster of user $owner: using $data"
    fi
    run=$(dirname "$data")/run
    pg_dir_usable "$data" || die "user $owner cannot write $data: set CRM_PGDATA to a folder it can reach"
    if [ ! -f "$data/PG_VERSION" ]; then
        say "creating a local PostgreSQL cluster in $data"
        as_owner "$bindir/initdb" -D "$data" -U odoo --auth=trust -E UTF8 --locale=C.UTF-8 >"$LOGDIR/initdb.log" 2>&1 \
            || die "initdb failed, see $LOGDIR/initdb.log"
    fi
    export PGHOST=$run PGPORT=${CRM_PGPORT:-5432} PGUSER=odoo PGDATABASE=postgres
    unset PGPASSWORD
    if ! pg_reachable; then
        say "starting the local PostgreSQL cluster (socket in $run)"
        # jit=off: compiling a plan costs more than running Odoo's short
        # queries (seen at 880 ms of a 1 s list count); see README.
        as_owner "$bindir/pg_ctl" -D "$data" -l "$data/../postgresql.log" -w -t 60 start \
            -o "-c listen_addresses='' -k $run -p $PGPORT -c synchronous_commit=off -c jit=off" \
            >/dev/null || die "pg_ctl start failed, see $(dirname "$data")/postgresql.log"
    fi
    pg_reachable || die "the local PostgreSQL cluster does not answer on $run"
}

stop_embedded_pg() {
    local data bindir
    data=$(pg_data_dir)
    bindir=$(pg_bindir)
    [ -f "$data/postmaster.pid" ] || return 0
    if is_root; then (cd / && runuser -u "${CRM_PG_OWNER:-postgres}" -- "$bindir/pg_ctl" -D "$data" -m fast stop >/dev/null)
    else "$bindir/pg_ctl" -D "$data" -m fast stop >/dev/null; fi
}

bundle_installed() {  # all six addons are installed in database $1
    local names
    names=$(printf "'%s'," "${BUNDLE[@]}")
    [ "$(psql -X -At -d "$1" -c "select count(*) from ir_module_module where state = 'installed' and name in (${names%,})" 2>/dev/null)" = "${#BUNDLE[@]}" ]
}

db_exists() { [ "$(psql -X -At -d postgres -c "select 1 from pg_database where datname='$1'")" = 1 ]; }
drop_db() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -d postgres -c "drop database if exists \"$1\" with (force)" >/dev/null; }

# Runs Odoo from the venv with the project's configuration.
odoo() {
    local command=()
    case "${1:-}" in -*|"") ;; *) command=("$1"); shift ;; esac  # shell, server, …
    (cd "$ROOT" && "$PY" "$ODOO_SRC/odoo-bin" "${command[@]}" -c "$ROOT/odoo.conf" --data-dir "$LOCAL/filestore" "$@")
}
