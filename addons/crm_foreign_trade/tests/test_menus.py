from odoo.tests import tagged

from odoo.addons.crm_core.tests.common import CrmCoreCommon


@tagged("crm_foreign_trade")
class TestForeignTradeMenus(CrmCoreCommon):
    def test_reps_quote_in_foreign_currencies(self):
        self.assertTrue(self.user_rep.has_group("base.group_multi_currency"))

    def test_menus(self):
        self.assertMenuOpens(self.user_rep, "crm_foreign_trade.menu_crm_foreign_trade_products")
        self.assertMenuHidden(self.user_rep, "crm_foreign_trade.menu_crm_foreign_trade_currencies")
        self.assertMenuHidden(self.user_manager, "crm_foreign_trade.menu_crm_foreign_trade_currencies")
        self.assertMenuOpens(self.user_gm, "crm_foreign_trade.menu_crm_foreign_trade_currencies")
        # The edition's menus sit under the bundle's app.
        menu = self.env.ref("crm_foreign_trade.menu_crm_foreign_trade")
        self.assertEqual(menu.parent_id, self.env.ref("crm_core.menu_crm_root"))
