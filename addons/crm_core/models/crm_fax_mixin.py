import re

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# What people type around a fax number: +86 (21) 5555-1234.
FAX_SEPARATORS = re.compile(r"[\s()\-./]")
# The PDF each kind of document is faxed as.
FAX_REPORTS = {
    "sale.order": "sale.action_report_saleorder",
    "crm.contract": "crm_core.action_report_crm_contract",
    "product.pricelist": "product.action_report_pricelist",
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
        return self._crm_fax_notification(len(self))

    @api.model
    def _crm_fax_notification(self, count):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s fax(es) queued.", count=count),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.private
    def _crm_send_fax(self):
        """Faxes each document to its customer (``partner_id``)."""
        self.check_access("write")
        addresses = self._crm_fax_addresses(self.partner_id)
        for record in self:
            record._crm_fax_log(record, record._crm_fax_pdf(), addresses[record.partner_id])

    @api.model
    def _crm_fax_addresses(self, partners):
        """{partner: gateway address} of ``partners``, all checked before
        anything is sent: the fax number of the partner, else of its
        company."""
        # sudo: reading the system settings of the gateway only.
        params_su = self.env["ir.config_parameter"].sudo()
        domain = (params_su.get_param("crm_core.fax_domain") or "").strip().lstrip("@")
        if not domain:
            raise UserError(self.env._("Set the E-mail-to-Fax Domain in Settings before sending faxes."))
        prefix = params_su.get_param("crm_core.fax_prefix") or ""
        numbers = {p: fax_digits(p.crm_fax or p.commercial_partner_id.crm_fax) for p in partners}
        missing = partners.browse([partner.id for partner, number in numbers.items() if not number])
        if len(missing) == 1:
            raise UserError(
                self.env._("%(partner)s has no valid fax number (Fax field).", partner=missing.display_name)
            )
        if missing:
            raise UserError(
                self.env._("These customers have no valid fax number (Fax field): %(partners)s.",
                           partners=", ".join(missing.mapped("display_name")))
            )  # fmt: skip
        return {partner: f"{prefix}{number}@{domain}" for partner, number in numbers.items()}

    def _crm_fax_report_data(self):
        """The data of the report, for reports built from it rather than
        from the document (None: the report renders the document)."""
        return None

    def _crm_fax_pdf(self):
        """The PDF of the document, as it is faxed."""
        self.ensure_one()
        data = self._crm_fax_report_data()
        report = self.env.ref(FAX_REPORTS[self._name])
        pdf, _report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            report, None if data else self.ids, data=data
        )
        return pdf

    def _crm_fax_log(self, thread, pdf, fax_address=None, body=None):
        """Logs the fax of this document in the chatter of ``thread`` (the
        document itself, or a customer it went to) with the PDF and the Fax
        subtype; with ``fax_address``, e-mails it there (the gateway turns
        the e-mail into the fax)."""
        self.ensure_one()
        attachment = self.env["ir.attachment"].create({
            "name": f"{self.display_name}.pdf".replace("/", "-"), "raw": pdf, "mimetype": "application/pdf",
            "res_model": thread._name, "res_id": thread.id,
        })  # fmt: skip
        message = thread.message_post(
            body=body or self.env._("Faxed to %(address)s", address=fax_address),
            subject=self.env._("Fax: %(document)s", document=self.display_name),
            attachment_ids=attachment.ids, subtype_xmlid="crm_core.mail_message_subtype_crm_fax",
        )  # fmt: skip
        if fax_address:
            # sudo: outgoing mails are technical records Odoo itself creates
            # with sudo; the user just posted the message on a document they
            # may write.
            self.env["mail.mail"].sudo().create({
                "mail_message_id": message.id, "email_to": fax_address, "body_html": message.body,
                "auto_delete": False,
            })  # fmt: skip
        return message


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
