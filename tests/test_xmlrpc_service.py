"""Service tickets (服务管理) over XML-RPC on a live server: the whole flow,
each step by its role, and what each role is refused.

Demo data (crm_core/demo): rep works in the Shanghai team, which has no
leader of its own, under East China (manager); manager2 leads South China;
engineer and engineer2 hold the Service Engineer role only. Every test files
its own tickets under a unique subject: the database is shared by the suite.
"""

import uuid
import xmlrpc.client
from datetime import datetime, timedelta, timezone

import pytest
from test_xmlrpc_contract import access_denied, refused
from test_xmlrpc_pool import ACCESS_ERROR

# A customer's signature as the signature widget sends it: a base64 PNG.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAHgAAAAoCAYAAAA16j4lAAABoUlEQVR42u2azRWDMAyDS3bIYEzawRgivfIoCfmxLSdIlx56wPiL9IxhSyl9qHUV"
    "2AICpgiYImCKgCkCprwBjnFP51/KVpvmc/Ad1OP4bmz7Ag726Ng3pomKg58aiHDxW9MkvMm5M9Qq3WNRB5dccv3Pyj01zZjFyT09VJ2izwVci7Fw"
    "T20sz+Dkuxpr6g7I04WCOxPkGPeUuxczB9c2B+Hi3LW9Q86BbTVP0HQKaiirTROvkEtgW5MxWMPVju5WQJ4gj8ax6BQt7VwJ8CM1IZ+TSwdqtIaA"
    "gOtxkYFysmQcizhYEq6UizVr0jq8EgOUOGCNmx+FbFGTZOM143gooleMZeu41o7jbgdrw+1xscWBk7qGVRyLDVnoRx2rNBl1stSyQhWwxQpydDGi"
    "2axeyIg4bgaMXCX2rj/RkDWWFSqAZxiqLOt5guwhjquHLE9bndz7ZFTjWlLNw3vmP8AeGun9Jb3HT5KqI7rmtRpa6JpK1/fWr1AqElXsDA289gg1"
    "RIksOrzEIL+pNlp0oBxCXAs5mFrcwRQBUwRMETABUzPrBxVes1RBTN6qAAAAAElFTkSuQmCC"
)


def denied(message):
    """pytest.raises for an AccessError saying ``message``."""
    return pytest.raises(
        xmlrpc.client.Fault, check=lambda fault: fault.faultCode == ACCESS_ERROR and message in fault.faultString
    )


def utc(hours):
    """A datetime ``hours`` from now as Odoo takes it over RPC (UTC, no zone)."""
    return (datetime.now(timezone.utc) + timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M:%S")


def rep_customer(client, login):
    """A customer of the archive owned by ``login`` (read by admin)."""
    [partner] = client("admin").call(
        "res.partner", "search",
        [("crm_managed", "=", True), ("parent_id", "=", False), ("user_id.login", "=", login)], limit=1,
    )  # fmt: skip
    return partner


def new_ticket(client, login="rep", **vals):
    """A complaint filed by ``login`` for one of their customers; (id, subject)."""
    subject = f"RPC complaint {uuid.uuid4().hex[:8]}"
    ticket_id = client(login).call("crm.service.ticket", "create", {
        "subject": subject, "ticket_type": "complaint", "priority": "2", "channel": "phone",
        "partner_id": rep_customer(client, login), "description": "The gate camera drops its picture at night.",
        "task_ids": [(0, 0, {"name": "Check the power supply"})], **vals,
    })  # fmt: skip
    return ticket_id, subject


def read(client, login, ticket_id, fields):
    return client(login).call("crm.service.ticket", "read", [ticket_id], fields)[0]


def dispatch(client, ticket_id, engineer="engineer"):
    manager = client("manager")
    manager.call("crm.service.ticket", "write", [ticket_id], {
        "engineer_id": client(engineer).uid, "planned_date": utc(2), "address": "690 Bibo Road, Pudong, Shanghai",
        "task_ids": [(0, 0, {"name": "Replace the camera's power adapter"})],
    })  # fmt: skip
    assert manager.call("crm.service.ticket", "action_dispatch", [ticket_id]) is True


def a_part(client):
    [product] = client("admin").call("product.product", "search", [("type", "=", "consu")], limit=1)
    return product


def test_service_flow_by_role(client):
    rep, manager, engineer = client("rep"), client("manager"), client("engineer")

    # The rep records the complaint: owner and department come from the customer.
    ticket_id, subject = new_ticket(client)
    row = read(client, "rep", ticket_id, ["name", "state", "user_id", "crm_team_id", "partner_id", "task_ids"])
    customer = client("admin").call("res.partner", "read", [row["partner_id"][0]], ["crm_team_id"])[0]
    assert row["state"] == "new" and row["name"].startswith("SV")
    assert row["user_id"][0] == rep.uid
    assert row["crm_team_id"] == customer["crm_team_id"]
    assert len(row["task_ids"]) == 1
    # Nobody dispatched it: no engineer sees it; the rep may not dispatch it.
    assert engineer.call("crm.service.ticket", "search", [("id", "=", ticket_id)]) == []
    with denied("Only a department manager dispatches"):
        rep.call("crm.service.ticket", "action_dispatch", [ticket_id])

    # The department's manager dispatches it to the engineer with a date and tasks.
    assert manager.call("crm.service.ticket", "search", [("subject", "=", subject)]) == [ticket_id]
    dispatch(client, ticket_id)
    row = read(client, "manager", ticket_id, ["state", "engineer_id", "planned_date", "date_dispatched", "task_ids"])
    assert row["state"] == "dispatched" and row["engineer_id"][0] == engineer.uid
    assert row["planned_date"] and row["date_dispatched"] and len(row["task_ids"]) == 2

    # The other engineer neither finds nor reads it.
    other = client("engineer2")
    assert other.call("crm.service.ticket", "search", [("id", "=", ticket_id)]) == []
    assert other.call("crm.service.task", "search", [("ticket_id", "=", ticket_id)]) == []
    with access_denied():
        other.call("crm.service.ticket", "read", [ticket_id], ["subject"])
    with access_denied():
        other.call("crm.service.ticket", "action_start", [ticket_id])

    # The engineer finds it among their dispatches, ticks the tasks off and reports.
    mine = engineer.call(
        "crm.service.ticket", "search_read", [("engineer_id", "=", engineer.uid), ("subject", "=", subject)],
        fields=["state", "address", "task_ids"],
    )  # fmt: skip
    assert [r["state"] for r in mine] == ["dispatched"] and "Bibo Road" in mine[0]["address"]
    assert engineer.call("crm.service.ticket", "action_start", [ticket_id]) is True
    engineer.call("crm.service.ticket", "write", [ticket_id], {
        "task_ids": [(1, task_id, {"is_done": True}) for task_id in mine[0]["task_ids"]],
        "work_done": "Replaced the power adapter; the picture holds at night.",
        "part_ids": [(0, 0, {"product_id": a_part(client), "quantity": 1})],
        "hours_spent": 1.5, "signature": SIGNATURE, "signed_by": "Manager Wang",
    })  # fmt: skip
    assert engineer.call("crm.service.ticket", "action_report", [ticket_id]) is True
    row = read(client, "engineer", ticket_id, ["state", "date_reported", "signed_on", "part_ids", "hours_spent"])
    assert row["state"] == "reported" and row["date_reported"] and row["signed_on"]
    assert len(row["part_ids"]) == 1 and row["hours_spent"] == 1.5
    tasks = engineer.call("crm.service.task", "search_read", [("ticket_id", "=", ticket_id)], fields=["is_done"])
    assert [t["is_done"] for t in tasks] == [True, True]
    # The engineer does not do the return visit of their own work.
    with denied("rep or the manager"):
        engineer.call("crm.service.ticket", "action_visit", [ticket_id])

    # The rep calls the customer back, then closes the ticket.
    rep.call("crm.service.ticket", "write", [ticket_id], {"satisfaction": "4", "visit_comment": "Fixed the same day."})
    assert rep.call("crm.service.ticket", "action_visit", [ticket_id]) is True
    row = read(client, "rep", ticket_id, ["state", "visit_user_id", "visit_date"])
    assert row["state"] == "visited" and row["visit_user_id"][0] == rep.uid and row["visit_date"]
    assert rep.call("crm.service.ticket", "action_close", [ticket_id]) is True
    row = read(client, "rep", ticket_id, ["state", "date_closed", "sla_state"])
    assert row["state"] == "closed" and row["date_closed"] and row["sla_state"] == "on_time"
    with refused("cannot go from"):
        rep.call("crm.service.ticket", "action_cancel", [ticket_id])


def test_forged_steps_are_refused(client):
    rep, engineer = client("rep"), client("engineer")
    ticket_id, _subject = new_ticket(client)
    # The state and the dates move only through the buttons.
    for vals in ({"state": "closed"}, {"date_reported": utc(0)}, {"date_open": utc(-48)}):
        with denied("change only through its buttons"):
            rep.call("crm.service.ticket", "write", [ticket_id], vals)
    with denied("set by its buttons"):
        new_ticket(client, state="closed")
    # Steps out of order, and an engineer filing tickets.
    with refused("cannot go from"):
        client("manager").call("crm.service.ticket", "action_close", [ticket_id])
    with refused("comes after the work report"):
        rep.call("crm.service.ticket", "write", [ticket_id], {"satisfaction": "5"})
    with access_denied():
        engineer.call("crm.service.ticket", "create", {
            "subject": "Filed by an engineer", "description": "-", "partner_id": rep_customer(client, "rep"),
        })  # fmt: skip

    dispatch(client, ticket_id)
    engineer.call("crm.service.ticket", "action_start", [ticket_id])
    # The engineer writes the work report only, and reports it signed only.
    with denied("only the work report"):
        engineer.call("crm.service.ticket", "write", [ticket_id], {"subject": "Something else"})
    with denied("change only through its buttons"):
        engineer.call("crm.service.ticket", "write", [ticket_id], {"state": "reported"})
    report = {"work_done": "Replaced the adapter.", "signed_by": "Wang"}
    engineer.call("crm.service.ticket", "write", [ticket_id], report)
    with refused("needs the customer's signature"):
        engineer.call("crm.service.ticket", "action_report", [ticket_id])
    # A rep does not report for the engineer.
    with denied("not to you"):
        rep.call("crm.service.ticket", "action_report", [ticket_id])
    assert read(client, "rep", ticket_id, ["state"])["state"] == "in_progress"
    # Another department's people see nothing of it.
    for login in ("rep4", "manager2"):
        assert client(login).call("crm.service.ticket", "search", [("id", "=", ticket_id)]) == [], login


def test_service_analysis_as_manager(client):
    engineer = client("engineer")
    ticket_id, _subject = new_ticket(client)
    dispatch(client, ticket_id)
    engineer.call("crm.service.ticket", "action_start", [ticket_id])
    engineer.call("crm.service.ticket", "write", [ticket_id], {
        "work_done": "Cleaned the lens.", "hours_spent": 2.0, "signature": SIGNATURE, "signed_by": "Ms Li",
    })  # fmt: skip
    engineer.call("crm.service.ticket", "action_report", [ticket_id])
    client("rep").call("crm.service.ticket", "write", [ticket_id], {"satisfaction": "5"})
    client("rep").call("crm.service.ticket", "action_visit", [ticket_id])

    manager = client("manager")
    measures = ["satisfaction:avg", "hours_spent:sum", "response_hours:avg", "resolution_hours:avg", "late_count:sum"]
    # The ticket alone, as a pivot cell.
    [row] = manager.call(
        "crm.service.report", "read_group", [("ticket_id", "=", ticket_id)], measures, ["engineer_id", "ticket_type"],
        lazy=False,
    )  # fmt: skip
    assert row["engineer_id"][0] == engineer.uid and row["ticket_type"] == "complaint" and row["__count"] == 1
    assert row["satisfaction"] == 5 and row["hours_spent"] == 2.0 and row["late_count"] == 0
    assert 0 <= row["response_hours"] <= row["resolution_hours"] < 1
    # The whole analysis, by engineer and month, as the manager's graph asks for it.
    groupby = ["engineer_id", "date_open:month"]
    rows = manager.call("crm.service.report", "read_group", [], measures, groupby, lazy=False)
    mine = [r for r in rows if r["engineer_id"] and r["engineer_id"][0] == engineer.uid]
    assert sum(r["__count"] for r in mine) >= 1
    assert all(not r["satisfaction"] or 1 <= r["satisfaction"] <= 5 for r in mine)
    # Another department's manager does not see the ticket in it.
    assert client("manager2").call("crm.service.report", "search_count", [("ticket_id", "=", ticket_id)]) == 0
