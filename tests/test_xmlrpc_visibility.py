"""The hierarchy over XML-RPC, as each demo role sees it on a live server.

Demo data (crm_core/demo): departments East China (manager) with the
sub-department Shanghai (rep, rep2) and member rep3, South China (manager2)
with rep4; gm sees everything.
"""

import xmlrpc.client

import pytest

ARCHIVE = [("crm_managed", "=", True), ("parent_id", "=", False)]
ACCESS_ERROR = 4  # Odoo's XML-RPC fault code for odoo.exceptions.AccessError


def access_denied():
    """pytest.raises for an AccessError answered over XML-RPC."""
    return pytest.raises(xmlrpc.client.Fault, check=lambda fault: fault.faultCode == ACCESS_ERROR)


def owners(client):
    """Owners of the archive customers the user sees (the pool aside)."""
    rows = client.call("res.partner", "search_read", ARCHIVE + [("user_id", "!=", False)], fields=["user_id"])
    return {row["user_id"][1] if row["user_id"] else "pool" for row in rows}, len(rows)


def uid_name(client, login):
    admin = client("admin")
    return admin.call("res.users", "search_read", [("login", "=", login)], fields=["name"])[0]["name"]


def a_customer_of(client, login):
    rows = client("admin").call(
        "res.partner", "search_read", ARCHIVE + [("user_id.login", "=", login)], fields=["id", "mobile", "name"], limit=1
    )
    assert rows, f"the demo data gives {login} customers"
    return rows[0]


def test_rep_sees_own_customers_only(client):
    names, count = owners(client("rep"))
    assert count > 0
    assert names == {uid_name(client, "rep")}
    pool = client("rep").call("res.partner", "search_read", ARCHIVE + [("user_id", "=", False)], fields=["name"])
    assert pool, "reps also browse the pool"


def test_managers_see_their_departments(client):
    east, _count = owners(client("manager"))
    assert {uid_name(client, login) for login in ("rep", "rep2", "rep3")} <= east
    assert uid_name(client, "rep4") not in east
    south, _count = owners(client("manager2"))
    assert uid_name(client, "rep4") in south
    assert uid_name(client, "rep") not in south


def test_general_manager_sees_all(client):
    _names, gm_count = owners(client("gm"))
    admin_count = client("admin").call("res.partner", "search_count", ARCHIVE + [("user_id", "!=", False)])
    assert gm_count == admin_count
    for login in ("rep", "manager", "manager2"):
        assert owners(client(login))[1] < gm_count


def test_rep_cannot_read_a_colleague_customer_by_id(client):
    other = a_customer_of(client, "rep4")
    with access_denied():
        client("rep").call("res.partner", "read", [other["id"]], ["name", "mobile"])


def test_rep_cannot_delete_or_reassign_own_customer(client):
    mine = a_customer_of(client, "rep")
    rep = client("rep")
    with access_denied():
        rep.call("res.partner", "unlink", [mine["id"]])
    rep2_uid = client("admin").call("res.users", "search", [("login", "=", "rep2")])[0]
    with access_denied() as denied:
        rep.call("res.partner", "write", [mine["id"]], {"user_id": rep2_uid})
    assert "change the owner" in denied.value.faultString
    assert rep.call("res.partner", "read", [mine["id"]], ["user_id"])[0]["user_id"][0] == rep.uid


def test_public_search_over_rpc(client):
    other = a_customer_of(client, "rep4")
    rows = client("rep").call("crm.customer.lookup", "search_rows", other["mobile"])
    assert [row["name"] for row in rows] == [other["name"]]
    assert rows[0]["owner"] == uid_name(client, "rep4")
    assert set(rows[0]) == {"kind", "name", "owner", "department", "status", "last_followup"}
    with access_denied():
        client("rep").call("res.partner", "read", [other["id"]], ["mobile"])
