from odoo.tests import tagged

from .common import CrmCoreCommon


@tagged("crm_core", "crm_security")
class TestRoles(CrmCoreCommon):
    def test_group_chain(self):
        """Rep ⊂ Department Manager ⊂ General Manager, each with its Sales group."""
        rep = "crm_core.group_crm_rep"
        manager = "crm_core.group_crm_manager"
        gm = "crm_core.group_crm_general_manager"

        self.assertTrue(self.user_rep.has_group(rep))
        self.assertFalse(self.user_rep.has_group(manager))
        self.assertTrue(self.user_rep.has_group("sales_team.group_sale_salesman"))
        self.assertFalse(self.user_rep.has_group("sales_team.group_sale_salesman_all_leads"))

        self.assertTrue(self.user_manager.has_group(rep))
        self.assertFalse(self.user_manager.has_group(gm))
        self.assertFalse(self.user_manager.has_group("sales_team.group_sale_manager"))

        self.assertTrue(self.user_gm.has_group(manager))
        self.assertTrue(self.user_gm.has_group(rep))
        self.assertTrue(self.user_gm.has_group("sales_team.group_sale_manager"))

        self.assertFalse(self.user_employee.has_group(rep))

    def test_admin_is_general_manager(self):
        self.assertTrue(self.env.ref("base.user_admin").has_group("crm_core.group_crm_general_manager"))

    def test_roles_share_one_category(self):
        """The user form shows the three roles as one exclusive choice."""
        category = self.env.ref("crm_core.module_category_customer_management")
        groups = self.env.ref("crm_core.group_crm_rep") | self.env.ref("crm_core.group_crm_manager") | self.env.ref(
            "crm_core.group_crm_general_manager"
        )
        self.assertEqual(groups.category_id, category)
