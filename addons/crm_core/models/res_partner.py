from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

from .crm_input_mixin import browse_arg

CUSTOMER_STATUSES = [
    ("prospect", "Prospect"),
    ("intent", "Intent"),
    ("customer", "Customer"),
    ("dormant", "Dormant"),
    ("lost", "Lost"),
]
# Context keys that add a partner's contact details to its display name.
DETAIL_NAME_KEYS = ("show_address", "show_email", "show_vat")
CREDIT_RATINGS = [
    ("aaa", "AAA - Excellent"),
    ("aa", "AA - Good"),
    ("a", "A - Fair"),
    ("b", "B - Watch"),
    ("c", "C - Poor"),
]


class ResPartner(models.Model):
    """The customer archive (客户档案).

    A partner is in the archive, and under the hierarchy's record rules, when
    ``crm_managed`` is set: customers created from the Customer Management app,
    from a lead conversion or an import into the archive, and their contacts
    (the flag, the owner and the department are commercial fields, copied to
    contacts). The company's own partner, users' partners, vendors and any
    partner created elsewhere stay outside the archive and visible to all
    internal users, as in standard Odoo.
    """

    _name = "res.partner"
    _inherit = [
        "res.partner", "crm.owned.mixin", "crm.identity.mixin", "crm.pool.item.mixin", "crm.shared.mixin",
        "crm.fax.number.mixin",
    ]  # fmt: skip

    _crm_link_fields = ("parent_id",)

    crm_managed = fields.Boolean(
        string="In Customer Archive",
        index=True,
        copy=False,
        help="Customers in the archive are visible by owner and department, not to everyone.",
    )
    user_id = fields.Many2one(index=True, tracking=True)
    crm_team_id = fields.Many2one(
        "crm.team", string="Sales Department", index="btree_not_null", tracking=True, ondelete="set null"
    )
    crm_grade_id = fields.Many2one("crm.customer.grade", string="Grade", index="btree_not_null", tracking=True)
    crm_customer_type_id = fields.Many2one("crm.customer.type", string="Customer Type", index="btree_not_null")
    crm_source_id = fields.Many2one("utm.source", string="Source", index="btree_not_null")
    crm_region_id = fields.Many2one(
        "crm.region",
        string="Region",
        compute="_compute_crm_region_id",
        store=True,
        readonly=False,
        index="btree_not_null",
    )
    crm_status = fields.Selection(
        CUSTOMER_STATUSES, string="Customer Status", default="prospect", index=True, tracking=True, copy=False
    )
    crm_credit_rating = fields.Selection(CREDIT_RATINGS, string="Credit Rating", tracking=True)
    crm_product_ids = fields.Many2many(
        "product.template",
        "res_partner_crm_product_rel",
        "partner_id",
        "product_tmpl_id",
        string="Interested Products",
    )
    crm_first_followup_date = fields.Date(string="First Follow-up", copy=False, readonly=True)
    crm_last_followup_date = fields.Date(string="Last Follow-up", copy=False, readonly=True, index=True)
    crm_next_followup_date = fields.Date(string="Next Follow-up", copy=False, index=True)
    crm_followup_count = fields.Integer(string="Follow-ups", copy=False, readonly=True)
    crm_visit_count = fields.Integer(string="Visits", copy=False, readonly=True)
    crm_followup_ids = fields.One2many("crm.followup", "partner_id", string="Follow-up Records")
    # Pool (公海)
    crm_claim_date = fields.Datetime(string="Claimed On", copy=False, readonly=True)
    crm_release_date = fields.Datetime(string="Released On", copy=False, readonly=True)
    crm_release_reason_id = fields.Many2one("crm.pool.release.reason", string="Release Reason", copy=False, readonly=True)
    crm_release_note = fields.Char(string="Release Note", copy=False, readonly=True)
    crm_previous_owner_id = fields.Many2one("res.users", string="Previous Owner", copy=False, readonly=True)
    crm_locked = fields.Boolean(string="Locked", copy=False, tracking=True, help="A locked key customer is never recycled.")
    crm_recycle_warned = fields.Boolean(string="Recycle Warning Sent", copy=False, readonly=True)
    crm_ownership_log_ids = fields.One2many("crm.ownership.log", "partner_id", string="Ownership History")
    crm_contract_ids = fields.One2many("crm.contract", "partner_id", string="Contracts")
    crm_contract_count = fields.Integer(string="Contract Count", compute="_compute_crm_contract_count")
    crm_communication_count = fields.Integer(
        string="Communications", compute="_compute_crm_communication_count", groups="crm_core.group_crm_rep"
    )
    crm_service_ticket_count = fields.Integer(
        string="Service Tickets", compute="_compute_crm_service_ticket_count", groups="crm_core.group_crm_rep",
    )  # fmt: skip
    crm_shared_user_ids = fields.Many2many(
        "res.users", "res_partner_crm_shared_user_rel", "partner_id", "user_id", string="Shared with",
        domain=[("share", "=", False)], copy=False,
        help="Colleagues who may read this customer and its contacts, without editing them.",
    )  # fmt: skip

    @api.depends("state_id")
    def _compute_crm_region_id(self):
        states = self.state_id
        region_by_state = {}
        if states:
            for region in self.env["crm.region"].sudo().search([("state_ids", "in", states.ids)], order="sequence desc, name desc"):
                region_by_state.update(dict.fromkeys(region.state_ids.ids, region.id))
        for partner in self:
            # A province outside every region keeps the region set by hand.
            partner.crm_region_id = region_by_state.get(partner.state_id.id, partner.crm_region_id.id)

    @api.depends("name")
    def _compute_crm_name_key(self):
        return super()._compute_crm_name_key()

    def _crm_identity_name(self):
        return self.name

    # The raw fields, not the computed keys: constraints run on the fields
    # written, and the keys are computed from these.
    @api.constrains("crm_managed", "parent_id", "name", "phone", "mobile", "email", "vat", "country_id")
    def _check_crm_duplicates(self):
        self.env["crm.customer.lookup"].check_duplicates(self.filtered("crm_managed"))

    @api.onchange("name", "phone", "mobile", "email", "vat")
    def _onchange_crm_duplicates(self):
        if not self.crm_managed:
            return None
        duplicates = self.env["crm.customer.lookup"].find_duplicates(self, modes=("warn", "block"))
        if not duplicates:
            return None
        return {
            "warning": {
                "title": self.env._("Possible duplicate"),
                "message": self.env["crm.customer.lookup"]._describe(duplicates),
            }
        }

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "crm_managed", "user_id", "crm_team_id", "crm_pool_id", "crm_shared_user_ids",
        ]  # fmt: skip

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # A new customer is its creator's and their department's, unless
            # it is given an owner or explicitly created in the pool.
            if vals.get("crm_managed") and not vals.get("parent_id"):
                if not vals.get("user_id") and not self.env.context.get("crm_pool"):
                    vals["user_id"] = self.env.uid
                if not vals.get("crm_team_id") and vals.get("user_id"):
                    vals["crm_team_id"] = self.env["res.users"].browse(vals["user_id"])._crm_default_team().id
        partners = super().create(vals_list)
        partners.filtered(lambda p: p.crm_managed and not p.parent_id)._crm_set_home_pool()
        return partners

    def write(self, vals):
        # Reassigning a customer files it under the new owner's department.
        if vals.get("user_id") and "crm_team_id" not in vals and any(p.crm_managed for p in self):
            vals = dict(vals, crm_team_id=self.env["res.users"].browse(vals["user_id"])._crm_default_team().id)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_crm_orders_or_contracts(self):
        """Name the customers that orders or contracts keep: the database's
        own refusal names neither the customer nor the way out."""
        customers = self.filtered("crm_managed")
        if not customers:
            return
        # sudo: orders and contracts the user does not see keep the customer
        # too; only the customers the user is deleting are named.
        domain = [("partner_id", "in", customers.ids)]
        orders_su = self.env["sale.order"].sudo()
        contracts_su = self.env["crm.contract"].sudo().with_context(active_test=False)
        kept = {
            partner.id
            for model_su in (orders_su, contracts_su)
            for [partner] in model_su._read_group(domain, ["partner_id"])
        }
        if kept:
            raise UserError(
                self.env._(
                    "Nothing was deleted: %(customers)s have orders or contracts. Archive them instead.",
                    customers=", ".join(customers.filtered(lambda p: p.id in kept).mapped("display_name")[:5]),
                )
            )

    def _crm_update_followup_stats(self):
        """First/last/next follow-up dates and counts, from the follow-ups,
        for all the customers in self at once."""
        groups = self.env["crm.followup"].sudo()._read_group(
            [("partner_id", "in", self.ids)], ["partner_id", "followup_type"], ["date:min", "date:max", "__count"]
        )
        stats = {}
        for partner, followup_type, first, last, count in groups:
            entry = stats.setdefault(partner.id, {"first": first, "last": last, "count": 0, "visits": 0})
            entry["first"], entry["last"] = min(entry["first"], first), max(entry["last"], last)
            entry["count"] += count
            if followup_type == "visit":
                entry["visits"] += count
        latest = {}
        for followup in self.env["crm.followup"].sudo().search(
            [("partner_id", "in", self.ids), ("next_date", "!=", False)], order="date desc, id desc"
        ):
            latest.setdefault(followup.partner_id.id, followup.next_date)

        def local_date(moment):  # the user's day, as the recycling rules count days
            return moment and fields.Date.context_today(self, moment)

        for partner in self:
            entry = stats.get(partner.id)
            partner.write({
                "crm_first_followup_date": entry and local_date(entry["first"]),
                "crm_last_followup_date": entry and local_date(entry["last"]),
                "crm_followup_count": entry["count"] if entry else 0,
                "crm_visit_count": entry["visits"] if entry else 0,
                "crm_next_followup_date": latest.get(partner.id, False),
                "crm_recycle_warned": False,
            })  # fmt: skip

    # ------------------------------------------------------------------
    # Pool: what a rep may not read before claiming
    # ------------------------------------------------------------------
    @api.model
    def _crm_pool_masked_fields(self):
        """Contact details of a pool customer, hidden until it is claimed,
        and the customer fields added without code (they may hold any)."""
        return {
            "phone", "mobile", "email", "email_normalized", "email_formatted", "phone_sanitized",
            "crm_phone_e164", "crm_mobile_e164", "crm_email_domain", "child_ids", "street", "street2",
            "website", "vat", "contact_address", "contact_address_inline", "crm_fax",
        } | self._crm_custom_field_names()  # fmt: skip

    @api.model
    def _crm_custom_field_names(self):
        return {name for name, field in self._fields.items() if field.manual and name.startswith("x_crm_")}

    def _crm_share_follows_parent(self):
        return bool(self.parent_id)

    def _crm_in_pool(self):
        # Owner first: owned customers (most pages) need no other field.
        return self.filtered(lambda p: not p.user_id and p.crm_managed and p.crm_pool_id and not p.parent_id)

    def _crm_pool_domain(self):
        return [
            ("user_id", "=", False), ("crm_managed", "=", True), ("crm_pool_id", "!=", False), ("parent_id", "=", False),
        ]  # fmt: skip

    def _search_phone_mobile_search(self, operator, value):
        # Odoo matches the numbers in its own SQL, around _condition_to_sql.
        return self._crm_pool_unmasked(super()._search_phone_mobile_search(operator, value))

    @api.depends_context("uid")
    def _compute_display_name(self):
        # These keys print the address, e-mail or tax id in the name (selection
        # fields, name_search, the reports' contact widget, which reads it as
        # superuser): not those of a pool customer the user may not see.
        shown = [key for key in DETAIL_NAME_KEYS if self.env.context.get(key)]
        # The real user's view, also when the name is computed as superuser;
        # in SQL: the records may be ones the user cannot even read.
        domain = self.sudo(False)._crm_pool_hidden_domain() if shown else None
        hidden = set()
        if domain is not None and (ids := [id_ for id_ in self._ids if isinstance(id_, int)]):
            partners_su = self.sudo().with_context(active_test=False)
            hidden = set(partners_su.search(expression.AND([domain, [("id", "in", ids)]])).ids)
        super(ResPartner, self.filtered(lambda p: p.id not in hidden))._compute_display_name()
        masked = self.filtered(lambda p: p.id in hidden)
        if masked:
            # Computed without those keys (reading the name of a record being
            # computed would give False).
            plain = masked.with_context(**dict.fromkeys(shown, False))
            super(ResPartner, plain)._compute_display_name()
            for partner, plain_partner in zip(masked, plain):
                partner.display_name = plain_partner.display_name

    def _crm_pool_key(self):
        self.ensure_one()
        return self.crm_team_id, self.crm_region_id, self.company_id

    # ------------------------------------------------------------------
    # Sharing with colleagues
    # ------------------------------------------------------------------
    def _crm_shared_kind(self):
        return self.env._("customers")

    def _crm_set_shared(self, users, share=True, note=None, notify=True):
        outside = self.filtered(lambda p: not p.crm_managed)
        if outside:
            raise UserError(
                self.env._(
                    "Only customers of the archive are shared: %(partners)s is not one.",
                    partners=", ".join(outside.mapped("display_name")[:5]),
                )
            )
        # Contacts follow their company (a commercial field): share the company.
        return super(ResPartner, self.commercial_partner_id)._crm_set_shared(
            users, share=share, note=note, notify=notify
        )

    # ------------------------------------------------------------------
    # Pool: claim, release, assign, lock
    # ------------------------------------------------------------------
    def action_claim(self):
        """Claim (领取) pool customers for the current user."""
        self._crm_claim(self.env.user, action="claim")
        return True

    def _crm_claim(self, user, action="claim"):
        if not self:
            return
        self._crm_serialize_claims(user)
        records_su = self.sudo()
        now = fields.Datetime.now()
        for partner in records_su:
            if not partner.crm_managed or partner.parent_id:
                raise UserError(self.env._("%(name)s is not a customer of the archive.", name=partner.display_name))
        records_su._crm_check_claimable()
        # Only pools in the claimer's reach (the pool rule), once the rows are ours.
        self.check_access("read")
        for partner in records_su:
            if action == "claim":
                partner._crm_check_claim_delays(user, now)
        if action == "claim":
            records_su._crm_check_claim_limits(user)
        previous = {p.id: p.crm_pool_id for p in records_su}
        records_su.write({
            "user_id": user.id,
            "crm_team_id": user._crm_default_team().id,
            "crm_claim_date": now,
            "crm_recycle_warned": False,
        })  # fmt: skip
        self.env["crm.ownership.log"].sudo().create([
            {"partner_id": p.id, "action": action, "to_user_id": user.id, "pool_id": previous[p.id].id}
            for p in records_su
        ])  # fmt: skip

    def _crm_check_claim_delays(self, user, now):
        self.ensure_one()
        pool = self.crm_pool_id
        if pool.embargo_hours and self.crm_release_date and self.crm_release_date + timedelta(hours=pool.embargo_hours) > now:
            raise UserError(
                self.env._(
                    "%(name)s was put in the pool on %(date)s and can be claimed %(hours)s hours later.",
                    name=self.display_name, date=self.crm_release_date, hours=pool.embargo_hours,
                )
            )  # fmt: skip
        if (
            pool.cooldown_days
            and self.crm_previous_owner_id == user
            and self.crm_release_date
            and self.crm_release_date + timedelta(days=pool.cooldown_days) > now
        ):
            raise UserError(
                self.env._(
                    "You released %(name)s on %(date)s: you may claim it again after %(days)s days.",
                    name=self.display_name, date=self.crm_release_date.date(), days=pool.cooldown_days,
                )
            )  # fmt: skip

    def _crm_check_claim_limits(self, user):
        """Holding limit and daily cap, counted for all the customers claimed at once."""
        for pool in self.crm_pool_id:
            claimed = self.filtered(lambda p, pool=pool: p.crm_pool_id == pool)
            limit = user.crm_holding_limit or pool.holding_limit
            if limit:
                domain = [("crm_managed", "=", True), ("parent_id", "=", False), ("user_id", "=", user.id)]
                if not pool.count_won:
                    domain.append(("crm_status", "!=", "customer"))
                held = self.sudo().search_count(domain)
                if held + len(claimed) > limit:
                    raise UserError(
                        self.env._(
                            "%(user)s holds %(held)s customers; the limit is %(limit)s: release some before claiming.",
                            user=user.name, held=held, limit=limit,
                        )
                    )  # fmt: skip
            if pool.daily_claim_limit:
                today = fields.Datetime.to_datetime(fields.Date.context_today(self))
                claims = self.env["crm.ownership.log"].sudo().search_count(
                    [("to_user_id", "=", user.id), ("action", "=", "claim"), ("date", ">=", today)]
                )
                if claims + len(claimed) > pool.daily_claim_limit:
                    raise UserError(
                        self.env._(
                            "%(user)s already claimed %(claims)s customers today; the daily limit is %(limit)s.",
                            user=user.name, claims=claims, limit=pool.daily_claim_limit,
                        )
                    )  # fmt: skip

    def _crm_release(self, reason=None, note=None, action="release"):
        """Put owned customers back in their pool (退回 / 回收), set-based: one
        write per (previous owner, pool), one insert for the history."""
        if action == "release":
            locked = self.filtered("crm_locked")
            if locked:
                raise UserError(
                    self.env._("Unlock %(names)s before releasing.", names=", ".join(locked.mapped("display_name")))
                )
        records = self.sudo()
        Pool = self.env["crm.pool"]
        pools = Pool.sudo().search([])
        groups = defaultdict(lambda: records.browse())
        for partner in records:
            pool = partner.crm_pool_id or Pool._pool_for(partner, pools)
            if not pool:
                raise UserError(self.env._("No pool can receive %(name)s: create one first.", name=partner.display_name))
            groups[partner.user_id, pool] |= partner
        now = fields.Datetime.now()
        logs = []
        for (owner, pool), partners in groups.items():
            logs += [
                {"partner_id": p.id, "action": action, "from_user_id": owner.id, "pool_id": pool.id,
                 "reason_id": reason.id if reason else False, "note": note}
                for p in partners
            ]  # fmt: skip
            partners.write({
                "crm_previous_owner_id": owner.id, "user_id": False, "crm_pool_id": pool.id,
                "crm_release_date": now, "crm_release_reason_id": reason.id if reason else False,
                "crm_release_note": note, "crm_locked": False, "crm_recycle_warned": False,
            })  # fmt: skip
        self.env["crm.ownership.log"].sudo().create(logs)

    def action_release(self, reason_id=False, note=False):
        """The owner (or their manager) releases customers to the pool."""
        reason = browse_arg(self.env["crm.pool.release.reason"], reason_id, self.env._("Release reason"))
        if note not in (False, None) and not isinstance(note, str):
            raise UserError(self.env._("The release note is a text."))
        self.check_access("write")
        if self.filtered(lambda p: not p.user_id):
            raise UserError(self.env._("Only owned customers can be released."))
        user = self.env.user
        if not user.has_group("crm_core.group_crm_manager") and self.filtered(lambda p: p.user_id != user):
            raise AccessError(self.env._("You can only release your own customers."))
        self._crm_release(reason=reason, note=note)
        return True

    def action_assign_from_pool(self, user_id):
        """A department manager (or the GM) gives pool customers to a user of
        their scope; no claim limits apply to a manager's decision."""
        user = browse_arg(self.env["res.users"], user_id, self.env._("User"))
        if not user:
            raise UserError(self.env._("Choose the user who gets the customers."))
        if not self.env.user.has_group("crm_core.group_crm_manager"):
            raise AccessError(self.env._("Only a department manager or the general manager assigns pool customers."))
        self._crm_check_assign(user, records=self)
        self._crm_claim(user, action="assign")
        return True

    def action_lock(self):
        self.check_access("write")
        for owner, partners in self.grouped("user_id").items():
            if not owner:
                raise UserError(self.env._("Pool customers cannot be locked."))
            pool = partners.crm_pool_id[:1] or self.env["crm.pool"]._pool_for(partners[0])
            limit = owner.crm_lock_limit or pool.lock_limit
            locked = self.sudo().search_count([("user_id", "=", owner.id), ("crm_locked", "=", True)])
            new = partners.filtered(lambda p: not p.crm_locked)
            if locked + len(new) > limit:
                raise UserError(
                    self.env._(
                        "%(user)s already locked %(locked)s key customers; the limit is %(limit)s.",
                        user=owner.name, locked=locked, limit=limit,
                    )
                )  # fmt: skip
        self.write({"crm_locked": True})
        return True

    def action_unlock(self):
        self.check_access("write")
        self.write({"crm_locked": False})
        return True

    def _compute_crm_service_ticket_count(self):
        counts = dict(self.env["crm.service.ticket"]._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        for partner in self:
            partner.crm_service_ticket_count = counts.get(partner, 0)

    def _compute_crm_contract_count(self):
        counts = dict(self.env["crm.contract"]._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        for partner in self:
            partner.crm_contract_count = counts.get(partner, 0)

    def _compute_crm_communication_count(self):
        # The history is the commercial partner's, as the user may see it.
        counts = dict(self.env["crm.communication"]._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
        ))  # fmt: skip
        for partner in self:
            partner.crm_communication_count = counts.get(partner.commercial_partner_id, 0)

    def action_crm_view_communications(self):
        """The customer's communication history (its commercial partner's)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_core.crm_communication_action")
        customer = self.commercial_partner_id
        action["name"] = self.env._("Communications of %(customer)s", customer=customer.display_name)
        action["domain"] = [("partner_id", "=", customer.id)]
        return action

    # ------------------------------------------------------------------
    # Pool: automatic recycling (自动回收)
    # ------------------------------------------------------------------
    @api.model
    def _crm_recycle_domain(self, pool, on_date):
        """Owned customers of ``pool`` that its rules recycle on ``on_date``,
        with each grade's own days."""
        base = [
            ("crm_managed", "=", True), ("parent_id", "=", False), ("user_id", "!=", False),
            ("crm_pool_id", "=", pool.id), ("crm_locked", "=", False),
            # Never a customer with an order in progress.
            ("sale_order_ids", "not any", ["|", ("state", "in", ("draft", "sent")),
                                           "&", ("state", "=", "sale"), ("invoice_status", "!=", "invoiced")]),
            # Nor one with a contract under approval or running.
            ("crm_contract_ids", "not any", [("state", "in", ("to_approve", "approved", "signed", "in_progress"))]),
        ]  # fmt: skip
        if not pool.recycle_open_opportunities:
            base.append(("opportunity_ids", "not any", [("stage_id.is_won", "=", False)]))
        if not pool.recycle_won:
            base.append(("crm_status", "!=", "customer"))
        graded = pool.grade_rule_ids.grade_id
        by_grade = [(grade, [("crm_grade_id", "=", grade.id)]) for grade in graded]
        by_grade.append((self.env["crm.customer.grade"], [("crm_grade_id", "not in", graded.ids)]))
        def owned_before(days):
            """Owned (claimed, else created) on or before the day ``days`` ago."""
            limit = on_date - timedelta(days=days - 1)
            return ["|", ("crm_claim_date", "<", limit), "&", ("crm_claim_date", "=", False), ("create_date", "<", limit)]

        alternatives = []
        for grade, grade_domain in by_grade:
            followup_days, no_opportunity_days, not_won_days = pool._days_for(grade)
            reasons = []
            if followup_days:
                # N days without follow-up: due on the N-th day.
                limit = on_date - timedelta(days=followup_days)
                reasons.append(["|", ("crm_last_followup_date", "<=", limit),
                                "&", ("crm_last_followup_date", "=", False), *owned_before(followup_days)])  # fmt: skip
            if no_opportunity_days:
                reasons.append([*owned_before(no_opportunity_days), ("opportunity_ids", "=", False)])
            if not_won_days:
                reasons.append([*owned_before(not_won_days), ("crm_status", "!=", "customer")])
            if reasons:
                alternatives.append(expression.AND([grade_domain, expression.OR(reasons)]))
        if not alternatives:
            return expression.FALSE_DOMAIN
        return expression.AND([base, expression.OR(alternatives)])

    @api.model
    def _cron_crm_recycle(self, batch_size=1000):
        """Warn owners, then recycle due customers to their pool: one batch per
        run. The ir.cron progress API commits each batch and runs the job
        again at once while some remain, so a stopped run resumes where it
        was; a recycled customer is no longer due, so nothing happens twice."""
        today = fields.Date.context_today(self)
        Pool = self.env["crm.pool"]
        done = remaining = 0
        for pool in Pool.search([("recycle_active", "=", True)]):
            if pool.warning_days:
                soon = today + timedelta(days=pool.warning_days)
                to_warn = self.search(
                    expression.AND([self._crm_recycle_domain(pool, soon), [("crm_recycle_warned", "=", False)]]),
                    limit=batch_size,
                )
                to_warn._crm_warn_recycle(pool)
                done += len(to_warn)
            due_domain = self._crm_recycle_domain(pool, today)
            due = self.search(due_domain, limit=batch_size, order="id")
            # The ownership history records each move; no chatter tracking per customer.
            due.with_context(tracking_disable=True)._crm_release(reason=self.env.ref("crm_core.release_reason_recycled", raise_if_not_found=False),
                             note=self.env._("Recycled by the rules of %(pool)s", pool=pool.name), action="recycle")  # fmt: skip
            done += len(due)
            remaining += self.search_count(due_domain)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return remaining

    def _crm_warn_recycle(self, pool):
        # One insert for the whole batch rather than activity_schedule() per customer.
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        deadline = fields.Date.context_today(self) + timedelta(days=pool.warning_days)
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].sudo().create([
            {"res_model_id": model_id, "res_id": partner.id, "activity_type_id": activity_type.id,
             "date_deadline": deadline, "user_id": partner.user_id.id,
             "summary": self.env._("Follow up %(customer)s or it returns to the pool", customer=partner.name)}
            for partner in self
        ])  # fmt: skip
        self.write({"crm_recycle_warned": True})

    # ------------------------------------------------------------------
    # Reminders and automation policies
    # ------------------------------------------------------------------
    @api.model
    def _cron_crm_followup_digest(self):
        """One e-mail per owner listing their customers due or overdue for a
        follow-up (跟进提醒)."""
        today = fields.Date.context_today(self)
        groups = self._read_group(
            [("crm_managed", "=", True), ("parent_id", "=", False), ("user_id", "!=", False),
             ("crm_next_followup_date", "<=", today)],
            ["user_id"], ["id:recordset"],
        )  # fmt: skip
        template = self.env.ref("crm_core.mail_template_followup_digest")
        for user, partners in groups:
            if user.email:
                due = partners.sorted(lambda p: (p.crm_next_followup_date, p.name))
                template.with_context(crm_due_partners=due).send_mail(user.id)
        return len(groups)

    def _crm_notify_manager(self, summary):
        """A to-do for the manager of each customer's department (automation
        policies): its leader, else the nearest leader above it."""
        for manager, partners in self.grouped(lambda p: p.crm_team_id._crm_manager()).items():
            if manager:
                for partner in partners:
                    partner.activity_schedule("mail.mail_activity_data_todo", summary=summary, user_id=manager.id)
