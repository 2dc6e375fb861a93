from odoo import api, fields, models


class CrmPoolRelease(models.TransientModel):
    """Release (退回) customers to the pool, with a reason."""

    _name = "crm.pool.release"
    _description = "Release Customers to the Pool"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    reason_id = fields.Many2one("crm.pool.release.reason", string="Reason", required=True)
    note = fields.Char()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner" and self.env.context.get("active_ids"):
            values["partner_ids"] = [fields.Command.set(self.env.context["active_ids"])]
        return values

    def action_release(self):
        self.ensure_one()
        self.partner_ids.action_release(reason_id=self.reason_id.id, note=self.note)
        return {"type": "ir.actions.act_window_close"}
