from odoo import Command
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


class CrmHierarchyCommon(CrmCoreCommon):
    """Departments, their people and their customers.

    ===================  ============  ==================  ==================
    department           leader        members             customers (owner)
    ===================  ============  ==================  ==================
    East                 mgr_east      rep_c               c1 c2 (rep_c),
                                                           pool_east (none)
      └ Shanghai         -             rep_a, rep_b        a1 a2 a3 (rep_a),
                                                           b1 b2 (rep_b)
    South                mgr_south     rep_d               d1 d2 (rep_d)
    ===================  ============  ==================  ==================

    Plus ``vendor``, a partner outside the archive, visible to everyone.
    Each rep also owns one lead, one opportunity and one quotation.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("crm_core.duplicate_name", "off")
        # Numbers typed without a country code are read in the company's country.
        cls.env.company.country_id = cls.env.ref("base.cn")

        def user(login, group):
            return new_test_user(cls.env, login=login, name=login.replace("_", " ").title(),
                                 groups=f"base.group_user,crm_core.group_crm_{group}")  # fmt: skip

        cls.rep_a, cls.rep_b = user("rep_a", "rep"), user("rep_b", "rep")
        cls.rep_c, cls.rep_d = user("rep_c", "rep"), user("rep_d", "rep")
        cls.mgr_east, cls.mgr_south = user("mgr_east", "manager"), user("mgr_south", "manager")
        cls.gm = user("gm_x", "general_manager")

        Team = cls.env["crm.team"]
        cls.team_east = Team.create({"name": "East", "user_id": cls.mgr_east.id})
        cls.team_shanghai = Team.create({"name": "Shanghai", "parent_id": cls.team_east.id})
        cls.team_south = Team.create({"name": "South", "user_id": cls.mgr_south.id})
        cls.env["crm.team.member"].create([
            {"crm_team_id": cls.team_east.id, "user_id": cls.rep_c.id},
            {"crm_team_id": cls.team_shanghai.id, "user_id": cls.rep_a.id},
            {"crm_team_id": cls.team_shanghai.id, "user_id": cls.rep_b.id},
            {"crm_team_id": cls.team_south.id, "user_id": cls.rep_d.id},
        ])  # fmt: skip

        cls.customers = {}
        # Numbers and names apart from the demo data's.
        mobile = iter(range(19900001001, 19900001999))

        def customer(key, owner, team, **vals):
            partner = cls.env["res.partner"].with_context(crm_pool=not owner).create({
                "name": f"Customer {key.upper()} Ltd", "is_company": True, "crm_managed": True,
                "user_id": owner.id, "crm_team_id": team.id, "country_id": cls.env.ref("base.cn").id,
                "mobile": f"+86 {next(mobile)}", **vals,
            })  # fmt: skip
            cls.customers[key] = partner
            return partner

        for key in ("a1", "a2", "a3"):
            customer(key, cls.rep_a, cls.team_shanghai)
        for key in ("b1", "b2"):
            customer(key, cls.rep_b, cls.team_shanghai)
        for key in ("c1", "c2"):
            customer(key, cls.rep_c, cls.team_east)
        for key in ("d1", "d2"):
            customer(key, cls.rep_d, cls.team_south)
        customer("pool_east", cls.env["res.users"], cls.team_east)
        cls.vendor = cls.env["res.partner"].create({"name": "Screws Vendor Co", "is_company": True})

        cls.product = cls.env["product.product"].create({"name": "Dome Camera 4MP", "list_price": 300})
        cls.leads, cls.orders = {}, {}
        for rep, team, key in (
            (cls.rep_a, cls.team_shanghai, "a1"),
            (cls.rep_b, cls.team_shanghai, "b1"),
            (cls.rep_c, cls.team_east, "c1"),
            (cls.rep_d, cls.team_south, "d1"),
        ):
            partner = cls.customers[key]
            cls.leads[rep.login] = cls.env["crm.lead"].create([
                {"name": f"Lead of {rep.login}", "type": "lead", "user_id": rep.id, "team_id": team.id},
                {"name": f"Deal of {rep.login}", "type": "opportunity", "user_id": rep.id, "team_id": team.id,
                 "partner_id": partner.id, "expected_revenue": 10000},
            ])  # fmt: skip
            cls.orders[rep.login] = cls.env["sale.order"].create({
                "partner_id": partner.id, "user_id": rep.id, "team_id": team.id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 2})],
            })  # fmt: skip

    def managed(self, user, model="res.partner", domain=None):
        """The owned records of ``model`` (customers: of the archive) that
        ``user`` sees; the pool is tested on its own."""
        if model == "res.partner":
            domain = [("crm_managed", "=", True), ("parent_id", "=", False), ("user_id", "!=", False)] + (domain or [])
        return self.env[model].with_user(user).search(domain or [])

    def keys(self, partners):
        index = {p: k for k, p in self.customers.items()}
        return {index[p] for p in partners if p in index}
