from odoo.tests import tagged

from odoo.addons.crm_core.tests.common import CrmCoreCommon


@tagged("post_install", "-at_install", "crm_security_vertical")
class TestSecurityVerticalMenus(CrmCoreCommon):
    def test_only_general_manager_is_hr_officer(self):
        self.assertTrue(self.user_gm.has_group("hr.group_hr_user"))
        self.assertFalse(self.user_manager.has_group("hr.group_hr_user"))

    def test_menus(self):
        for user in (self.user_rep, self.user_manager, self.user_gm):
            self.assertMenuOpens(user, "crm_security_vertical.menu_crm_installation_projects")
            self.assertMenuOpens(user, "crm_security_vertical.menu_crm_installation_team")
        self.assertMenuHidden(self.user_employee, "crm_security_vertical.menu_crm_installation")
