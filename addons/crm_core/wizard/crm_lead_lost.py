from odoo import api, fields, models


class CrmLeadLost(models.TransientModel):
    """Odoo's lost wizard also records whom the opportunities were lost to."""

    _inherit = "crm.lead.lost"

    crm_lost_competitor_id = fields.Many2one(
        "crm.competitor", string="Lost To", compute="_compute_crm_lost_competitor_id", store=True, readonly=False,
        help="The competitor who won the deal, if known.",
    )  # fmt: skip

    @api.depends("lead_ids")
    def _compute_crm_lost_competitor_id(self):
        can_read_lines = self.env["crm.lead.competitor"].has_access("read")
        for wizard in self:
            leads = wizard.lead_ids._origin
            lines = leads.crm_competitor_line_ids if can_read_lines else self.env["crm.lead.competitor"]
            # The competitor when it is the only one met, on each of the opportunities.
            single = len(lines.competitor_id) == 1 and lines.lead_id == leads
            wizard.crm_lost_competitor_id = lines.competitor_id if single else False

    def action_lost_reason_apply(self):
        leads = self.lead_ids  # archived by super(), they leave lead_ids
        res = super().action_lost_reason_apply()
        if self.crm_lost_competitor_id:
            leads.write({"crm_lost_competitor_id": self.crm_lost_competitor_id.id})
        return res
