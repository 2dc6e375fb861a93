from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmServicePart(models.Model):
    """A part (备件) the engineer used on a service ticket."""

    _name = "crm.service.part"
    _description = "Service Part Used"
    _inherit = ["crm.input.mixin"]
    _order = "ticket_id, id"

    ticket_id = fields.Many2one("crm.service.ticket", required=True, index=True, ondelete="cascade")
    product_id = fields.Many2one("product.product", string="Part", required=True, domain=[("type", "!=", "service")])
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit of Measure")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    note = fields.Char()

    @api.constrains("quantity")
    def _check_quantity(self):
        wrong = self.filtered(lambda part: part.quantity <= 0)
        if wrong:
            raise ValidationError(
                self.env._("The quantity of part %(part)s must be positive.", part=wrong[0].product_id.display_name)
            )

    @api.constrains("ticket_id", "product_id", "quantity")
    def _check_ticket_in_work(self):
        wrong = self.filtered(lambda part: part.ticket_id.state not in ("dispatched", "in_progress"))
        if wrong:
            raise ValidationError(
                self.env._(
                    "Parts are recorded while ticket %(ticket)s is dispatched or in progress, not afterwards.",
                    ticket=wrong[0].ticket_id.display_name,
                )
            )
