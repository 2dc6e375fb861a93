from odoo import api, fields, models


class CrmPoolAssign(models.TransientModel):
    """A manager assigns (指派) pool customers to a rep."""

    _name = "crm.pool.assign"
    _description = "Assign Pool Customers"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    user_id = fields.Many2one("res.users", string="Assign To", required=True, domain=[("share", "=", False)])

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner" and self.env.context.get("active_ids"):
            values["partner_ids"] = [fields.Command.set(self.env.context["active_ids"])]
        return values

    def action_assign(self):
        self.ensure_one()
        self.partner_ids.action_assign_from_pool(self.user_id.id)
        return {"type": "ir.actions.act_window_close"}
