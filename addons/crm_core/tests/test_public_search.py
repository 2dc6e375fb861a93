from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import CrmHierarchyCommon
from .test_hierarchy import MUTE_ACCESS

ROW_KEYS = {"kind", "name", "owner", "department", "status", "last_followup"}


@tagged("crm_core", "crm_security")
class TestPublicSearch(CrmHierarchyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.target = cls.customers["d1"]
        cls.target.write({
            "name": "苏州晨曦光电有限公司", "mobile": "+86 19912345678", "email": "sales@chenxi-optic.cn",
            "vat": "91320500MA1XYW0Q3K", "phone": "+86 512 6666 1234",
        })  # fmt: skip
        cls.Lookup = cls.env["crm.customer.lookup"]

    def search_as(self, user, query):
        return self.Lookup.with_user(user).search_rows(query)

    def test_rep_finds_a_colleague_customer_by_phone_in_another_format(self):
        rows = self.search_as(self.rep_a, "199 1234 5678")
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertEqual(set(row), ROW_KEYS, "nothing but the whitelisted facts")
        self.assertEqual(row["name"], "苏州晨曦光电有限公司")
        self.assertEqual(row["owner"], self.rep_d.name)
        self.assertEqual(row["department"], "South")
        self.assertEqual(row["status"], "Prospect")

    @mute_logger(*MUTE_ACCESS)
    def test_the_record_itself_stays_closed(self):
        self.assertTrue(self.search_as(self.rep_a, "+86 19912345678"))
        with self.assertRaises(AccessError):
            self.target.with_user(self.rep_a).read(["mobile", "email"])
        self.assertFalse(self.env["res.partner"].with_user(self.rep_a).search([("id", "=", self.target.id)]))

    def test_other_keys(self):
        for query in ("晨曦光电", "sales@chenxi-optic.cn", "someone.else@chenxi-optic.cn", "91320500MA1XYW0Q3K",
                      "0512 6666 1234"):  # fmt: skip
            rows = self.search_as(self.rep_b, query)
            self.assertEqual([r["name"] for r in rows], ["苏州晨曦光电有限公司"], query)

    def test_free_mail_domains_and_short_queries_find_nothing(self):
        self.customers["d2"].email = "boss@qq.com"
        self.assertFalse(self.search_as(self.rep_a, "other@qq.com"))
        self.assertFalse(self.search_as(self.rep_a, "a"))

    def test_unconverted_leads_and_the_pool_are_found(self):
        self.env["crm.lead"].create({
            "name": "Parking barrier gates", "type": "lead", "partner_name": "Hefei Parking Services Co",
            "user_id": self.rep_c.id, "phone": "+86 551 6300 7788",
        })  # fmt: skip
        rows = self.search_as(self.rep_d, "0551 6300 7788")
        self.assertEqual([(r["kind"], r["owner"]) for r in rows], [("lead", self.rep_c.name)])
        rows = self.search_as(self.rep_d, self.customers["pool_east"].name)
        self.assertEqual([(r["kind"], r["owner"]) for r in rows], [("customer", False)])

    def test_rows_are_capped(self):
        rows = self.search_as(self.gm, "Customer")
        self.assertLessEqual(len(rows), self.Lookup.ROW_LIMIT)

    def test_public_search_screen(self):
        search = self.env["crm.public.search"].with_user(self.rep_a).create({"query": "+86 199 1234 5678"})
        search.action_search()
        self.assertEqual(search.line_ids.mapped("owner"), [self.rep_d.name])

    @mute_logger(*MUTE_ACCESS)
    def test_portal_users_cannot_search(self):
        portal = self.env["res.users"].create({
            "name": "Portal", "login": "portal_x", "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
        })  # fmt: skip
        with self.assertRaises(AccessError):
            self.search_as(portal, "晨曦光电")


@tagged("crm_core")
class TestDuplicateCheck(CrmHierarchyCommon):
    def test_same_mobile_is_blocked_with_the_owner_named(self):
        existing = self.customers["d1"]
        with self.assertRaisesRegex(ValidationError, "phone is already used by Customer D1 Ltd.*Rep D"):
            self.env["res.partner"].with_user(self.rep_a).create({
                "name": "Another Name Co", "crm_managed": True, "mobile": existing.mobile.replace(" ", ""),
            })  # fmt: skip

    def test_an_unconverted_lead_collides_too(self):
        with self.assertRaises(ValidationError):
            self.env["crm.lead"].with_user(self.rep_b).create({"name": "Same phone", "mobile": self.customers["a1"].mobile})
        # A lead of the known customer itself is no duplicate.
        self.env["crm.lead"].with_user(self.rep_a).create({
            "name": "Follow-on deal", "partner_id": self.customers["a1"].id, "mobile": self.customers["a1"].mobile,
        })  # fmt: skip

    def test_contacts_of_the_same_company_are_no_duplicates(self):
        company = self.customers["a2"]
        self.env["res.partner"].create({"name": "Switchboard", "parent_id": company.id, "mobile": company.mobile})

    def test_modes_are_configurable(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_core.duplicate_phone", "off")
        Partner = self.env["res.partner"].with_user(self.gm)
        Partner.create({"name": "Twin Co", "crm_managed": True, "mobile": self.customers["b1"].mobile})
        params.set_param("crm_core.duplicate_name", "block")
        with self.assertRaisesRegex(ValidationError, "name is already used"):
            Partner.create({"name": "Customer B2 Co., Ltd.", "crm_managed": True})

    def test_warn_mode_warns_in_the_form(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_core.duplicate_email", "warn")
        self.customers["c1"].email = "info@lakeside-security.com"
        partner = self.env["res.partner"].with_user(self.rep_a).new({"crm_managed": True, "name": "Lakeside"})
        partner.email = "info@lakeside-security.com"
        result = partner._onchange_crm_duplicates()
        self.assertIn("e-mail is already used by Customer C1 Ltd", result["warning"]["message"])
        form = Form(self.env["res.partner"].with_user(self.rep_a).with_context(default_crm_managed=True))
        form.name = "Lakeside Security Ltd"
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            form.email = "info@lakeside-security.com"
        self.assertIn("Possible duplicate", logs.output[0])
        form.save()  # warn mode does not block

    def test_the_superuser_is_never_blocked(self):
        """Inbound leads (mail gateway, website) are kept even when duplicate."""
        lead = self.env["crm.lead"].sudo().create({"name": "Inbound", "mobile": self.customers["a1"].mobile})
        self.assertTrue(lead.exists())

    def test_import_reports_the_duplicate_row_and_writes_nothing(self):
        """base_import goes through load(): the blocked row is named and the
        whole file is rolled back."""
        Partner = self.env["res.partner"].with_user(self.gm).with_context(default_crm_managed=True)
        before = Partner.search_count([])
        result = Partner.load(
            ["name", "mobile", "is_company"],
            [
                ["Imported Fresh Co", "+86 199 7777 0001", "1"],
                ["Imported Twin Co", self.customers["d2"].mobile, "1"],
            ],
        )
        self.assertFalse(result["ids"])
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertTrue(errors)
        self.assertIn(1, {m["record"] for m in errors}, "the second row is reported")
        for error in errors:
            self.assertIn("Imported Twin Co: the phone is already used by Customer D2 Ltd", error["message"])
        self.assertEqual(Partner.search_count([]), before)
