from odoo.tests import TransactionCase, new_test_user


class CrmCoreCommon(TransactionCase):
    """Shared fixture of the bundle's tests.

    ============  ==============================  ===========================
    login         groups                          meant for
    ============  ==============================  ===========================
    crm_rep       crm_core.group_crm_rep          own records only
    crm_manager   crm_core.group_crm_manager      a department and below
    crm_gm        crm_core.group_crm_general_...  everything
    crm_employee  base.group_user                 no access to the bundle
    ============  ==============================  ===========================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.user_rep = new_test_user(cls.env, login="crm_rep", groups="base.group_user,crm_core.group_crm_rep")
        cls.user_manager = new_test_user(
            cls.env, login="crm_manager", groups="base.group_user,crm_core.group_crm_manager"
        )
        cls.user_gm = new_test_user(
            cls.env, login="crm_gm", groups="base.group_user,crm_core.group_crm_general_manager"
        )
        cls.user_employee = new_test_user(cls.env, login="crm_employee", groups="base.group_user")

    def visible_menus(self, user):
        """The menus the web client shows to ``user``: visible themselves and
        under visible parents (``_visible_menu_ids`` alone does not look up)."""
        visible_ids = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        menus = self.env["ir.ui.menu"].browse(visible_ids)
        return menus.filtered(lambda m: all(int(p) in visible_ids for p in m.parent_path.split("/") if p))

    def assertMenuOpens(self, user, menu_xmlid):
        """The menu is shown to ``user`` and its action loads its views and
        reads its records as that user, as the web client does on a click."""
        menu = self.env.ref(menu_xmlid)
        self.assertIn(menu, self.visible_menus(user), f"{menu_xmlid} is hidden from {user.login}")
        action = menu.action  # a Reference field: None on a folder menu
        if action is not None and action._name == "ir.actions.act_window":
            model = self.env[action.sudo().res_model].with_user(user)
            views = model.get_views([(False, mode) for mode in action.sudo().view_mode.split(",")])
            self.assertTrue(views["views"])
            model.search_fetch([], ["display_name"], limit=5)
        return menu

    def assertMenuHidden(self, user, menu_xmlid):
        menu = self.env.ref(menu_xmlid)
        self.assertNotIn(menu, self.visible_menus(user), f"{menu_xmlid} is shown to {user.login}")
