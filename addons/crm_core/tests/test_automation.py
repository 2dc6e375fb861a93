from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import CrmHierarchyCommon


# post_install: base_automation hooks its rules into the models once the
# registry is complete, after the at_install tests.
@tagged("post_install", "-at_install", "crm_core", "crm_automation")
class TestAutomationPolicies(CrmHierarchyCommon):
    def test_key_customer_not_followed_up_for_3_days_notifies_the_manager(self):
        a1, a2 = self.customers["a1"], self.customers["a2"]
        grade_a = self.env.ref("crm_core.customer_grade_a")
        (a1 | a2).write({"crm_grade_id": grade_a.id})
        a1.crm_last_followup_date = fields.Date.today() - timedelta(days=3)
        a2.crm_last_followup_date = fields.Date.today() - timedelta(days=1)
        rule = self.env.ref("crm_core.automation_grade_a_not_followed_up")
        rule.last_run = fields.Datetime.now() - timedelta(days=1)
        rule._check()
        # a1 lives in Shanghai, which has no leader: East's leader is told.
        notes = a1.activity_ids.filtered(lambda a: "not been followed up" in (a.summary or ""))
        self.assertEqual(notes.user_id, self.mgr_east)
        self.assertFalse(a2.activity_ids.filtered(lambda a: "not been followed up" in (a.summary or "")))

    def test_customer_marked_lost_notifies_the_manager(self):
        d1 = self.customers["d1"]
        d1.with_user(self.rep_d).crm_status = "lost"
        note = d1.activity_ids.filtered(lambda a: "marked Lost" in (a.summary or ""))
        self.assertEqual(note.user_id, self.mgr_south)

    def test_daily_digest_lists_due_customers(self):
        self.rep_a.email = "rep_a@example.com"
        self.customers["a1"].crm_next_followup_date = fields.Date.today() - timedelta(days=2)
        self.customers["a2"].crm_next_followup_date = fields.Date.today()
        self.customers["a3"].crm_next_followup_date = fields.Date.today() + timedelta(days=5)
        self.env["res.partner"]._cron_crm_followup_digest()
        mail = self.env["mail.mail"].search([("email_to", "ilike", "rep_a@example.com")], order="id desc", limit=1)
        self.assertIn("2 customers", mail.subject)
        self.assertIn("Customer A1 Ltd", mail.body_html)
        self.assertIn("Customer A2 Ltd", mail.body_html)
        self.assertNotIn("Customer A3 Ltd", mail.body_html)
