from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CrmHierarchyCommon


@tagged("crm_fax")
class TestFax(CrmHierarchyCommon):
    """Send by Fax: the document's PDF e-mailed to the e-mail-to-fax gateway."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("crm_core.fax_domain", "fax.example.com")
        params.set_param("crm_core.fax_prefix", "0")
        cls.customers["a1"].crm_fax = "+86 (21) 5555-1234"

    def test_rep_faxes_a_quotation(self):
        order = self.orders["rep_a"].with_user(self.rep_a)
        order.action_crm_send_fax()
        fax_subtype = self.env.ref("crm_core.mail_message_subtype_crm_fax")
        message = order.message_ids.filtered(lambda m: m.subtype_id == fax_subtype)
        self.assertEqual(len(message), 1)
        self.assertIn("0862155551234@fax.example.com", message.body)
        mail = self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.email_to, "0862155551234@fax.example.com")
        self.assertEqual(mail.attachment_ids.mimetype, "application/pdf")
        self.assertEqual(mail.attachment_ids.name, f"{order.name}.pdf")
        self.assertFalse(mail.recipient_ids, "only the fax gateway receives it")

    def test_refusals(self):
        order = self.orders["rep_b"].with_user(self.rep_b)
        with self.assertRaisesRegex(UserError, "no valid fax number"):
            order.action_crm_send_fax()
        with self.assertRaisesRegex(ValidationError, "is not a fax number"):
            self.customers["b1"].crm_fax = "call me"
        self.env["ir.config_parameter"].sudo().set_param("crm_core.fax_domain", "")
        with self.assertRaisesRegex(UserError, "E-mail-to-Fax Domain"):
            self.orders["rep_a"].with_user(self.rep_a).action_crm_send_fax()
