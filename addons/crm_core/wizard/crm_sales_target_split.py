import math

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.crm_sales_target import MONETARY_MEASURES


def split_amounts(total, weights, digits):
    """``total`` shared in proportion to ``weights``, rounded to ``digits``
    decimals, the rounding units going to the largest remainders so that the
    shares add up to the total exactly."""
    factor = 10**digits
    units = round(total * factor)
    weight_sum = sum(weights)
    raw = [units * weight / weight_sum for weight in weights]
    shares = [math.floor(value) for value in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - shares[i], reverse=True)
    for i in by_remainder[: units - sum(shares)]:
        shares[i] += 1
    return [share / factor for share in shares]


class CrmSalesTargetSplit(models.TransientModel):
    """Split a department's target over its members (分解指标): equally or
    by weight, each member getting a target of the same measure and period."""

    _name = "crm.sales.target.split"
    _description = "Split a Department's Target"

    target_id = fields.Many2one("crm.sales.target", string="Department Target", required=True, readonly=True, ondelete="cascade")
    total = fields.Float(related="target_id.target", string="Target to Split")
    is_monetary = fields.Boolean(related="target_id.is_monetary")
    company_currency_id = fields.Many2one(related="target_id.company_currency_id")
    mode = fields.Selection([("equal", "Equally"), ("weight", "By Weight")], string="Split", required=True, default="equal")
    line_ids = fields.One2many("crm.sales.target.split.line", "wizard_id", string="Members")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        target = self.env["crm.sales.target"].browse(values.get("target_id"))
        if target and "line_ids" in fields_list:
            values["line_ids"] = [fields.Command.create({"user_id": user.id}) for user in target._crm_split_members()]
        return values

    def _crm_amounts(self):
        """The amount of each line, in the order of line_ids."""
        self.ensure_one()
        lines = self.line_ids
        if not lines:
            return []
        weights = [1.0] * len(lines) if self.mode == "equal" else [max(line.weight, 0.0) for line in lines]
        if not sum(weights):
            return [0.0] * len(lines)
        # Counts are split in whole units, amounts and quantities in cents.
        digits = 2 if self.target_id.measure in MONETARY_MEASURES or self.target_id.measure == "quantity" else 0
        return split_amounts(self.total, weights, digits)

    def action_apply(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("Add the members the target is split over."))
        users = self.line_ids.user_id
        if len(users) != len(self.line_ids):
            raise UserError(self.env._("Each member appears once in the split."))
        if self.mode == "weight":
            bad = self.line_ids.filtered(lambda line: line.weight <= 0)
            if bad:
                raise UserError(self.env._("The weight of %(member)s must be positive.", member=bad[0].user_id.name))
        amounts = self._crm_amounts()
        empty = [line.user_id.name for line, amount in zip(self.line_ids, amounts) if amount <= 0]
        if empty:
            raise UserError(
                self.env._("The target is too small to give %(members)s a share: split it over fewer members.",
                           members=", ".join(empty))
            )  # fmt: skip
        self.target_id._crm_split({line.user_id: amount for line, amount in zip(self.line_ids, amounts)})
        return {"type": "ir.actions.act_window_close"}


class CrmSalesTargetSplitLine(models.TransientModel):
    _name = "crm.sales.target.split.line"
    _description = "Member of a Target Split"

    wizard_id = fields.Many2one("crm.sales.target.split", required=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", string="Member", required=True, domain="[('share', '=', False)]")
    weight = fields.Float(default=1.0, digits=(16, 2))
    amount = fields.Float(string="Target", compute="_compute_amount", digits=(16, 2))

    @api.depends("wizard_id.mode", "wizard_id.line_ids.weight", "wizard_id.total")
    def _compute_amount(self):
        for wizard in self.wizard_id:
            for line, amount in zip(wizard.line_ids, wizard._crm_amounts()):
                if line in self:
                    line.amount = amount
        (self - self.wizard_id.line_ids).amount = 0.0
