from contextlib import contextmanager
from datetime import timedelta

from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare

CONTRACT_STATES = [
    ("draft", "Draft"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("signed", "Signed"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("terminated", "Terminated"),
    ("cancel", "Cancelled"),
]

# Which state may follow which; "approved" is reached only through the tier
# reviews (base_tier_validation checks that write).
TRANSITIONS = {
    "draft": {"to_approve", "approved", "cancel"},
    "to_approve": {"draft", "approved", "cancel"},
    "approved": {"signed", "draft", "cancel"},
    "signed": {"in_progress", "done", "terminated"},
    "in_progress": {"done", "terminated"},
    "done": set(),
    "terminated": set(),
    "cancel": {"draft"},
}

# What an approved or signed contract no longer changes: re-approval goes
# through "Reset to Draft".
LOCKED_FIELDS = {
    "contract_type", "partner_id", "amount_total", "currency_id", "payment_term_id", "company_id",
    "date_start", "date_end", "title", "note", "crm_team_id",
}  # fmt: skip

# Set by the workflow and the computes only: written over RPC they would
# forge an approval or the routing (base_tier_validation reads them).
PROTECTED_FIELDS = {
    "name", "state", "validation_status", "review_ids", "crm_approver_id", "crm_approval_limit", "crm_needs_gm",
    "amount_company", "amount_invoiced", "amount_paid", "amount_due", "plan_state",
}  # fmt: skip


class CrmContract(models.Model):
    """A sales or purchase contract (合同): approved through tier reviews
    (OCA base_tier_validation) by the department manager and, above the
    department's limit, the general manager; then signed and carried out,
    with a collection (or payment) plan followed against real invoices."""

    _name = "crm.contract"
    _description = "Contract"
    _inherit = [
        "mail.thread", "mail.activity.mixin", "tier.validation", "crm.owned.mixin", "crm.fax.mixin", "crm.input.mixin",
    ]  # fmt: skip
    _order = "id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "title", "partner_id.name"]
    _crm_link_fields = ("partner_id", "lead_id")

    # base_tier_validation: reviews are requested on the way from draft / to
    # approve to approved; a cancelled contract drops its reviews.
    _state_from = ["draft", "to_approve"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False

    name = fields.Char(string="Number", required=True, readonly=True, copy=False, default="/", index="trigram")
    title = fields.Char(string="Subject", required=True, tracking=True)
    contract_type = fields.Selection(
        [("sale", "Sales Contract"), ("purchase", "Purchase Contract")],
        string="Type", required=True, default="sale", tracking=True,
    )  # fmt: skip
    state = fields.Selection(CONTRACT_STATES, required=True, default="draft", readonly=True, copy=False, tracking=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Partner", required=True, index=True, tracking=True, check_company=True,
        help="The customer of a sales contract, the vendor of a purchase contract.",
    )  # fmt: skip
    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", index="btree_not_null", check_company=True,
        domain="[('type', '=', 'opportunity'), ('partner_id', 'child_of', partner_id)]",
    )  # fmt: skip
    user_id = fields.Many2one(
        "res.users", string="Responsible", required=True, index=True, tracking=True,
        default=lambda self: self.env.user, domain="[('share', '=', False)]",
    )  # fmt: skip
    crm_team_id = fields.Many2one(
        "crm.team", string="Department", index=True, tracking=True, check_company=True,
        compute="_compute_crm_team_id", store=True, readonly=False, precompute=True,
    )  # fmt: skip
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(
        "res.currency", required=True, tracking=True,
        compute="_compute_currency_id", store=True, readonly=False, precompute=True,
    )  # fmt: skip
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    amount_total = fields.Monetary(string="Amount", required=True, tracking=True)
    amount_company = fields.Monetary(
        string="Amount in Company Currency", currency_field="company_currency_id",
        compute="_compute_amount_company", store=True,
    )  # fmt: skip
    amount_in_words = fields.Char(compute="_compute_amount_in_words")
    payment_term_id = fields.Many2one("account.payment.term", string="Payment Terms", check_company=True)
    date_signed = fields.Date(string="Signing Date", tracking=True, copy=False)
    date_start = fields.Date(string="Start Date", tracking=True)
    date_end = fields.Date(string="End Date", tracking=True)
    note = fields.Html(string="Terms and Conditions")
    sale_order_ids = fields.One2many("sale.order", "crm_contract_id", string="Sales Orders")
    purchase_order_ids = fields.One2many("purchase.order", "crm_contract_id", string="Purchase Orders", groups="purchase.group_purchase_user")
    invoice_ids = fields.One2many("account.move", "crm_contract_id", string="Invoices and Bills")
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    plan_line_ids = fields.One2many(
        "crm.contract.plan", "contract_id", string="Instalments", copy=True,
    )  # fmt: skip
    amount_invoiced = fields.Monetary(compute="_compute_amounts_paid", store=True)
    amount_paid = fields.Monetary(compute="_compute_amounts_paid", store=True)
    amount_due = fields.Monetary(string="Amount Due", compute="_compute_amounts_paid", store=True)
    plan_state = fields.Selection(
        [("none", "No Plan"), ("on_time", "On Time"), ("overdue", "Overdue"), ("paid", "Paid")],
        string="Plan Status", compute="_compute_plan_state", store=True,
    )  # fmt: skip
    # Approval routing, read by the tier definitions (data/crm_contract_data.xml).
    crm_approver_id = fields.Many2one(
        "res.users", string="Department Approver", compute="_compute_crm_approval", store=True,
        help="The manager of the contract's department (the next one up when the "
        "responsible leads it), who approves it first.",
    )  # fmt: skip
    crm_approval_limit = fields.Monetary(
        string="Approval Limit", currency_field="company_currency_id", compute="_compute_crm_approval", store=True,
    )  # fmt: skip
    crm_needs_gm = fields.Boolean(
        string="General Manager Approval", compute="_compute_crm_approval", store=True,
        help="Above the department's approval limit, or without a department manager, "
        "the general manager approves too.",
    )  # fmt: skip
    terminate_reason = fields.Text(string="Termination Reason", copy=False, tracking=True)

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "A contract number is used once per company."),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("user_id")
    def _compute_crm_team_id(self):
        for contract in self:
            contract.crm_team_id = contract.user_id._crm_default_team() if contract.user_id else False

    @api.depends("company_id")
    def _compute_currency_id(self):
        for contract in self.filtered(lambda c: not c.currency_id):
            contract.currency_id = contract.company_id.currency_id or self.env.company.currency_id

    @api.depends("amount_total", "currency_id", "company_id", "date_signed")
    def _compute_amount_company(self):
        for contract in self:
            company = contract.company_id or self.env.company
            contract.amount_company = contract.currency_id._convert(
                contract.amount_total, company.currency_id, company, contract.date_signed or fields.Date.context_today(contract)
            ) if contract.currency_id else 0.0

    @api.depends("amount_total", "currency_id")
    def _compute_amount_in_words(self):
        for contract in self:
            contract.amount_in_words = contract.currency_id.crm_amount_in_words(contract.amount_total) if contract.currency_id else ""

    @api.depends(
        "crm_team_id", "crm_team_id.parent_id", "crm_team_id.user_id", "crm_team_id.crm_contract_limit",
        "crm_team_id.parent_id.user_id", "crm_team_id.parent_id.crm_contract_limit", "user_id", "amount_company",
    )  # fmt: skip
    def _compute_crm_approval(self):
        for contract in self:
            team = contract.crm_team_id.sudo()
            # A manager does not approve their own contract: the next leader up does.
            while team and (not team.user_id or team.user_id == contract.user_id):
                team = team.parent_id
            contract.crm_approver_id = team.user_id
            contract.crm_approval_limit = team.crm_contract_limit
            contract.crm_needs_gm = not team or float_compare(
                contract.amount_company, team.crm_contract_limit, precision_rounding=contract.company_currency_id.rounding or 0.01
            ) > 0

    def _compute_invoice_count(self):
        counts = dict(self.env["account.move"]._read_group([("crm_contract_id", "in", self.ids)], ["crm_contract_id"], ["__count"]))
        for contract in self:
            contract.invoice_count = counts.get(contract, 0)

    def _invoice_move_types(self):
        self.ensure_one()
        return ("out_invoice", "out_refund") if self.contract_type == "sale" else ("in_invoice", "in_refund")

    @api.depends(
        "contract_type", "currency_id", "invoice_ids.state", "invoice_ids.move_type", "invoice_ids.currency_id",
        "invoice_ids.invoice_date", "invoice_ids.amount_total", "invoice_ids.amount_residual",
    )  # fmt: skip
    def _compute_amounts_paid(self):
        """What was invoiced and what of it is paid (reconciled), in the
        contract's currency: credit notes count negative. An invoice in
        another currency counts at its own date's rate, so the stored figure
        does not drift with later rates."""
        today = fields.Date.context_today(self)
        for contract in self:
            invoiced = paid = 0.0
            moves = contract.invoice_ids.filtered(lambda m: m.state == "posted" and m.move_type in contract._invoice_move_types())
            for move in moves:
                direction = -1 if move.move_type in ("out_refund", "in_refund") else 1
                total = direction * move.amount_total
                settled = direction * (move.amount_total - move.amount_residual)
                if move.currency_id != contract.currency_id:
                    date = move.invoice_date or today
                    total = move.currency_id._convert(total, contract.currency_id, move.company_id, date)
                    settled = move.currency_id._convert(settled, contract.currency_id, move.company_id, date)
                invoiced += total
                paid += settled
            contract.amount_invoiced = contract.currency_id.round(invoiced) if contract.currency_id else invoiced
            contract.amount_paid = contract.currency_id.round(paid) if contract.currency_id else paid
            contract.amount_due = contract.amount_total - contract.amount_paid

    @api.depends("plan_line_ids.state")
    def _compute_plan_state(self):
        for contract in self:
            states = set(contract.plan_line_ids.mapped("state"))
            if not states:
                contract.plan_state = "none"
            elif states == {"paid"}:
                contract.plan_state = "paid"
            elif "overdue" in states:
                contract.plan_state = "overdue"
            else:
                contract.plan_state = "on_time"

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("amount_total")
    def _check_amount_total(self):
        for contract in self:
            if float_compare(contract.amount_total, 0.0, precision_rounding=contract.currency_id.rounding or 0.01) <= 0:
                raise ValidationError(self.env._("The amount of contract %(contract)s must be positive.", contract=contract.display_name))

    @api.constrains("date_start", "date_end", "date_signed")
    def _check_dates(self):
        for contract in self:
            if contract.date_start and contract.date_end and contract.date_end < contract.date_start:
                raise ValidationError(self.env._("Contract %(contract)s ends before it starts.", contract=contract.display_name))

    @api.constrains("amount_total", "plan_line_ids")
    def _check_plan_total(self):
        for contract in self.filtered("plan_line_ids"):
            planned = sum(contract.plan_line_ids.mapped("amount"))
            if float_compare(planned, contract.amount_total, precision_rounding=contract.currency_id.rounding or 0.01):
                raise ValidationError(
                    self.env._(
                        "The instalments of contract %(contract)s add up to %(planned)s, not to the contract amount %(amount)s.",
                        contract=contract.display_name,
                        planned=contract.currency_id.format(planned) if contract.currency_id else planned,
                        amount=contract.currency_id.format(contract.amount_total) if contract.currency_id else contract.amount_total,
                    )
                )

    @api.constrains("partner_id")
    def _check_partner(self):
        for contract in self:
            if contract.partner_id != contract.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._("A contract is made with %(company)s, not with its contact %(contact)s.",
                               company=contract.partner_id.commercial_partner_id.name, contact=contract.partner_id.name)
                )  # fmt: skip

    def _crm_check_team(self):
        """A rep files a contract under their own departments; managers and the
        general manager choose (inside their scope, by the record rules)."""
        user = self.env.user
        if self.env.su or not user.has_group("crm_core.group_crm_rep") or user.has_group("crm_core.group_crm_manager"):
            return
        own_teams = {}  # one search per owner, not per contract
        for contract in self.filtered("crm_team_id"):
            if contract.user_id not in own_teams:
                own_teams[contract.user_id] = contract.user_id._crm_own_teams()
            if contract.crm_team_id not in own_teams[contract.user_id]:
                raise AccessError(
                    self.env._("%(team)s is not a department of %(user)s: contract %(contract)s stays in theirs.",
                               team=contract.crm_team_id.display_name, user=contract.user_id.name, contract=contract.display_name)
                )  # fmt: skip

    def _crm_check_link(self, document, partner, contract_type, states=None):
        """An order, invoice or bill belongs only to a contract of its own
        partner and side (and, for invoices, one that was approved): else
        it would pay or bill someone else's instalments."""
        for contract in self:
            if (contract.contract_type != contract_type or contract.partner_id != partner.commercial_partner_id
                    or contract.state in (states or ("cancel",))):  # fmt: skip
                raise ValidationError(
                    self.env._("%(document)s cannot belong to contract %(contract)s: another partner, side or status.",
                               document=document.display_name, contract=contract.display_name)
                )  # fmt: skip

    @api.constrains("partner_id", "lead_id", "contract_type")
    def _check_lead(self):
        for contract in self.filtered("lead_id"):
            if contract.contract_type != "sale":
                raise ValidationError(self.env._("Only a sales contract comes from an opportunity (%(contract)s).", contract=contract.display_name))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft":
                raise UserError(self.env._("A contract starts as a draft."))
            if not self.env.su and (PROTECTED_FIELDS - {"name", "state"}) & set(vals):
                raise AccessError(self.env._("Approval and payment figures of a contract are computed, not written."))
            if vals.get("name", "/") == "/":
                code = "crm.contract.purchase" if vals.get("contract_type") == "purchase" else "crm.contract.sale"
                vals["name"] = self.env["ir.sequence"].next_by_code(code) or "/"
        with self._crm_plans_checked_by_contract():
            contracts = super().create(vals_list)
        contracts._crm_check_team()
        return contracts

    @contextmanager
    def _crm_plans_checked_by_contract(self):
        """Instalments written through their contract (plan_line_ids) are
        checked once, by the contract's constraint, when all are written;
        alone, each checks its contract's total (crm.contract.plan). A mark
        on the cursor, not in the context, which RPC callers could set."""
        cache = self.env.cr.cache
        cache["crm_contract_plan_deferred"] = cache.get("crm_contract_plan_deferred", 0) + 1
        try:
            yield
        finally:
            cache["crm_contract_plan_deferred"] -= 1

    def write(self, vals):
        forged = PROTECTED_FIELDS & set(vals)
        if forged and not self.env.su:
            raise AccessError(
                self.env._("These fields of a contract change only through its buttons: %(fields)s.",
                           fields=", ".join(self._fields[name].get_description(self.env)["string"] for name in sorted(forged)))
            )  # fmt: skip
        if "state" in vals:
            for contract in self:
                if vals["state"] != contract.state and vals["state"] not in TRANSITIONS[contract.state]:
                    raise UserError(
                        self.env._(
                            "Contract %(contract)s cannot go from %(from)s to %(to)s.",
                            contract=contract.display_name,
                            **{"from": dict(self._fields["state"]._description_selection(self.env))[contract.state],
                               "to": dict(self._fields["state"]._description_selection(self.env)).get(vals["state"], vals["state"])},
                        )
                    )  # fmt: skip
        locked = LOCKED_FIELDS & set(vals)
        if locked:
            frozen = self.filtered(lambda c: c.state not in ("draft", "to_approve"))
            if frozen:
                raise UserError(
                    self.env._(
                        "Contract %(contract)s is %(state)s: reset it to draft to change %(fields)s.",
                        contract=frozen[0].display_name,
                        state=dict(self._fields["state"]._description_selection(self.env))[frozen[0].state],
                        fields=", ".join(self._fields[name].get_description(self.env)["string"] for name in sorted(locked)),
                    )
                )
        with self._crm_plans_checked_by_contract():
            res = super().write(vals)
        if {"crm_team_id", "user_id"} & set(vals):
            self._crm_check_team()
        return res

    def unlink(self):
        # base_tier_validation deletes the reviews too; only the superuser
        # deletes contract reviews (models/tier_review.py).
        self.sudo().review_ids.unlink()
        return super().unlink()

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(contract.state not in ("draft", "cancel") for contract in self):
            raise UserError(self.env._("Only draft or cancelled contracts can be deleted; terminate or cancel the others."))

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for contract, vals in zip(self, vals_list):
            vals.setdefault("title", self.env._("%s (copy)", contract.title))
        return vals_list

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _crm_set_state(self, state):
        """The one way the state changes: the user must be allowed to write the
        contracts; TRANSITIONS (write) and base_tier_validation's checks
        still apply, as superuser since the state is protected."""
        self.check_access("write")
        self.sudo().with_context(skip_validation_check=True).write({"state": state})

    def _crm_restart_validation(self):
        # Reviews are deleted only by the superuser (models/tier_review.py).
        self.check_access("write")
        self.sudo().restart_validation()

    def action_submit(self):
        """Ask for approval (送审): the reviews the amount and department call for."""
        for contract in self:
            if contract.state != "draft":
                raise UserError(self.env._("Only a draft contract is submitted for approval (%(contract)s).", contract=contract.display_name))
            contract.check_access("write")
            if contract.review_ids:
                contract._crm_restart_validation()
        self._crm_set_state("to_approve")
        # Route by the departments as they are now: a leader or a limit
        # further up than the dependencies reach may have changed.
        for fname in ("amount_company", "crm_approver_id", "crm_approval_limit", "crm_needs_gm"):
            self.env.add_to_compute(self._fields[fname], self)
        self.request_validation()
        # Nothing to review (no tier applies): approved at once.
        self.filtered(lambda c: not c.review_ids)._crm_set_state("approved")
        return True

    def _crm_lock_for_review(self):
        """Reviews of one contract happen one at a time: the second reviewer
        waits for the first, then (the row having changed) Odoo retries their
        request, which then finds nothing left to review and says so."""
        if not self:
            return
        try:
            # The conflict is expected: Odoo retries the request, no error to log.
            self.env.cr.execute(
                "SELECT id FROM crm_contract WHERE id IN %s FOR NO KEY UPDATE", [tuple(self.ids)], log_exceptions=False
            )
        except errors.LockNotAvailable as exc:  # only with a lock_timeout set
            raise UserError(self.env._("Another user is reviewing this contract; try again in a moment.")) from exc

    def _crm_check_can_review(self):
        self.ensure_one()
        if self.state != "to_approve" or not self.can_review:
            done = self.review_ids.filtered(lambda r: r.status in ("approved", "rejected") and r.done_by)
            if self.state != "to_approve" or done and not self.review_ids.filtered(lambda r: r.status in ("waiting", "pending")):
                raise UserError(
                    self.env._(
                        "Contract %(contract)s is no longer waiting for your review (now %(state)s).",
                        contract=self.display_name,
                        state=dict(self._fields["state"]._description_selection(self.env))[self.state],
                    )
                )
            raise UserError(self.env._("You are not the reviewer of contract %(contract)s at this step.", contract=self.display_name))

    def validate_tier(self):
        self._crm_lock_for_review()
        self.invalidate_recordset()
        self.review_ids.invalidate_recordset()
        self._crm_check_can_review()
        # base_tier_validation returns None, which XML-RPC cannot send back.
        return super().validate_tier() or True

    def reject_tier(self):
        self._crm_lock_for_review()
        self.invalidate_recordset()
        self.review_ids.invalidate_recordset()
        self._crm_check_can_review()
        return super().reject_tier() or True

    def _validate_tier(self, tiers=False):
        res = super()._validate_tier(tiers)
        if self.state == "to_approve" and self.validation_status == "validated":
            self._crm_set_state("approved")
        return res

    def _rejected_tier(self, tiers=False):
        res = super()._rejected_tier(tiers)
        if self.state == "to_approve" and self.validation_status == "rejected":
            # Back to an editable draft: the rejection stays in the chatter,
            # the next submission asks for new reviews.
            comment = self.review_ids.filtered(lambda r: r.status == "rejected" and r.done_by == self.env.user)[:1].comment
            self.message_post(
                body=self.env._("Approval rejected by %(user)s: the contract is back to draft. %(comment)s",
                                user=self.env.user.name, comment=comment or ""),
            )  # fmt: skip
            self._crm_set_state("draft")
            self._crm_restart_validation()
        return res

    def action_sign(self):
        for contract in self:
            if contract.state != "approved":
                raise UserError(self.env._("Only an approved contract is signed (%(contract)s).", contract=contract.display_name))
        today = fields.Date.context_today(self)
        for contract in self.filtered(lambda c: not c.date_signed):
            contract.date_signed = today
        self._crm_set_state("signed")
        return True

    def action_start(self):
        self._crm_set_state("in_progress")
        return True

    def action_done(self):
        self._crm_set_state("done")
        return True

    def action_terminate(self):
        missing = self.filtered(lambda c: not c.terminate_reason)
        if missing:
            raise UserError(self.env._("Write why contract %(contract)s is terminated first.", contract=missing[0].display_name))
        self._crm_set_state("terminated")
        return True

    def action_cancel(self):
        self._crm_set_state("cancel")
        return True

    def action_draft(self):
        self._crm_set_state("draft")
        self._crm_restart_validation()
        return True

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type" if self.contract_type == "sale" else "account.action_move_in_invoice_type"
        )
        action["domain"] = [("crm_contract_id", "=", self.id)]
        action["context"] = {"default_crm_contract_id": self.id, "default_partner_id": self.partner_id.id,
                             "default_move_type": "out_invoice" if self.contract_type == "sale" else "in_invoice"}  # fmt: skip
        return action

    # ------------------------------------------------------------------
    # Tier validation
    # ------------------------------------------------------------------
    def _get_to_validate_message_name(self):
        return self.env._("Contract")

    def _get_under_validation_exceptions(self):
        # Collection plans, orders and attachments may be completed while the reviewers look.
        return super()._get_under_validation_exceptions() + ["plan_line_ids", "sale_order_ids", "purchase_order_ids", "date_signed"]

    def _get_all_validation_exceptions(self):
        return super()._get_all_validation_exceptions() + ["plan_line_ids", "date_signed", "terminate_reason"]

    # ------------------------------------------------------------------
    # Demo data (demo/crm_contract_demo.xml): the steps a user would click
    # ------------------------------------------------------------------
    def _crm_demo_approve(self):
        for contract in self:
            for review in contract.review_ids.sorted("sequence"):
                if review.status in ("waiting", "pending"):
                    contract.with_user(review.reviewer_ids[:1]).validate_tier()

    @api.model
    def _crm_demo_register_payment(self, move_ids, amount, days_ago=0):
        register = self.env["account.payment.register"].with_context(active_model="account.move", active_ids=move_ids)
        date = fields.Date.context_today(self) - timedelta(days=days_ago)
        return register.create({"amount": amount, "payment_date": date})._create_payments()

    # ------------------------------------------------------------------
    # Collections
    # ------------------------------------------------------------------
    @api.model
    def _cron_crm_overdue_instalments(self, batch_size=1000):
        """Mark instalments that fell due unpaid as overdue and remind their
        owners: one batch a run, committed by the ir.cron progress API, so a
        stopped run resumes and no reminder is made twice."""
        Plan = self.env["crm.contract.plan"]
        domain = [("state", "!=", "paid"), ("overdue_reminded", "=", False), ("due_date", "<", fields.Date.context_today(self)),
                  ("contract_id.state", "in", ("approved", "signed", "in_progress", "terminated"))]  # fmt: skip
        lines = Plan.search(domain, limit=batch_size, order="due_date, id").sudo()
        # "Overdue" depends on the date: recompute what fell due since, and
        # what depends on it (the contract's plan status).
        lines.modified(["due_date"])
        lines._crm_remind_overdue()
        lines.write({"overdue_reminded": True})
        remaining = Plan.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(lines), remaining=remaining)
        return remaining

