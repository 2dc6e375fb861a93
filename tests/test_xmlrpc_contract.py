"""Contracts and their collection plans over XML-RPC on a live server: who
reads and approves what, bad plans refused, and two general managers
approving the same contract at the same moment.

Demo data (crm_core/demo): rep and rep2 work in the Shanghai team, which has
no leader of its own, under East China (manager); rep4 in South China
(manager2); gm and admin are general managers. Departments approve up to
100,000; above, the general manager approves after the manager.
"""

import uuid
import xmlrpc.client
from datetime import date, timedelta

import pytest
from test_xmlrpc_pool import ACCESS_ERROR, at_once

USER_ERROR = 2  # Odoo's XML-RPC fault code for odoo.exceptions.UserError (and ValidationError)


def access_denied():
    """pytest.raises for an AccessError answered over XML-RPC."""
    return pytest.raises(xmlrpc.client.Fault, check=lambda fault: fault.faultCode == ACCESS_ERROR)


def refused(message):
    """pytest.raises for a UserError or ValidationError saying ``message``."""
    return pytest.raises(
        xmlrpc.client.Fault, check=lambda fault: fault.faultCode == USER_ERROR and message in fault.faultString
    )


def day(offset):
    return (date.today() + timedelta(days=offset)).isoformat()


def new_contract(client, login, amount, plan=(), **vals):
    """A draft contract of ``login`` for one of their customers, with
    instalments given as (name, due in days, {"amount"|"percentage": …});
    (id, title)."""
    admin = client("admin")
    [partner] = admin.call(
        "res.partner", "search",
        [("crm_managed", "=", True), ("parent_id", "=", False), ("user_id.login", "=", login)], limit=1,
    )  # fmt: skip
    title = vals.pop("title", f"RPC contract {uuid.uuid4().hex[:8]}")
    contract_id = client(login).call("crm.contract", "create", {
        "title": title, "partner_id": partner, "amount_total": amount,
        "plan_line_ids": [(0, 0, {"name": name, "due_date": day(due), **share}) for name, due, share in plan],
        **vals,
    })  # fmt: skip
    return contract_id, title


def state(client, contract_id):
    return client("admin").call("crm.contract", "read", [contract_id], ["state"])[0]["state"]


def test_contract_roles(client):
    rep, manager, gm, admin = client("rep"), client("manager"), client("gm"), client("admin")
    contract_id, _title = new_contract(
        client, "rep", 60000, [("Deposit", -40, {"percentage": 40}), ("Balance", 30, {"percentage": 60})]
    )
    assert rep.call("crm.contract", "action_submit", [contract_id]) is True
    [row] = rep.call("crm.contract", "read", [contract_id], ["state", "crm_approver_id", "crm_needs_gm"])
    assert row["state"] == "to_approve" and not row["crm_needs_gm"]
    assert row["crm_approver_id"][0] == manager.uid

    # A colleague, another department's rep and its manager see nothing.
    for login in ("rep2", "rep4", "manager2"):
        other = client(login)
        assert other.call("crm.contract", "search", [("id", "=", contract_id)]) == [], login
        assert other.call("crm.contract.plan", "search", [("contract_id", "=", contract_id)]) == [], login
        assert other.call("crm.receivable.report", "search", [("contract_id", "=", contract_id)]) == [], login
        with access_denied():
            other.call("crm.contract", "read", [contract_id], ["state"])
    with access_denied():
        client("manager2").call("crm.contract", "validate_tier", [contract_id])
    with refused("You are not the reviewer"):
        rep.call("crm.contract", "validate_tier", [contract_id])
    assert state(client, contract_id) == "to_approve"

    # The department's manager reads and approves.
    assert manager.call("crm.contract", "search", [("id", "=", contract_id)]) == [contract_id]
    assert manager.call("crm.contract", "validate_tier", [contract_id]) is True
    assert state(client, contract_id) == "approved"
    with refused("is no longer waiting for your review"):
        manager.call("crm.contract", "validate_tier", [contract_id])

    lines = rep.call(
        "crm.contract.plan", "search_read", [("contract_id", "=", contract_id)],
        fields=["name", "amount", "state"], order="due_date",
    )  # fmt: skip
    assert [(line["name"], line["amount"], line["state"]) for line in lines] == [
        ("Deposit", 24000, "overdue"), ("Balance", 36000, "planned"),
    ]  # fmt: skip
    for user in (rep, manager, gm):
        rows = user.call(
            "crm.receivable.report", "search_read", [("contract_id", "=", contract_id)],
            fields=["aging", "residual_amount"], order="due_date",
        )  # fmt: skip
        assert [(r["aging"], r["residual_amount"]) for r in rows] == [("31_60", 24000), ("not_due", 36000)]

    # The general manager reads all of them.
    everything = admin.call("crm.contract", "search", [])
    assert contract_id in everything
    assert sorted(gm.call("crm.contract", "search", [])) == sorted(everything)
    assert gm.call("crm.contract.plan", "search_count", []) == admin.call("crm.contract.plan", "search_count", [])
    assert gm.call("crm.receivable.report", "search_count", []) == admin.call("crm.receivable.report", "search_count", [])
    mine = rep.call("crm.contract", "search_read", [], fields=["user_id"])
    assert mine and {row["user_id"][0] for row in mine} == {rep.uid}


def test_bad_plans_are_refused(client):
    admin, rep = client("admin"), client("rep")
    title = f"RPC bad plan {uuid.uuid4().hex[:8]}"
    for plan, message in (
        ([("Deposit", 10, {"amount": 300}), ("Balance", 40, {"amount": 600})], "not to the contract amount"),
        ([("Everything", 10, {"percentage": 120})], "must be between 0 and 100"),
        ([("Deposit", 10, {"amount": -100}), ("Balance", 40, {"amount": 1100})], "must be positive"),
    ):
        with refused(message):
            new_contract(client, "rep", 1000, plan, title=title)
    assert admin.call("crm.contract", "search_count", [("title", "=", title)]) == 0
    assert admin.call("crm.contract.plan", "search_count", [("contract_id.title", "=", title)]) == 0

    # Instalments typed on their own are checked against the contract too.
    contract_id, _title = new_contract(client, "rep", 1000, [("All", 10, {"amount": 1000})])
    with refused("add up to"):
        rep.call("crm.contract.plan", "create", {"contract_id": contract_id, "name": "Extra", "amount": 50, "due_date": day(20)})
    [line] = rep.call("crm.contract.plan", "search", [("contract_id", "=", contract_id)])
    with refused("add up to"):
        rep.call("crm.contract.plan", "write", [line], {"amount": 900})
    assert rep.call("crm.contract.plan", "read", [line], ["amount"])[0]["amount"] == 1000


def test_rep_cannot_forge_an_approval(client):
    rep = client("rep")
    contract_id, _title = new_contract(client, "rep", 5000)
    rep.call("crm.contract", "action_submit", [contract_id])
    [review] = rep.call("crm.contract", "read", [contract_id], ["review_ids"])[0]["review_ids"]
    with access_denied():
        rep.call("tier.review", "write", [review], {"status": "approved"})
    with access_denied():
        rep.call("tier.review", "create", {"model": "crm.contract", "res_id": contract_id, "status": "approved"})
    with pytest.raises(xmlrpc.client.Fault):
        rep.call("crm.contract", "write", [contract_id], {"state": "approved"})
    assert state(client, contract_id) == "to_approve"


def test_rejection_and_resubmission(client):
    rep, manager = client("rep"), client("manager")
    contract_id, _title = new_contract(client, "rep", 5000)
    rep.call("crm.contract", "action_submit", [contract_id])
    assert manager.call("crm.contract", "reject_tier", [contract_id]) is True
    assert state(client, contract_id) == "draft"
    rep.call("crm.contract", "action_submit", [contract_id])
    assert state(client, contract_id) == "to_approve"
    assert manager.call("crm.contract", "validate_tier", [contract_id]) is True
    assert state(client, contract_id) == "approved"


def test_two_general_managers_approve_at_once(client):
    rep, manager, admin = client("rep"), client("manager"), client("admin")
    contract_id, _title = new_contract(client, "rep", 250000, [("All", 30, {"amount": 250000})])
    rep.call("crm.contract", "action_submit", [contract_id])
    with refused("You are not the reviewer"):
        client("gm").call("crm.contract", "validate_tier", [contract_id])
    manager.call("crm.contract", "validate_tier", [contract_id])
    assert state(client, contract_id) == "to_approve"

    # An XML-RPC proxy is not thread-safe: one per thread.
    gm, admin_again = client("gm", fresh=True), client("admin", fresh=True)
    results, faults = at_once(
        lambda: gm.call("crm.contract", "validate_tier", [contract_id]),
        lambda: admin_again.call("crm.contract", "validate_tier", [contract_id]),
    )
    assert len(results) == 1 and len(faults) == 1, (results, faults)
    assert "is no longer waiting for your review (now Approved)" in faults[0]
    assert state(client, contract_id) == "approved"
    reviews = admin.call(
        "tier.review", "search_read", [("model", "=", "crm.contract"), ("res_id", "=", contract_id)],
        fields=["status", "done_by"], order="sequence",
    )  # fmt: skip
    assert [review["status"] for review in reviews] == ["approved", "approved"]
    assert reviews[0]["done_by"][0] == manager.uid
    assert reviews[1]["done_by"][0] in (gm.uid, admin_again.uid)
