from odoo import fields, models


class SaleReport(models.Model):
    """Sales by channel: the level of the ordering company when it is a
    distributor or dealer (crm_core joins that company as ``crm_company``)."""

    _inherit = "sale.report"

    crm_channel_level_id = fields.Many2one("crm.channel.level", string="Channel Level", readonly=True)

    def _select_additional_fields(self):
        return {**super()._select_additional_fields(), "crm_channel_level_id": "crm_company.channel_level_id"}

    def _group_by_sale(self):
        return super()._group_by_sale() + ",\n            crm_company.channel_level_id"
