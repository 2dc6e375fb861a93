from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail

from .common import CrmCoreCommon


@tagged("crm_mail_account")
class TestMailAccount(CrmCoreCommon, MockEmail):
    """Several sending accounts per user: the account chosen in the composer
    or the mailing gives the mail its from-address and outgoing server, and
    the mail leaves through that server (Odoo's SMTP test double records the
    connection)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_rep.groups_id += cls.env.ref("mass_mailing.group_mass_mailing_user")
        Server = cls.env["ir.mail_server"]
        cls.server_sales = Server.create(
            {"name": "Sales SMTP", "smtp_host": "smtp.sales.example.com", "from_filter": "sales.example.com"}
        )
        cls.server_support = Server.create(
            {"name": "Support SMTP", "smtp_host": "smtp.support.example.com", "from_filter": "support.example.com"}
        )
        Account = cls.env["crm.mail.account"]
        cls.account_sales, cls.account_support, cls.account_gm = Account.create([
            {"user_id": cls.user_rep.id, "name": "Rep (Sales)", "email_from": "rep@sales.example.com",
             "mail_server_id": cls.server_sales.id},
            {"user_id": cls.user_rep.id, "name": "Rep (Support)", "email_from": "rep@support.example.com",
             "mail_server_id": cls.server_support.id},
            {"user_id": cls.user_gm.id, "email_from": "gm@sales.example.com", "mail_server_id": cls.server_sales.id},
        ])  # fmt: skip
        cls.customer = cls.env["res.partner"].create({
            "name": "Buyer Trading Co", "is_company": True, "crm_managed": True, "user_id": cls.user_rep.id,
            "email": "buyer@customer.example.com",
        })  # fmt: skip

    def test_users_see_and_use_only_their_accounts(self):
        Account = self.env["crm.mail.account"].with_user(self.user_rep)
        self.assertEqual(Account.search([]), self.account_sales + self.account_support)
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base.models.ir_model"):
            Account.create({"email_from": "other@sales.example.com"})
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base.models.ir_rule"):
            self.env["mail.compose.message"].with_user(self.user_rep).create(
                {"crm_mail_account_id": self.account_gm.id, "body": "x", "composition_mode": "comment"}
            )

    def test_users_send_only_through_their_accounts_servers(self):
        server_gm = self.env["ir.mail_server"].create({"name": "GM SMTP", "smtp_host": "smtp.gm.example.com"})
        self.account_gm.mail_server_id = server_gm
        Mailing = self.env["mailing.mailing"].with_user(self.user_rep)
        mailing_model = self.env["ir.model"]._get_id("res.partner")
        # The account's server, or none (Odoo chooses): fine.
        mailing = Mailing.create({"subject": "Offer", "mailing_model_id": mailing_model,
                                  "crm_mail_account_id": self.account_support.id})  # fmt: skip
        self.assertEqual(mailing.mail_server_id, self.server_support)
        mailing.write({"mail_server_id": False})
        # Someone else's server, typed as an id (RPC, debug mode): refused.
        with self.assertRaisesRegex(AccessError, "your own sending accounts"):
            mailing.write({"mail_server_id": server_gm.id})
        with self.assertRaisesRegex(AccessError, "your own sending accounts"):
            Mailing.create({"subject": "Offer", "mailing_model_id": mailing_model, "mail_server_id": server_gm.id})
        with self.assertRaisesRegex(AccessError, "your own sending accounts"):
            self.env["mail.compose.message"].with_user(self.user_rep).create(
                {"body": "x", "composition_mode": "comment", "mail_server_id": server_gm.id}
            )
        self.assertFalse(mailing.mail_server_id)
        # Administrators configure any of them.
        mailing.with_user(self.env.ref("base.user_admin")).write({"mail_server_id": server_gm.id})
        self.assertEqual(mailing.mail_server_id, server_gm)

    def test_account_address_must_fit_its_server(self):
        with self.assertRaisesRegex(ValidationError, "only sends from sales.example.com"):
            self.env["crm.mail.account"].create(
                {"user_id": self.user_rep.id, "email_from": "rep@elsewhere.example.com",
                 "mail_server_id": self.server_sales.id}
            )  # fmt: skip
        with self.assertRaisesRegex(ValidationError, "not an e-mail address"):
            self.env["crm.mail.account"].create({"user_id": self.user_rep.id, "email_from": "rep at sales"})

    def test_composer_sends_from_the_chosen_account(self):
        composer_form = Form(
            self.env["mail.compose.message"].with_user(self.user_rep).with_context(
                default_model="res.partner", default_res_ids=self.customer.ids, default_composition_mode="comment",
            )
        )  # fmt: skip
        composer_form.crm_mail_account_id = self.account_support
        self.assertEqual(composer_form.email_from, '"Rep (Support)" <rep@support.example.com>')
        composer_form.partner_ids.add(self.customer)
        composer_form.subject = "Your quotation"
        composer_form.body = "<p>Please find our offer.</p>"
        composer = composer_form.save()
        self.assertEqual(composer.mail_server_id, self.server_support)

        with self.mock_mail_gateway():
            composer.action_send_mail()
            self._new_mails.filtered(lambda mail: mail.state == "outgoing").send()
        mail = self._new_mails.filtered(lambda m: "buyer@customer.example.com" in m.recipient_ids.mapped("email"))
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.email_from, '"Rep (Support)" <rep@support.example.com>')
        self.assertEqual(mail.mail_server_id, self.server_support)
        self.assertEqual(mail.state, "sent")
        # The SMTP connection was opened on the chosen server, which sent it.
        self.assertEqual(self.connect_mocked.call_args.kwargs["mail_server_id"], self.server_support.id)
        self.assertSMTPEmailsSent(
            smtp_from="rep@support.example.com", smtp_to_list=["buyer@customer.example.com"],
            from_filter="support.example.com",
        )  # fmt: skip

    def test_mailing_sends_from_the_chosen_account(self):
        mailing = self.env["mailing.mailing"].with_user(self.user_rep).create({
            "subject": "Spring offer", "body_html": "<p>Offer</p>", "crm_mail_account_id": self.account_sales.id,
            "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
            "mailing_domain": [("id", "=", self.customer.id)],
        })  # fmt: skip
        self.assertEqual(mailing.email_from, '"Rep (Sales)" <rep@sales.example.com>')
        self.assertEqual(mailing.mail_server_id, self.server_sales)
        mailing.crm_mail_account_id = self.account_support
        self.assertEqual(mailing.mail_server_id, self.server_support)
        mailing.crm_mail_account_id = self.account_sales

        with self.mock_mail_gateway():
            mailing.action_send_mail()
            self._new_mails.filtered(lambda mail: mail.state == "outgoing").send()
        mail = self._new_mails.filtered(lambda m: m.mailing_id == mailing)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.mail_server_id, self.server_sales)
        self.assertEqual(mail.email_from, '"Rep (Sales)" <rep@sales.example.com>')
        self.assertEqual(self.connect_mocked.call_args.kwargs["mail_server_id"], self.server_sales.id)
        self.assertSMTPEmailsSent(
            smtp_from="rep@sales.example.com", smtp_to_list=["buyer@customer.example.com"],
            from_filter="sales.example.com",
        )  # fmt: skip

    def test_configuration_menus_are_for_administrators(self):
        self.assertMenuHidden(self.user_gm, "crm_core.menu_crm_config_mail_accounts")
        self.assertMenuHidden(self.user_gm, "crm_core.menu_crm_config_sms_log")
        admin = self.env.ref("base.user_admin")
        for xmlid in ("crm_core.menu_crm_config_mail_accounts", "crm_core.menu_crm_config_sms_log"):
            self.assertMenuOpens(admin, xmlid)
