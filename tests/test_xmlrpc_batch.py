"""Batch actions over XML-RPC on a live server: a rep shares a customer with
a colleague (read only), as an integrator's script would, through the same
wizard as the list's action menu."""

import xmlrpc.client

import pytest

ARCHIVE = [("crm_managed", "=", True), ("parent_id", "=", False)]
ACCESS_ERROR = 4  # Odoo's XML-RPC fault code for odoo.exceptions.AccessError


def access_denied():
    return pytest.raises(xmlrpc.client.Fault, check=lambda fault: fault.faultCode == ACCESS_ERROR)


def share(client, partner_id, user_id, mode="share"):
    wizard_id = client.call(
        "crm.batch.share", "create",
        {"partner_ids": [(6, 0, [partner_id])], "user_ids": [(6, 0, [user_id])], "mode": mode,
         "note": "pytest: batch share"},
    )  # fmt: skip
    return client.call("crm.batch.share", "action_apply", [wizard_id])


def test_rep_shares_a_customer_with_a_colleague(client):
    rep, rep2 = client("rep"), client("rep2")
    [customer] = rep.call(
        "res.partner", "search_read", ARCHIVE + [("user_id", "=", rep.uid), ("crm_shared_user_ids", "=", False)],
        fields=["name", "mobile", "phone"], limit=1,
    )  # fmt: skip
    with access_denied():
        rep2.call("res.partner", "read", [customer["id"]], ["name"])
    try:
        result = share(rep, customer["id"], rep2.uid)
        assert result["params"]["message"].startswith("1 records shared with")
        [row] = rep2.call("res.partner", "read", [customer["id"]], ["name", "mobile", "phone", "user_id"])
        assert (row["name"], row["mobile"], row["phone"]) == (customer["name"], customer["mobile"], customer["phone"])
        assert row["user_id"][0] == rep.uid
        shared = rep2.call("res.partner", "search", [("crm_shared_user_ids", "in", rep2.uid)])
        assert customer["id"] in shared
        with access_denied():
            rep2.call("res.partner", "write", [customer["id"]], {"phone": "+86 21 0000 0000"})
        with access_denied():
            rep2.call("res.partner", "unlink", [customer["id"]])
        with access_denied():
            share(rep2, customer["id"], rep2.uid)  # nor does the colleague pass it on
    finally:
        share(rep, customer["id"], rep2.uid, mode="unshare")
    with access_denied():
        rep2.call("res.partner", "read", [customer["id"]], ["name"])
