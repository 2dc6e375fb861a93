"""Fault tests: work interrupted by a killed process must leave nothing
half-written, and must be done exactly once when it runs again.

The work runs in its own Odoo process (`odoo shell`, as the scheduled job
would run it), which the test kills with SIGKILL in the middle; the live
server of the suite (tests/conftest.py) is used to watch and check over
XML-RPC, as an integrator would.
"""

import base64
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl

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
    proc.stdin.write(f"{code}\nenv.cr.commit()\nprint('FAULT-TEST-DONE')\n".encode())
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
