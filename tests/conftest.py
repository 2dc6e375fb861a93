"""Fixtures of the pytest suite: a real Odoo server on a free port.

scripts/test.sh sets the environment (PG* variables, ODOO_SRC, CRM_ROOT) and
CRM_TEST_DB, the database on which the bundle was installed with demo data.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import xmlrpc.client
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def odoo_db():
    db = os.environ.get("CRM_TEST_DB")
    if not db:
        pytest.fail("CRM_TEST_DB is not set: run the suite through scripts/test.sh (make test)")
    return db


def start_odoo(db, log_name, env=None, timeout=180):
    """Start an Odoo server on a free port for ``db``, logging into
    .local/logs/``log_name``; (process, url) once it answers /web/login."""
    odoo_src = Path(os.environ.get("ODOO_SRC", "/opt/odoo"))
    port = _free_port()
    logdir = ROOT / ".local" / "logs"
    logdir.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable, str(odoo_src / "odoo-bin"),
        "-c", str(ROOT / "odoo.conf"),
        "--data-dir", str(ROOT / ".local" / "filestore"),
        "-d", db, "--db-filter", f"^{db}$",
        "--http-interface", "127.0.0.1", "--http-port", str(port),
        "--gevent-port", str(_free_port()),
        "--max-cron-threads", "0",
        # Tests provoke refused calls on purpose, which odoo.http logs as
        # WARNING; errors (ERROR and worse) still reach the log and fail the run.
        "--log-handler", "odoo.http:ERROR",
        "--logfile", str(logdir / log_name),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            pytest.fail(f"Odoo exited with {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/web/login", timeout=5) as resp:
                if resp.status == 200:
                    return proc, url
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_odoo(proc)
            pytest.fail(f"Odoo did not answer on /web/login within {timeout} s")
        time.sleep(1)


def stop_odoo(proc):
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(30)


@pytest.fixture(scope="session")
def odoo_url(odoo_db):
    """Start Odoo on a free port for the session; stop it afterwards."""
    proc, url = start_odoo(odoo_db, "test-server-xmlrpc.log")
    try:
        yield url
    finally:
        stop_odoo(proc)


class Client:
    """An XML-RPC client logged in as one user, as an integrator would write it."""

    def __init__(self, url, db, login, password):
        self.db, self.password = db, password
        self.common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
        self.uid = self.common.authenticate(db, login, password, {})
        if not self.uid:
            raise AssertionError(f"login {login} refused")

    def call(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)


@pytest.fixture(scope="session")
def client(odoo_url, odoo_db):
    """client(login) -> a Client logged in with the demo password (= login);
    fresh=True gives a new one (a proxy is not thread-safe)."""
    cache = {}

    def make(login, password=None, fresh=False):
        if fresh:
            return Client(odoo_url, odoo_db, login, password or login)
        if login not in cache:
            cache[login] = Client(odoo_url, odoo_db, login, password or login)
        return cache[login]

    return make
