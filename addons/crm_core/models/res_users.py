import glob
import os
import re

from odoo import SUPERUSER_ID, api, fields, http, models
from odoo.exceptions import AccessDenied, AccessError
from odoo.tools import SQL

from .crm_scope import DATA_SCOPES, SCOPE_RANK


def _session_exists(identifier):
    """Whether a session whose id starts with ``identifier`` is still stored,
    looked up as Odoo's own session store deletes them (delete_from_identifiers)."""
    path = getattr(http.root.session_store, "path", None)
    if not path:
        return True  # another session store: the device log alone tells
    if not re.fullmatch(r"[\w-]{42}", identifier or ""):
        return False
    return bool(glob.glob(os.path.join(path, identifier[:2], glob.escape(identifier) + "*")))


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
    # What the read-only sharing rules read (crm.shared.mixin clears them
    # with the rule cache when shares change).
    crm_shared_partner_ids = fields.Many2many(
        "res.partner", string="Customers Shared with Me", compute="_compute_crm_shared_ids"
    )
    crm_shared_lead_ids = fields.Many2many("crm.lead", string="Leads Shared with Me", compute="_compute_crm_shared_ids")

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

    def _compute_crm_shared_ids(self):
        # From the relation tables, for the rules to hold plain ids: a
        # sub-query on the relation inside the rules' OR leaves PostgreSQL no
        # index to combine, and a rep's customer count read every customer.
        user_ids = [user.id for user in self if isinstance(user.id, int)]
        for fname, model in (("crm_shared_partner_ids", "res.partner"), ("crm_shared_lead_ids", "crm.lead")):
            field = self.env[model]._fields["crm_shared_user_ids"]
            self.env[model].flush_model(["crm_shared_user_ids"])
            rows = self.env.execute_query(SQL(
                "SELECT %(user)s, array_agg(%(record)s) FROM %(table)s WHERE %(user)s = ANY(%(ids)s) GROUP BY %(user)s",
                user=SQL.identifier(field.column2), record=SQL.identifier(field.column1),
                table=SQL.identifier(field.relation), ids=user_ids,
            ))  # fmt: skip
            shared = dict(rows)
            for user in self:
                user[fname] = self.env[model].browse(shared.get(user.id, []))

    @api.model
    def _crm_shares_changed(self):
        """Records were shared or unshared: the rule domains cached per
        user hold the old ids."""
        self.env.registry.clear_cache()
        self.env["res.users"].invalidate_model(["crm_shared_partner_ids", "crm_shared_lead_ids"])

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
        # Departments are announcements' audiences too.
        self.env["announcement"]._crm_refresh_audience()

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        # A new colleague receives the running announcements to everyone.
        self.env["announcement"]._crm_refresh_audience()
        return users

    def write(self, vals):
        res = super().write(vals)
        if "crm_data_scope" in vals:
            self._crm_scope_changed()
        elif any(key in ("groups_id", "active", "share") or key.startswith(("in_group_", "sel_groups_")) for key in vals):
            # Roles address announcements (everyone: internal users).
            self.env["announcement"]._crm_refresh_audience()
        return res

    # ------------------------------------------------------------------
    # Announcements (新闻公告)
    # ------------------------------------------------------------------
    @api.model
    def announcement_user_count(self):
        """OCA's pop-up shows the unread announcements to the user's groups
        and to them by name; add those to their departments."""
        result = super().announcement_user_count()
        Announcement = self.env["announcement"]
        by_department = Announcement.search([
            ("announcement_type", "=", "crm_team"), ("id", "not in", [item["id"] for item in result]),
            *Announcement._crm_unread_domain(),
        ])  # fmt: skip
        if not by_department:
            return result
        result += [
            {"id": announcement.id, "name": announcement.name, "content": self._add_attachment_links(announcement)}
            for announcement in by_department
        ]
        sequence = {a.id: (a.sequence, a.id) for a in Announcement.browse([item["id"] for item in result])}
        return sorted(result, key=lambda item: sequence[item["id"]])

    # ------------------------------------------------------------------
    # Sessions: edition user limit (单机版 / 局域网版 / 远程网络版), force logout
    # ------------------------------------------------------------------
    @classmethod
    def _login(cls, db, credential, user_agent_env):
        auth_info = super()._login(db, credential, user_agent_env)
        # Logins through the web client only: XML-RPC calls open no session.
        if user_agent_env and user_agent_env.get("interactive"):
            with cls.pool.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["res.users"].browse(auth_info["uid"])._crm_check_session_limit()
        return auth_info

    @api.model
    def _crm_session_limit(self):
        """(maximum internal users online at once or 0, minutes a session
        counts as online after its last recorded activity)."""
        params = self.env["ir.config_parameter"].sudo()
        return int(params.get_param("crm_core.max_concurrent_users", 0) or 0), int(
            params.get_param("crm_core.session_online_minutes", 120) or 120
        )

    @api.model
    def _crm_online_user_ids(self, minutes):
        """Internal users, administrators aside, with a session active in the
        last ``minutes`` (Odoo records a device's activity at most hourly)
        that still exists: logging out, expiry and revocation delete it."""
        self.env.cr.execute(SQL(
            """
            SELECT DISTINCT d.user_id, d.session_identifier
              FROM res_device_log d
              JOIN res_users u ON u.id = d.user_id
             WHERE NOT d.revoked AND u.active AND NOT u.share
               AND d.last_activity >= (now() AT TIME ZONE 'UTC') - make_interval(mins => %s)
               AND NOT EXISTS (SELECT 1 FROM res_groups_users_rel r WHERE r.uid = u.id AND r.gid = %s)
            """,
            minutes,
            self.env.ref("base.group_erp_manager").id,
        ))  # fmt: skip
        return list({user_id for user_id, identifier in self.env.cr.fetchall() if _session_exists(identifier)})

    def _crm_check_session_limit(self):
        """Refuse the login of one more internal user than the edition allows;
        administrators always log in and take no place, a user already
        online logs in again."""
        self.ensure_one()
        limit, minutes = self._crm_session_limit()
        if not limit or self.share or self._is_admin():
            return
        others = set(self._crm_online_user_ids(minutes)) - {self.id}
        if len(others) >= limit:
            raise AccessDenied(
                self.env._(
                    "This installation allows %(limit)s users online at once and %(count)s are: "
                    "ask one to log out, or an administrator to raise the limit.",
                    limit=limit,
                    count=len(others),
                )
            )

    def action_crm_force_logout(self):
        """End every session of these users (强制下线): their next request asks
        them to log in again."""
        if not self.env.user._is_admin():
            raise AccessError(self.env._("Only an administrator logs other users out."))
        devices = self.env["res.device"].sudo().search([("user_id", "in", self.ids)])
        devices._revoke()
        return True
