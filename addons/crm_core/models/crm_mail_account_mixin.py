from odoo import api, fields, models


class CrmMailAccountMixin(models.AbstractModel):
    """The "Send From" choice of the mail composer and of mass mailings: the
    account sets the from-address and the outgoing server. The account is
    read as the user, so its record rule lets them use only their own."""

    _name = "crm.mail.account.mixin"
    _description = "Sending Account Choice"

    crm_mail_account_id = fields.Many2one(
        "crm.mail.account", string="Sending Account", domain="[('user_id', '=', uid)]", copy=False,
        help="One of your sending accounts: its address and outgoing server are used.",
    )  # fmt: skip

    @api.onchange("crm_mail_account_id")
    def _onchange_crm_mail_account_id(self):
        for record in self.filtered("crm_mail_account_id"):
            record.update(record.crm_mail_account_id._crm_mail_values())

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("crm_mail_account_id"):
                vals.update(self.env["crm.mail.account"].browse(vals["crm_mail_account_id"])._crm_mail_values())
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("crm_mail_account_id"):
            vals = {**vals, **self.env["crm.mail.account"].browse(vals["crm_mail_account_id"])._crm_mail_values()}
        return super().write(vals)
