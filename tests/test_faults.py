"""Fault tests: work interrupted by a killed process must leave nothing
half-written, and must be done exactly once when it runs again; a database
restart must fail requests cleanly, and the server must recover from it.

The work runs in an Odoo process of its own (`odoo shell` running the queued
import or the recycling job the way the scheduler runs them, or a second
server for an approval), which the test kills with SIGKILL in the middle; the
live server of the suite (tests/conftest.py) is used to watch and check over
XML-RPC, as an integrator would. Those processes log into
.local/logs/test-fault-*.log, which the run does not check for errors: the
errors of a killed process or of a database that went away are the point.
"""

import ast
import base64
import glob
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from pathlib import Path

import openpyxl
import psycopg2
import pytest
from conftest import Client, start_odoo, stop_odoo
from test_xmlrpc_contract import new_contract, state

ROOT = Path(__file__).resolve().parent.parent
N_ROWS = 3000  # above the import's synchronous limit (2,000): queued, in batches of 1,000


def odoo_shell(db, code, log_name):
    """Start `odoo shell` running ``code`` (then committing), without waiting."""
    odoo_src = Path(os.environ.get("ODOO_SRC", "/opt/odoo"))
    cmd = [
        sys.executable, str(odoo_src / "odoo-bin"), "shell", "-c", str(ROOT / "odoo.conf"),
        "--data-dir", str(ROOT / ".local" / "filestore"), "-d", db, "--no-http",
        "--logfile", str(ROOT / ".local" / "logs" / log_name),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # One line for the interactive console, whatever the code's blocks.
    proc.stdin.write(f"exec({code!r})\nenv.cr.commit()\nprint('FAULT-TEST-DONE')\n".encode())
    proc.stdin.close()
    return proc


def customers_file(prefix, n):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Customer Name", "Mobile"])
    for i in range(n):
        sheet.append([f"{prefix} {i:05d}", f"1{36 + i % 3}{int(time.time()) % 100:02d}{i:06d}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode()


def test_import_killed_midway_leaves_nothing_and_runs_again(client, odoo_db):
    gm = client("gm")
    prefix = f"Fault Import {int(time.time())}"
    job_id = gm.call("crm.import.job", "create", {
        "target": "customer", "file": customers_file(prefix, N_ROWS), "file_name": "fault.xlsx",
    })  # fmt: skip
    gm.call("crm.import.job", "action_import", [job_id])
    assert gm.call("crm.import.job", "read", [job_id], ["state"])[0]["state"] == "queued"

    def job():
        return gm.call("crm.import.job", "read", [job_id], ["state", "progress"])[0]

    def imported():
        return gm.call("res.partner", "search_count", [("name", "=like", f"{prefix} %")])

    runner = odoo_shell(odoo_db, "env['crm.import.job']._cron_run_queued()", "test-fault-import-1.log")
    try:
        # Kill it once it has written rows (progress is committed on its own cursor).
        deadline = time.monotonic() + 300
        while job()["progress"] <= 0:
            assert runner.poll() is None, runner.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the import showed no progress"
            time.sleep(0.2)
        assert job()["progress"] < 100
    finally:
        runner.send_signal(signal.SIGKILL)
        runner.wait(30)
    assert job()["state"] == "queued", "an interrupted import stays queued"
    assert imported() == 0, "an interrupted import leaves no row behind"

    runner = odoo_shell(odoo_db, "env['crm.import.job']._cron_run_queued()", "test-fault-import-2.log")
    assert runner.wait(600) == 0, runner.stderr.read().decode()[-2000:]
    assert b"FAULT-TEST-DONE" in runner.stdout.read()
    done = gm.call("crm.import.job", "read", [job_id], ["state", "created_ids", "progress"])[0]
    assert done["state"] == "done" and done["progress"] == 100
    assert imported() == N_ROWS == len(done["created_ids"]), "every row once, none twice"
    names = gm.call("res.partner", "search_read", [("name", "=like", f"{prefix} %")], fields=["name"])
    assert len({row["name"] for row in names}) == N_ROWS


def run_shell(db, code, log_name, timeout=600):
    """Run ``code`` in `odoo shell` to the end; what it printed."""
    proc = odoo_shell(db, code, log_name)
    proc.stdin = None  # written and closed already
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    assert proc.returncode == 0 and b"FAULT-TEST-DONE" in out, err.decode()[-3000:]
    return out.decode()


N_DUE = 3000  # recycled in batches of 1,000 (the job's default), each committed on its own

RECYCLE_SETUP = """
from odoo import fields
from odoo.tools import SQL
rep = env["res.users"].search([("login", "=", "rep")])
others = env["crm.pool"].search([("recycle_active", "=", True)])
print("OTHER-POOLS", others.ids)
others.recycle_active = False
pool = env["crm.pool"].create({
    "name": PREFIX, "followup_days": 30, "no_opportunity_days": 0, "not_won_days": 0, "warning_days": 0,
})
first = env["res.partner"].create({"name": f"{PREFIX} 00000", "is_company": True, "crm_managed": True, "user_id": rep.id})
env.flush_all()
# The others are copies of the first, row for row: the data is not what is tested.
env.cr.execute(
    "SELECT column_name FROM information_schema.columns WHERE table_name = 'res_partner'"
    " AND column_name NOT IN ('id', 'name', 'complete_name', 'commercial_partner_id')"
)
columns = SQL(", ").join(SQL.identifier(name) for (name,) in env.cr.fetchall())
env.cr.execute(SQL(
    "INSERT INTO res_partner (name, complete_name, %s)"
    " SELECT n, n, %s FROM res_partner, LATERAL (SELECT %s || ' ' || lpad(g::text, 5, '0') AS n"
    "   FROM generate_series(1, %s) AS g) AS names WHERE id = %s",
    columns, columns, PREFIX, N_DUE - 1, first.id,
))
# Owned for months and not followed up for 40 days: all due in the new pool.
env.cr.execute(
    "UPDATE res_partner SET commercial_partner_id = id, crm_pool_id = %s, crm_last_followup_date = current_date - 40,"
    " crm_claim_date = now() at time zone 'UTC' - interval '90 days' WHERE name LIKE %s",
    [pool.id, f"{PREFIX} %"],
)
env.ref("crm_core.ir_cron_crm_recycle").nextcall = fields.Datetime.now()
print("POOL", pool.id)
"""

# The scheduler's own path for one job (odoo/addons/base/models/ir_cron.py
# _process_jobs): acquire the job row, run it batch after batch with the
# progress API committing each, until the job is rescheduled for later.
RECYCLE_RUN = """
import odoo
Cron = env.registry["ir.cron"]
cron_id = env.ref("crm_core.ir_cron_crm_recycle").id
env.cr.commit()
db = odoo.sql_db.db_connect(env.cr.dbname)
while True:
    with db.cursor() as cron_cr:
        job = Cron._acquire_one_job(cron_cr, cron_id)
        if not job:
            break
        Cron._process_job(db, cron_cr, job)
"""


def test_pool_recycling_killed_midway_resumes_without_doing_anything_twice(client, odoo_db):
    gm, admin = client("gm"), client("admin")
    prefix = f"Fault Recycle {int(time.time())}"
    out = run_shell(odoo_db, f"PREFIX = {prefix!r}\nN_DUE = {N_DUE}\n{RECYCLE_SETUP}", "test-fault-recycle-0.log")
    other_pools = ast.literal_eval(out.split("OTHER-POOLS ", 1)[1].splitlines()[0])
    pool_id = int(out.split("POOL ", 1)[1].split()[0])

    def recycled():
        return gm.call("res.partner", "search", [("name", "=like", f"{prefix} %"), ("user_id", "=", False)])

    def recycle_logs():
        """{customer id: number of recycle entries in the ownership history}"""
        groups = gm.call(
            "crm.ownership.log", "read_group",
            [("partner_id.name", "=like", f"{prefix} %"), ("action", "=", "recycle")], ["partner_id"], ["partner_id"],
        )  # fmt: skip
        return {group["partner_id"][0]: group["partner_id_count"] for group in groups}

    try:
        runner = odoo_shell(odoo_db, RECYCLE_RUN, "test-fault-recycle-1.log")
        try:
            deadline = time.monotonic() + 300
            while not recycled():
                assert runner.poll() is None, runner.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "the recycling job showed no progress"
                time.sleep(0.1)
        finally:
            runner.send_signal(signal.SIGKILL)
            runner.wait(30)
        done = recycled()
        # Whole batches only: each batch is one transaction.
        assert 0 < len(done) < N_DUE and len(done) % 1000 == 0, len(done)
        assert recycle_logs() == dict.fromkeys(done, 1), "each recycled customer has its history entry, no other"

        run_shell(odoo_db, RECYCLE_RUN, "test-fault-recycle-2.log")
        done = recycled()
        assert len(done) == N_DUE, "the job resumed and recycled the rest"
        assert recycle_logs() == dict.fromkeys(done, 1), "nobody was recycled twice"
        assert gm.call("res.partner", "search_count", [("crm_pool_id", "=", pool_id), ("user_id", "!=", False)]) == 0
    finally:
        admin.call("crm.pool", "write", other_pools, {"recycle_active": True})
        admin.call("crm.pool", "write", [pool_id], {"recycle_active": False})


HOLD_LOCK = 7_400_042  # an advisory lock key of this test's own

# Holds the approving transaction once it has written the approval, until the
# test lets go: the server is killed right there, in the middle.
HOLD_TRIGGER = """
CREATE OR REPLACE FUNCTION crm_fault_hold() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_advisory_xact_lock({key}); RETURN NEW; END $$;
CREATE TRIGGER crm_fault_hold AFTER UPDATE OF state ON crm_contract FOR EACH ROW
    WHEN (NEW.state = 'approved' AND NEW.id = {contract_id}) EXECUTE FUNCTION crm_fault_hold();
"""


def test_contract_approval_killed_midway_is_not_half_done(client, odoo_db):
    rep, admin = client("rep"), client("admin")
    contract_id, _title = new_contract(client, "rep", 5000)
    rep.call("crm.contract", "action_submit", [contract_id])

    def reviews():
        return admin.call(
            "tier.review", "search_read", [("model", "=", "crm.contract"), ("res_id", "=", contract_id)],
            fields=["status", "done_by"],
        )  # fmt: skip

    def messages():
        return admin.call("mail.message", "search_count", [("model", "=", "crm.contract"), ("res_id", "=", contract_id)])

    before = messages()
    watcher = psycopg2.connect(dbname=odoo_db)
    watcher.autocommit = True
    cursor = watcher.cursor()
    try:
        cursor.execute("SELECT pg_advisory_lock(%s)", [HOLD_LOCK])
        cursor.execute(HOLD_TRIGGER.format(key=HOLD_LOCK, contract_id=int(contract_id)))
        server, url = start_odoo(odoo_db, "test-fault-approval-1.log")
        try:
            manager = Client(url, odoo_db, "manager", "manager")
            outcome = []

            def approve():
                try:
                    outcome.append(manager.call("crm.contract", "validate_tier", [contract_id]))
                except Exception as error:  # noqa: BLE001 - the connection dies with the server
                    outcome.append(error)

            approving = threading.Thread(target=approve, daemon=True)
            approving.start()
            # Wait for the approval to reach the trigger: everything written, nothing committed.
            deadline = time.monotonic() + 120
            while True:
                cursor.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event = 'advisory' AND pid != pg_backend_pid()",
                    [odoo_db],
                )
                held = [row[0] for row in cursor.fetchall()]
                if held:
                    break
                assert time.monotonic() < deadline, "the approval never reached its last write"
                time.sleep(0.1)
            assert state(client, contract_id) == "to_approve", "nothing is visible before the commit"
        finally:
            server.send_signal(signal.SIGKILL)
            server.wait(30)
        cursor.execute("SELECT pg_advisory_unlock(%s)", [HOLD_LOCK])
        # The orphaned transaction ends (rolled back) once its client is gone.
        deadline = time.monotonic() + 60
        while True:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [held])
            if not cursor.fetchone()[0]:
                break
            assert time.monotonic() < deadline, "the killed server's transaction is still running"
            time.sleep(0.2)
        approving.join(30)
        assert outcome and isinstance(outcome[0], OSError | xmlrpc.client.ProtocolError), outcome
    finally:
        cursor.execute("DROP TRIGGER IF EXISTS crm_fault_hold ON crm_contract")
        cursor.execute("DROP FUNCTION IF EXISTS crm_fault_hold()")
        watcher.close()

    assert state(client, contract_id) == "to_approve"
    assert [review["status"] for review in reviews()] == ["pending"]
    assert messages() == before, "no message of an approval that did not happen"

    # The restarted server approves it, once.
    server, url = start_odoo(odoo_db, "test-fault-approval-2.log")
    try:
        assert Client(url, odoo_db, "manager", "manager").call("crm.contract", "validate_tier", [contract_id]) is True
    finally:
        stop_odoo(server)
    assert state(client, contract_id) == "approved"
    [review] = reviews()
    assert review["status"] == "approved" and review["done_by"][0] == client("manager").uid


def pg_bindir():
    for candidate in [os.environ.get("PG_BINDIR"), *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]:
        if candidate and os.access(os.path.join(candidate, "pg_ctl"), os.X_OK):
            return candidate
    found = shutil.which("pg_ctl")
    assert found, "no PostgreSQL server binaries (pg_ctl) to start a cluster of the test's own"
    return os.path.dirname(found)


class Cluster:
    """A PostgreSQL cluster of this test's own, to restart without
    disturbing the suite's server (nor the install matrix running beside)."""

    def __init__(self):
        self.bindir = pg_bindir()
        self.base = Path(tempfile.mkdtemp(prefix="crm-fault-pg-"))
        self.data, self.run = self.base / "data", self.base / "run"
        self.run.mkdir()
        # initdb and pg_ctl refuse root: the cluster belongs to an unprivileged user.
        self.owner = os.environ.get("CRM_PG_OWNER", "postgres") if os.geteuid() == 0 else None
        if self.owner:
            shutil.chown(self.base, self.owner)
            shutil.chown(self.run, self.owner)
        self.as_owner("initdb", "-D", self.data, "-U", "odoo", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        self.env = {**os.environ, "PGHOST": str(self.run), "PGPORT": "5432", "PGUSER": "odoo", "PGDATABASE": "postgres"}

    def as_owner(self, command, *args):
        cmd = [os.path.join(self.bindir, command), *map(str, args)]
        if self.owner:
            cmd = ["runuser", "-u", self.owner, "--", *cmd]
        subprocess.run(cmd, check=True, cwd="/", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self):
        self.as_owner("pg_ctl", "-D", self.data, "-l", self.base / "postgresql.log", "-w", "-t", "60", "start",
                      "-o", f"-c listen_addresses='' -k {self.run} -p 5432")  # fmt: skip

    def stop(self):
        self.as_owner("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def copy_database(self, name):
        """The suite's database, copied into this cluster under the same name
        (so that it finds the same filestore)."""
        subprocess.run([os.path.join(self.bindir, "createdb"), name], env=self.env, check=True)
        dump = subprocess.Popen([os.path.join(self.bindir, "pg_dump"), "-Fc", "-Z0", name], stdout=subprocess.PIPE)
        subprocess.run(
            [os.path.join(self.bindir, "pg_restore"), "--no-owner", "-d", name],
            stdin=dump.stdout, env=self.env, check=True,
        )  # fmt: skip
        assert dump.wait() == 0

    def remove(self):
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.base, ignore_errors=True)


def test_postgresql_restart_fails_requests_cleanly_and_recovers(client, odoo_db):
    cluster = Cluster()
    try:
        cluster.start()
        cluster.copy_database(odoo_db)
        server, url = start_odoo(odoo_db, "test-fault-pg.log", env=cluster.env)
        try:
            rep = Client(url, odoo_db, "rep", "rep")
            mine = rep.call("res.partner", "search", [("user_id", "=", rep.uid), ("parent_id", "=", False)])
            assert mine

            cluster.stop()
            for _attempt in range(3):
                started = time.monotonic()
                with pytest.raises(xmlrpc.client.Fault) as refused:
                    rep.call("res.partner", "search_read", [("id", "in", mine)], fields=["name"])
                assert time.monotonic() - started < 30, "a request hung while the database was down"
                assert "connection" in refused.value.faultString.lower(), refused.value.faultString[-500:]
            assert server.poll() is None, "the server survived the database going away"

            cluster.start()
            # No restart of Odoo: its pool drops the dead connections and opens new ones.
            subject = f"After the restart {int(time.time())}"
            followup = rep.call("crm.followup", "create", {"partner_id": mine[0], "content": subject})
            assert rep.call("crm.followup", "read", [followup], ["content"])[0]["content"] == subject
            assert len(rep.call("res.partner", "search_read", [("id", "in", mine)], fields=["name"])) == len(mine)
        finally:
            stop_odoo(server)
    finally:
        cluster.remove()
