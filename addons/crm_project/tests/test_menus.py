from odoo.tests import tagged

from odoo.addons.crm_core.tests.common import CrmCoreCommon


@tagged("crm_project")
class TestProjectMenus(CrmCoreCommon):
    def test_roles_get_project_rights(self):
        self.assertTrue(self.user_rep.has_group("project.group_project_user"))
        self.assertFalse(self.user_rep.has_group("purchase.group_purchase_user"))
        self.assertTrue(self.user_manager.has_group("purchase.group_purchase_user"))
        self.assertTrue(self.user_gm.has_group("project.group_project_manager"))

    def test_menus(self):
        self.assertMenuOpens(self.user_rep, "crm_project.menu_crm_project_projects")
        self.assertMenuHidden(self.user_rep, "crm_project.menu_crm_project_purchases")
        self.assertMenuOpens(self.user_manager, "crm_project.menu_crm_project_purchases")
        self.assertMenuOpens(self.user_gm, "crm_project.menu_crm_project_purchases")
        self.assertMenuHidden(self.user_employee, "crm_project.menu_crm_project_projects")
