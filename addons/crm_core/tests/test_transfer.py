from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CrmHierarchyCommon
from .test_hierarchy import MUTE_ACCESS


@tagged("crm_core")
class TestTransfer(CrmHierarchyCommon):
    def transfer(self, user, **vals):
        wizard = self.env["crm.customer.transfer"].with_user(user).create(vals)
        return wizard.action_transfer()

    def test_manager_transfers_everything_of_a_leaving_rep(self):
        result = self.transfer(self.mgr_east, from_user_id=self.rep_a.id, to_user_id=self.rep_b.id, note="Li left")
        self.assertEqual(self.keys(self.managed(self.rep_b)), {"a1", "a2", "a3", "b1", "b2"})
        self.assertFalse(self.managed(self.rep_a))
        self.assertEqual(self.leads["rep_a"].user_id, self.rep_b)
        self.assertEqual(self.orders["rep_a"].user_id, self.rep_b)
        self.assertIn("3 customers", result["params"]["message"])
        message = self.customers["a1"].message_ids[:1]
        self.assertIn("Transferred from Rep A to Rep B", message.body)
        self.assertIn("Li left", message.body)

    def test_selected_customers_only(self):
        self.transfer(
            self.mgr_east, from_user_id=self.rep_a.id, to_user_id=self.rep_c.id, transfer_all=False,
            partner_ids=[Command.set(self.customers["a1"].ids)],
        )  # fmt: skip
        self.assertEqual(self.customers["a1"].user_id, self.rep_c)
        self.assertEqual(self.customers["a2"].user_id, self.rep_a)
        self.assertEqual(self.leads["rep_a"][1].user_id, self.rep_c, "the opportunity of a1 follows it")
        self.assertEqual(self.leads["rep_a"][0].user_id, self.rep_a, "a lead of no transferred customer stays")

    def test_general_manager_releases_to_the_pool(self):
        self.transfer(self.gm, from_user_id=self.rep_d.id, to_user_id=False)
        self.assertFalse(self.customers["d1"].user_id)
        self.assertFalse(self.customers["d2"].user_id)

    @mute_logger(*MUTE_ACCESS)
    def test_manager_cannot_transfer_out_of_the_department(self):
        with self.assertRaises(AccessError):
            self.transfer(self.mgr_east, from_user_id=self.rep_a.id, to_user_id=self.rep_d.id)
        self.assertEqual(self.customers["a1"].user_id, self.rep_a)
        with self.assertRaises(UserError):
            self.transfer(self.mgr_east, from_user_id=self.rep_d.id, to_user_id=self.rep_a.id)

    @mute_logger(*MUTE_ACCESS)
    def test_reps_cannot_transfer(self):
        with self.assertRaises(AccessError):
            self.transfer(self.rep_a, from_user_id=self.rep_a.id, to_user_id=self.rep_b.id)

    def test_nothing_moves_when_one_record_fails(self):
        """rep_a also works for a second company rep_b has no access to: the
        customers move first, then that company's lead cannot go to rep_b:
        all is undone."""
        other_company = self.env["res.company"].create({"name": "Second Company"})
        self.rep_a.company_ids |= other_company
        self.mgr_east.company_ids |= other_company
        foreign_lead = self.env["crm.lead"].create({
            "name": "Deal in the second company", "user_id": self.rep_a.id, "team_id": False,
            "company_id": other_company.id,
        })  # fmt: skip
        wizard = (
            self.env["crm.customer.transfer"]
            .with_user(self.mgr_east)
            .with_context(allowed_company_ids=[self.env.company.id, other_company.id])
            .create({"from_user_id": self.rep_a.id, "to_user_id": self.rep_b.id})
        )
        with self.assertRaisesRegex(UserError, "Nothing was transferred"):
            wizard.action_transfer()
        self.assertEqual(self.customers["a1"].user_id, self.rep_a)
        self.assertEqual(self.leads["rep_a"].user_id, self.rep_a)
        self.assertEqual(foreign_lead.user_id, self.rep_a)
        self.assertEqual(self.orders["rep_a"].user_id, self.rep_a)
