"""What the data builder (build_data.py, inside Odoo) and the locust users
(locustfile.py, in the load test's own venv) must agree on."""

import hashlib

# Password of every load user (load_rep_00..49, load_manager_0..9, load_gm),
# for the web client's session login.
PASSWORD = "load"
REP_COUNT = 50
MANAGER_COUNT = 10


def api_key(login):
    """The RPC API key of a load user: 40 hex digits like Odoo's own keys,
    derived from the login so that the locust process needs no key file.
    Only ever created in the load test's databases."""
    return hashlib.sha1(f"crm-load:{login}".encode()).hexdigest()


def rep_logins():
    return [f"load_rep_{i:02d}" for i in range(REP_COUNT)]


def manager_logins():
    return [f"load_manager_{i}" for i in range(MANAGER_COUNT)]


GM_LOGIN = "load_gm"

# How report.py judges each request name (locustfile.py names them
# "<role>: <action>"): single-record actions carry the goal of issue 9
# (95th percentile under 500 ms); setup calls happen once per user.
P95_GOAL_MS = 500
SINGLE_RECORD_ACTIONS = (
    "open a customer", "log a follow-up", "claim from the pool", "release to the pool", "create a quotation",
)  # fmt: skip
SETUP_ACTIONS = (
    "login", "open the customer menu", "open the pool menu", "open the funnel menu", "load the customer views", "fetch ",
)  # fmt: skip


def action_kind(name):
    """'setup', 'single' (one record) or 'list' (a page, a count, a report)."""
    action = name.split(": ", 1)[-1]
    if action.startswith(SETUP_ACTIONS):
        return "setup"
    if action.startswith(SINGLE_RECORD_ACTIONS):
        return "single"
    return "list"
