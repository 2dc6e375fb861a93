"""The lead pool over XML-RPC on a live server: what a rep may read, and two
claims at the same moment (real concurrent transactions, with Odoo's own
retry on serialization failures)."""

import threading
import xmlrpc.client

import pytest

POOL = [("crm_managed", "=", True), ("parent_id", "=", False), ("user_id", "=", False)]
ACCESS_ERROR = 4  # Odoo's XML-RPC fault code for odoo.exceptions.AccessError


def pool_ids(client, count):
    ids = client("admin").call("res.partner", "search", POOL, order="id", limit=count)
    assert len(ids) == count, "the demo data puts customers in the pool"
    return ids


def at_once(*calls):
    """Run the calls in threads released together; (results, faults)."""
    barrier = threading.Barrier(len(calls))
    results, faults = [], []

    def run(call):
        barrier.wait()
        try:
            results.append(call())
        except xmlrpc.client.Fault as fault:
            faults.append(fault.faultString)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results, faults


def test_rep_reading_a_pool_phone_is_refused(client):
    rep = client("rep")
    [target] = pool_ids(client, 1)
    [row] = rep.call("res.partner", "read", [target], ["name", "crm_grade_id"])
    assert row["name"]
    with pytest.raises(xmlrpc.client.Fault) as refused:
        rep.call("res.partner", "read", [target], ["phone", "mobile", "email"])
    assert refused.value.faultCode == ACCESS_ERROR
    with pytest.raises(xmlrpc.client.Fault):
        rep.call("res.partner", "search_read", [("id", "=", target)], fields=["phone"])


def test_two_reps_claim_the_same_customer_at_once(client):
    [target] = pool_ids(client, 1)
    rep, rep2 = client("rep"), client("rep2")
    results, faults = at_once(
        lambda: rep.call("res.partner", "action_claim", [target]),
        lambda: rep2.call("res.partner", "action_claim", [target]),
    )
    assert len(results) == 1 and len(faults) == 1, (results, faults)
    owner = client("admin").call("res.partner", "read", [target], ["user_id"])[0]["user_id"]
    assert owner and owner[0] in (rep.uid, rep2.uid)
    assert f"already claimed by {owner[1]}" in faults[0]


def test_the_holding_limit_holds_under_concurrent_claims(client):
    admin, rep3 = client("admin"), client("rep3")
    rep3_again = client("rep3", fresh=True)  # an XML-RPC proxy is not thread-safe: one per thread
    held = admin.call(
        "res.partner", "search_count",
        [("crm_managed", "=", True), ("parent_id", "=", False), ("user_id", "=", rep3.uid),
         ("crm_status", "!=", "customer")],
    )  # fmt: skip
    admin.call("res.users", "write", [rep3.uid], {"crm_holding_limit": held + 1})
    first, second = pool_ids(client, 2)
    results, faults = at_once(
        lambda: rep3.call("res.partner", "action_claim", [first]),
        lambda: rep3_again.call("res.partner", "action_claim", [second]),
    )
    assert len(results) == 1 and len(faults) == 1, (results, faults)
    assert f"the limit is {held + 1}" in faults[0]
    owners = admin.call("res.partner", "read", [first, second], ["user_id"])
    assert sum(1 for row in owners if row["user_id"] and row["user_id"][0] == rep3.uid) == 1


def test_registration_over_rpc(client):
    rep, manager = client("rep"), client("manager")
    reg_id = rep.call("crm.registration", "create", {
        "company_name": "Jiaxing Smart Parking Operations Co", "contact_name": "Mr Fang", "grade": "b",
        "phone": "+86 573 8211 4477", "expected_amount": 150000,
    })  # fmt: skip
    rep.call("crm.registration", "action_submit", [reg_id])
    with pytest.raises(xmlrpc.client.Fault) as refused:
        rep.call("crm.registration", "action_approve", [reg_id])
    assert refused.value.faultCode == ACCESS_ERROR
    manager.call("crm.registration", "action_approve", [reg_id])
    [row] = rep.call("crm.registration", "read", [reg_id], ["state", "partner_id", "protection_until"])
    assert row["state"] == "approved" and row["protection_until"]
    [customer] = rep.call("res.partner", "read", [row["partner_id"][0]], ["user_id", "phone"])
    assert customer["user_id"][0] == rep.uid
    assert customer["phone"] == "+86 573 8211 4477"
