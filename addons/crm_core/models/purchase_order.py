from odoo import fields, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    crm_contract_id = fields.Many2one(
        "crm.contract", string="Contract", index="btree_not_null", copy=False, check_company=True,
        domain="[('contract_type', '=', 'purchase'), ('partner_id', 'child_of', partner_id)]",
    )  # fmt: skip

    def _prepare_invoice(self):
        values = super()._prepare_invoice()
        values["crm_contract_id"] = self.crm_contract_id.id
        return values
