import re

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# What people type around a fax number: +86 (21) 5555-1234.
FAX_SEPARATORS = re.compile(r"[\s()\-./]")
# The PDF each kind of document is faxed as.
FAX_REPORTS = {
    "sale.order": "sale.action_report_saleorder",
    "crm.contract": "crm_core.action_report_crm_contract",
}


def fax_digits(number):
    """The digits of a fax number (a leading + dropped), or None when it
    holds anything else."""
    digits = FAX_SEPARATORS.sub("", number or "").removeprefix("+")
    return digits if digits.isdigit() and len(digits) >= 5 else None


class CrmFaxMixin(models.AbstractModel):
    """Fax (传真群发) through an e-mail-to-fax gateway: the document's PDF is
    e-mailed to <fax number>@<gateway domain> and logged in its chatter
    with the Fax subtype, so it shows in the customer's communications."""

    _name = "crm.fax.mixin"
    _description = "Send by Fax"

    def action_crm_send_fax(self):
        self._crm_send_fax()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s fax(es) queued.", count=len(self)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.private
    def _crm_send_fax(self):
        # sudo: reading the system settings of the gateway only.
        params_su = self.env["ir.config_parameter"].sudo()
        domain = (params_su.get_param("crm_core.fax_domain") or "").strip().lstrip("@")
        if not domain:
            raise UserError(self.env._("Set the E-mail-to-Fax Domain in Settings before sending faxes."))
        prefix = params_su.get_param("crm_core.fax_prefix") or ""
        self.check_access("write")
        for record in self:
            partner = record.partner_id
            number = fax_digits(partner.crm_fax or partner.commercial_partner_id.crm_fax)
            if not number:
                raise UserError(
                    self.env._("%(partner)s has no valid fax number (Fax field).", partner=partner.display_name)
                )
            record._crm_fax_one(f"{prefix}{number}@{domain}")

    def _crm_fax_one(self, fax_address):
        self.ensure_one()
        report = self.env.ref(FAX_REPORTS[self._name])
        pdf, _report_type = self.env["ir.actions.report"]._render_qweb_pdf(report, self.ids)
        attachment = self.env["ir.attachment"].create({
            "name": f"{self.display_name}.pdf".replace("/", "-"), "raw": pdf, "mimetype": "application/pdf",
            "res_model": self._name, "res_id": self.id,
        })  # fmt: skip
        subject = self.env._("Fax: %(document)s", document=self.display_name)
        message = self.message_post(
            body=self.env._("Faxed to %(address)s", address=fax_address), subject=subject,
            attachment_ids=attachment.ids, subtype_xmlid="crm_core.mail_message_subtype_crm_fax",
        )  # fmt: skip
        # sudo: outgoing mails are technical records Odoo itself creates
        # with sudo; the user just posted the message on a document they
        # may write. The gateway turns the e-mail into the fax.
        self.env["mail.mail"].sudo().create({
            "mail_message_id": message.id, "email_to": fax_address, "body_html": message.body,
            "auto_delete": False,
        })  # fmt: skip


class CrmFaxNumber(models.AbstractModel):
    """The fax number of a customer or contact, checked when saved."""

    _name = "crm.fax.number.mixin"
    _description = "Fax Number"

    crm_fax = fields.Char(string="Fax", help="Faxes go to this number through the e-mail-to-fax gateway.")

    @api.constrains("crm_fax")
    def _check_crm_fax(self):
        for record in self.filtered("crm_fax"):
            if not fax_digits(record.crm_fax):
                raise ValidationError(
                    self.env._("Fax of %(name)s: %(fax)s is not a fax number (digits, spaces, +, - and brackets).",
                               name=record.display_name, fax=record.crm_fax)
                )  # fmt: skip
