from odoo.tests import HttpCase, tagged

from .common import CrmCoreCommon


@tagged("post_install", "-at_install", "crm_core")
class TestUi(HttpCase, CrmCoreCommon):
    def test_rep_walks_the_app_menus(self):
        self.start_tour("/odoo", "crm_core_menu_tour", login=self.user_rep.login)
