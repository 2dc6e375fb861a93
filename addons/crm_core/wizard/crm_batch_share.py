from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmBatchShare(models.TransientModel):
    """Share (共享) the customers, leads or opportunities selected in a list
    with colleagues, read only, or stop sharing them."""

    _name = "crm.batch.share"
    _description = "Share with Colleagues"

    mode = fields.Selection(
        [("share", "Share"), ("unshare", "Stop Sharing")], string="Action", required=True, default="share"
    )
    user_ids = fields.Many2many(
        "res.users", "crm_batch_share_user_rel", "wizard_id", "user_id", string="Colleagues", required=True,
        domain="[('share', '=', False), ('id', '!=', uid)]",
    )  # fmt: skip
    partner_ids = fields.Many2many(
        "res.partner", "crm_batch_share_partner_rel", "wizard_id", "partner_id", string="Customers"
    )
    lead_ids = fields.Many2many("crm.lead", "crm_batch_share_lead_rel", "wizard_id", "lead_id", string="Leads")
    note = fields.Char(help="Logged on every record and sent to the colleagues.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        active_ids = self.env.context.get("active_ids")
        field = {"res.partner": "partner_ids", "crm.lead": "lead_ids"}.get(self.env.context.get("active_model"))
        if field and active_ids and field in fields_list:
            values[field] = [fields.Command.set(active_ids)]
        return values

    def action_apply(self):
        self.ensure_one()
        if not (self.partner_ids or self.lead_ids):
            raise UserError(self.env._("Select the customers, leads or opportunities to share."))
        share = self.mode == "share"
        changed = [
            records._crm_set_shared(self.user_ids, share=share, note=self.note)
            for records in (self.partner_ids, self.lead_ids)
            if records
        ]
        count = sum(len(records) for records in changed)
        colleagues = ", ".join(self.user_ids.mapped("name"))
        if share:
            message = self.env._("%(count)s records shared with %(users)s.", count=count, users=colleagues)
        else:
            message = self.env._("%(count)s records no longer shared with %(users)s.", count=count, users=colleagues)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Sharing updated"),
                "message": message,
                "type": "success" if count else "info",
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
