from odoo import api, fields, models

from .crm_scope import DATA_SCOPES, SCOPE_RANK


class ResUsers(models.Model):
    _inherit = "res.users"

    crm_data_scope = fields.Selection(
        DATA_SCOPES,
        string="Own Data Scope",
        help="Set only as an exception: replaces the data scope of the user's role.",
    )
    crm_holding_limit = fields.Integer(
        string="Own Holding Limit", help="Customers this user may own at most; 0: the pool's limit."
    )
    crm_lock_limit = fields.Integer(string="Own Lock Limit", help="Key customers this user may lock; 0: the pool's limit.")
    # Written by every claim: concurrent claims of one user conflict on it.
    crm_last_claim_date = fields.Datetime(string="Last Claim", readonly=True, copy=False)
    crm_pool_ids = fields.Many2many("crm.pool", string="Pools in Reach", compute="_compute_crm_pool_ids")
    crm_effective_scope = fields.Selection(DATA_SCOPES, string="Data Scope", compute="_compute_crm_scope")
    # What the record rules read (never stored: they change with teams,
    # employees and roles; rule domains are cached per user until
    # _crm_scope_changed() clears them).
    crm_scope_managed = fields.Boolean(string="Under Data Scopes", compute="_compute_crm_scope")
    crm_scope_all = fields.Boolean(string="Sees All Records", compute="_compute_crm_scope")
    crm_scope_user_ids = fields.Many2many("res.users", string="Users in Scope", compute="_compute_crm_scope")
    crm_scope_team_ids = fields.Many2many("crm.team", string="Departments in Scope", compute="_compute_crm_scope")

    @api.depends("crm_data_scope", "groups_id", "groups_id.crm_data_scope")
    def _compute_crm_scope(self):
        # sudo: scopes are computed for the record rules, as any user, from
        # teams and employees the user may not be allowed to read.
        Team = self.env["crm.team"].sudo().with_context(active_test=True)
        Employee = self.env["hr.employee"].sudo()
        for user in self:
            user_su = user.sudo()
            scope = user_su._crm_scope_key()
            users, teams = user_su, Team
            if scope in ("department", "department_tree"):
                teams = user_su._crm_own_teams()
                if scope == "department_tree" and teams:
                    teams = Team.search([("id", "child_of", teams.ids)])
                users |= teams.member_ids | teams.user_id
            elif scope == "subordinates" and user_su.employee_ids:
                subordinates = Employee.search([("id", "child_of", user_su.employee_ids.ids)])
                users |= subordinates.user_id
            user.crm_effective_scope = scope
            user.crm_scope_managed = bool(scope)
            user.crm_scope_all = scope == "all"
            user.crm_scope_user_ids = users if scope else self.browse()
            user.crm_scope_team_ids = teams

    @api.depends("groups_id")
    def _compute_crm_pool_ids(self):
        # sudo: computed for the record rules, from teams and pools the user
        # may not read.
        Pool = self.env["crm.pool"].sudo()
        pools = Pool.search([])
        for user in self:
            teams = user.sudo()._crm_own_teams()
            ancestors = {int(i) for team in teams for i in team.parent_path.split("/") if i}
            user.crm_pool_ids = pools.filtered(lambda p: not p.team_ids or ancestors & set(p.team_ids.ids))

    def _crm_scope_key(self):
        """The user's own scope, else the broadest of their roles' scopes;
        False for a user outside the bundle's roles."""
        self.ensure_one()
        if self.crm_data_scope:
            return self.crm_data_scope
        scopes = self.groups_id.mapped("crm_data_scope")
        return max(filter(None, scopes), key=SCOPE_RANK.get, default=False)

    def _crm_default_team(self):
        """The department new customers of this user are filed under: the
        team they are a member of, else the first one they lead."""
        self.ensure_one()
        user_su = self.sudo()
        return user_su.sale_team_id or user_su._crm_own_teams()[:1]

    def _crm_own_teams(self):
        """Departments the user leads or belongs to."""
        self.ensure_one()
        Team = self.env["crm.team"].sudo()
        return Team.search(["|", ("user_id", "=", self.id), ("crm_team_member_ids.user_id", "=", self.id)])

    @api.model
    def _crm_scope_changed(self):
        """Teams, employees or scopes changed: the rule domains cached per
        user and the scope fields cached in this transaction are stale."""
        self.env.registry.clear_cache()
        self.env["res.users"].invalidate_model(
            ["crm_pool_ids", "crm_effective_scope", "crm_scope_managed", "crm_scope_all", "crm_scope_user_ids", "crm_scope_team_ids"]
        )

    def write(self, vals):
        res = super().write(vals)
        if "crm_data_scope" in vals:
            self._crm_scope_changed()
        return res
