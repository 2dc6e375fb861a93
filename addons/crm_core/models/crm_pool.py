from odoo import api, fields, models


class CrmPool(models.Model):
    """A lead pool (潜在客户池 / 公海): customers without an owner, which the
    reps of the pool's departments browse and claim, and where customers
    nobody follows up are recycled to."""

    _name = "crm.pool"
    _description = "Lead Pool"
    _inherit = ["mail.thread", "crm.scope.trigger.mixin"]
    _order = "sequence, id"
    _crm_scope_fields = ("team_ids", "active", "company_id")

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    team_ids = fields.Many2many(
        "crm.team",
        "crm_pool_team_rel",
        "pool_id",
        "team_id",
        string="Departments",
        help="Reps of these departments and of their sub-departments browse and claim this pool. "
        "Empty: every rep.",
    )
    region_ids = fields.Many2many(
        "crm.region",
        "crm_pool_region_rel",
        "pool_id",
        "region_id",
        string="Regions",
        help="Released customers of these regions go to this pool when no department pool matches.",
    )
    is_default = fields.Boolean(string="Default Pool", help="Receives released customers no other pool matches.")
    # Claiming
    holding_limit = fields.Integer(
        default=100, tracking=True, help="Customers a rep may own at most; 0 for no limit. A user may have their own."
    )
    count_won = fields.Boolean(
        string="Won Customers Count", help="Whether customers with the status Customer count towards the limit."
    )
    daily_claim_limit = fields.Integer(string="Daily Claims", default=20, help="0 for no limit.")
    cooldown_days = fields.Integer(
        string="Re-claim Cooldown (days)", default=30, help="Days before the previous owner may claim a customer again."
    )
    embargo_hours = fields.Integer(
        string="Embargo (hours)", default=0, help="Hours during which a customer just put in the pool cannot be claimed."
    )
    lock_limit = fields.Integer(default=5, help="Key customers an owner may lock against recycling; 0 for none.")
    # Recycling
    recycle_active = fields.Boolean(string="Automatic Recycling", default=True)
    followup_days = fields.Integer(
        string="Not Followed Up (days)", default=30, help="Recycle owned customers not followed up for this many days; 0: never."
    )
    no_opportunity_days = fields.Integer(
        string="No Opportunity (days)", default=60, help="Recycle customers without any opportunity this many days after the claim; 0: never."
    )
    not_won_days = fields.Integer(
        string="Not Won (days)", default=180, help="Recycle customers not won this many days after the claim; 0: never."
    )
    warning_days = fields.Integer(
        string="Warn Before (days)", default=3, help="The owner gets a to-do this many days before a customer is recycled."
    )
    recycle_open_opportunities = fields.Boolean(
        string="Recycle with Open Opportunities", help="Also recycle customers that have an opportunity in progress."
    )
    recycle_won = fields.Boolean(string="Recycle Won Customers", help="Also recycle customers with the status Customer.")
    grade_rule_ids = fields.One2many("crm.pool.grade.rule", "pool_id", string="Days per Grade")
    partner_count = fields.Integer(string="Customers in Pool", compute="_compute_partner_count")

    _sql_constraints = [
        (
            "limits_positive",
            "CHECK(holding_limit >= 0 AND daily_claim_limit >= 0 AND cooldown_days >= 0 AND embargo_hours >= 0 "
            "AND lock_limit >= 0 AND followup_days >= 0 AND no_opportunity_days >= 0 AND not_won_days >= 0 "
            "AND warning_days >= 0)",
            "Limits and days cannot be negative.",
        ),
    ]

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("crm_pool_id", "in", self.ids), ("user_id", "=", False)], ["crm_pool_id"], ["__count"]
            )
        )
        for pool in self:
            pool.partner_count = counts.get(pool, 0)

    def _days_for(self, grade):
        """(followup, no opportunity, not won) days of this pool for a grade."""
        self.ensure_one()
        rule = self.grade_rule_ids.filtered(lambda r: r.grade_id == grade)[:1]
        if rule:
            return rule.followup_days, rule.no_opportunity_days, rule.not_won_days
        return self.followup_days, self.no_opportunity_days, self.not_won_days

    @api.model
    def _pool_for(self, record, pools=None):
        """The home pool of a customer or lead, where it goes without owner:
        its department's or an ancestor's, else its region's, else the
        default pool. ``pools``: the candidates, to search them once."""
        if pools is None:
            pools = self.sudo().search([])
        team, region, company = record._crm_pool_key()
        company = company or self.env.company
        pools = pools.filtered(lambda p: not p.company_id or p.company_id == company)
        if team:
            ancestors = [int(i) for i in team.sudo().parent_path.split("/") if i]
            for team_id in reversed(ancestors):
                pool = pools.filtered(lambda p, t=team_id: t in p.team_ids.ids)[:1]
                if pool:
                    return pool
        if region:
            pool = pools.filtered(lambda p: region in p.region_ids)[:1]
            if pool:
                return pool
        return pools.filtered("is_default")[:1] or pools[:1]

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_core.res_partner_action_crm_pool")
        action["domain"] = [("crm_pool_id", "=", self.id), ("user_id", "=", False)]
        return action


class CrmPoolGradeRule(models.Model):
    _name = "crm.pool.grade.rule"
    _description = "Recycling Days per Grade"
    _order = "pool_id, grade_id"

    pool_id = fields.Many2one("crm.pool", required=True, ondelete="cascade", index=True)
    grade_id = fields.Many2one("crm.customer.grade", required=True, ondelete="cascade")
    followup_days = fields.Integer(string="Not Followed Up (days)")
    no_opportunity_days = fields.Integer(string="No Opportunity (days)")
    not_won_days = fields.Integer(string="Not Won (days)")

    _sql_constraints = [
        ("grade_unique", "UNIQUE(pool_id, grade_id)", "A grade has one rule per pool."),
        (
            "days_positive",
            "CHECK(followup_days >= 0 AND no_opportunity_days >= 0 AND not_won_days >= 0)",
            "Days cannot be negative.",
        ),
    ]


class CrmPoolReleaseReason(models.Model):
    _name = "crm.pool.release.reason"
    _description = "Release Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)


class CrmOwnershipLog(models.Model):
    """Who owned a customer when, and why it changed hands."""

    _name = "crm.ownership.log"
    _description = "Ownership History"
    _order = "date desc, id desc"

    partner_id = fields.Many2one("res.partner", string="Customer", ondelete="cascade", index="btree_not_null")
    lead_id = fields.Many2one("crm.lead", string="Lead", ondelete="cascade", index="btree_not_null")
    date = fields.Datetime(default=fields.Datetime.now, required=True, index=True)
    action = fields.Selection(
        [
            ("claim", "Claimed"),
            ("release", "Released"),
            ("recycle", "Recycled"),
            ("assign", "Assigned"),
            ("transfer", "Transferred"),
        ],
        required=True,
        index=True,
    )
    from_user_id = fields.Many2one("res.users", string="From", index="btree_not_null")
    to_user_id = fields.Many2one("res.users", string="To", index="btree_not_null")
    author_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user)
    pool_id = fields.Many2one("crm.pool", string="Pool")
    reason_id = fields.Many2one("crm.pool.release.reason", string="Reason")
    note = fields.Char()

    _sql_constraints = [
        (
            "one_record",
            "CHECK((partner_id IS NULL) != (lead_id IS NULL))",
            "An ownership entry is about one customer or one lead.",
        ),
    ]
