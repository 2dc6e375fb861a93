from collections import Counter

from markupsafe import Markup

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import CrmHierarchyCommon
from .test_hierarchy import MUTE_ACCESS

# What the list view reads, as the web client asks for it.
LIST_SPEC = {
    "date": {},
    "channel": {},
    "direction": {},
    "author_id": {"fields": {"display_name": {}}},
    "summary": {},
    "partner_id": {"fields": {"display_name": {}}},
    "res_model": {},
    "document_name": {},
    "user_id": {"fields": {"display_name": {}}},
    "crm_team_id": {"fields": {"display_name": {}}},
}


@tagged("crm_core", "crm_communication")
class TestCommunication(CrmHierarchyCommon):
    """The communication history of customer A1 (rep_a, Shanghai under
    East): messages on the customer, its contact, its opportunity, its
    quotation and its contract, and a follow-up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a1 = cls.customers["a1"]
        cls.contact = cls.env["res.partner"].create(
            {"name": "Li Wei", "parent_id": cls.a1.id, "email": "li@a1.example.com"}
        )
        cls.opportunity = cls.leads["rep_a"].filtered(lambda lead: lead.type == "opportunity")
        cls.order = cls.orders["rep_a"]
        cls.contract = cls.env["crm.contract"].with_user(cls.rep_a).create({
            "title": "Cameras for the Pudong warehouse", "partner_id": cls.a1.id, "amount_total": 20000,
        })  # fmt: skip
        as_rep = {"a1": cls.a1.with_user(cls.rep_a), "opportunity": cls.opportunity.with_user(cls.rep_a)}
        cls.messages = {
            # Received through the mail gateway, from the customer's contact.
            "email_in": cls.a1.message_post(
                subject="Price list", body=Markup("<p>Please send the price list &amp; the catalogue.</p>"),
                message_type="email", author_id=cls.contact.id,
            ),
            "sms": as_rep["a1"]._message_sms("Your quotation is ready."),
            "fax": cls.order.with_user(cls.rep_a).message_post(
                subject=f"Fax: {cls.order.name}", body="Faxed to 0862155551234@fax.example.com",
                subtype_xmlid="crm_core.mail_message_subtype_crm_fax",
            ),
            "contract_note": cls.contract.with_user(cls.rep_a).message_post(
                body=Markup("<p>They want <b>three</b> months of payment terms.</p>"),
                message_type="comment", subtype_xmlid="mail.mt_note",
            ),
            "contact_note": cls.contact.with_user(cls.rep_a).message_post(
                body="Prefers WeChat in the morning.", message_type="comment", subtype_xmlid="mail.mt_note",
            ),
            # "Send message" in the opportunity's chatter: a mail to the followers.
            "email_out": as_rep["opportunity"].message_post(
                body="Our offer is attached.", message_type="comment", subtype_xmlid="mail.mt_comment",
            ),
        }  # fmt: skip
        activity = as_rep["opportunity"].activity_schedule("mail.mail_activity_data_call", user_id=cls.rep_a.id)
        activity.with_user(cls.rep_a).action_feedback(feedback="No answer, call back on Monday.")
        cls.messages["call_activity"] = cls.opportunity.message_ids.filtered("mail_activity_type_id")
        cls.followup = cls.env["crm.followup"].with_user(cls.rep_a).create({
            "partner_id": cls.a1.id, "contact_id": cls.contact.id, "followup_type": "call",
            "content": "Called about the delivery.", "result": "Delivery on Friday.",
        })  # fmt: skip
        # Not communications: a system log on the customer, a message on
        # another customer.
        cls.a1._message_log(body="Owner changed.")
        cls.customers["d1"].message_post(body="Visit planned.", message_type="comment", subtype_xmlid="mail.mt_note")
        cls.expected_channels = {
            "email_in": "mail", "sms": "sms", "fax": "fax", "contract_note": "note", "contact_note": "note",
            "email_out": "mail", "call_activity": "call",
        }  # fmt: skip

    def history(self, user, partner=None):
        return self.env["crm.communication"].with_user(user).search([("partner_id", "=", (partner or self.a1).id)])

    def test_every_channel_appears_once(self):
        history = self.history(self.rep_a)
        self.assertEqual(len(history), len(self.expected_channels) + 1)
        by_message = Counter(history.message_id.ids)
        for key, channel in self.expected_channels.items():
            message = self.messages[key]
            self.assertEqual(len(message), 1, key)
            with self.subTest(message=key):
                self.assertEqual(by_message[message.id], 1)
                row = history.filtered(lambda r, m=message: r.message_id == m)
                self.assertEqual(row.channel, channel)
                self.assertEqual(row.user_id, self.rep_a, "owner of the customer")
                self.assertEqual(row.crm_team_id, self.team_shanghai)
        followup = history.filtered("followup_id")
        self.assertEqual(followup.followup_id, self.followup)
        self.assertRecordValues(followup, [{
            "channel": "call", "direction": False, "author_id": self.rep_a.partner_id.id,
            "summary": "Called about the delivery. — Delivery on Friday.", "document_ref": self.followup,
        }])  # fmt: skip

    def test_rows_read_as_plain_text_with_their_document(self):
        rows = {row.message_id: row for row in self.history(self.gm).filtered("message_id")}
        email_in = rows[self.messages["email_in"]]
        self.assertRecordValues(email_in, [{
            "direction": "in", "author_id": self.contact.id, "subject": "Price list",
            "summary": "Price list — Please send the price list & the catalogue.",
            "res_model": "res.partner", "document_ref": self.a1, "document_name": self.a1.name,
        }])  # fmt: skip
        self.assertEqual(rows[self.messages["email_out"]].direction, "out")
        self.assertEqual(rows[self.messages["sms"]].direction, "out")
        self.assertEqual(rows[self.messages["fax"]].document_ref, self.order)
        self.assertEqual(rows[self.messages["fax"]].document_name, self.order.name)
        self.assertEqual(rows[self.messages["contract_note"]].summary, "They want three months of payment terms.")
        self.assertFalse(rows[self.messages["contract_note"]].direction)
        self.assertEqual(rows[self.messages["contact_note"]].document_ref, self.contact)
        self.assertEqual(rows[self.messages["call_activity"]].document_ref, self.opportunity)

    def test_filters_and_groups_run_in_the_database(self):
        Communication = self.env["crm.communication"].with_user(self.mgr_east)
        domain = [("partner_id", "=", self.a1.id)]
        counts = dict(Communication._read_group(domain, ["channel"], ["__count"]))
        self.assertEqual(counts, {"mail": 2, "sms": 1, "fax": 1, "note": 2, "call": 2})
        by_author = dict(Communication._read_group(domain, ["author_id"], ["__count"]))
        self.assertEqual(by_author[self.contact], 1)
        self.assertEqual(by_author[self.rep_a.partner_id], 7)
        self.assertEqual(sum(count for __, count in Communication._read_group(domain, ["date:month"], ["__count"])), 8)
        self.assertEqual(Communication.search(domain + [("channel", "=", "sms")]).message_id, self.messages["sms"])
        self.assertEqual(len(Communication.search(domain + [("summary", "ilike", "catalogue")])), 1)
        self.assertEqual(len(Communication.search(domain + [("direction", "=", "out")])), 3)
        self.assertEqual(len(Communication.search(domain + [("author_id.user_ids", "in", self.rep_a.id)])), 7)

    @mute_logger(*MUTE_ACCESS)
    def test_history_per_role(self):
        for user, seen in (
            (self.rep_a, 8), (self.rep_b, 0), (self.rep_d, 0), (self.mgr_east, 8), (self.mgr_south, 0), (self.gm, 8),
        ):  # fmt: skip
            with self.subTest(user=user.login):
                self.assertEqual(len(self.history(user)), seen)
        # rep_d's own customer's note is theirs, not rep_a's.
        self.assertEqual(len(self.history(self.rep_d, self.customers["d1"])), 1)
        self.assertFalse(self.env["crm.communication"].with_user(self.rep_a).search([("partner_id", "!=", self.a1.id)]))
        portal = new_test_user(self.env, login="crm_portal_x", groups="base.group_portal")
        for user in (portal, self.user_employee):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["crm.communication"].with_user(user).search([])

    def test_rows_follow_the_document_company(self):
        branch = self.env["res.company"].create({"name": "A1 Branch Co"})
        self.gm.company_ids |= branch
        order = self.env["sale.order"].with_company(branch).create({
            "partner_id": self.a1.id, "user_id": self.rep_a.id, "company_id": branch.id,
        })  # fmt: skip
        order.message_post(body="Branch order noted.", message_type="comment", subtype_xmlid="mail.mt_note")
        Communication = self.env["crm.communication"].with_user(self.gm)
        domain = [("partner_id", "=", self.a1.id), ("company_id", "=", branch.id)]
        self.assertFalse(Communication.with_context(allowed_company_ids=self.env.company.ids).search(domain))
        both = (self.env.company | branch).ids
        self.assertEqual(Communication.with_context(allowed_company_ids=both).search(domain).document_ref, order)

    def test_smart_button_and_menu(self):
        partner = self.a1.with_user(self.rep_a)
        self.assertEqual(partner.crm_communication_count, 8)
        self.assertEqual(self.contact.with_user(self.rep_a).crm_communication_count, 8, "the company's history")
        self.assertEqual(self.a1.with_user(self.mgr_east).crm_communication_count, 8)
        action = partner.action_crm_view_communications()
        self.assertEqual(action["res_model"], "crm.communication")
        self.assertEqual(self.env["crm.communication"].with_user(self.rep_a).search_count(action["domain"]), 8)
        self.assertMenuOpens(self.rep_a, "crm_core.menu_crm_communications")

    def test_opening_a_row_opens_its_document(self):
        history = self.history(self.rep_a)
        fax = history.filtered(lambda r: r.message_id == self.messages["fax"])
        self.assertEqual(
            {k: v for k, v in fax.action_open_document().items() if k in ("res_model", "res_id")},
            {"res_model": "sale.order", "res_id": self.order.id},
        )
        self.assertEqual(history.filtered("followup_id").action_open_document()["res_model"], "crm.followup")
        # A quotation of another department for rep_a's customer: in the
        # customer's history, but rep_a cannot open the quotation itself.
        foreign_order = self.env["sale.order"].create({
            "partner_id": self.a1.id, "user_id": self.rep_d.id, "team_id": self.team_south.id,
            "order_line": [Command.create({"product_id": self.product.id})],
        })  # fmt: skip
        foreign_order.message_post(body="Discount agreed.", message_type="comment", subtype_xmlid="mail.mt_note")
        row = self.history(self.rep_a).filtered(lambda r: r.document_ref == foreign_order)
        self.assertEqual(row.channel, "note")
        with self.assertRaisesRegex(UserError, "outside your data scope"):
            row.action_open_document()

    def test_opening_the_history_costs_the_same_whatever_its_size(self):
        def open_history():
            action = self.a1.with_user(self.rep_a).action_crm_view_communications()
            Communication = self.env["crm.communication"].with_user(self.rep_a)
            return Communication.web_search_read(action["domain"], LIST_SPEC, limit=80)["length"]

        open_history()  # the registry's caches (actions, rules, subtypes)
        self.env.invalidate_all()
        with self.assertQueryCount(14):
            self.assertEqual(open_history(), 8)
        for index in range(20):
            self.opportunity.with_user(self.rep_a).message_post(
                body=f"Note {index}", message_type="comment", subtype_xmlid="mail.mt_note"
            )
            self.a1.message_post(body=f"Mail {index}", message_type="email", author_id=self.contact.id)
            self.env["crm.followup"].with_user(self.rep_a).create(
                {"partner_id": self.a1.id, "followup_type": "visit", "content": f"Visit {index}"}
            )
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(14):
            self.assertEqual(open_history(), 68)
