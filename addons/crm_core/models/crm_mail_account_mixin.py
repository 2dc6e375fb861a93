from odoo import api, fields, models
from odoo.exceptions import AccessError


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
        self._crm_check_mail_servers(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("crm_mail_account_id"):
            vals = {**vals, **self.env["crm.mail.account"].browse(vals["crm_mail_account_id"])._crm_mail_values()}
        self._crm_check_mail_servers([vals])
        return super().write(vals)

    @api.model
    def _crm_check_mail_servers(self, vals_list):
        """Odoo lets anyone who writes a mailing or an e-mail pick any
        outgoing server by its id (over RPC, or with the debug mode). A
        server carries its accounts' addresses: a user sends through the
        servers of their own accounts only, or lets Odoo choose (none)."""
        servers = {vals["mail_server_id"] for vals in vals_list if vals.get("mail_server_id")}
        if not servers or self.env.su or self.env.user.has_group("base.group_system"):
            return
        # Read as the user: the accounts' rule leaves them their own.
        own = self.env["crm.mail.account"].search([("user_id", "=", self.env.uid)]).mail_server_id
        if servers - set(own.ids):
            raise AccessError(
                self.env._("You can send only through the outgoing servers of your own sending accounts.")
            )
