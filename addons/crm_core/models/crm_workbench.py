from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

# Items listed per section; the counts are complete.
ITEM_LIMIT = 5
# Customers claimed this many days ago or less count as recent claims.
RECENT_CLAIM_DAYS = 7
CONTRACT_RUNNING_STATES = ("approved", "signed", "in_progress", "terminated")


class CrmWorkbench(models.AbstractModel):
    """The workbench (工作台): the home of a CRM user, one call gathering what
    they have to do today. Each section is a count and the first items,
    read as the user (their record rules apply), with a few queries whatever
    the number of records."""

    _name = "crm.workbench"
    _description = "Workbench"

    @api.model
    def get_data(self):
        user = self.env.user
        if not user.has_group("crm_core.group_crm_rep"):
            # Its sections read contracts, pools and targets of the app's roles.
            raise AccessError(self.env._("The workbench is for the users of Customer Management."))
        today = fields.Date.context_today(self)
        return {
            "user": {"id": user.id, "name": user.name},
            "today": fields.Date.to_string(today),
            "targets": self._crm_targets(),
            "followups": self._crm_followups(today),
            "activities": self._crm_activities(today),
            "claims": self._crm_claims(),
            "recycles": self._crm_recycles(today),
            "collections": self._crm_collections(today),
            "approvals": self._crm_approvals(),
            "announcements": self._crm_announcements(),
            "shortcuts": self.env["crm.workbench.shortcut"]._crm_for_user(),
        }

    @api.model
    def action_open(self, section):
        """The list behind a section's "View all"."""
        today = fields.Date.context_today(self)
        if section == "followups":
            action = self.env["ir.actions.act_window"]._for_xml_id("crm_core.res_partner_action_crm_customer")
            action.update(name=self.env._("Follow-ups Due"), domain=self._crm_followup_domain(today), context={})
        elif section == "activities":
            action = self.env["ir.actions.act_window"]._for_xml_id("mail.mail_activity_action")
            action.update(name=self.env._("My Activities Due"), domain=self._crm_activity_domain(today), context={})
        elif section == "claims":
            action = self.env["ir.actions.act_window"]._for_xml_id("crm_core.res_partner_action_crm_customer")
            action.update(name=self.env._("Recent Claims"), domain=self._crm_claim_domain(), context={})
        elif section == "recycles":
            action = self.env["ir.actions.act_window"]._for_xml_id("crm_core.res_partner_action_crm_customer")
            ids = self._crm_recycle_customers(today).ids
            action.update(name=self.env._("Recycling Soon"), domain=[("id", "in", ids)], context={})
        elif section == "collections":
            action = self.env["ir.actions.act_window"]._for_xml_id("crm_core.crm_contract_plan_action_collection")
            action.update(name=self.env._("Overdue Collections"), domain=self._crm_collection_domain(today), context={})
        elif section == "approvals":
            action = self.env["ir.actions.act_window"]._for_xml_id("crm_core.crm_contract_action_to_review")
        elif section == "announcements":
            action = self.env["ir.actions.act_window"]._for_xml_id("crm_core.announcement_action_crm")
            action.update(name=self.env._("Unread Announcements"), domain=self.env["announcement"]._crm_unread_domain())
        else:
            raise UserError(self.env._("The workbench has no section %(section)s.", section=section))
        return action

    # ------------------------------------------------------------------
    # Sections
    # ------------------------------------------------------------------
    @api.model
    def _crm_targets(self):
        """The user's sales targets (crm_sales_target), when installed."""
        if "crm.sales.target" not in self.env:
            return []
        return self.env["crm.sales.target"]._crm_workbench_progress(self.env.user)

    @api.model
    def _crm_followup_domain(self, today):
        return [
            ("crm_managed", "=", True), ("parent_id", "=", False), ("user_id", "=", self.env.uid),
            ("crm_next_followup_date", "<=", today),
        ]  # fmt: skip

    @api.model
    def _crm_followups(self, today):
        """Own customers whose next follow-up is today or overdue."""
        Partner = self.env["res.partner"]
        domain = self._crm_followup_domain(today)
        counts = self._crm_split_by_day(Partner, domain, "crm_next_followup_date", today)
        partners = Partner.search_fetch(
            domain, ["name", "crm_next_followup_date"], order="crm_next_followup_date, id", limit=ITEM_LIMIT
        )
        counts["items"] = [
            {"id": p.id, "model": "res.partner", "name": p.name, "date": fields.Date.to_string(p.crm_next_followup_date)}
            for p in partners
        ]
        return counts

    @api.model
    def _crm_activity_domain(self, today):
        return [("user_id", "=", self.env.uid), ("date_deadline", "<=", today)]

    @api.model
    def _crm_activities(self, today):
        """The user's to-dos (mail activities) due today or overdue."""
        Activity = self.env["mail.activity"]
        domain = self._crm_activity_domain(today)
        counts = self._crm_split_by_day(Activity, domain, "date_deadline", today)
        activities = Activity.search_fetch(
            domain, ["res_model", "res_id", "res_name", "summary", "activity_type_id", "date_deadline"],
            order="date_deadline, id", limit=ITEM_LIMIT,
        )  # fmt: skip
        counts["items"] = [
            {
                "id": activity.res_id, "model": activity.res_model, "activity_id": activity.id,
                "name": activity.summary or activity.activity_type_id.name or "", "subtitle": activity.res_name or "",
                "date": fields.Date.to_string(activity.date_deadline),
            }
            for activity in activities
        ]  # fmt: skip
        return counts

    @api.model
    def _crm_claim_domain(self):
        since = fields.Datetime.now() - timedelta(days=RECENT_CLAIM_DAYS)
        return [
            ("crm_managed", "=", True), ("parent_id", "=", False), ("user_id", "=", self.env.uid),
            ("crm_claim_date", ">=", since),
        ]  # fmt: skip

    @api.model
    def _crm_claims(self):
        """Customers the user claimed from a pool lately."""
        Partner = self.env["res.partner"]
        domain = self._crm_claim_domain()
        partners = Partner.search_fetch(domain, ["name", "crm_claim_date"], order="crm_claim_date desc, id desc", limit=ITEM_LIMIT)
        return {
            "count": Partner.search_count(domain),
            "days": RECENT_CLAIM_DAYS,
            "items": [
                {"id": p.id, "model": "res.partner", "name": p.name, "date": self._crm_local_date(p.crm_claim_date)}
                for p in partners
            ],
        }

    @api.model
    def _crm_recycle_customers(self, today):
        """Own customers that their pool's rules recycle within its warning
        days (the day the owner is warned), as the daily job will."""
        # sudo: the pools' rules are read and evaluated as the recycling job
        # does, over orders and contracts the user may not see; the result is
        # restricted to the user's own customers.
        Partner = self.env["res.partner"]
        pools = self.env["crm.pool"].sudo().search([("recycle_active", "=", True)])
        if not pools:
            return Partner
        domain = expression.AND([
            [("user_id", "=", self.env.uid)],
            expression.OR([Partner._crm_recycle_domain(pool, today + timedelta(days=pool.warning_days)) for pool in pools]),
        ])  # fmt: skip
        return Partner.sudo().search(domain, order="crm_last_followup_date, id").sudo(False)

    @api.model
    def _crm_recycles(self, today):
        partners = self._crm_recycle_customers(today)
        items = partners[:ITEM_LIMIT]
        items.fetch(["name", "crm_last_followup_date", "crm_pool_id"])
        return {
            "count": len(partners),
            "items": [
                {
                    "id": p.id, "model": "res.partner", "name": p.name,
                    "subtitle": self.env._("%(pool)s · last followed up", pool=p.crm_pool_id.name)
                    if p.crm_last_followup_date else p.crm_pool_id.name,
                    "date": fields.Date.to_string(p.crm_last_followup_date),
                }
                for p in items
            ],
        }  # fmt: skip

    @api.model
    def _crm_collection_domain(self, today):
        # As the overdue job marks them, without waiting for its next run.
        return [
            ("contract_type", "=", "sale"), ("user_id", "=", self.env.uid), ("state", "!=", "paid"),
            ("due_date", "<", today), ("contract_id.state", "in", CONTRACT_RUNNING_STATES),
        ]  # fmt: skip

    @api.model
    def _crm_collections(self, today):
        """Unpaid instalments of the user's sales contracts, past due."""
        Plan = self.env["crm.contract.plan"]
        domain = self._crm_collection_domain(today)
        lines = Plan.search_fetch(
            domain, ["contract_id", "partner_id", "name", "due_date", "residual_amount", "currency_id"],
            order="due_date, id", limit=ITEM_LIMIT,
        )  # fmt: skip
        lines.contract_id.fetch(["name", "title"])
        return {
            "count": Plan.search_count(domain),
            "items": [
                {
                    "id": line.contract_id.id, "model": "crm.contract", "name": line.contract_id.title,
                    "subtitle": f"{line.contract_id.name} · {line.partner_id.display_name} · {line.name}",
                    "date": fields.Date.to_string(line.due_date), "amount": line.residual_amount,
                    "currency_id": line.currency_id.id,
                }
                for line in lines
            ],
        }  # fmt: skip

    @api.model
    def _crm_approvals(self):
        """Contracts waiting for the user's approval (their tier is next)."""
        reviews = self.env["tier.review"].search_fetch(
            [("model", "=", "crm.contract"), ("status", "in", ("waiting", "pending")), ("can_review", "=", True),
             ("reviewer_ids", "in", self.env.uid)],
            ["res_id"],
        )  # fmt: skip
        Contract = self.env["crm.contract"]
        domain = [("id", "in", list(set(reviews.mapped("res_id")))), ("state", "=", "to_approve")]
        contracts = Contract.search_fetch(
            domain, ["name", "title", "partner_id", "user_id", "amount_total", "currency_id"], order="id", limit=ITEM_LIMIT
        )
        return {
            "count": Contract.search_count(domain),
            "items": [
                {
                    "id": c.id, "model": "crm.contract", "name": c.title,
                    "subtitle": f"{c.name} · {c.partner_id.display_name} · {c.user_id.name}",
                    "amount": c.amount_total, "currency_id": c.currency_id.id,
                }
                for c in contracts
            ],
        }  # fmt: skip

    @api.model
    def _crm_announcements(self):
        """Unread announcements addressed to the user, latest first."""
        Announcement = self.env["announcement"]
        domain = Announcement._crm_unread_domain()
        announcements = Announcement.search_fetch(
            domain, ["name", "notification_date", "create_date"], order="notification_date desc, id desc", limit=ITEM_LIMIT
        )
        return {
            "count": Announcement.search_count(domain),
            "items": [
                {"id": a.id, "model": "announcement", "name": a.name, "date": self._crm_local_date(a.notification_date or a.create_date)}
                for a in announcements
            ],
        }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @api.model
    def _crm_local_date(self, value):
        """The date of a datetime in the user's timezone, as a string."""
        return fields.Date.to_string(fields.Datetime.context_timestamp(self, value).date())

    @api.model
    def _crm_split_by_day(self, model, domain, date_field, today):
        """{count, today, overdue} of the records of ``domain``, in one query."""
        groups = model._read_group(domain, [f"{date_field}:day"], ["__count"])
        counts = {"count": 0, "today": 0, "overdue": 0}
        for day, count in groups:
            counts["count"] += count
            counts["today" if day and fields.Date.to_date(day) >= today else "overdue"] += count
        return counts
