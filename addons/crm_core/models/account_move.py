from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AccountMove(models.Model):
    _inherit = "account.move"

    # Set from the contract's orders when they are invoiced (sale_order.py,
    # purchase_order.py); linked by hand for an invoice typed directly.
    crm_contract_id = fields.Many2one(
        "crm.contract", string="Contract", index="btree_not_null", copy=False, check_company=True,
        domain="[('partner_id', 'child_of', commercial_partner_id), ('state', 'in', ('approved', 'signed', 'in_progress'))]",
        help="The contract whose collection or payment plan this invoice or bill pays.",
    )  # fmt: skip

    @api.constrains("crm_contract_id", "partner_id", "move_type")
    def _check_crm_contract(self):
        for move in self.filtered("crm_contract_id"):
            if move.move_type not in ("out_invoice", "out_refund", "in_invoice", "in_refund"):
                raise ValidationError(self.env._("Only invoices, bills and their credit notes belong to a contract (%(move)s).",
                                                 move=move.display_name))  # fmt: skip
            side = "sale" if move.move_type.startswith("out_") else "purchase"
            move.crm_contract_id._crm_check_link(move, move.partner_id, side, states=("draft", "to_approve", "cancel"))

    def _reverse_moves(self, default_values_list=None, cancel=False):
        # A credit note (the invoice's Credit Note button) belongs to the
        # contract of the invoice it reverses: it lowers what the contract
        # invoiced and, once refunded, what was collected.
        default_values_list = default_values_list or [{} for _move in self]
        for move, default_values in zip(self, default_values_list, strict=True):
            default_values.setdefault("crm_contract_id", move.crm_contract_id.id)
        return super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)
