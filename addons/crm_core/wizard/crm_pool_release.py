from odoo import fields, models


class CrmPoolRelease(models.TransientModel):
    """Release (退回) customers to the pool, with a reason."""

    _name = "crm.pool.release"
    _inherit = ["crm.pool.wizard.mixin"]
    _description = "Release Customers to the Pool"

    reason_id = fields.Many2one("crm.pool.release.reason", string="Reason", required=True)
    note = fields.Char()

    def action_release(self):
        self.ensure_one()
        self.partner_ids.action_release(reason_id=self.reason_id.id, note=self.note)
        return {"type": "ir.actions.act_window_close"}
