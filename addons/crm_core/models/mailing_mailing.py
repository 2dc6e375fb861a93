from odoo import models


class MailingMailing(models.Model):
    _name = "mailing.mailing"
    _inherit = ["mailing.mailing", "crm.mail.account.mixin"]
