from odoo.tests import HttpCase, tagged

from .common import CrmCoreCommon


@tagged("post_install", "-at_install", "crm_core")
class TestUi(HttpCase, CrmCoreCommon):
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
