from odoo import api, fields, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    crm_contract_id = fields.Many2one(
        "crm.contract", string="Contract", index="btree_not_null", copy=False, check_company=True,
        domain="[('contract_type', '=', 'purchase'), ('partner_id', 'child_of', partner_id)]",
    )  # fmt: skip

    @api.constrains("crm_contract_id", "partner_id")
    def _check_crm_contract(self):
        for order in self.filtered("crm_contract_id"):
            order.crm_contract_id._crm_check_link(order, order.partner_id, "purchase")

    def _prepare_invoice(self):
        values = super()._prepare_invoice()
        values["crm_contract_id"] = self.crm_contract_id.id
        return values
