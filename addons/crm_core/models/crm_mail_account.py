from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import email_normalize, formataddr


class CrmMailAccount(models.Model):
    """A sending account (单用户多账号): a from-address and the outgoing server
    that carries it, assigned to one user.

    Outgoing servers (ir.mail_server) hold SMTP passwords and stay readable
    by administrators only; an account lets a user pick a server without
    seeing it, and one server may carry several users' addresses.
    Administrators create the accounts, users choose among their own when
    writing an e-mail or a mailing."""

    _name = "crm.mail.account"
    _description = "Sending Account"
    _order = "user_id, sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(string="Sender Name", help="The name recipients see, e.g. Sales Shanghai.")
    email_from = fields.Char(string="E-mail Address", required=True)
    user_id = fields.Many2one(
        "res.users", string="User", required=True, index=True, ondelete="cascade",
        default=lambda self: self.env.user, domain=[("share", "=", False)],
    )  # fmt: skip
    mail_server_id = fields.Many2one(
        "ir.mail_server", string="Outgoing Server", ondelete="restrict",
        help="Empty: Odoo chooses the server matching the address, as for any e-mail.",
    )  # fmt: skip
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", string="Company", default=lambda self: self.env.company)

    @api.depends("name", "email_from")
    def _compute_display_name(self):
        for account in self:
            account.display_name = account._crm_formatted_from()

    @api.constrains("email_from", "mail_server_id")
    def _check_email_from(self):
        for account in self:
            if not email_normalize(account.email_from):
                raise ValidationError(
                    self.env._("Sending account: %(email)s is not an e-mail address.", email=account.email_from)
                )
            # sudo: the constraint runs for administrators, who read servers
            # anyway; it only compares the server's filter to the address.
            server_su = account.mail_server_id.sudo()
            if server_su.from_filter and not server_su._match_from_filter(account.email_from, server_su.from_filter):
                raise ValidationError(
                    self.env._(
                        "Sending account %(email)s: the server %(server)s only sends from %(filter)s.",
                        email=account.email_from, server=server_su.name, filter=server_su.from_filter,
                    )
                )  # fmt: skip

    def _crm_formatted_from(self):
        self.ensure_one()
        return formataddr((self.name, self.email_from)) if self.name else (self.email_from or "")

    def _crm_mail_values(self):
        """The fields a composer or a mailing takes from the account."""
        self.ensure_one()
        return {"email_from": self._crm_formatted_from(), "mail_server_id": self.mail_server_id.id}
