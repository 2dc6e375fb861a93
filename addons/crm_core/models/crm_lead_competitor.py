from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CrmLeadCompetitor(models.Model):
    """A competitor met on one opportunity: what they offered there and how
    they stand against us on this deal."""

    _name = "crm.lead.competitor"
    _description = "Opportunity Competitor"
    _order = "lead_id, id"
    _rec_name = "competitor_id"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", required=True, index=True, ondelete="cascade")
    competitor_id = fields.Many2one("crm.competitor", required=True, index=True, ondelete="restrict")
    company_currency = fields.Many2one(related="lead_id.company_currency", string="Currency")
    offer = fields.Monetary(string="Their Offer", currency_field="company_currency")
    strengths = fields.Text()
    weaknesses = fields.Text()
    note = fields.Text(string="Notes")

    @api.constrains("lead_id", "competitor_id")
    def _check_competitor_unique(self):
        counts = self._read_group(
            [("lead_id", "in", self.lead_id.ids), ("competitor_id", "in", self.competitor_id.ids)],
            ["lead_id", "competitor_id"], ["__count"],
        )  # fmt: skip
        for lead, competitor, count in counts:
            if count > 1:
                raise ValidationError(self.env._(
                    "%(competitor)s is already listed among the competitors of %(opportunity)s.",
                    competitor=competitor.name, opportunity=lead.name,
                ))  # fmt: skip

    def write(self, vals):
        # A line belongs to the opportunity it was met on: moved, it would
        # land on a deal its author may not see.
        if "lead_id" in vals and self.filtered(lambda line: line.lead_id.id != vals["lead_id"]):
            raise UserError(self.env._("A competitor line stays on its opportunity: add a new one to the other."))
        return super().write(vals)
