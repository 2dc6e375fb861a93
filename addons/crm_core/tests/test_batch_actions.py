from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CrmHierarchyCommon
from .test_hierarchy import MUTE_ACCESS


@tagged("crm_core", "crm_security")
class TestBatchActions(CrmHierarchyCommon):
    """Batch actions (批量) on the customer and lead lists: share with a
    colleague (read only), transfer, delete, export."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        export = cls.env.ref("base.group_allow_export")
        for user in (cls.rep_a, cls.rep_b, cls.mgr_east):
            user.groups_id |= export
        cls.pool = cls.env["crm.pool"].create({"name": "East Pool", "team_ids": [Command.set(cls.team_east.ids)]})
        cls.pool_customer = cls.env["res.partner"].with_context(crm_pool=True).create({
            "name": "Pool Buyer Co", "crm_managed": True, "is_company": True, "crm_team_id": cls.team_east.id,
            "crm_pool_id": cls.pool.id, "phone": "+86 21 6000 7001", "email": "buyer@pool-buyer.cn",
            "street": "88 Century Avenue",
        })  # fmt: skip
        cls.a1, cls.a2, cls.b1, cls.c2, cls.d1 = (cls.customers[key] for key in ("a1", "a2", "b1", "c2", "d1"))
        cls.deal_b, cls.deal_d = cls.leads["rep_b"][1], cls.leads["rep_d"][1]

    def share(self, user, records, colleagues, mode="share", note=False):
        """The Share action on ``records`` selected in a list by ``user``."""
        wizard = Form(
            self.env["crm.batch.share"].with_user(user).with_context(active_model=records._name, active_ids=records.ids)
        )
        wizard.mode = mode
        for colleague in colleagues:
            wizard.user_ids.add(colleague)
        wizard.note = note
        return wizard.save().action_apply()

    def notifications(self, user):
        """Notifications of no document: the share's, not Odoo's assignment notices."""
        return self.env["mail.message"].search([
            ("message_type", "=", "user_notification"), ("model", "=", False),
            ("partner_ids", "in", user.partner_id.ids),
        ])  # fmt: skip

    def shared_with_me(self, user, model="res.partner"):
        """The records of the "Shared with Me" filter."""
        return self.env[model].with_user(user).search([("crm_shared_user_ids", "in", user.id)])

    # ------------------------------------------------------------------
    # Share
    # ------------------------------------------------------------------
    def test_rep_shares_own_customers_with_a_colleague(self):
        result = self.share(self.rep_a, self.a1 | self.a2, self.rep_b, note="Help with the offer")
        self.assertEqual(result["params"]["message"], "2 records shared with Rep B.")
        self.assertEqual(self.keys(self.managed(self.rep_b)), {"a1", "a2", "b1", "b2"})
        self.assertEqual(self.shared_with_me(self.rep_b), self.a1 | self.a2)
        self.assertEqual(self.a1.with_user(self.rep_b).read(["mobile"])[0]["mobile"], self.a1.mobile)
        log = self.a1.message_ids[:1]
        self.assertIn("Shared with Rep B (read only) by Rep A.", log.body)
        self.assertIn("Help with the offer", log.body)
        # One message for the batch, in the colleague's inbox.
        [notification] = self.notifications(self.rep_b)
        self.assertIn("Rep A shared 2 customers with you", notification.body)
        self.assertIn(f'data-oe-id="{self.a2.id}"', notification.body)
        # The colleague opens the form.
        self.assertEqual(Form(self.a1.with_user(self.rep_b)).name, "Customer A1 Ltd")
        self.assertFalse(self.notifications(self.rep_c))

    def test_share_per_role(self):
        # A manager shares a customer of the department with a rep of another one.
        self.share(self.mgr_east, self.b1, self.rep_d)
        self.assertEqual(self.shared_with_me(self.rep_d), self.b1)
        # The general manager shares anyone's.
        self.share(self.gm, self.d1, self.rep_a)
        self.assertIn(self.d1, self.managed(self.rep_a))
        # Leads and opportunities, from their lists; an opportunity's customer
        # comes with it (its form shows it), without a second notification.
        self.share(self.mgr_east, self.deal_b, self.rep_a)
        self.assertEqual(self.shared_with_me(self.rep_a, "crm.lead"), self.deal_b)
        self.assertEqual(self.shared_with_me(self.rep_a), self.d1 | self.b1)
        self.assertEqual(Form(self.deal_b.with_user(self.rep_a)).name, "Deal of rep_b")
        self.assertIn("Shared with Rep A (read only) by Mgr East.", self.deal_b.message_ids[:1].body)
        self.assertIn("Shared with Rep A (read only) by Mgr East.", self.b1.message_ids[:1].body)
        self.assertEqual(len(self.notifications(self.rep_a)), 2)  # d1, then the deal

    @mute_logger(*MUTE_ACCESS)
    def test_shared_records_stay_read_only(self):
        self.share(self.rep_a, self.a1, self.rep_b)
        contact = self.env["res.partner"].create({"name": "Ms Buyer", "parent_id": self.a1.id})
        self.assertEqual(contact.crm_shared_user_ids, self.rep_b, "contacts follow their company")
        shared = (self.a1 | contact).with_user(self.rep_b)
        self.assertEqual(len(shared.read(["name", "mobile"])), 2)
        with self.assertRaises(AccessError):
            shared[0].write({"mobile": "+86 199 0000 0000"})
        with self.assertRaises(AccessError):
            shared[1].write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            shared.unlink()
        # Nor does the colleague pass it on.
        with self.assertRaisesRegex(AccessError, "you can only read Customer A1 Ltd"):
            self.share(self.rep_b, self.a1, self.rep_c)
        # A manager, who deletes leads of the department, only reads a lead shared from elsewhere.
        self.share(self.rep_d, self.deal_d, self.mgr_east)
        deal = self.deal_d.with_user(self.mgr_east)
        self.assertEqual(deal.read(["name"])[0]["name"], "Deal of rep_d")
        with self.assertRaises(AccessError):
            deal.write({"expected_revenue": 1})
        with self.assertRaises(AccessError):
            deal.unlink()
        self.assertTrue(self.a1.exists() and contact.exists() and self.deal_d.exists())
        self.assertEqual(self.deal_d.expected_revenue, 10000)

    @mute_logger(*MUTE_ACCESS)
    def test_unshare(self):
        self.share(self.rep_a, self.a1 | self.a2, self.rep_b | self.rep_c)
        result = self.share(self.rep_a, self.a1, self.rep_b, mode="unshare")
        self.assertEqual(result["params"]["message"], "1 records no longer shared with Rep B.")
        self.assertEqual(self.a1.crm_shared_user_ids, self.rep_c)
        self.assertEqual(self.shared_with_me(self.rep_b), self.a2)
        with self.assertRaises(AccessError):
            self.a1.with_user(self.rep_b).read(["name"])
        self.assertIn("No longer shared with Rep B, by Rep A.", self.a1.message_ids[:1].body)
        self.assertIn("Rep A no longer shares 1 customers with you", self.notifications(self.rep_b)[:1].body)
        # Nothing left to stop: nothing logged, nobody told.
        messages = self.env["mail.message"].search_count([])
        result = self.share(self.rep_a, self.a1, self.rep_b, mode="unshare")
        self.assertEqual(result["params"]["message"], "0 records no longer shared with Rep B.")
        self.assertEqual(self.env["mail.message"].search_count([]), messages)

    @mute_logger(*MUTE_ACCESS)
    def test_refused_shares(self):
        with self.assertRaises(AccessError):
            self.share(self.rep_a, self.b1, self.rep_c)  # not theirs, not even readable
        with self.assertRaises(AccessError):
            self.share(self.mgr_south, self.a1, self.rep_d)  # out of the manager's departments
        with self.assertRaisesRegex(AccessError, "you can only read Pool Buyer Co"):
            self.share(self.rep_a, self.pool_customer, self.rep_b)  # browsed in the pool
        with self.assertRaisesRegex(UserError, "Pool Buyer Co have no owner"):
            self.share(self.mgr_east, self.pool_customer, self.rep_b)
        with self.assertRaisesRegex(UserError, "Only customers of the archive are shared"):
            self.share(self.rep_a, self.vendor, self.rep_b)
        portal = new_test_user(self.env, login="portal_buyer", groups="base.group_portal")
        with self.assertRaisesRegex(UserError, "Only internal users"):
            self.a1.with_user(self.rep_a)._crm_set_shared(portal)
        # An opportunity goes with its customer: one the rep may not edit stops it all.
        foreign = self.env["crm.lead"].create({
            "name": "Deal for the South", "type": "opportunity", "user_id": self.rep_a.id,
            "team_id": self.team_shanghai.id, "partner_id": self.d1.id,
        })  # fmt: skip
        with self.assertRaises(AccessError):
            self.share(self.rep_a, foreign, self.rep_b)
        self.assertFalse(foreign.crm_shared_user_ids)
        self.assertFalse(self.notifications(self.rep_b))
        self.assertFalse((self.a1 | self.b1 | self.d1 | self.pool_customer).crm_shared_user_ids)
        # Shares are not written by hand (over RPC either): only through the action.
        for user, record in ((self.mgr_east, self.pool_customer), (self.rep_a, self.a1)):
            with self.assertRaises(AccessError):
                record.with_user(user).write({"crm_shared_user_ids": [Command.link(self.rep_d.id)]})
        self.assertFalse((self.a1 | self.pool_customer).crm_shared_user_ids)

    def test_new_owner_does_not_inherit_shares(self):
        self.share(self.rep_a, self.a1, self.rep_c)
        self.assertTrue(self.shared_with_me(self.rep_c))
        self.a1.with_user(self.mgr_east).user_id = self.rep_b
        self.assertFalse(self.a1.crm_shared_user_ids)
        self.assertFalse(self.shared_with_me(self.rep_c))

    def test_release_to_the_pool_ends_sharing(self):
        self.share(self.rep_a, self.a1, self.rep_b)
        self.a1.with_user(self.rep_a).action_release()
        self.assertFalse(self.a1.crm_shared_user_ids)
        self.assertFalse(self.shared_with_me(self.rep_b))

    # ------------------------------------------------------------------
    # Transfer, delete
    # ------------------------------------------------------------------
    def test_list_actions_per_role(self):
        transfer = self.env.ref("crm_core.crm_customer_transfer_action_partner")
        share_partner = self.env.ref("crm_core.crm_batch_share_action_partner")
        share_lead = self.env.ref("crm_core.crm_batch_share_action_lead")

        def actions(user, model):
            bindings = self.env["ir.actions.actions"].with_user(user).get_bindings(model)
            return {action["id"] for action in bindings.get("action", [])}

        self.assertIn("list", transfer.binding_view_types)
        self.assertLessEqual({transfer.id, share_partner.id}, actions(self.mgr_east, "res.partner"))
        self.assertIn(share_partner.id, actions(self.rep_a, "res.partner"))
        self.assertNotIn(transfer.id, actions(self.rep_a, "res.partner"))
        self.assertIn(share_lead.id, actions(self.rep_a, "crm.lead"))

    @mute_logger(*MUTE_ACCESS)
    def test_delete_per_role(self):
        list_view = self.env.ref("crm_core.res_partner_view_list_crm")

        def list_arch(user):
            return self.env["res.partner"].with_user(user).get_views([(list_view.id, "list")])["views"]["list"]["arch"]

        # Reps are not offered Delete, and refused over RPC: the request is
        # rolled back (here its savepoint), with the draft quotations Odoo's
        # sale module deletes before the access check.
        self.assertIn('delete="False"', list_arch(self.rep_a))
        with (
            self.assertRaisesRegex(AccessError, r"not allowed to delete 'Contact' \(res.partner\)"),
            self.env.cr.savepoint(),
        ):
            (self.a1 | self.a2).with_user(self.rep_a).unlink()
        self.env.invalidate_all()
        self.assertTrue(self.orders["rep_a"].exists())
        # Department managers delete leads of their departments, not customers (Odoo's access rights).
        self.assertIn('delete="False"', list_arch(self.mgr_east))
        with self.assertRaises(AccessError):
            self.a2.with_user(self.mgr_east).unlink()
        self.leads["rep_a"][0].with_user(self.mgr_east).unlink()
        with self.assertRaises(AccessError):
            self.deal_d.with_user(self.mgr_east).unlink()
        self.assertEqual((self.a1 | self.a2).exists(), self.a1 | self.a2)
        self.assertTrue(self.deal_d.exists())
        # The general manager deletes customers, except those orders or contracts keep
        # (draft quotations go with their customer, as in Odoo).
        self.assertNotIn('delete="False"', list_arch(self.gm))
        self.orders["rep_a"].action_confirm()
        self.env["crm.contract"].with_user(self.rep_a).create(
            {"title": "Maintenance", "partner_id": self.a2.id, "amount_total": 1000}
        )
        for kept in (self.a1, self.a2):  # a1 has an order, a2 a contract
            with self.assertRaisesRegex(UserError, f"Nothing was deleted: {kept.name} have orders or contracts"):
                (kept | self.c2).with_user(self.gm).unlink()
        self.assertEqual((self.a1 | self.a2 | self.c2).exists(), self.a1 | self.a2 | self.c2)
        self.c2.with_user(self.gm).unlink()
        self.assertFalse(self.c2.exists())

    # ------------------------------------------------------------------
    # Export
    # ------------------------------------------------------------------
    @mute_logger(*MUTE_ACCESS)
    def test_export_masks_pool_contact_details(self):
        pool_customer = self.pool_customer.with_user(self.rep_a)
        self.assertEqual(pool_customer.export_data(["name", "crm_pool_id"])["datas"], [["Pool Buyer Co", "East Pool"]])
        # Directly, through a relation back to the customer, or in a computed address.
        for path in ("phone", "email", "commercial_partner_id/phone", "commercial_partner_id/email", "contact_address"):
            with self.subTest(path=path), self.assertRaisesRegex(AccessError, "Claim Pool Buyer Co before exporting"):
                pool_customer.export_data(["name", path])
        # A selection mixing own and pool customers is refused as a whole.
        own = self.a1.with_user(self.rep_a)
        with self.assertRaises(AccessError):
            (own | pool_customer).export_data(["name", "phone"])
        # The department's manager, who may edit it, exports it.
        self.assertEqual(
            self.pool_customer.with_user(self.mgr_east).export_data(["name", "commercial_partner_id/phone"])["datas"],
            [["Pool Buyer Co", "+86 21 6000 7001"]],
        )

    def test_export_of_a_shared_customer(self):
        self.share(self.rep_a, self.a1, self.rep_b)
        rows = self.a1.with_user(self.rep_b).export_data(["name", "mobile", "user_id", "crm_team_id"])["datas"]
        self.assertEqual(rows, [["Customer A1 Ltd", self.a1.mobile, "Rep A", "East / Shanghai"]])
