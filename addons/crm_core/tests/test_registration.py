from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CrmHierarchyCommon
from .test_hierarchy import MUTE_ACCESS


@tagged("crm_core", "crm_registration")
class TestRegistration(CrmHierarchyCommon):
    def register(self, user, **vals):
        values = {"company_name": "Ningbo Harbour Cold Chain Co", "contact_name": "Ms Wu", "grade": "a",
                  "phone": "+86 574 8700 1122", "expected_amount": 380000}  # fmt: skip
        return self.env["crm.registration"].with_user(user).create({**values, **vals})

    def test_register_review_and_protect(self):
        registration = self.register(self.rep_a)
        self.assertTrue(registration.name.startswith("REG"))
        registration.action_submit()
        self.assertEqual(registration.state, "submitted")
        self.assertFalse(registration.conflict)
        with self.assertRaises(AccessError), mute_logger(*MUTE_ACCESS):
            registration.with_user(self.rep_a).action_approve()
        registration.with_user(self.mgr_east).action_approve()
        partner = registration.partner_id
        self.assertEqual(partner.user_id, self.rep_a)
        self.assertEqual(partner.crm_grade_id, self.env.ref("crm_core.customer_grade_a"))
        self.assertEqual(partner.child_ids.name, "Ms Wu")
        self.assertEqual(partner.child_ids.user_id, self.rep_a, "the contact follows its company")
        self.assertEqual(registration.protection_until, fields.Date.today() + timedelta(days=90))
        self.assertIn(partner, self.managed(self.rep_a))

    def test_assign_to_a_colleague(self):
        registration = self.register(self.rep_a, grade="c")
        registration.action_submit()
        registration.with_user(self.mgr_east).write({"assigned_user_id": self.rep_c.id})
        registration.with_user(self.mgr_east).action_approve()
        self.assertEqual(registration.partner_id.user_id, self.rep_c)
        self.assertEqual(registration.protection_until, fields.Date.today() + timedelta(days=30))

    def test_collision_is_flagged_with_both_sides(self):
        taken = self.customers["d1"]
        registration = self.register(self.rep_a, company_name="Another Name Co", phone=taken.mobile)
        registration.action_submit()
        self.assertTrue(registration.conflict)
        self.assertIn("Customer D1 Ltd", registration.conflict_description)
        self.assertIn("Rep D", registration.conflict_description)
        activity = registration.activity_ids
        self.assertEqual(activity.user_id, self.mgr_east, "the applicant's manager reviews it")
        self.assertIn("Collision", activity.summary)
        # Approving it anyway runs into the duplicate check; the manager rejects.
        with self.assertRaises(ValidationError):
            registration.with_user(self.mgr_east).action_approve()
        with self.assertRaisesRegex(UserError, "reason"):
            registration.with_user(self.mgr_east).action_reject()
        registration.with_user(self.mgr_east).write({"reject_reason": "Customer of Rep D"})
        registration.with_user(self.mgr_east).action_reject()
        self.assertEqual(registration.state, "rejected")

    def test_two_registrations_of_the_same_prospect(self):
        first = self.register(self.rep_a)
        first.action_submit()
        second = self.register(self.rep_d, contact_name="Mr Li")
        second.action_submit()
        self.assertTrue(second.conflict)
        self.assertIn(first.name, second.conflict_description)

    def test_visibility(self):
        registration = self.register(self.rep_a)
        Registration = self.env["crm.registration"]
        self.assertFalse(Registration.with_user(self.rep_b).search([("id", "=", registration.id)]))
        self.assertTrue(Registration.with_user(self.mgr_east).search([("id", "=", registration.id)]))
        self.assertFalse(Registration.with_user(self.mgr_south).search([("id", "=", registration.id)]))

    def test_protection_expires_without_follow_up(self):
        idle, followed = self.register(self.rep_a), self.register(self.rep_b, company_name="Followed Co", phone=False)
        idle.action_submit()
        followed.action_submit()
        (idle | followed).with_user(self.mgr_east).action_approve()
        (idle | followed).sudo().write({"protection_until": fields.Date.today() - timedelta(days=1)})
        self.env["crm.followup"].with_user(self.rep_b).create(
            {"partner_id": followed.partner_id.id, "content": "Visited the warehouse", "followup_type": "visit"}
        )
        self.assertEqual(self.env["crm.registration"]._cron_release_unprotected(), 1)
        self.assertEqual(idle.state, "released")
        self.assertFalse(idle.partner_id.user_id)
        self.assertEqual(followed.state, "approved")
        self.assertEqual(followed.partner_id.user_id, self.rep_b)
