import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import file_open

from .common import CrmHierarchyCommon

DASHBOARDS = {
    "crm_core.spreadsheet_dashboard_crm_manager": "crm_core/data/dashboards/crm_manager_dashboard.json",
    "crm_core.spreadsheet_dashboard_crm_gm": "crm_core/data/dashboards/crm_gm_dashboard.json",
}


class AnalyticsCommon(CrmHierarchyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.region = cls.env["crm.region"].create({"name": "East China", "state_ids": [(6, 0, cls.env.ref("base.state_cn_ZJ").ids)]})
        cls.installer = cls.env["crm.customer.type"].create({"name": "Installer"})
        cls.customers["a1"].write({"state_id": cls.env.ref("base.state_cn_ZJ").id, "crm_customer_type_id": cls.installer.id})
        cls.customers["d1"].write({"crm_customer_type_id": cls.installer.id})
        for orders in cls.orders.values():
            orders.action_confirm()


@tagged("post_install", "-at_install")
class TestAnalytics(AnalyticsCommon):
    def sales_by(self, user, groupby):
        groups = self.env["sale.report"].with_user(user)._read_group([("state", "=", "sale")], [groupby], ["price_subtotal:sum"])
        return {group: total for group, total in groups}

    def test_sales_by_customer_dimensions_and_scope(self):
        by_region = self.sales_by(self.gm, "crm_region_id")
        self.assertEqual(by_region[self.region], self.orders["rep_a"].amount_untaxed)
        by_type = self.sales_by(self.gm, "crm_customer_type_id")
        self.assertEqual(by_type[self.installer], self.orders["rep_a"].amount_untaxed + self.orders["rep_d"].amount_untaxed)
        # Each role sums only the orders of its scope.
        self.assertEqual(set(self.sales_by(self.rep_a, "user_id")), {self.rep_a})
        self.assertEqual(set(self.sales_by(self.mgr_east, "user_id")), {self.rep_a, self.rep_b, self.rep_c})
        self.assertEqual(set(self.sales_by(self.mgr_south, "user_id")), {self.rep_d})
        self.assertEqual(self.sales_by(self.mgr_south, "crm_customer_type_id"), {self.installer: self.orders["rep_d"].amount_untaxed})

    def test_collections_and_followups_analysis_open_per_role(self):
        for user in (self.mgr_east, self.gm):
            for xmlid in ("crm_core.menu_crm_report_sales", "crm_core.menu_crm_report_followups",
                          "crm_core.menu_crm_report_customers", "crm_core.menu_crm_report_collections"):  # fmt: skip
                self.assertMenuOpens(user, xmlid)
        self.assertMenuHidden(self.rep_a, "crm_core.menu_crm_report_sales")

    def test_dashboards_per_role(self):
        Dashboard = self.env["spreadsheet.dashboard"]
        manager, gm = (self.env.ref(xmlid) for xmlid in DASHBOARDS)
        self.assertNotIn(manager, Dashboard.with_user(self.rep_a).search([]))
        self.assertIn(manager, Dashboard.with_user(self.mgr_east).search([]))
        self.assertNotIn(gm, Dashboard.with_user(self.mgr_east).search([]))
        self.assertIn(gm, Dashboard.with_user(self.gm).search([]))
        with self.assertRaises(AccessError):
            gm.with_user(self.mgr_east).check_access("read")

    def test_dashboard_sources_load_for_their_readers(self):
        """Every pivot and chart of the dashboards names real fields and reads
        through the record rules of the roles the dashboard is shown to."""
        readers = {
            "crm_core.spreadsheet_dashboard_crm_manager": (self.mgr_east, self.gm),
            "crm_core.spreadsheet_dashboard_crm_gm": (self.gm,),
        }
        for xmlid, path in DASHBOARDS.items():
            with file_open(path) as f:
                data = json.load(f)
            dashboard = self.env.ref(xmlid)
            loaded = dashboard.with_user(readers[xmlid][0]).get_readonly_dashboard()
            self.assertEqual(loaded["snapshot"]["pivots"], data["pivots"])
            sources = [
                (p["model"], p["domain"], [r["fieldName"] for r in p["rows"]], [m["fieldName"] for m in p["measures"]], p["fieldMatching"])
                for p in data["pivots"].values()
            ] + [
                (f["data"]["metaData"]["resModel"], f["data"]["searchParams"]["domain"], f["data"]["metaData"]["groupBy"],
                 [f["data"]["metaData"]["measure"]], f["data"]["fieldMatching"])
                for sheet in data["sheets"] for f in sheet["figures"] if f["data"]["type"].startswith("odoo_")
            ]  # fmt: skip
            for filter_ in data["globalFilters"]:
                if filter_["type"] == "relation":
                    self.assertIn(filter_["modelName"], self.env)
            for model, domain, groupby, measures, matching in sources:
                fields = self.env[model]._fields
                for name in [g.split(":")[0] for g in groupby] + [m for m in measures if m != "__count"]:
                    self.assertIn(name, fields, f"{xmlid}: {model}.{name}")
                for match in matching.values():
                    self.assertIn(match["chain"], fields, f"{xmlid}: {model}.{match['chain']}")
                aggregates = [f"{m}:sum" if m != "__count" else "__count" for m in measures]
                for user in readers[xmlid]:
                    self.env[model].with_user(user)._read_group(domain, groupby, aggregates)


@tagged("post_install", "-at_install", "crm_core")
class TestDashboardUi(HttpCase, AnalyticsCommon):
    def test_manager_opens_the_department_dashboard(self):
        self.start_tour("/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action", "crm_core_dashboard_tour",
                        login=self.mgr_east.login)  # fmt: skip
