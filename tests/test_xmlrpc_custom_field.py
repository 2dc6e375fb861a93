"""Custom fields (自定义字段) over XML-RPC on a live server: the administrator
adds a field to customers, a rep fills it in on their own customer and finds
it described, in the views and in searches, and the administrator removes it.
"""

import uuid
import xmlrpc.client

import pytest
from test_xmlrpc_pool import ACCESS_ERROR

OWN_CUSTOMERS = [("crm_managed", "=", True), ("parent_id", "=", False)]


def test_custom_field_round_trip(client):
    admin, rep = client("admin"), client("rep")
    label = f"RPC Tender Stage {uuid.uuid4().hex[:6]}"
    definition = admin.call("crm.custom.field", "create", {
        "name": label, "target": "customer", "field_type": "selection", "list_display": "show",
        "option_ids": [(0, 0, {"value": "open", "name": "Open"}), (0, 0, {"value": "won", "name": "Won"})],
    })  # fmt: skip
    try:
        [row] = admin.call("crm.custom.field", "read", [definition], ["technical_name", "state"])
        name = row["technical_name"]
        assert name.startswith("x_crm_rpc_tender_stage_") and row["state"] == "draft"
        assert admin.call("crm.custom.field", "action_apply", [definition]) == {
            "type": "ir.actions.client", "tag": "reload",
        }  # fmt: skip

        # Only administrators manage custom fields.
        with pytest.raises(xmlrpc.client.Fault) as refused:
            rep.call("crm.custom.field", "create", {"name": "Mine", "target": "customer", "field_type": "char"})
        assert refused.value.faultCode == ACCESS_ERROR

        # The rep sees it described and placed, at once.
        described = rep.call("res.partner", "fields_get", [name], attributes=["string", "type", "selection"])
        assert described[name] == {"string": label, "type": "selection", "selection": [["open", "Open"], ["won", "Won"]]}
        views = rep.call("res.partner", "get_views", [[False, "form"], [False, "search"]])["views"]
        assert f'name="{name}"' in views["form"]["arch"] and f'name="{name}"' in views["search"]["arch"]

        # … and fills it in on their own customer.
        [partner] = rep.call("res.partner", "search", [*OWN_CUSTOMERS, ("user_id", "=", rep.uid)], limit=1)
        assert rep.call("res.partner", "write", [partner], {name: "won"}) is True
        assert rep.call("res.partner", "read", [partner], [name])[0][name] == "won"
        assert rep.call("res.partner", "search", [(name, "=", "won")]) == [partner]
        # Not on a colleague's: the record rules hold for custom fields too.
        [colleagues] = admin.call("res.partner", "search", [*OWN_CUSTOMERS, ("user_id.login", "=", "rep2")], limit=1)
        with pytest.raises(xmlrpc.client.Fault) as refused:
            rep.call("res.partner", "write", [colleagues], {name: "open"})
        assert refused.value.faultCode == ACCESS_ERROR

        admin.call("crm.custom.field", "action_remove", [definition])
        [row] = admin.call("crm.custom.field", "read", [definition], ["state", "field_id"])
        assert row == {"id": definition, "state": "draft", "field_id": False}
        assert name not in rep.call("res.partner", "fields_get", [], attributes=["type"])
        views = rep.call("res.partner", "get_views", [[False, "form"], [False, "search"]])["views"]
        assert name not in views["form"]["arch"] and name not in views["search"]["arch"]
        assert admin.call("ir.model.fields", "search", [("name", "=", name)]) == []
    finally:
        [row] = admin.call("crm.custom.field", "read", [definition], ["state"])
        if row["state"] == "applied":
            admin.call("crm.custom.field", "action_remove", [definition])
        admin.call("crm.custom.field", "unlink", [definition])
