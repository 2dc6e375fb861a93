from odoo import fields, models


class CrmPoolAssign(models.TransientModel):
    """A manager assigns (指派) pool customers to a rep."""

    _name = "crm.pool.assign"
    _inherit = ["crm.pool.wizard.mixin"]
    _description = "Assign Pool Customers"

    user_id = fields.Many2one("res.users", string="Assign To", required=True, domain=[("share", "=", False)])

    def action_assign(self):
        self.ensure_one()
        self.partner_ids.action_assign_from_pool(self.user_id.id)
        return {"type": "ir.actions.act_window_close"}
