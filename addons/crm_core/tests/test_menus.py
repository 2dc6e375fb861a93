from odoo.tests import tagged

from .common import CrmCoreCommon


@tagged("crm_core")
class TestMenus(CrmCoreCommon):
    def test_rep_menus(self):
        self.assertMenuOpens(self.user_rep, "crm_core.menu_crm_root")
        self.assertMenuOpens(self.user_rep, "crm_core.menu_crm_customer_archive")
        self.assertMenuOpens(self.user_rep, "crm_core.menu_crm_opportunities")
        self.assertMenuOpens(self.user_rep, "crm_core.menu_crm_quotations")
        self.assertMenuOpens(self.user_rep, "crm_core.menu_crm_competitors")
        self.assertMenuHidden(self.user_rep, "crm_core.menu_crm_report_funnel")
        self.assertMenuHidden(self.user_rep, "crm_core.menu_crm_reporting")
        self.assertMenuHidden(self.user_rep, "crm_core.menu_crm_config")

    def test_manager_menus(self):
        self.assertMenuOpens(self.user_manager, "crm_core.menu_crm_report_pipeline")
        self.assertMenuOpens(self.user_manager, "crm_core.menu_crm_report_funnel")
        self.assertMenuHidden(self.user_manager, "crm_core.menu_crm_config")

    def test_general_manager_menus(self):
        self.assertMenuOpens(self.user_gm, "crm_core.menu_crm_report_pipeline")
        self.assertMenuOpens(self.user_gm, "crm_core.menu_crm_config_departments")

    def test_employee_without_role_sees_no_app(self):
        self.assertMenuHidden(self.user_employee, "crm_core.menu_crm_root")

    def test_system_monitoring_is_for_administrators(self):
        self.assertMenuHidden(self.user_gm, "crm_core.menu_crm_monitoring")
        admin = self.env.ref("base.user_admin")
        for xmlid in ("crm_core.menu_crm_monitoring_online", "crm_core.menu_crm_monitoring_logins",
                      "crm_core.menu_crm_monitoring_status"):
            self.assertMenuOpens(admin, xmlid)
