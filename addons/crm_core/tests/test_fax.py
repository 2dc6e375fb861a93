from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import CrmHierarchyCommon
from .test_hierarchy import MUTE_ACCESS

A1_FAX = "0862155551234@fax.example.com"
A2_FAX = "0862155556789@fax.example.com"


@tagged("crm_fax")
class TestFax(CrmHierarchyCommon):
    """Send by Fax: the document's PDF e-mailed to the e-mail-to-fax gateway.
    Under tests Odoo renders reports as HTML (no wkhtmltopdf): the
    attachments hold the report's HTML."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("crm_core.fax_domain", "fax.example.com")
        params.set_param("crm_core.fax_prefix", "0")
        cls.customers["a1"].crm_fax = "+86 (21) 5555-1234"
        cls.customers["a2"].crm_fax = "+86 21 5555 6789"
        cls.customers["b1"].crm_fax = "021-6666-0001"
        cls.fax_subtype = cls.env.ref("crm_core.mail_message_subtype_crm_fax")
        # Dealers pay 250 for the dome camera, 230 from 10 pieces; the
        # recorder has no rule in it.
        cls.recorder = cls.env["product.product"].create({"name": "NVR 16 Channels", "list_price": 900})
        cls.pricelist = cls.env["product.pricelist"].create({
            "name": "Dealers 2026",
            "item_ids": [
                Command.create({"applied_on": "1_product", "product_tmpl_id": cls.product.product_tmpl_id.id,
                                "compute_price": "fixed", "fixed_price": 250}),
                Command.create({"applied_on": "1_product", "product_tmpl_id": cls.product.product_tmpl_id.id,
                                "min_quantity": 10, "compute_price": "fixed", "fixed_price": 230}),
            ],
        })  # fmt: skip
        cls.retail = cls.env["product.pricelist"].create({"name": "Retail 2026"})

    def fax_messages(self, record):
        return record.message_ids.filtered(lambda m: m.subtype_id == self.fax_subtype)

    def fax_mail(self, messages):
        return self.env["mail.mail"].sudo().search([("mail_message_id", "in", messages.ids)])

    def history(self, user, partner, message):
        """The row of ``message`` in ``partner``'s communication history, as ``user`` sees it."""
        rows = self.env["crm.communication"].with_user(user).search([("partner_id", "=", partner.id)])
        return rows.filtered(lambda row: row.message_id == message)

    def test_rep_faxes_a_quotation(self):
        order = self.orders["rep_a"].with_user(self.rep_a)
        order.action_crm_send_fax()
        message = self.fax_messages(order)
        self.assertEqual(len(message), 1)
        self.assertIn(A1_FAX, message.body)
        mail = self.fax_mail(message)
        self.assertEqual(mail.email_to, A1_FAX)
        self.assertEqual(mail.attachment_ids.mimetype, "application/pdf")
        self.assertEqual(mail.attachment_ids.name, f"{order.name}.pdf")
        self.assertFalse(mail.recipient_ids, "only the fax gateway receives it")

    def test_rep_faxes_a_contract(self):
        a1 = self.customers["a1"]
        contract = self.env["crm.contract"].with_user(self.rep_a).create({
            "title": "Cameras for the Pudong warehouse", "partner_id": a1.id, "amount_total": 20000,
        })  # fmt: skip
        action = contract.action_crm_send_fax()
        self.assertEqual(action["params"]["type"], "success")
        message = self.fax_messages(contract)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.rep_a.partner_id)
        self.assertEqual(message.subject, f"Fax: {contract.display_name}")
        mail = self.fax_mail(message)
        self.assertEqual(mail.email_to, A1_FAX)
        self.assertFalse(mail.recipient_ids, "only the fax gateway receives it")
        attachment = mail.attachment_ids
        self.assertEqual(attachment, message.attachment_ids)
        self.assertEqual((attachment.res_model, attachment.res_id), ("crm.contract", contract.id))
        self.assertEqual(attachment.name, f"{contract.display_name}.pdf".replace("/", "-"))
        # The contract report, not the quotation's.
        html = attachment.raw.decode()
        self.assertIn("o_crm_contract", html)
        self.assertIn("Cameras for the Pudong warehouse", html)
        self.assertIn(contract.name, html)
        # In the customer's communication history, as a fax sent.
        row = self.history(self.rep_a, a1, message)
        self.assertEqual((row.channel, row.direction, row.res_model), ("fax", "out", "crm.contract"))
        self.assertIn(A1_FAX, row.summary)
        self.assertEqual(row.document_name, contract.name)

    def test_rep_faxes_a_price_list_to_several_customers(self):
        a1, a2 = self.customers["a1"], self.customers["a2"]
        # The form's button opens the wizard on the price list.
        action = self.pricelist.with_user(self.rep_a).action_crm_send_fax()
        self.assertEqual(action["res_model"], "crm.pricelist.fax")
        with Form(self.env["crm.pricelist.fax"].with_user(self.rep_a).with_context(action["context"])) as form:
            form.partner_ids.add(a1)
            form.partner_ids.add(a2)
        wizard = form.record
        self.assertEqual(wizard.pricelist_ids, self.pricelist)
        notification = wizard.action_send()
        self.assertEqual(notification["params"]["message"], "2 fax(es) queued.")

        for partner, address in ((a1, A1_FAX), (a2, A2_FAX)):
            message = self.fax_messages(partner)
            self.assertEqual(len(message), 1, partner.name)
            self.assertEqual(message.author_id, self.rep_a.partner_id)
            mail = self.fax_mail(message)
            self.assertEqual(mail.email_to, address)
            self.assertFalse(mail.recipient_ids, "only the fax gateway receives it")
            attachment = mail.attachment_ids
            self.assertEqual(attachment.name, f"{self.pricelist.display_name}.pdf")
            self.assertEqual((attachment.res_model, attachment.res_id), ("res.partner", partner.id))
            # Odoo's price list report: the products of the rules, at the quantity breaks.
            html = attachment.raw.decode()
            self.assertIn("Dealers 2026", html)
            self.assertIn("Dome Camera 4MP", html)
            self.assertIn("250.00", html)
            self.assertIn("230.00", html)
            self.assertNotIn("NVR 16 Channels", html)
            # In the customer's communication history.
            row = self.history(self.rep_a, partner, message)
            self.assertEqual((row.channel, row.direction, row.res_model), ("fax", "out", "res.partner"))
            self.assertIn("Dealers 2026", row.summary)

        # The price list's chatter has one message naming both faxes, by the rep.
        [logged] = self.fax_messages(self.pricelist)
        self.assertEqual(logged.author_id, self.rep_a.partner_id)
        self.assertIn(A1_FAX, logged.body)
        self.assertIn(A2_FAX, logged.body)
        self.assertEqual(logged.attachment_ids.mimetype, "application/pdf")
        self.assertFalse(self.fax_mail(logged), "the price list's log is not mailed")

    def test_price_list_not_faxed_without_every_number(self):
        a1, a2, a3 = self.customers["a1"], self.customers["a2"], self.customers["a3"]
        wizard = self.env["crm.pricelist.fax"].with_user(self.rep_a).create({
            "pricelist_ids": [Command.set(self.pricelist.ids)], "partner_ids": [Command.set((a1 | a2 | a3).ids)],
        })  # fmt: skip
        # assertRaisesRegex, not assertRaises: no savepoint rolled back, so
        # faxes sent before the error would still show below.
        with self.assertRaisesRegex(UserError, r"^Customer A3 Ltd has no valid fax number \(Fax field\)\.$"):
            wizard.action_send()
        for record in (a1, a2, a3, self.pricelist):
            self.assertFalse(self.fax_messages(record), record.display_name)
        self.assertFalse(self.env["mail.mail"].sudo().search([("email_to", "like", "@fax.example.com")]))
        # Several without a number are named together; a contact without
        # one of its own is faxed at its company's number.
        contact_a3 = self.env["res.partner"].create({"name": "Zhang Min", "parent_id": a3.id})
        contact_a1 = self.env["res.partner"].create({"name": "Li Wei", "parent_id": a1.id})
        wizard.partner_ids = a3 | contact_a3 | contact_a1
        names = "Customer A3 Ltd, Customer A3 Ltd, Zhang Min"
        with self.assertRaisesRegex(UserError, f"These customers have no valid fax number .*: {names}\\.$"):
            wizard.action_send()
        self.assertEqual(self.env["product.pricelist"]._crm_fax_addresses(contact_a1), {contact_a1: A1_FAX})

    @mute_logger(*MUTE_ACCESS)
    def test_price_list_fax_by_role(self):
        b1 = self.customers["b1"]
        # A rep faxes to the customers they may edit, not to a colleague's.
        with self.assertRaises(AccessError):
            self.pricelist.with_user(self.rep_a)._crm_send_fax(b1)
        with self.assertRaises(AccessError):
            self.pricelist.with_user(self.mgr_south)._crm_send_fax(b1)
        # The department's manager faxes the price lists selected in the list.
        pricelists = self.pricelist | self.retail
        wizard = self.env["crm.pricelist.fax"].with_user(self.mgr_east).with_context(
            active_model="product.pricelist", active_ids=pricelists.ids
        ).create({"partner_ids": [Command.set(b1.ids)]})  # fmt: skip
        self.assertEqual(wizard.pricelist_ids, pricelists)
        wizard.action_send()
        messages = self.fax_messages(b1)
        self.assertEqual(len(messages), 2)
        self.assertEqual(set(self.fax_mail(messages).mapped("email_to")), {"002166660001@fax.example.com"})
        # Retail has no rules: list prices of every saleable product.
        retail_html = messages.filtered(lambda m: "Retail" in m.subject).attachment_ids.raw.decode()
        self.assertIn("NVR 16 Channels", retail_html)
        self.assertEqual(len(self.fax_messages(self.retail)), 1)
        # Employees without a sales role neither open the wizard nor see its action.
        with self.assertRaises(AccessError):
            self.env["crm.pricelist.fax"].with_user(self.user_employee).create({
                "pricelist_ids": [Command.set(self.pricelist.ids)], "partner_ids": [Command.set(b1.ids)],
            })  # fmt: skip
        action = self.env.ref("crm_core.crm_pricelist_fax_action")
        bindings = self.env["ir.actions.actions"].with_user(self.rep_b).get_bindings("product.pricelist")
        self.assertIn(action.id, [a["id"] for a in bindings.get("action", [])])
        bindings = self.env["ir.actions.actions"].with_user(self.user_employee).get_bindings("product.pricelist")
        self.assertNotIn(action.id, [a["id"] for a in bindings.get("action", [])])

    def test_refusals(self):
        order = self.orders["rep_b"].with_user(self.rep_b)
        order.partner_id.crm_fax = False
        with self.assertRaisesRegex(UserError, "no valid fax number"):
            order.action_crm_send_fax()
        with self.assertRaisesRegex(ValidationError, "is not a fax number"):
            self.customers["b1"].crm_fax = "call me"
        with self.assertRaisesRegex(UserError, "Choose the customers"):
            self.pricelist.with_user(self.rep_a)._crm_send_fax(self.env["res.partner"])
        self.env["ir.config_parameter"].sudo().set_param("crm_core.fax_domain", "")
        with self.assertRaisesRegex(UserError, "E-mail-to-Fax Domain"):
            self.orders["rep_a"].with_user(self.rep_a).action_crm_send_fax()
