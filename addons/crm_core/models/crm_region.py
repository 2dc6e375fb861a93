from odoo import api, fields, models


class CrmRegion(models.Model):
    """A sales region (销售区域), e.g. East China: a group of provinces."""

    _name = "crm.region"
    _description = "Sales Region"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    country_id = fields.Many2one("res.country", default=lambda self: self.env.company.country_id)
    state_ids = fields.Many2many(
        "res.country.state",
        "crm_region_state_rel",
        "region_id",
        "state_id",
        string="Provinces",
        domain="[('country_id', '=?', country_id)]",
    )
    partner_count = fields.Integer(string="Customers", compute="_compute_partner_count")

    @api.depends_context("uid")
    def _compute_partner_count(self):
        # Counted as the user: each sees the customers of their own scope.
        counts = dict(
            self.env["res.partner"]._read_group(
                [("crm_region_id", "in", self.ids), ("crm_managed", "=", True)], ["crm_region_id"], ["__count"]
            )
        )
        for region in self:
            region.partner_count = counts.get(region, 0)
