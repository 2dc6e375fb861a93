from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, create_index, float_compare, float_round

from .crm_period_mixin import PERIOD_TYPES

MEASURES = [
    ("sales_amount", "Sales Amount"),
    ("collected_amount", "Collected Amount"),
    ("gross_profit", "Gross Profit"),
    ("quantity", "Quantity Sold"),
    ("new_customers", "New Customers"),
    ("followups", "Follow-ups"),
    ("visits", "Visits"),
]
MONETARY_MEASURES = ("sales_amount", "collected_amount", "gross_profit")
TARGET_TYPES = [("rep", "Sales Rep"), ("department", "Department"), ("region", "Region")]
LEVELS = [("none", "Not Reached"), ("base", "Target"), ("stretch", "Stretch"), ("challenge", "Challenge")]

# Where each measure is counted: (source, position of its figure in the
# source's query). One query per source and target type computes the
# figures of every target of that source at once.
MEASURE_SOURCES = {
    "sales_amount": ("orders", 0),
    "gross_profit": ("orders", 1),
    "quantity": ("orders", 2),
    "collected_amount": ("payments", 0),
    "new_customers": ("customers", 0),
    "followups": ("followups", 0),
    "visits": ("followups", 1),
}

# The fields each source reads, flushed before its query.
SOURCE_FIELDS = {
    "orders": {
        "sale.order": ["state", "date_order", "amount_untaxed", "margin", "crm_quantity", "currency_rate", "user_id",
                       "team_id", "partner_id", "company_id"],
    },
    "payments": {
        "account.payment": ["payment_type", "partner_type", "state", "date", "amount_company_currency_signed", "partner_id", "company_id"],
    },
    "customers": {},
    "followups": {
        "crm.followup": ["user_id", "crm_team_id", "partner_id", "date", "followup_type", "company_id"],
    },
}  # fmt: skip
PARTNER_FIELDS = ["commercial_partner_id", "user_id", "crm_team_id", "crm_region_id", "crm_managed", "parent_id",
                  "active", "create_date", "company_id"]  # fmt: skip


# What the actuals' grouped queries filter on, in other modules' tables
# (dropped again by the uninstall hook): confirmed orders by date, then
# salesperson or team; posted customer payments by date; customers of the
# archive by creation date. name: (table, columns, where)
TARGET_INDEXES = {
    "sale_order_crm_target_confirmed_idx": ("sale_order", ["date_order", "user_id", "team_id"], "state = 'sale'"),
    "account_payment_crm_target_inbound_idx": (
        "account_payment", ["date", "partner_id"],
        "payment_type = 'inbound' AND partner_type = 'customer' AND state IN ('in_process', 'paid')",
    ),
    "res_partner_crm_target_created_idx": ("res_partner", ["create_date"], "crm_managed AND parent_id IS NULL"),
}  # fmt: skip


def _local_day(column, tz):
    """The day of a UTC timestamp column in the time zone ``tz``."""
    return SQL("((%s AT TIME ZONE 'UTC') AT TIME ZONE %s)::date", column, tz)


class CrmSalesTarget(models.Model):
    """A sales target (销售指标) of a rep, a department or a region for a
    month, quarter or year, on one measure, with optional stretch and
    challenge levels above it.

    Actuals come from the documents, in the company's currency, counted by
    day in the viewer's time zone (as Odoo's reports group dates) and, for a
    department, over the department and all its sub-departments:

    - Sales Amount: untaxed amount of confirmed sales orders (state "sale")
      ordered in the period, by the order's salesperson, sales team, or the
      region of its customer (commercial partner);
    - Gross Profit: sale_margin's margin of those orders (the sum of their
      lines' margins);
    - Quantity Sold: ordered quantity of those orders' lines (sections and
      notes aside), in each line's unit, summed per order when the lines
      change (sale.order.crm_quantity): the targets read orders, never the
      far more numerous lines;
    - Collected Amount: posted ("in process" or "paid") inbound customer
      payments dated in the period, by the owner (``user_id``), department
      or region of the paying customer's commercial partner;
    - New Customers: active customers of the archive (crm_managed, not
      contacts) created in the period, by their owner, department or region;
    - Follow-ups: follow-up records dated in the period, by who followed up,
      the customer's department or its region; Visits: those of type visit.

    Actuals, achievement, level and ranks are not stored: they are computed
    for a whole recordset at once, one grouped query per source and target
    type whatever the number of targets. ``last_actual`` keeps the figure of
    the last refresh (daily job, *Refresh Figures*) for the pivot and graph.
    """

    _name = "crm.sales.target"
    _description = "Sales Target"
    _inherit = ["mail.thread", "crm.period.mixin", "crm.input.mixin"]
    _order = "date_from desc, period_type, measure, target_type, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True, index="trigram")
    target_type = fields.Selection(TARGET_TYPES, string="Assigned To", required=True, default="rep", tracking=True)
    user_id = fields.Many2one(
        "res.users", string="Sales Rep", index="btree_not_null", tracking=True, domain="[('share', '=', False)]",
        compute="_compute_user_id", store=True, readonly=False, precompute=True,
    )  # fmt: skip
    crm_team_id = fields.Many2one(
        "crm.team", string="Department", index="btree_not_null", tracking=True, check_company=True,
        compute="_compute_crm_team_id", store=True, readonly=False, precompute=True,
        help="The department the target is set for; on a rep's target, the rep's department, which ranks them.",
    )  # fmt: skip
    crm_region_id = fields.Many2one(
        "crm.region", string="Region", index="btree_not_null", tracking=True,
        compute="_compute_crm_region_id", store=True, readonly=False, precompute=True,
    )  # fmt: skip
    assignee_key = fields.Char(compute="_compute_assignee_key", store=True)
    measure = fields.Selection(MEASURES, required=True, default="sales_amount", tracking=True)
    is_monetary = fields.Boolean(compute="_compute_is_monetary")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    target = fields.Float(string="Target", required=True, digits=(16, 2), tracking=True, aggregator="sum")
    stretch = fields.Float(
        string="Stretch Target", digits=(16, 2), tracking=True, aggregator="sum",
        help="Optional, at or above the target.",
    )  # fmt: skip
    challenge = fields.Float(
        string="Challenge Target", digits=(16, 2), tracking=True, aggregator="sum",
        help="Optional, at or above the stretch target (or the target).",
    )  # fmt: skip
    actual = fields.Float(compute="_compute_actual", digits=(16, 2))
    achievement = fields.Float(string="Achievement (%)", compute="_compute_actual", digits=(16, 1))
    level = fields.Selection(LEVELS, string="Level Reached", compute="_compute_actual", search="_search_level")
    rank_department = fields.Integer(string="Rank in Department", compute="_compute_rank")
    rank_company = fields.Integer(string="Rank in Company", compute="_compute_rank")
    last_actual = fields.Float(string="Actual (last refresh)", digits=(16, 2), readonly=True, copy=False, aggregator="sum")
    last_achievement = fields.Float(string="Achievement (last refresh, %)", digits=(16, 1), readonly=True, copy=False, aggregator="avg")
    last_refresh = fields.Datetime(string="Figures Refreshed", readonly=True, copy=False)
    # A department's target split over its members (the Split button).
    parent_id = fields.Many2one(
        "crm.sales.target", string="Split From", index="btree_not_null", ondelete="set null", check_company=True,
        domain="[('target_type', '=', 'department'), ('measure', '=', measure), ('period_type', '=', period_type), "
        "('date_from', '=', date_from)]",
    )  # fmt: skip
    child_ids = fields.One2many("crm.sales.target", "parent_id", string="Members' Targets")
    split_total = fields.Float(string="Split Total", compute="_compute_split", store=True, digits=(16, 2))
    split_mismatch = fields.Float(
        string="Split Difference", compute="_compute_split", store=True, digits=(16, 2),
        help="The target minus what its members' targets add up to.",
    )  # fmt: skip
    has_split_mismatch = fields.Boolean(string="Split Mismatch", compute="_compute_split", store=True)

    _sql_constraints = [
        (
            "assignee_period_measure_uniq",
            "unique(company_id, assignee_key, measure, period_type, date_from)",
            "There is already a target for this assignee, measure and period.",
        ),
    ]

    def init(self):
        super().init()
        for name, (table, columns, where) in TARGET_INDEXES.items():
            create_index(self.env.cr, name, table, columns, where=where)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("target_type")
    def _compute_user_id(self):
        for target in self.filtered(lambda t: t.target_type != "rep"):
            target.user_id = False

    @api.depends("target_type", "user_id")
    def _compute_crm_team_id(self):
        teams = {}  # one look-up per rep, not per target
        for target in self:
            if target.target_type == "rep":
                if target.user_id not in teams:
                    teams[target.user_id] = target.user_id._crm_default_team() if target.user_id else self.env["crm.team"]
                target.crm_team_id = teams[target.user_id]
            elif target.target_type == "region":
                target.crm_team_id = False

    @api.depends("target_type")
    def _compute_crm_region_id(self):
        for target in self.filtered(lambda t: t.target_type != "region"):
            target.crm_region_id = False

    @api.depends("target_type", "user_id", "crm_team_id", "crm_region_id")
    def _compute_assignee_key(self):
        for target in self:
            target.assignee_key = f"{target.target_type}:{target._crm_assignee().id}"

    def _crm_assignee(self):
        self.ensure_one()
        return {"rep": self.user_id, "department": self.crm_team_id, "region": self.crm_region_id}[self.target_type]

    @api.depends("measure", "target_type", "user_id.name", "crm_team_id.name", "crm_region_id.name", "period_type", "date_from")
    def _compute_name(self):
        measures = dict(self._fields["measure"]._description_selection(self.env))
        for target in self:
            target.name = " · ".join(filter(None, [
                measures.get(target.measure), target._crm_assignee().name, target.period_label,
            ]))  # fmt: skip

    @api.depends("measure")
    def _compute_is_monetary(self):
        for target in self:
            target.is_monetary = target.measure in MONETARY_MEASURES

    @api.depends(
        "measure", "target_type", "user_id", "crm_team_id", "crm_region_id", "company_id", "period_type", "date_from",
        "target", "stretch", "challenge",
    )  # fmt: skip
    @api.depends_context("tz")
    def _compute_actual(self):
        actuals = self._crm_actuals()
        for target, actual in zip(self, actuals):
            if target.measure in MONETARY_MEASURES:
                actual = target.company_currency_id.round(actual) if target.company_currency_id else float_round(actual, 2)
            target.actual = actual
            target.achievement = actual / target.target * 100 if target.target > 0 else 0.0
            target.level = target._crm_level(actual)

    def _crm_level(self, actual):
        self.ensure_one()
        level = "none"
        for name, threshold in (("base", self.target), ("stretch", self.stretch), ("challenge", self.challenge)):
            if threshold > 0 and float_compare(actual, threshold, precision_digits=2) >= 0:
                level = name
        return level

    def _search_level(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Level Reached is searched with =, !=, in or not in, not %(operator)s.", operator=operator))
        values = {value} if operator in ("=", "!=") else set(value)
        # Levels are live figures: computed for every target the user may
        # read, in one batch (one query per source and target type).
        targets = self.search([])
        matching = [t.id for t, actual in zip(targets, targets._crm_actuals()) if t._crm_level(actual) in values]
        return [("id", "in" if operator in ("=", "in") else "not in", matching)]

    @api.depends(
        "measure", "target_type", "user_id", "crm_team_id", "crm_region_id", "company_id", "period_type", "date_from",
        "target",
    )  # fmt: skip
    @api.depends_context("tz")
    def _compute_rank(self):
        """Competition ranking ("1224") by achievement, then actual, among
        the reps' targets of the same period, measure and company, in the
        company and inside the rep's department."""
        reps = self.filtered(lambda t: t.target_type == "rep" and t.measure and t.date_from)
        (self - reps).rank_department = (self - reps).rank_company = 0
        if not reps:
            return

        def key(target):
            return target.period_type, target.date_from, target.measure, target.company_id.id

        keys = {key(t) for t in reps}
        # sudo: a rank compares the rep with colleagues whose targets the
        # user may not read; only the rank number comes out of them.
        peers = self.sudo().search([
            ("target_type", "=", "rep"),
            ("date_from", "in", list({k[1] for k in keys})),
            ("measure", "in", list({k[2] for k in keys})),
            ("company_id", "in", list({k[3] for k in keys})),
        ]).filtered(lambda t: key(t) in keys)  # fmt: skip
        # The records being ranked count with their current (maybe unsaved) values.
        peers = peers.filtered(lambda t: t.id not in reps._origin.ids)
        scores = [(key(t), t.crm_team_id.id, t.achievement, t.actual, None) for t in peers]
        scores += [(key(t), t.crm_team_id.id, t.achievement, t.actual, t) for t in reps]
        company_ranks = self._crm_competition_ranks(scores, lambda s: s[0])
        department_ranks = self._crm_competition_ranks([s for s in scores if s[1]], lambda s: (s[0], s[1]))
        for target in reps:
            target.rank_company = company_ranks.get(target, 0)
            target.rank_department = department_ranks.get(target, 0)

    @api.model
    def _crm_competition_ranks(self, scores, group):
        groups = defaultdict(list)
        for score in scores:
            groups[group(score)].append(score)
        ranks = {}
        for members in groups.values():
            members.sort(key=lambda s: (-round(s[2], 4), -round(s[3], 2)))
            previous, rank = None, 0
            for position, score in enumerate(members, start=1):
                value = (round(score[2], 4), round(score[3], 2))
                if value != previous:
                    rank, previous = position, value
                if score[4] is not None:
                    ranks[score[4]] = rank
        return ranks

    @api.depends("target", "child_ids.target")
    def _compute_split(self):
        for target in self:
            if not target.child_ids:
                target.split_total = target.split_mismatch = 0.0
                target.has_split_mismatch = False
                continue
            target.split_total = sum(target.child_ids.mapped("target"))
            target.split_mismatch = float_round(target.target - target.split_total, 2)
            target.has_split_mismatch = bool(float_compare(target.split_mismatch, 0.0, precision_digits=2))

    # ------------------------------------------------------------------
    # Actuals
    # ------------------------------------------------------------------
    def _crm_actuals(self):
        """The actual of each target of self, in the order of self: one
        grouped query per source and target type for all of them.

        Raw SQL over the documents, whatever the user may read: a target's
        figure is shown to those who may read the target (the department's
        managers for a department, the rep and their managers for a rep)."""
        results = [0.0] * len(self)
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        rows = defaultdict(list)  # (source, target type) -> [(index, key id, company, from, to)]
        wanted = defaultdict(list)  # (source, target type) -> [(index, position of the figure)]
        team_trees = self._crm_team_trees()
        for index, target in enumerate(self):
            if not (target.measure and target.date_from and target.target_type):
                continue
            source, position = MEASURE_SOURCES[target.measure]
            assignee = target._crm_assignee()
            if not assignee:
                continue
            keys = team_trees.get(assignee.id, [assignee.id]) if target.target_type == "department" else [assignee.id]
            date_to = target.date_to or target.date_from
            for key_id in keys:
                rows[source, target.target_type].append((index, key_id, target.company_id.id, target.date_from, date_to))
            wanted[source, target.target_type].append((index, position))
        if not rows:
            return results
        self._crm_flush_sources({source for source, _type in rows})
        for (source, target_type), source_rows in rows.items():
            figures = self._crm_query_source(source, target_type, source_rows, tz)
            for index, position in wanted[source, target_type]:
                results[index] = figures.get(index, (0.0, 0.0, 0.0))[position]
        return results

    def _crm_team_trees(self):
        """{department id: ids of it and of every department below it}, for
        the department targets of self, archived sub-departments included
        (their past documents still count)."""
        team_ids = {t.crm_team_id.id for t in self if t.target_type == "department" and t.crm_team_id}
        if not team_ids:
            return {}
        # sudo: the structure of the departments, to count the documents of
        # a department the user reads the target of; only ids come out.
        Team = self.env["crm.team"].sudo().with_context(active_test=False)
        trees = defaultdict(list)
        for team in Team.search_fetch([("id", "child_of", list(team_ids))], ["parent_path"]):
            for ancestor in team.parent_path.split("/"):
                if ancestor and int(ancestor) in team_ids:
                    trees[int(ancestor)].append(team.id)
        return trees

    def _crm_flush_sources(self, sources):
        self.env["res.partner"].flush_model(PARTNER_FIELDS)
        for source in sources:
            for model, fnames in SOURCE_FIELDS[source].items():
                self.env[model].flush_model(fnames)

    def _crm_query_source(self, source, target_type, rows, tz):
        """{target index: (figure 0, 1, 2)} for ``rows`` of one source
        and target type, counted over the days of each row's period."""
        day_from = min(row[3] for row in rows)
        day_to = max(row[4] for row in rows)
        # Bounds in UTC wide enough for any time zone; the join keeps the days.
        start = datetime.combine(day_from - timedelta(days=1), time.min)
        stop = datetime.combine(day_to + timedelta(days=2), time.min)
        keys = sorted({row[1] for row in rows})
        documents = getattr(self, f"_crm_source_{source}")(target_type, keys, start, stop, day_from, day_to, tz)
        columns = list(zip(*rows))
        query = SQL(
            """
            WITH t AS (
                SELECT * FROM unnest(%s::int[], %s::int[], %s::int[], %s::date[], %s::date[])
                    AS t(target_index, key_id, company_id, date_from, date_to)
            ), d AS (%s)
            SELECT t.target_index, SUM(d.v0), SUM(d.v1), SUM(d.v2)
              FROM t
              JOIN d ON d.key_id = t.key_id
                    AND COALESCE(d.company_id, t.company_id) = t.company_id
                    AND d.day BETWEEN t.date_from AND t.date_to
             GROUP BY t.target_index
            """,
            list(columns[0]), list(columns[1]), list(columns[2]), list(columns[3]), list(columns[4]), documents,
        )  # fmt: skip
        self.env.cr.execute(query)
        # numeric columns come back as Decimal
        return {index: tuple(float(v or 0.0) for v in values) for index, *values in self.env.cr.fetchall()}

    @api.model
    def _crm_partner_key(self, target_type, alias):
        return SQL.identifier(alias, {"rep": "user_id", "department": "crm_team_id", "region": "crm_region_id"}[target_type])

    @api.model
    def _crm_order_key(self, target_type):
        """(key column, join) of an order for a target type."""
        if target_type == "rep":
            return SQL("so.user_id"), SQL()
        if target_type == "department":
            return SQL("so.team_id"), SQL()
        return SQL("cp.crm_region_id"), SQL(
            "JOIN res_partner p ON p.id = so.partner_id JOIN res_partner cp ON cp.id = p.commercial_partner_id"
        )

    @api.model
    def _crm_source_orders(self, target_type, keys, start, stop, day_from, day_to, tz):
        key, join = self._crm_order_key(target_type)
        return SQL(
            """
            SELECT %(key)s AS key_id, so.company_id, %(day)s AS day,
                   SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS v0,
                   SUM(COALESCE(so.margin, 0) / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS v1,
                   SUM(COALESCE(so.crm_quantity, 0)) AS v2
              FROM sale_order so %(join)s
             WHERE so.state = 'sale' AND so.date_order >= %(start)s AND so.date_order < %(stop)s
               AND %(key)s = ANY(%(keys)s)
             GROUP BY 1, 2, 3
            """,
            key=key, join=join, day=_local_day(SQL("so.date_order"), tz), start=start, stop=stop, keys=keys,
        )  # fmt: skip

    @api.model
    def _crm_source_payments(self, target_type, keys, start, stop, day_from, day_to, tz):
        key = self._crm_partner_key(target_type, "cp")
        return SQL(
            """
            SELECT %(key)s AS key_id, ap.company_id, ap.date AS day,
                   SUM(ap.amount_company_currency_signed) AS v0, 0.0 AS v1, 0.0 AS v2
              FROM account_payment ap
              JOIN res_partner p ON p.id = ap.partner_id
              JOIN res_partner cp ON cp.id = p.commercial_partner_id
             WHERE ap.payment_type = 'inbound' AND ap.partner_type = 'customer' AND ap.state IN ('in_process', 'paid')
               AND ap.date BETWEEN %(day_from)s AND %(day_to)s
               AND %(key)s = ANY(%(keys)s)
             GROUP BY 1, 2, 3
            """,
            key=key, day_from=day_from, day_to=day_to, keys=keys,
        )  # fmt: skip

    @api.model
    def _crm_source_customers(self, target_type, keys, start, stop, day_from, day_to, tz):
        key = self._crm_partner_key(target_type, "p")
        return SQL(
            """
            SELECT %(key)s AS key_id, p.company_id, %(day)s AS day, COUNT(*)::float AS v0, 0.0 AS v1, 0.0 AS v2
              FROM res_partner p
             WHERE p.crm_managed AND p.parent_id IS NULL AND p.active
               AND p.create_date >= %(start)s AND p.create_date < %(stop)s
               AND %(key)s = ANY(%(keys)s)
             GROUP BY 1, 2, 3
            """,
            key=key, day=_local_day(SQL("p.create_date"), tz), start=start, stop=stop, keys=keys,
        )  # fmt: skip

    @api.model
    def _crm_source_followups(self, target_type, keys, start, stop, day_from, day_to, tz):
        if target_type == "region":
            key, join = SQL("p.crm_region_id"), SQL("JOIN res_partner p ON p.id = f.partner_id")
        else:
            key, join = SQL.identifier("f", "user_id" if target_type == "rep" else "crm_team_id"), SQL()
        return SQL(
            """
            SELECT %(key)s AS key_id, f.company_id, %(day)s AS day,
                   COUNT(*)::float AS v0, (COUNT(*) FILTER (WHERE f.followup_type = 'visit'))::float AS v1, 0.0 AS v2
              FROM crm_followup f %(join)s
             WHERE f.date >= %(start)s AND f.date < %(stop)s
               AND %(key)s = ANY(%(keys)s)
             GROUP BY 1, 2, 3
            """,
            key=key, join=join, day=_local_day(SQL("f.date"), tz), start=start, stop=stop, keys=keys,
        )  # fmt: skip

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("target_type", "user_id", "crm_team_id", "crm_region_id")
    def _check_assignee(self):
        types = dict(self._fields["target_type"]._description_selection(self.env))
        for target in self:
            if not target._crm_assignee():
                field = {"rep": "user_id", "department": "crm_team_id", "region": "crm_region_id"}[target.target_type]
                raise ValidationError(
                    self.env._("Target %(target)s is for a %(type)s: fill in %(field)s.", target=target.display_name,
                               type=types[target.target_type].lower(), field=self._fields[field].get_description(self.env)["string"])
                )  # fmt: skip

    @api.constrains("target", "stretch", "challenge")
    def _check_levels(self):
        for target in self:
            if float_compare(target.target, 0.0, precision_digits=2) <= 0:
                raise ValidationError(self.env._("The target of %(target)s must be positive.", target=target.display_name))
            if target.stretch and float_compare(target.stretch, target.target, precision_digits=2) < 0:
                raise ValidationError(
                    self.env._("The stretch target of %(target)s (%(stretch)s) is below its target (%(base)s).",
                               target=target.display_name, stretch=target.stretch, base=target.target)
                )  # fmt: skip
            floor = target.stretch or target.target
            if target.challenge and float_compare(target.challenge, floor, precision_digits=2) < 0:
                raise ValidationError(
                    self.env._("The challenge target of %(target)s (%(challenge)s) is below its stretch target or target (%(floor)s).",
                               target=target.display_name, challenge=target.challenge, floor=floor)
                )  # fmt: skip

    @api.constrains("parent_id", "target_type", "measure", "period_type", "date_from", "company_id")
    def _check_parent(self):
        for target in self.filtered("parent_id"):
            parent = target.parent_id
            same = (parent.measure, parent.period_type, parent.date_from, parent.company_id) == (
                target.measure, target.period_type, target.date_from, target.company_id
            )  # fmt: skip
            if parent.target_type != "department" or target.target_type != "rep" or not same:
                raise ValidationError(
                    self.env._("%(target)s cannot be split from %(parent)s: a department's target is split over reps' "
                               "targets of the same measure and period.", target=target.display_name, parent=parent.display_name)
                )  # fmt: skip

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_split(self):
        """Split a department's target over its members (the wizard)."""
        self.ensure_one()
        if self.target_type != "department":
            raise UserError(self.env._("Only a department's target is split over its members (%(target)s).", target=self.display_name))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Split %(target)s", target=self.display_name),
            "res_model": "crm.sales.target.split",
            "view_mode": "form",
            "target": "new",
            "context": {"default_target_id": self.id},
        }

    def _crm_split_members(self):
        """Who a department's target is split over by default: the active
        members of the department and of its sub-departments, whose
        documents its actual counts."""
        self.ensure_one()
        # sudo: the department structure, to propose users; the split then
        # creates their targets under the user's own rights and rules.
        teams = self.env["crm.team"].sudo().search([("id", "child_of", self.crm_team_id.id)])
        return teams.crm_team_member_ids.user_id.filtered("active").sorted("name").sudo(False)

    def _crm_split(self, shares):
        """Give each user of ``shares`` ({user: amount}) a target of the
        department's measure and period split from this one: created, or
        the existing target of the user updated. Stretch and challenge
        follow in the same proportion."""
        self.ensure_one()
        if self.target_type != "department":
            raise UserError(self.env._("Only a department's target is split over its members (%(target)s).", target=self.display_name))
        existing = self.search([
            ("target_type", "=", "rep"), ("user_id", "in", [user.id for user in shares]), ("measure", "=", self.measure),
            ("period_type", "=", self.period_type), ("date_from", "=", self.date_from), ("company_id", "=", self.company_id.id),
        ])  # fmt: skip
        by_user = {target.user_id: target for target in existing}
        to_create = []
        for user, amount in shares.items():
            ratio = amount / self.target
            vals = {
                "target": amount,
                "stretch": float_round(self.stretch * ratio, 2) if self.stretch else 0.0,
                "challenge": float_round(self.challenge * ratio, 2) if self.challenge else 0.0,
                "parent_id": self.id,
            }
            if user in by_user:
                by_user[user].write(vals)
            else:
                to_create.append({
                    **vals, "target_type": "rep", "user_id": user.id, "measure": self.measure,
                    "period_type": self.period_type, "date_from": self.date_from, "company_id": self.company_id.id,
                })  # fmt: skip
        return existing | self.create(to_create)

    def action_refresh_figures(self):
        """Store the current figures for the pivot and graph."""
        self._crm_refresh_snapshot()
        return True

    def _crm_refresh_snapshot(self):
        if not self:
            return
        self.check_access("read")
        actuals = self._crm_actuals()
        achievements = [a / t.target * 100 if t.target > 0 else 0.0 for t, a in zip(self, actuals)]
        self.flush_recordset()
        # One statement for all: the snapshot is a derived figure, not a
        # change of the target (no tracking, no write access needed: reps
        # refresh the figures of their own targets too).
        self.env.cr.execute(SQL(
            """
            UPDATE crm_sales_target t
               SET last_actual = v.actual, last_achievement = v.achievement, last_refresh = now() AT TIME ZONE 'UTC'
              FROM unnest(%s::int[], %s::float[], %s::float[]) AS v(id, actual, achievement)
             WHERE t.id = v.id
            """,
            self.ids, [round(a, 2) for a in actuals], [round(a, 1) for a in achievements],
        ))  # fmt: skip
        self.invalidate_recordset(["last_actual", "last_achievement", "last_refresh"])

    @api.model
    def _cron_crm_refresh_figures(self):
        """Daily: refresh the stored figures of targets whose period is
        running or ended in the last 90 days (late payments still count)."""
        since = fields.Date.context_today(self) - timedelta(days=90)
        self.search([("date_to", ">=", since)])._crm_refresh_snapshot()

    # ------------------------------------------------------------------
    # Workbench
    # ------------------------------------------------------------------
    @api.model
    def _crm_workbench_progress(self, user):
        """The progress of ``user``'s own targets whose period holds today,
        ordered by measure (then month, quarter, year): a list of dicts
        {id, name, measure (label), period (label), target, actual,
        achievement (%), level (none / base / stretch / challenge)}. Read
        under the caller's record rules."""
        user = self.env["res.users"].browse(user.id if isinstance(user, models.BaseModel) else user)
        today = fields.Date.context_today(self)
        targets = self.search([
            ("target_type", "=", "rep"), ("user_id", "=", user.id), ("date_from", "<=", today), ("date_to", ">=", today),
        ])  # fmt: skip
        measure_rank = {key: rank for rank, (key, _label) in enumerate(MEASURES)}
        period_rank = {key: rank for rank, (key, _label) in enumerate(PERIOD_TYPES)}
        targets = targets.sorted(lambda t: (measure_rank[t.measure], period_rank[t.period_type], t.id))
        measures = dict(self._fields["measure"]._description_selection(self.env))
        return [
            {
                "id": target.id,
                "name": target.name,
                "measure": measures[target.measure],
                "period": target.period_label,
                "target": target.target,
                "actual": target.actual,
                "achievement": target.achievement,
                "level": target.level,
            }
            for target in targets
        ]
