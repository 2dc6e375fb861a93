"""XML-RPC smoke test: what an integrator's script sees with each role."""

import xmlrpc.client

import pytest

BUNDLE = ["crm_core", "crm_channel", "crm_project", "crm_inventory", "crm_foreign_trade", "crm_security_vertical"]


def visible_xmlids(client, admin, xmlids):
    """Which of ``xmlids`` the user may see: ir.ui.menu's search drops the
    menus whose groups or action the user has no access to."""
    ids = {admin.call("ir.model.data", "check_object_reference", *x.split("."))[1]: x for x in xmlids}
    return {ids[menu_id] for menu_id in client.call("ir.ui.menu", "search", [("id", "in", list(ids))])}


def test_server_is_odoo_18(odoo_url):
    version = xmlrpc.client.ServerProxy(f"{odoo_url}/xmlrpc/2/common").version()
    assert version["server_version_info"][:2] == [18, 0]


def test_database_is_listed(odoo_url, odoo_db):
    assert odoo_db in xmlrpc.client.ServerProxy(f"{odoo_url}/xmlrpc/2/db").list()


def test_bundle_installed(client):
    modules = client("admin").call(
        "ir.module.module", "search_read", [("name", "in", BUNDLE)], fields=["name", "state"]
    )
    assert {m["name"]: m["state"] for m in modules} == dict.fromkeys(BUNDLE, "installed")


@pytest.mark.parametrize(
    "login, shown, hidden",
    [
        ("rep", {"crm_core.menu_crm_customer_archive", "crm_channel.menu_crm_channel_partners"},
         {"crm_core.menu_crm_reporting", "crm_core.menu_crm_config"}),
        ("manager", {"crm_core.menu_crm_report_pipeline", "crm_inventory.menu_crm_inventory_suppliers"},
         {"crm_core.menu_crm_config"}),
        ("gm", {"crm_core.menu_crm_config_departments", "crm_foreign_trade.menu_crm_foreign_trade_currencies"},
         set()),
    ],
)  # fmt: skip
def test_each_role_sees_its_menus(client, login, shown, hidden):
    xmlids = visible_xmlids(client(login), client("admin"), {"crm_core.menu_crm_root"} | shown | hidden)
    assert xmlids == {"crm_core.menu_crm_root"} | shown


@pytest.mark.parametrize("login", ["rep", "manager", "gm"])
def test_each_role_reads_opportunities(client, login):
    leads = client(login).call("crm.lead", "search_read", [], fields=["name", "user_id"], limit=5)
    assert isinstance(leads, list)


def test_rep_cannot_promote_itself(client):
    rep = client("rep")
    group = client("admin").call("ir.model.data", "check_object_reference", "crm_core", "group_crm_general_manager")[1]
    with pytest.raises(xmlrpc.client.Fault, match="not allowed"):
        rep.call("res.groups", "write", [group], {"users": [(4, rep.uid)]})


def test_wrong_password_is_refused(odoo_url, odoo_db):
    common = xmlrpc.client.ServerProxy(f"{odoo_url}/xmlrpc/2/common")
    assert not common.authenticate(odoo_db, "rep", "wrong password", {})


def test_bad_call_is_a_clean_fault(client):
    with pytest.raises(xmlrpc.client.Fault):
        client("rep").call("no.such.model", "search", [])
