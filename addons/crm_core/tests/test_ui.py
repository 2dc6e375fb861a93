from odoo.tests import HttpCase, tagged

from .common import CrmCoreCommon, CrmHierarchyCommon


class QuietAnnouncementsMixin:
    """Tours start with no announcement running: the pop-up that shows the
    unread ones at login (OCA announcement; the demo data has one to
    everyone) would cover the screens they walk."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["announcement"].search([]).active = False


@tagged("post_install", "-at_install", "crm_core")
class TestUi(QuietAnnouncementsMixin, HttpCase, CrmCoreCommon):
    def test_rep_walks_the_app_menus(self):
        self.start_tour("/odoo", "crm_core_menu_tour", login=self.user_rep.login)

    def test_rep_claims_from_the_pool(self):
        customer = self.env["res.partner"].with_context(crm_pool=True).create({
            "name": "Tour Pool Customer", "crm_managed": True, "is_company": True, "user_id": False,
            "crm_pool_id": self.env.ref("crm_core.pool_company").id, "phone": "+86 21 6000 4321",
        })  # fmt: skip
        self.start_tour("/odoo", "crm_core_pool_tour", login=self.user_rep.login)
        self.assertEqual(customer.user_id, self.user_rep)
        self.assertEqual(customer.crm_ownership_log_ids.action, "claim")


@tagged("post_install", "-at_install", "crm_core")
class TestContractUi(QuietAnnouncementsMixin, HttpCase, CrmHierarchyCommon):
    def test_opportunity_to_approved_contract(self):
        """Opportunity → quotation → contract with a collection plan → approval."""
        self.env["product.product"].create({"name": "Tour Dome Camera", "list_price": 1200, "sale_ok": True})
        lead = self.env["crm.lead"].create({
            "name": "Tour Opportunity", "type": "opportunity", "user_id": self.rep_a.id,
            "team_id": self.team_shanghai.id, "partner_id": self.customers["a1"].id,
        })  # fmt: skip
        self.start_tour(f"/odoo/action-crm.crm_lead_action_pipeline/{lead.id}", "crm_core_contract_rep_tour", login=self.rep_a.login)
        contract = lead.crm_contract_ids
        self.assertEqual(len(contract), 1)
        self.assertEqual(contract.state, "to_approve")
        self.assertEqual(contract.sale_order_ids.opportunity_id, lead)
        self.assertEqual(contract.amount_total, contract.sale_order_ids.amount_total)
        self.assertEqual(contract.plan_line_ids.amount, contract.amount_total)
        self.assertEqual(contract.crm_approver_id, self.mgr_east)

        self.start_tour("/odoo/action-crm_core.crm_contract_action_to_review", "crm_core_contract_manager_tour",
                        login=self.mgr_east.login)  # fmt: skip
        self.assertEqual(contract.state, "approved")
        self.assertEqual(contract.review_ids.done_by, self.mgr_east)
