from odoo.tests import tagged

from .common import CrmHierarchyCommon


@tagged("post_install", "-at_install", "crm_core")
class TestOperationLog(CrmHierarchyCommon):
    """Creates, changes and deletes of customers, leads and orders by people
    land in the operation log (OCA auditlog), with who and what."""

    def logs(self, records, method):
        return self.env["auditlog.log"].search([
            ("model_id.model", "=", records._name), ("res_id", "in", records.ids), ("method", "=", method),
        ])  # fmt: skip

    def test_customer_changes_are_logged(self):
        customer = self.env["res.partner"].with_user(self.rep_a).create({
            "name": "Audited Customer Ltd", "is_company": True, "crm_managed": True, "mobile": "+86 19900007777",
        })  # fmt: skip
        created = self.logs(customer, "create")
        self.assertEqual(created.user_id, self.rep_a)
        customer.with_user(self.rep_a).write({"street": "88 Century Avenue"})
        written = self.logs(customer, "write")
        self.assertEqual(written.user_id, self.rep_a)
        line = written.line_ids.filtered(lambda line: line.field_id.name == "street")
        self.assertEqual(line.new_value_text, "88 Century Avenue")
        customer.with_user(self.gm).unlink()
        self.assertEqual(self.logs(customer, "unlink").user_id, self.gm)

    def test_leads_and_orders_are_logged(self):
        lead = self.leads["rep_a"][1]
        lead.with_user(self.rep_a).write({"expected_revenue": 25000})
        self.assertEqual(self.logs(lead, "write").user_id, self.rep_a)
        order = self.orders["rep_a"]
        order.with_user(self.rep_a).write({"client_order_ref": "PO-AUDIT"})
        self.assertEqual(self.logs(order, "write").user_id, self.rep_a)

    def test_operation_log_menu(self):
        admin = self.env.ref("base.user_admin")
        self.assertMenuOpens(admin, "crm_core.menu_crm_monitoring_audit")
        self.assertMenuHidden(self.rep_a, "crm_core.menu_crm_monitoring_audit")
