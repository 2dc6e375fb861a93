from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare, float_is_zero, float_round

PLAN_STATES = [
    ("planned", "Planned"),
    ("partial", "Partly Paid"),
    ("paid", "Paid"),
    ("overdue", "Overdue"),
]


# Computed from the invoices and the calendar (and the daily job's mark).
PROTECTED_FIELDS = {"paid_amount", "residual_amount", "state", "overdue_reminded"}


def _due_order(line):
    return (line.due_date or fields.Date.today(), line.sequence, line._origin.id or 0)


class CrmContractPlan(models.Model):
    """An instalment of a contract's collection plan (收款计划) or, on a
    purchase contract, of its payment plan (付款计划). What is paid comes
    from the contract's posted, reconciled invoices or bills, applied to the
    instalments in the order they fall due."""

    _name = "crm.contract.plan"
    _description = "Contract Instalment"
    _inherit = ["crm.input.mixin"]
    _order = "contract_id, due_date, sequence, id"
    _check_company_auto = True

    contract_id = fields.Many2one("crm.contract", string="Contract", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Instalment", required=True)
    condition = fields.Char(help="When this instalment is due, e.g. on delivery or 30 days after acceptance.")
    due_date = fields.Date(string="Due Date", required=True, index=True)
    percentage = fields.Float(string="Percentage", digits=(5, 2), help="Share of the contract amount; leave empty to type the amount.")
    amount = fields.Monetary(compute="_compute_amount", store=True, readonly=False, precompute=True, required=True)
    paid_amount = fields.Monetary(string="Paid", compute="_compute_paid", store=True)
    residual_amount = fields.Monetary(string="Outstanding", compute="_compute_paid", store=True)
    state = fields.Selection(PLAN_STATES, string="Status", compute="_compute_paid", store=True, index=True)
    overdue_reminded = fields.Boolean(copy=False, help="The owner was reminded that this instalment is overdue.")
    currency_id = fields.Many2one(related="contract_id.currency_id")
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    contract_type = fields.Selection(related="contract_id.contract_type", store=True)
    contract_state = fields.Selection(related="contract_id.state", string="Contract Status")
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True, index=True)
    user_id = fields.Many2one(related="contract_id.user_id", store=True, index=True)
    crm_team_id = fields.Many2one(related="contract_id.crm_team_id", store=True, index="btree_not_null", string="Department")

    @api.depends("percentage", "contract_id.amount_total", "contract_id.plan_line_ids.percentage")
    def _compute_amount(self):
        for contract in self.contract_id:
            # While being created (precompute), the new lines are not yet in
            # contract.plan_line_ids.
            siblings = contract.plan_line_ids | self.filtered(lambda line: line.contract_id == contract)
            lines = siblings.filtered(lambda line: line.percentage)
            total = contract.amount_total
            rounding = contract.currency_id.rounding or 0.01
            whole = float_compare(sum(lines.mapped("percentage")), 100.0, precision_digits=2) == 0
            rest = total
            amounts = {}
            for index, line in enumerate(lines.sorted(_due_order)):
                if whole and index == len(lines) - 1:
                    # Percentages that make 100 % cover the whole amount: the
                    # last instalment takes the rounding difference.
                    amounts[line] = rest
                else:
                    amounts[line] = float_round(total * line.percentage / 100.0, precision_rounding=rounding)
                    rest -= amounts[line]
            for line in (lines & self):
                line.amount = contract.currency_id.round(amounts[line]) if contract.currency_id else amounts[line]
        for line in self.filtered(lambda line: not line.contract_id and line.percentage):
            line.amount = 0.0

    @api.depends(
        "amount", "due_date", "sequence", "contract_id.amount_paid", "contract_id.state",
        "contract_id.plan_line_ids.amount", "contract_id.plan_line_ids.due_date", "contract_id.plan_line_ids.sequence",
    )  # fmt: skip
    def _compute_paid(self):
        """Payments go to the instalments in the order they fall due."""
        today = fields.Date.context_today(self)
        for contract in self.contract_id:
            available = contract.amount_paid
            rounding = contract.currency_id.rounding or 0.01
            for line in contract.plan_line_ids.sorted(_due_order):
                paid = max(0.0, min(line.amount, available))
                available -= paid
                if line not in self:
                    continue
                line.paid_amount = paid
                line.residual_amount = line.amount - paid
                if float_compare(paid, line.amount, precision_rounding=rounding) >= 0:
                    line.state = "paid"
                elif line.due_date and line.due_date < today and contract.state in ("approved", "signed", "in_progress", "terminated"):
                    line.state = "overdue"
                elif not float_is_zero(paid, precision_rounding=rounding):
                    line.state = "partial"
                else:
                    line.state = "planned"
        for line in self.filtered(lambda line: not line.contract_id):
            line.paid_amount, line.residual_amount, line.state = 0.0, line.amount, "planned"

    @api.constrains("amount", "percentage", "due_date", "contract_id")
    def _check_instalment(self):
        for line in self:
            where = self.env._("instalment %(line)s of contract %(contract)s", line=line.name, contract=line.contract_id.display_name)
            if float_compare(line.amount, 0.0, precision_rounding=line.currency_id.rounding or 0.01) <= 0:
                raise ValidationError(self.env._("The amount of %(where)s must be positive.", where=where))
            if line.percentage < 0 or float_compare(line.percentage, 100.0, precision_digits=2) > 0:
                raise ValidationError(self.env._("The percentage of %(where)s must be between 0 and 100.", where=where))
            signed = line.contract_id.date_signed
            if signed and line.due_date and line.due_date < signed:
                raise ValidationError(
                    self.env._(
                        "%(where)s falls due on %(due)s, before the contract was signed (%(signed)s).",
                        where=where[:1].upper() + where[1:],
                        due=line.due_date,
                        signed=signed,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(PROTECTED_FIELDS & set(vals) for vals in vals_list):
            raise AccessError(self.env._("What is paid of an instalment is computed from the invoices, not written."))
        lines = super().create(vals_list)
        lines._crm_check_contract_open()
        lines._crm_check_contract_total(lines.contract_id)
        return lines

    def write(self, vals):
        if not self.env.su:
            if PROTECTED_FIELDS & set(vals):
                raise AccessError(self.env._("What is paid of an instalment is computed from the invoices, not written."))
            if "contract_id" in vals and self.filtered(lambda line: line.contract_id.id != vals["contract_id"]):
                raise UserError(self.env._("An instalment stays on its contract: delete it and add it to the other one."))
        if "due_date" in vals:
            vals = dict(vals, overdue_reminded=False)
        self._crm_check_contract_open()
        contracts = self.contract_id
        res = super().write(vals)
        if {"amount", "percentage", "contract_id"} & set(vals):
            self._crm_check_contract_total(contracts | self.contract_id)
        return res

    def unlink(self):
        self._crm_check_contract_open()
        contracts = self.contract_id
        res = super().unlink()
        self._crm_check_contract_total(contracts.exists())
        return res

    def _crm_check_contract_open(self):
        closed = self.contract_id.filtered(lambda c: c.state in ("done", "terminated", "cancel"))
        if closed and not self.env.su:
            raise UserError(
                self.env._("Contract %(contract)s is closed: its instalments no longer change.", contract=closed[0].display_name)
            )

    def _crm_check_contract_total(self, contracts):
        """Instalments created, changed or deleted on their own (over RPC),
        not through their contract, still add up to the contract's amount.
        Through the contract (plan_line_ids), its own constraint checks the
        result once all lines are written (crm.contract._crm_plans_checked_by_contract)."""
        if not self.env.cr.cache.get("crm_contract_plan_deferred"):
            contracts._check_plan_total()

    def _crm_remind_overdue(self):
        """One to-do for the contract's owner per instalment that fell due
        unpaid, made in one insert for the batch."""
        overdue = self.filtered(lambda line: line.state == "overdue")
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("crm.contract")
        self.env["mail.activity"].sudo().create([
            {"res_model_id": model_id, "res_id": line.contract_id.id, "activity_type_id": activity_type.id,
             "date_deadline": fields.Date.context_today(self), "user_id": line.user_id.id,
             "summary": self.env._("Overdue: %(instalment)s of %(contract)s", instalment=line.name,
                                   contract=line.contract_id.name),
             "note": self.env._("%(amount)s outstanding since %(due)s.",
                                amount=line.currency_id.format(line.residual_amount), due=line.due_date)}
            for line in overdue if line.user_id
        ])  # fmt: skip
