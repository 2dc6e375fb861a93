from odoo.tests import tagged

from odoo.addons.crm_core.tests.common import CrmCoreCommon


@tagged("crm_inventory")
class TestInventoryMenus(CrmCoreCommon):
    def test_roles_get_inventory_rights(self):
        self.assertTrue(self.user_rep.has_group("stock.group_stock_user"))
        self.assertFalse(self.user_rep.has_group("stock.group_stock_manager"))
        self.assertTrue(self.user_manager.has_group("purchase.group_purchase_user"))
        self.assertTrue(self.user_gm.has_group("stock.group_stock_manager"))
        self.assertTrue(self.user_gm.has_group("purchase.group_purchase_manager"))

    def test_menus(self):
        self.assertMenuOpens(self.user_rep, "crm_inventory.menu_crm_inventory_transfers")
        self.assertMenuOpens(self.user_rep, "crm_inventory.menu_crm_inventory_stock")
        self.assertMenuHidden(self.user_rep, "crm_inventory.menu_crm_inventory_suppliers")
        self.assertMenuOpens(self.user_manager, "crm_inventory.menu_crm_inventory_suppliers")
        self.assertMenuHidden(self.user_employee, "crm_inventory.menu_crm_inventory_transfers")
