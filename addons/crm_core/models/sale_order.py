from odoo import api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "crm.owned.mixin"]

    crm_contract_id = fields.Many2one(
        "crm.contract", string="Contract", index="btree_not_null", copy=False, check_company=True,
        domain="[('contract_type', '=', 'sale'), ('partner_id', 'child_of', partner_id)]",
    )  # fmt: skip

    @api.constrains("crm_contract_id", "partner_id")
    def _check_crm_contract(self):
        for order in self.filtered("crm_contract_id"):
            order.crm_contract_id._crm_check_link(order, order.partner_id, "sale")

    def _get_invoice_grouping_keys(self):
        # One invoice per contract: it pays that contract's instalments.
        return super()._get_invoice_grouping_keys() + ["crm_contract_id"]

    def _prepare_invoice(self):
        values = super()._prepare_invoice()
        values["crm_contract_id"] = self.crm_contract_id.id
        return values

    def action_crm_create_contract(self):
        """A sales contract (合同) for this quotation or order, opened as a draft."""
        self.ensure_one()
        if self.crm_contract_id:
            raise UserError(self.env._("%(order)s already belongs to contract %(contract)s.", order=self.name, contract=self.crm_contract_id.name))
        contract = self.env["crm.contract"].create({
            "contract_type": "sale",
            "title": self.env._("Sales contract for %(order)s", order=self.name),
            "partner_id": self.partner_id.commercial_partner_id.id,
            "lead_id": self.opportunity_id.id,
            "user_id": self.user_id.id or self.env.uid,
            "crm_team_id": self.team_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "amount_total": self.amount_total,
            "payment_term_id": self.payment_term_id.id,
            "note": self.note,
        })  # fmt: skip
        self.crm_contract_id = contract
        return contract._get_records_action(name=self.env._("Contract"))
