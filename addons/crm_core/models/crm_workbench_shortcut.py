from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

SHORTCUT_ICONS = [
    ("fa-star", "Star"),
    ("fa-user-plus", "New Person"),
    ("fa-users", "People"),
    ("fa-search", "Search"),
    ("fa-inbox", "Inbox"),
    ("fa-phone", "Phone"),
    ("fa-calendar", "Calendar"),
    ("fa-handshake-o", "Handshake"),
    ("fa-file-text-o", "Document"),
    ("fa-check-square-o", "Approval"),
    ("fa-money", "Money"),
    ("fa-bar-chart", "Chart"),
    ("fa-bullhorn", "Announcement"),
]


def _shown_to(menus, user):
    """The menus the web client shows to ``user``: visible themselves and
    under visible parents (``_visible_menu_ids`` alone does not look up)."""
    visible = menus.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
    return menus.filtered(lambda menu: all(int(i) in visible for i in menu.parent_path.split("/") if i))


class CrmWorkbenchShortcut(models.Model):
    """A shortcut (快速通道) of the workbench: a menu, or an action opened on
    a new record, that each user arranges for themselves."""

    _name = "crm.workbench.shortcut"
    _description = "Workbench Shortcut"
    _order = "sequence, id"

    user_id = fields.Many2one(
        "res.users", string="User", required=True, index=True, ondelete="cascade", default=lambda self: self.env.user
    )
    name = fields.Char(string="Label", compute="_compute_name", store=True, readonly=False, precompute=True, required=True)
    sequence = fields.Integer(default=lambda self: self._default_sequence())
    active = fields.Boolean(default=True)
    menu_id = fields.Many2one(
        "ir.ui.menu", string="Menu", ondelete="cascade", domain=[("action", "!=", False)],
        help="The menu the shortcut opens, among those you see.",
    )  # fmt: skip
    action_id = fields.Many2one(
        "ir.actions.actions", string="Action", compute="_compute_action_id", store=True, readonly=False,
        precompute=True, required=True, ondelete="cascade",
    )  # fmt: skip
    create_new = fields.Boolean(string="Opens a New Record", help="Opens the action's form on a new record.")
    icon = fields.Selection(SHORTCUT_ICONS, default="fa-star", required=True)

    def _default_sequence(self):
        last = self.search([("user_id", "=", self.env.uid)], order="sequence desc", limit=1)
        return last.sequence + 10 if last else 10

    @api.depends("menu_id")
    def _compute_name(self):
        for shortcut in self:
            shortcut.name = shortcut.menu_id.name or shortcut.name

    @api.depends("menu_id")
    def _compute_action_id(self):
        for shortcut in self:
            action = shortcut.menu_id.action
            shortcut.action_id = action.id if action else shortcut.action_id

    @api.constrains("user_id", "menu_id", "action_id")
    def _check_reachable(self):
        """A shortcut opens what its user may open: a menu they see, a
        window action of their groups on a model they may read."""
        for shortcut in self:
            user = shortcut.user_id
            if shortcut.menu_id and not _shown_to(shortcut.menu_id, user):
                raise ValidationError(
                    self.env._(
                        "Shortcut %(name)s: %(user)s does not see the menu %(menu)s.",
                        name=shortcut.name, user=user.name, menu=shortcut.menu_id.complete_name,
                    )
                )  # fmt: skip
            # sudo: actions are read to check them, whoever may read them.
            action = shortcut.action_id.sudo()
            if action.type != "ir.actions.act_window":
                continue
            window = self.env["ir.actions.act_window"].sudo().browse(action.id)
            in_groups = not window.groups_id or window.groups_id & user.groups_id
            if not in_groups or not self.env[window.res_model].with_user(user).has_access("read"):
                raise ValidationError(
                    self.env._(
                        "Shortcut %(name)s: %(user)s may not open %(action)s.",
                        name=shortcut.name, user=user.name, action=window.name,
                    )
                )  # fmt: skip

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_move(self, offset):
        """Move the shortcut ``offset`` places among its user's (buttons of
        the workbench: -1 earlier, 1 later)."""
        self.ensure_one()
        if type(offset) is not int:
            raise UserError(self.env._("A shortcut moves by a whole number of places."))
        shortcuts = list(self.search([("user_id", "=", self.user_id.id)]))
        index = shortcuts.index(self)
        target = max(0, min(len(shortcuts) - 1, index + offset))
        shortcuts.insert(target, shortcuts.pop(index))
        for position, shortcut in enumerate(shortcuts):
            # Only what moved is written: usually the two swapped shortcuts.
            if shortcut.sequence != (position + 1) * 10:
                shortcut.sequence = (position + 1) * 10
        return True

    def action_remove(self):
        """Archived rather than deleted: a user who removed every shortcut
        does not get the defaults back."""
        self.active = False
        return True

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _crm_default_shortcuts(self):
        """(action xmlid, label, icon, opens a new record, group needed)."""
        return [
            ("crm_core.res_partner_action_crm_customer", self.env._("New Customer"), "fa-user-plus", True, "crm_core.group_crm_rep"),
            ("crm_core.crm_public_search_action", self.env._("Public Search"), "fa-search", False, "crm_core.group_crm_rep"),
            ("crm_core.res_partner_action_crm_pool", self.env._("Lead Pool"), "fa-inbox", False, "crm_core.group_crm_rep"),
            ("crm_core.crm_followup_action", self.env._("New Follow-up"), "fa-phone", True, "crm_core.group_crm_rep"),
            ("crm_core.crm_contract_action_to_review", self.env._("Contracts to Approve"), "fa-check-square-o", False,
             "crm_core.group_crm_manager"),
        ]  # fmt: skip

    @api.model
    def crm_available_menus(self):
        """The menus of the app the current user may add: those they see,
        with an action, the workbench itself aside; labelled by their path."""
        root = self.env.ref("crm_core.menu_crm_root")
        menus = self.env["ir.ui.menu"].search([
            ("id", "child_of", root.id), ("action", "!=", False), ("id", "!=", self.env.ref("crm_core.menu_crm_workbench").id),
        ])  # fmt: skip
        prefix = f"{root.name}/"
        return [
            {"id": menu.id, "name": menu.complete_name.removeprefix(prefix).replace("/", " / ")}
            for menu in _shown_to(menus, self.env.user)
        ]

    @api.model
    def _crm_for_user(self):
        """The current user's shortcuts, the defaults of their role the first
        time (created lazily: users come and go without a hook here)."""
        shortcuts = self.search([("user_id", "=", self.env.uid)])
        if not shortcuts and not self.with_context(active_test=False).search_count([("user_id", "=", self.env.uid)], limit=1):
            user = self.env.user
            defaults = [
                {"action_id": action.id, "name": label, "icon": icon, "create_new": create_new, "sequence": (index + 1) * 10}
                for index, (xmlid, label, icon, create_new, group) in enumerate(self._crm_default_shortcuts())
                if user.has_group(group) and (action := self.env.ref(xmlid, raise_if_not_found=False))
            ]
            shortcuts = self.create(defaults)
        return [
            {"id": s.id, "name": s.name, "icon": s.icon, "action_id": s.action_id.id, "create_new": s.create_new}
            for s in shortcuts
        ]
