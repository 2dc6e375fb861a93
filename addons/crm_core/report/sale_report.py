from odoo import fields, models


class SaleReport(models.Model):
    """Sales analysis by the customer archive's dimensions: region, customer
    type, grade and source of the ordering company (its commercial partner,
    which holds them), next to Odoo's rep, department and product."""

    _inherit = "sale.report"

    crm_region_id = fields.Many2one("crm.region", string="Region", readonly=True)
    crm_customer_type_id = fields.Many2one("crm.customer.type", string="Customer Type", readonly=True)
    crm_grade_id = fields.Many2one("crm.customer.grade", string="Customer Grade", readonly=True)
    crm_source_id = fields.Many2one("utm.source", string="Customer Source", readonly=True)

    CRM_DIMENSIONS = ("crm_region_id", "crm_customer_type_id", "crm_grade_id", "crm_source_id")

    def _select_additional_fields(self):
        fields_ = super()._select_additional_fields()
        fields_.update({name: f"crm_company.{name}" for name in self.CRM_DIMENSIONS})
        return fields_

    def _from_sale(self):
        return super()._from_sale() + """
            LEFT JOIN res_partner crm_company ON crm_company.id = partner.commercial_partner_id"""

    def _group_by_sale(self):
        return super()._group_by_sale() + "".join(f",\n            crm_company.{name}" for name in self.CRM_DIMENSIONS)
