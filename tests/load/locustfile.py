"""Load test of issue 9: sales reps, department managers and a general
manager doing their daily mix against a running Odoo (scripts/load.sh).

Three ways in, as real clients use them:
  web      the web client's calls: a session cookie from
           /web/session/authenticate, then /web/action/load and
           /web/dataset/call_kw (JSON-RPC), with the specifications the list
           and form views ask for;
  xmlrpc   /xmlrpc/2/object execute_kw with the user's API key;
  jsonrpc  /jsonrpc, service "object", execute_kw with the user's API key.
Each call is reported to locust as one named request (type = the way in),
timed from the request to the decoded answer. An Odoo fault is a failure,
except the one refusal a claim may meet by design ("already claimed" by
another rep), which is reported under its own name and not as a failure.

Environment: CRM_LOAD_DB (database), CRM_LOAD_WAIT ("min,max" seconds
between two actions of a user, default "1,3"), CRM_LOAD_SAMPLES (a CSV
file that receives every request: end time, type, name, milliseconds,
failed; report.py reads it for the figures after the warm-up). Users are
taken from tests/load/common.py (made by build_data.py).
"""

# locust first: it monkey-patches the standard library for gevent, which
# must happen before requests imports ssl.
from locust import User, between, events, task  # isort: skip

import ast
import csv
import itertools
import os
import random
import sys
import time
import xml.etree.ElementTree as ET
import xmlrpc.client
from datetime import date, timedelta

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import GM_LOGIN, PASSWORD, api_key, manager_logins, rep_logins  # noqa: E402

DB = os.environ.get("CRM_LOAD_DB", "crm_load")
WAIT_MIN, WAIT_MAX = (float(x) for x in os.environ.get("CRM_LOAD_WAIT", "1,3").split(","))
PAGE = 80  # rows of a list page, as the web client asks
COUNT_LIMIT = 10001  # the web client's count limit
CUSTOMERS_ACTION = "crm_core.res_partner_action_crm_customer"
POOL_ACTION = "crm_core.res_partner_action_crm_pool"
FUNNEL_ACTION = "crm_core.crm_lead_action_funnel"
# The funnel's default filters (crm's filter_ongoing OR filter_won) on its action domain.
FUNNEL_DOMAIN = [
    "&", ("type", "=", "opportunity"),
    "|", "&", ("active", "=", True), ("stage_id.is_won", "=", False),
    "&", ("active", "=", True), ("stage_id.is_won", "=", True),
]  # fmt: skip
EXPECTED_REFUSALS = {"already claimed": "refused: already claimed by another rep"}

_rep_slots = itertools.count()
_logins = {"rep": itertools.count(), "manager": itertools.count(), "gm": itertools.count()}


class OdooError(Exception):
    """A fault returned by Odoo (its exception class and first line)."""


class OdooClient:
    """One user's connections to Odoo: a web session and API-key RPC, each
    call fired as a locust request event."""

    def __init__(self, environment, host, login):
        self.environment = environment
        self.host = host.rstrip("/")
        self.login_name = login
        self.key = api_key(login)
        self.http = requests.Session()
        self.uid = None
        self.context = {}
        self._ids = itertools.count(1)

    # -- plumbing -------------------------------------------------------
    def _fire(self, request_type, name, started, length, exception):
        self.environment.events.request.fire(
            request_type=request_type,
            name=name,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=length,
            exception=exception,
            context={"login": self.login_name},
        )

    def _timed(self, request_type, name, send, expected=None):
        """Run send() -> (result, length); fire the event; return the result
        (None on failure). An expected refusal is fired under its own name."""
        started = time.perf_counter()
        try:
            result, length = send()
        except OdooError as error:
            for marker, label in (expected or {}).items():
                if marker in str(error):
                    self._fire(request_type, f"{name} ({label})", started, 0, None)
                    return None
            self._fire(request_type, name, started, 0, error)
            return None
        except Exception as error:  # noqa: BLE001 (transport errors are failures too)
            self._fire(request_type, name, started, 0, error)
            return None
        self._fire(request_type, name, started, length, None)
        return result

    def _post_json(self, path, params):
        response = self.http.post(
            self.host + path,
            json={"jsonrpc": "2.0", "method": "call", "id": next(self._ids), "params": params},
            timeout=60,
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            data = body["error"].get("data") or {}
            message = (data.get("message") or body["error"].get("message") or "").splitlines()
            raise OdooError(f"{data.get('name', 'error')}: {message[0] if message else ''}")
        return body["result"], len(response.content)

    # -- the three ways in ------------------------------------------------
    def web_login(self):
        def send():
            result, length = self._post_json(
                "/web/session/authenticate", {"db": DB, "login": self.login_name, "password": PASSWORD}
            )
            if not result or not result.get("uid"):
                raise OdooError(f"login {self.login_name} refused")
            return result, length

        info = self._timed("web", "login (web session)", send)
        if info:
            self.uid = info["uid"]
            self.context = dict(info.get("user_context") or {})
            self.context["allowed_company_ids"] = [info.get("company_id") or 1]
        return info

    def web(self, name, model, method, *args, **kwargs):
        kwargs.setdefault("context", self.context)
        return self._timed(
            "web",
            name,
            lambda: self._post_json(
                f"/web/dataset/call_kw/{model}/{method}", {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
            ),
        )

    def web_action(self, name, xmlid):
        return self._timed("web", name, lambda: self._post_json("/web/action/load", {"action_id": xmlid}))

    def xmlrpc(self, name, model, method, *args, expected=None, **kwargs):
        def send():
            body = xmlrpc.client.dumps(
                (DB, self.uid, self.key, model, method, list(args), kwargs), "execute_kw", allow_none=True
            )
            response = self.http.post(
                self.host + "/xmlrpc/2/object", data=body.encode(), headers={"Content-Type": "text/xml"}, timeout=60
            )
            response.raise_for_status()
            try:
                (result,), _method = xmlrpc.client.loads(response.content, use_builtin_types=True)
            except xmlrpc.client.Fault as fault:
                # A refusal's message, or a server error's traceback (whose last line names it).
                lines = [line for line in fault.faultString.splitlines() if line.strip()] or [str(fault.faultCode)]
                raise OdooError(lines[-1] if lines[0].startswith("Traceback") else lines[0]) from None
            return result, len(response.content)

        return self._timed("xmlrpc", name, send, expected)

    def jsonrpc(self, name, model, method, *args, expected=None, **kwargs):
        params = {"service": "object", "method": "execute_kw", "args": [DB, self.uid, self.key, model, method, list(args), kwargs]}
        return self._timed("jsonrpc", name, lambda: self._post_json("/jsonrpc", params), expected)


def _top_fields(arch):
    """The <field> nodes of a view that are not inside another field (a
    field's own subview belongs to the field's specification)."""
    found = []

    def walk(node):
        for child in node:
            if child.tag == "field":
                found.append(child)
            else:
                walk(child)

    walk(ET.fromstring(arch))
    return found


def _specification(arch, fields):
    """What the web client asks for: display names of relations, the rest
    as is (x2many: 40 lines' display names, like a form's first page)."""
    spec = {}
    for node in _top_fields(arch):
        name = node.get("name")
        field = fields.get(name)
        if not field:
            continue
        if field["type"] == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif field["type"] in ("one2many", "many2many"):
            spec[name] = {"fields": {"display_name": {}}}
            if field["type"] == "one2many":
                spec[name]["limit"] = 40
        else:
            spec[name] = {}
    return spec


def _domain(action, default):
    """An action's domain: a literal string in /web/action/load's answer."""
    domain = action.get("domain") or default
    if isinstance(domain, str):
        try:
            domain = ast.literal_eval(domain)
        except (ValueError, SyntaxError):
            domain = default
    return domain


class OdooUser(User):
    """A person at work: logs in once, opens their screens once, then does
    the tasks of their role in a random mix."""

    abstract = True
    wait_time = between(WAIT_MIN, WAIT_MAX)
    role = None
    logins = ()
    list_name = None
    funnel_menu = False  # the role opens the Sales Funnel report

    def on_start(self):
        index = next(_logins[self.role])
        self.odoo = OdooClient(self.environment, self.host, self.logins[index % len(self.logins)])
        if not self.odoo.web_login():
            self.stop(force=True)
            return
        self.rng = random.Random(f"{self.odoo.login_name}-{index}")
        action = self.odoo.web_action(f"{self.role}: open the customer menu", CUSTOMERS_ACTION) or {}
        self.customer_domain = _domain(action, [("crm_managed", "=", True), ("parent_id", "=", False), ("user_id", "!=", False)])
        views = [[view_id, view_type] for view_id, view_type in action.get("views", []) if view_type in ("list", "form")]
        result = self.odoo.web(
            f"{self.role}: load the customer views", "res.partner", "get_views", views=views or [[False, "list"], [False, "form"]], options={}
        ) or {}
        fields = (result.get("models", {}).get("res.partner") or {}).get("fields", {})
        arches = {view_type: view["arch"] for view_type, view in result.get("views", {}).items()}
        self.list_spec = _specification(arches["list"], fields) if "list" in arches else {"display_name": {}}
        self.form_spec = _specification(arches["form"], fields) if "form" in arches else {"display_name": {}}
        self.page_ids = []
        self.customer_count = 0
        # The web client's reads: images as sizes, not data.
        self.read_context = dict(self.odoo.context, bin_size=True)
        if self.funnel_menu:
            self.odoo.web_action(f"{self.role}: open the funnel menu", FUNNEL_ACTION)

    # -- actions shared by the roles ---------------------------------------
    def list_customers(self, name):
        """The customer archive's list: the first page mostly, now and then a
        later one (paging, or a search landing further down)."""
        offset = 0
        if self.customer_count > PAGE and self.rng.random() < 0.3:
            offset = self.rng.randrange(0, min(self.customer_count, 50 * PAGE), PAGE)
        result = self.odoo.web(
            name, "res.partner", "web_search_read",
            domain=self.customer_domain, specification=self.list_spec,
            offset=offset, limit=PAGE, order="", count_limit=COUNT_LIMIT, context=self.read_context,
        )  # fmt: skip
        if result:
            self.customer_count = result["length"]
            self.page_ids = [record["id"] for record in result["records"]] or self.page_ids

    def open_customer(self, name):
        if not self.page_ids:
            self.list_customers(self.list_name)
        if self.page_ids:
            self.odoo.web(
                name, "res.partner", "web_read", [self.rng.choice(self.page_ids)],
                specification=self.form_spec, context=self.read_context,
            )  # fmt: skip

    def funnel(self, name, groupby):
        self.odoo.web(
            name, "crm.lead", "web_read_group",
            domain=FUNNEL_DOMAIN, fields=["__count", "expected_revenue:sum"], groupby=groupby, lazy=False,
        )  # fmt: skip

    def list_followups(self, name):
        self.odoo.jsonrpc(
            name, "crm.followup", "search_read", [],
            fields=["date", "partner_id", "user_id", "followup_type", "content", "next_date"],
            limit=PAGE, order="date desc, id desc",
        )  # fmt: skip


class SalesRep(OdooUser):
    weight = 8
    role = "rep"
    logins = rep_logins()

    def on_start(self):
        super().on_start()
        # Customers to follow up and quote for: the rep's own, as an
        # integration or a phone app would fetch them.
        self.own_ids = self.odoo.xmlrpc(
            "rep: fetch my customer ids", "res.partner", "search",
            [("user_id", "=", self.odoo.uid), ("crm_managed", "=", True), ("parent_id", "=", False)], limit=2000,
        ) or []  # fmt: skip
        self.product_ids = self.odoo.xmlrpc("rep: fetch products", "product.product", "search", [("sale_ok", "=", True)], limit=100) or []
        # Pool customers this simulated rep claims: its own slice of the
        # pools in reach (id modulo the number of users), so that two
        # simulated reps never race for one customer.
        pool_action = self.odoo.web_action("rep: open the pool menu", POOL_ACTION) or {}
        self.pool_domain = _domain(pool_action, [("crm_managed", "=", True), ("parent_id", "=", False), ("user_id", "=", False)])
        pool_ids = self.odoo.jsonrpc("rep: fetch pool ids", "res.partner", "search", self.pool_domain, order="id") or []
        slots = max(getattr(self.environment.parsed_options, "num_users", 0) or 0, 1)
        slot = next(_rep_slots) % slots
        self.pool_slice = [pid for pid in pool_ids if pid % slots == slot]
        self.rng.shuffle(self.pool_slice)

    list_name = "rep: list my customers"

    @task(10)
    def list_my_customers(self):
        self.list_customers(self.list_name)

    @task(8)
    def open_a_customer(self):
        self.open_customer("rep: open a customer")

    @task(5)
    def log_a_followup(self):
        if not self.own_ids:
            return
        self.odoo.xmlrpc(
            "rep: log a follow-up", "crm.followup", "create",
            {
                "partner_id": self.rng.choice(self.own_ids),
                "followup_type": self.rng.choice(["call", "visit", "email", "message", "meeting"]),
                "content": "电话沟通：客户询问报价和交期。",
                "result": "客户有兴趣",
                "next_date": (date.today() + timedelta(days=self.rng.randint(1, 30))).isoformat(),
            },
        )  # fmt: skip

    @task(2)
    def claim_from_the_pool(self):
        """Browse the pool, claim a customer of the slice, release it again
        (so the pool and the rep's holdings stay the same size)."""
        self.odoo.jsonrpc(
            "rep: browse the pool", "res.partner", "search_read", self.pool_domain,
            fields=["name", "crm_grade_id", "crm_region_id", "crm_pool_id", "crm_release_date"],
            limit=PAGE, offset=self.rng.randrange(0, 10) * PAGE,
        )  # fmt: skip
        if not self.pool_slice:
            return
        target = self.pool_slice.pop()
        claimed = self.odoo.jsonrpc("rep: claim from the pool", "res.partner", "action_claim", [target], expected=EXPECTED_REFUSALS)
        if claimed:
            self.odoo.jsonrpc("rep: release to the pool", "res.partner", "action_release", [target])
            self.pool_slice.insert(0, target)

    @task(2)
    def create_a_quotation(self):
        if not self.own_ids or not self.product_ids:
            return
        lines = [
            (0, 0, {"product_id": product, "product_uom_qty": self.rng.randint(1, 20)})
            for product in self.rng.sample(self.product_ids, self.rng.randint(1, 3))
        ]
        self.odoo.xmlrpc(
            "rep: create a quotation", "sale.order", "create",
            {"partner_id": self.rng.choice(self.own_ids), "order_line": lines},
        )  # fmt: skip


class DepartmentManager(OdooUser):
    weight = 2
    role = "manager"
    logins = manager_logins()

    funnel_menu = True
    list_name = "manager: list department customers"

    @task(8)
    def list_department_customers(self):
        self.list_customers(self.list_name)

    @task(5)
    def open_a_customer(self):
        self.open_customer("manager: open a customer")

    @task(3)
    def run_the_funnel(self):
        self.funnel("manager: sales funnel report", ["stage_id", "user_id"])

    @task(3)
    def department_followups(self):
        self.list_followups("manager: list department follow-ups")


class GeneralManager(OdooUser):
    weight = 1
    role = "gm"
    logins = [GM_LOGIN]
    funnel_menu = True

    @task(5)
    def run_the_funnel(self):
        self.funnel("gm: sales funnel report", ["stage_id", "team_id"])

    list_name = "gm: list all customers"

    @task(4)
    def list_all_customers(self):
        self.list_customers(self.list_name)

    @task(3)
    def open_a_customer(self):
        self.open_customer("gm: open a customer")

    @task(2)
    def all_followups(self):
        self.list_followups("gm: list follow-ups")


# Every request, for report.py: locust's own CSV has whole-run figures only
# (and percentiles rounded to 2 significant digits).
_samples = []


@events.request.add_listener
def _record_sample(request_type, name, response_time, exception=None, **_kwargs):
    _samples.append((f"{time.time():.3f}", request_type, name, f"{response_time:.1f}", int(exception is not None)))


@events.quitting.add_listener
def _write_samples(**_kwargs):
    path = os.environ.get("CRM_LOAD_SAMPLES")
    if path:
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["time", "type", "name", "ms", "failed"])
            writer.writerows(_samples)
