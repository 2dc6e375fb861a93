from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import CrmHierarchyCommon
from .test_hierarchy import MUTE_ACCESS


class CrmPoolCommon(CrmHierarchyCommon):
    """The hierarchy fixture plus an East pool (East and Shanghai reps) with
    two customers in it, east_p1 and east_p2."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pool = cls.env["crm.pool"].create({
            "name": "East Pool", "team_ids": [Command.set(cls.team_east.ids)], "holding_limit": 5,
            "daily_claim_limit": 10, "cooldown_days": 7, "lock_limit": 1, "followup_days": 10,
            "no_opportunity_days": 0, "not_won_days": 0, "warning_days": 2,
        })  # fmt: skip
        cls.reason = cls.env.ref("crm_core.release_reason_no_need")
        cls.pool_customers = cls.env["res.partner"].with_context(crm_pool=True).create([
            {"name": f"East Pool Customer {i}", "crm_managed": True, "is_company": True, "user_id": False,
             "crm_team_id": cls.team_east.id, "crm_pool_id": cls.pool.id, "phone": f"+86 21 6000 000{i}",
             "email": f"buyer{i}@east-pool-{i}.cn"}
            for i in (1, 2)
        ])  # fmt: skip
        cls.p1, cls.p2 = cls.pool_customers


@tagged("crm_core", "crm_pool")
class TestPoolVisibility(CrmPoolCommon):
    def test_reps_of_the_pool_departments_browse_it(self):
        Partner = self.env["res.partner"]
        self.assertEqual(Partner.with_user(self.rep_a).search([("crm_pool_id", "=", self.pool.id)]), self.pool_customers)
        self.assertFalse(Partner.with_user(self.rep_d).search([("crm_pool_id", "=", self.pool.id)]))

    @mute_logger(*MUTE_ACCESS)
    def test_contact_details_are_refused_or_masked_until_claimed(self):
        with self.assertRaisesRegex(AccessError, "Claim East Pool Customer 1 before reading its contact details"):
            self.p1.with_user(self.rep_a).read(["name", "phone"])
        with self.assertRaises(AccessError):
            self.p1.with_user(self.rep_a).read()
        self.assertEqual(self.p1.with_user(self.rep_a).read(["name", "crm_grade_id"])[0]["name"], "East Pool Customer 1")
        # The web client's reads get them masked, so that the pool screens open.
        [values] = self.p1.with_user(self.rep_a).web_read(
            {"name": {}, "phone": {}, "email": {}, "crm_grade_id": {}, "child_ids": {}}
        )
        self.assertEqual(values["name"], "East Pool Customer 1")
        self.assertFalse(values["phone"])
        self.assertFalse(values["email"])
        self.assertEqual(values["child_ids"], [])
        rows = self.env["res.partner"].with_user(self.rep_a).web_search_read(
            [("id", "=", self.p1.id)], {"phone": {}, "mobile": {}, "crm_phone_e164": {}}
        )["records"]
        self.assertFalse(any(rows[0][f] for f in ("phone", "mobile", "crm_phone_e164")))
        # The department's manager sees them (they may edit the customer).
        self.assertTrue(self.p1.with_user(self.mgr_east).read(["phone"])[0]["phone"])
        self.p1.with_user(self.rep_a).action_claim()
        self.assertEqual(self.p1.with_user(self.rep_a).read(["phone"])[0]["phone"], "+86 21 6000 0001")

    def test_the_pool_form_opens(self):
        form = Form(self.p1.with_user(self.rep_a))
        self.assertEqual(form.name, "East Pool Customer 1")
        self.assertFalse(form.phone)

    @mute_logger(*MUTE_ACCESS)
    def test_pool_is_read_only_and_not_exportable(self):
        self.rep_a.groups_id |= self.env.ref("base.group_allow_export")
        with self.assertRaises(AccessError):
            self.p1.with_user(self.rep_a).write({"phone": "+86 21 6000 9999"})
        with self.assertRaises(AccessError):
            self.p1.with_user(self.rep_a).export_data(["name", "phone"])
        self.assertEqual(self.p1.with_user(self.rep_a).export_data(["name"])["datas"], [["East Pool Customer 1"]])

    def test_searching_cannot_probe_contact_details(self):
        Partner = self.env["res.partner"].with_user(self.rep_a)
        pool = [("id", "in", self.pool_customers.ids)]
        # (field, operator, a right guess, a wrong one)
        probes = [
            ("phone", "=like", "+86 21 6000%", "+86 10%"), ("phone", "ilike", "6000 0001", "9999"),
            ("phone", "!=", "nothing", "+86 21 6000 0001"), ("phone", "=", False, "+86 10 0000 0000"),
            ("email", "=", "buyer1@east-pool-1.cn", "x@y.cn"), ("email_normalized", "like", "east-pool", "west"),
            ("crm_phone_e164", "=like", "+8621%", "+8610%"), ("crm_email_domain", "in", ["east-pool-1.cn"], ["y.cn"]),
            ("phone_mobile_search", "like", "2160000001", "1060000001"),
            ("commercial_partner_id.phone", "=like", "+86%", "+1%"), ("commercial_partner_id.email", "ilike", "buyer", "zz"),
        ]  # fmt: skip
        for field, operator, right, wrong in probes:
            # A condition on a detail never matches, and a right guess gets
            # the same answer as a wrong one, negated or not.
            self.assertFalse(Partner.search([*pool, (field, operator, right)]), field)
            self.assertEqual(
                Partner.search([*pool, "!", (field, operator, right)]),
                Partner.search([*pool, "!", (field, operator, wrong)]),
                (field, operator),
            )
        self.assertFalse(Partner.name_search("buyer1@east-pool"))
        # The department's manager, who may edit them, searches them.
        Manager = self.env["res.partner"].with_user(self.mgr_east)
        self.assertEqual(Manager.search([*pool, ("phone", "=like", "+86 21 6000%")]), self.pool_customers)
        self.assertEqual(Manager.search([*pool, ("phone_mobile_search", "like", "2160000001")]), self.p1)
        # A rep still finds a duplicate by its number: the public search's
        # whitelisted facts.
        [row] = self.env["crm.customer.lookup"].with_user(self.rep_a).search_rows("+86 21 6000 0001")
        self.assertEqual((row["name"], row["owner"]), ("East Pool Customer 1", False))
        # Once claimed, the rep's own.
        self.p1.with_user(self.rep_a).action_claim()
        self.assertEqual(Partner.search([*pool, ("phone", "=like", "+86 21 6000%")]), self.p1)

    def test_grouping_sorting_and_aggregating_mask_contact_details(self):
        Partner = self.env["res.partner"].with_user(self.rep_a)
        pool = [("id", "in", self.pool_customers.ids)]
        for fname in ("phone", "email", "street", "crm_phone_e164", "vat"):
            groups = Partner.read_group(pool, [fname], [fname])
            self.assertEqual([(g[fname], g[f"{fname}_count"]) for g in groups], [(False, 2)], fname)
            [group] = Partner.web_read_group(pool, [fname], [fname])["groups"]
            self.assertFalse(group[fname], fname)
        self.assertEqual(Partner._read_group(pool, ["phone"], ["__count", "email:count_distinct"]), [(False, 2, 0)])
        [(phones,)] = Partner._read_group(pool, [], ["phone:array_agg"])
        self.assertFalse(any(phones))
        # The pool customers sort as if they had no phone: in the same order both ways.
        for order in ("phone asc, id", "phone desc, id", "email desc, id"):
            self.assertEqual(Partner.search(pool, order=order).ids, self.pool_customers.sorted("id").ids, order)
        Manager = self.env["res.partner"].with_user(self.mgr_east)
        self.assertEqual(len(Manager.read_group(pool, ["phone"], ["phone"])), 2)
        self.assertEqual(Manager.search(pool, order="phone desc").ids, [self.p2.id, self.p1.id])

    @mute_logger(*MUTE_ACCESS)
    def test_names_do_not_carry_contact_details(self):
        self.p1.write({"street": "1 Hidden Lane", "vat": "91310000MA1FL0000X"})
        rep_p1 = self.p1.with_user(self.rep_a).with_context(show_address=True, show_email=True, show_vat=True)
        self.assertEqual(rep_p1.display_name, "East Pool Customer 1")
        [(_id, name)] = rep_p1.name_search("East Pool Customer 1")
        self.assertEqual(name, "East Pool Customer 1")
        [row] = rep_p1.web_search_read([("id", "=", self.p1.id)], {"display_name": {}})["records"]
        self.assertEqual(row["display_name"], "East Pool Customer 1")
        # Nor the name a many2one shows (read as superuser), as in a report's contact widget.
        order = self.env["sale.order"].create({"partner_id": self.p1.id, "user_id": self.rep_a.id})
        [values] = order.with_user(self.rep_a).with_context(show_address=True).read(["partner_id"])
        self.assertEqual(values["partner_id"][1], "East Pool Customer 1")
        with self.assertRaises(AccessError):
            self.p1.with_user(self.rep_a).read(["contact_address_inline"])
        # Who may see the details sees them in the name too.
        self.assertIn("1 Hidden Lane", self.p1.with_user(self.mgr_east).with_context(show_address=True).display_name)
        self.assertIn("<buyer1@east-pool-1.cn>", self.p1.with_user(self.mgr_east).with_context(show_email=True).display_name)

    @mute_logger(*MUTE_ACCESS)
    def test_documents_name_only_claimed_customers(self):
        """A quotation, opportunity, contract, ticket or follow-up of a pool
        customer would show its details (reports, a lead's copied phone)."""
        documents = [
            ("sale.order", {}),
            ("crm.lead", {"name": "Deal"}),
            ("crm.contract", {"title": "Frame contract", "amount_total": 1000}),
            ("crm.service.ticket", {"subject": "Broken camera", "description": "No picture"}),
            ("crm.followup", {"content": "Called"}),
        ]
        for model, vals in documents:
            # A follow-up needs a customer the rep may edit: an access error.
            with self.assertRaises(AccessError if model == "crm.followup" else UserError, msg=model):
                self.env[model].with_user(self.rep_a).create({**vals, "partner_id": self.p1.id})
            with self.assertRaises(AccessError, msg=model):  # another department's customer
                self.env[model].with_user(self.rep_a).create({**vals, "partner_id": self.customers["d1"].id})
        with self.assertRaisesRegex(UserError, "Claim East Pool Customer 1 from the pool first"):
            self.env["crm.lead"].with_user(self.rep_a).create({"name": "Deal", "partner_id": self.p1.id})
        lead = self.leads["rep_a"][0].with_user(self.rep_a)
        with self.assertRaises(AccessError):
            lead.partner_id = self.customers["d1"]
        self.assertFalse(lead.partner_id)
        self.p1.with_user(self.rep_a).action_claim()
        lead.partner_id = self.p1
        self.assertEqual(lead.phone, "+86 21 6000 0001")


@tagged("crm_core", "crm_pool")
class TestClaimRelease(CrmPoolCommon):
    def test_claim(self):
        self.p1.with_user(self.rep_a).action_claim()
        self.assertEqual(self.p1.user_id, self.rep_a)
        self.assertEqual(self.p1.crm_team_id, self.team_shanghai)
        self.assertTrue(self.p1.crm_claim_date)
        log = self.p1.crm_ownership_log_ids
        self.assertEqual((log.action, log.to_user_id, log.pool_id), ("claim", self.rep_a, self.pool))

    @mute_logger(*MUTE_ACCESS)
    def test_claimed_records_name_their_owner(self):
        self.p1.with_user(self.rep_a).action_claim()
        with self.assertRaisesRegex(UserError, "already claimed by Rep A"):
            self.p1.with_user(self.rep_b).action_claim()
        with self.assertRaises(AccessError):
            self.p2.with_user(self.rep_d).action_claim()  # not in reach of South

    def test_holding_limit(self):
        self.pool.holding_limit = 4  # rep_a holds a1, a2, a3
        self.p1.with_user(self.rep_a).action_claim()
        with self.assertRaisesRegex(UserError, "holds 4 customers; the limit is 4"):
            self.p2.with_user(self.rep_a).action_claim()
        # Won customers count only when the pool says so.
        self.customers["a1"].crm_status = "customer"
        self.p2.with_user(self.rep_a).action_claim()
        self.assertEqual(self.p2.user_id, self.rep_a)

    def test_user_limit_overrides_the_pool(self):
        self.rep_a.crm_holding_limit = 3
        with self.assertRaisesRegex(UserError, "the limit is 3"):
            self.p1.with_user(self.rep_a).action_claim()

    def test_daily_cap(self):
        self.pool.daily_claim_limit = 1
        self.p1.with_user(self.rep_b).action_claim()
        with self.assertRaisesRegex(UserError, "daily limit is 1"):
            self.p2.with_user(self.rep_b).action_claim()

    def test_release_cooldown_and_history(self):
        self.p1.with_user(self.rep_a).action_claim()
        self.p1.with_user(self.rep_a).action_release(reason_id=self.reason.id, note="Budget frozen")
        self.assertFalse(self.p1.user_id)
        self.assertEqual(self.p1.crm_previous_owner_id, self.rep_a)
        self.assertEqual(self.p1.crm_release_reason_id, self.reason)
        with self.assertRaisesRegex(UserError, "You released"):
            self.p1.with_user(self.rep_a).action_claim()
        self.p1.with_user(self.rep_b).action_claim()
        self.assertEqual(
            self.p1.crm_ownership_log_ids.sorted("id").mapped("action"), ["claim", "release", "claim"]
        )

    def test_embargo(self):
        self.pool.embargo_hours = 24
        self.p1.with_user(self.rep_a).action_claim()
        self.p1.with_user(self.rep_a).action_release(reason_id=self.reason.id)
        with self.assertRaisesRegex(UserError, "24 hours later"):
            self.p1.with_user(self.rep_b).action_claim()
        self.p1.crm_release_date = fields.Datetime.now() - timedelta(hours=25)
        self.p1.with_user(self.rep_b).action_claim()

    def test_release_wizard_on_the_selection(self):
        a2 = self.customers["a2"]
        wizard = (
            self.env["crm.pool.release"]
            .with_user(self.rep_a)
            .with_context(active_model="res.partner", active_ids=a2.ids)
            .create({"reason_id": self.reason.id, "note": "Moved abroad"})
        )
        self.assertEqual(wizard.partner_ids, a2)
        wizard.action_release()
        self.assertFalse(a2.user_id)
        self.assertEqual(a2.crm_release_note, "Moved abroad")
        self.assertEqual(a2.crm_ownership_log_ids.action, "release")

    @mute_logger(*MUTE_ACCESS)
    def test_reps_release_only_their_own(self):
        with self.assertRaises(AccessError):
            self.customers["b1"].with_user(self.rep_a).action_release(reason_id=self.reason.id)
        self.customers["b1"].with_user(self.mgr_east).action_release(reason_id=self.reason.id)
        self.assertFalse(self.customers["b1"].user_id)

    @mute_logger(*MUTE_ACCESS)
    def test_manager_assigns_from_the_pool(self):
        with self.assertRaises(AccessError):
            self.p1.with_user(self.rep_a).action_assign_from_pool(self.rep_b.id)
        with self.assertRaises(AccessError):
            self.p1.with_user(self.mgr_east).action_assign_from_pool(self.rep_d.id)
        self.env["crm.pool.assign"].with_user(self.mgr_east).create(
            {"partner_ids": [Command.set(self.p1.ids)], "user_id": self.rep_c.id}
        ).action_assign()
        self.assertEqual(self.p1.user_id, self.rep_c)
        self.assertEqual(self.p1.crm_ownership_log_ids.action, "assign")

    def test_lock(self):
        a1, a2 = self.customers["a1"].with_user(self.rep_a), self.customers["a2"].with_user(self.rep_a)
        (a1 | a2).crm_pool_id = self.pool  # lock limit 1
        a1.action_lock()
        with self.assertRaisesRegex(UserError, "the limit is 1"):
            a2.action_lock()
        with self.assertRaisesRegex(UserError, "Unlock"):
            a1.action_release(reason_id=self.reason.id)
        a1.action_unlock()
        a2.action_lock()
        self.assertTrue(a2.crm_locked)


@tagged("crm_core", "crm_pool")
class TestLeadPool(CrmPoolCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls.env["crm.lead"].create({
            "name": "Access control for a school", "type": "lead", "user_id": False, "team_id": cls.team_east.id,
            "partner_name": "Pudong Experimental School", "contact_name": "Mr Gao", "phone": "+86 21 5888 0101",
        })  # fmt: skip

    @mute_logger(*MUTE_ACCESS)
    def test_unowned_leads_wait_in_their_department_pool(self):
        self.assertEqual(self.lead.crm_pool_id, self.pool)
        Lead = self.env["crm.lead"]
        self.assertEqual(Lead.with_user(self.rep_a).search([("id", "=", self.lead.id)]), self.lead)
        self.assertFalse(Lead.with_user(self.rep_d).search([("id", "=", self.lead.id)]))
        with self.assertRaises(AccessError):
            self.lead.with_user(self.rep_a).read(["phone"])
        [values] = self.lead.with_user(self.rep_a).web_read({"name": {}, "phone": {}, "contact_name": {}})
        self.assertEqual(values["name"], "Access control for a school")
        self.assertFalse(values["phone"] or values["contact_name"])
        with self.assertRaises(AccessError):
            self.lead.with_user(self.rep_a).write({"expected_revenue": 1})

    def test_lead_details_do_not_come_out_of_searches_and_groups(self):
        self.lead.partner_id = self.customers["d1"]  # a customer of another department
        Lead = self.env["crm.lead"].with_user(self.rep_a)
        pool = [("id", "=", self.lead.id)]
        for fname in ("partner_id", "contact_name", "phone", "email_from"):
            [group] = Lead.read_group(pool, [fname], [fname])
            self.assertFalse(group[fname], fname)
        [group] = Lead.web_read_group(pool, ["partner_id"], ["partner_id"], orderby="partner_id desc")["groups"]
        self.assertFalse(group["partner_id"])
        for leaf in (("partner_id.name", "ilike", "Customer D1"), ("partner_id", "=", self.customers["d1"].id),
                     ("phone", "=like", "+86%"), ("contact_name", "=", "Mr Gao")):  # fmt: skip
            self.assertFalse(Lead.search([*pool, leaf]), leaf)
        self.assertEqual(Lead.search(pool, order="partner_id desc, contact_name, id"), self.lead)
        # The department's manager, who may edit it, sees its customer.
        [group] = self.env["crm.lead"].with_user(self.mgr_east).read_group(pool, ["partner_id"], ["partner_id"])
        self.assertEqual(group["partner_id"][0], self.customers["d1"].id)

    @mute_logger(*MUTE_ACCESS)
    def test_claim_a_lead(self):
        self.lead.with_user(self.rep_a).action_claim()
        self.assertEqual(self.lead.user_id, self.rep_a)
        self.assertEqual(self.lead.team_id, self.team_shanghai)
        self.assertEqual(self.lead.crm_ownership_log_ids.action, "claim")
        self.assertEqual(self.lead.with_user(self.rep_a).read(["phone"])[0]["phone"], "+86 21 5888 0101")
        with self.assertRaisesRegex(UserError, "already claimed by Rep A"):
            self.lead.with_user(self.rep_b).action_claim()

    def test_a_lead_released_by_transfer_goes_back_to_the_pool(self):
        self.lead.with_user(self.rep_a).action_claim()
        self.lead.crm_pool_id = False
        self.env["crm.customer.transfer"].with_user(self.mgr_east).create(
            {"from_user_id": self.rep_a.id, "to_user_id": False}
        ).action_transfer()
        self.assertFalse(self.lead.user_id)
        self.assertEqual(self.lead.crm_pool_id, self.pool)


@tagged("crm_core", "crm_pool")
class TestFollowups(CrmPoolCommon):
    def test_followup_updates_the_customer(self):
        a1 = self.customers["a1"]
        Followup = self.env["crm.followup"].with_user(self.rep_a)
        today = fields.Date.context_today(Followup)  # the rep's day, not the server's UTC date
        next_date = today + timedelta(days=5)
        Followup.create({"partner_id": a1.id, "followup_type": "visit", "content": "Site survey of the car park",
                         "result": "Needs 20 cameras", "next_date": next_date,
                         "date": fields.Datetime.now() - timedelta(days=3)})  # fmt: skip
        Followup.create({"partner_id": a1.id, "followup_type": "call", "content": "Sent the quotation"})
        self.assertEqual(a1.crm_followup_count, 2)
        self.assertEqual(a1.crm_visit_count, 1)
        self.assertEqual(a1.crm_first_followup_date, fields.Date.context_today(Followup, fields.Datetime.now() - timedelta(days=3)))
        self.assertEqual(a1.crm_last_followup_date, today)
        self.assertEqual(a1.crm_next_followup_date, next_date)
        activity = a1.activity_ids.filtered(lambda a: a.date_deadline == next_date)
        self.assertEqual(activity.user_id, self.rep_a)

    @mute_logger(*MUTE_ACCESS)
    def test_followups_per_role(self):
        with self.assertRaises(AccessError):
            self.env["crm.followup"].with_user(self.rep_a).create({"partner_id": self.p1.id, "content": "Pool"})
        self.env["crm.followup"].with_user(self.rep_b).create({"partner_id": self.customers["b1"].id, "content": "x"})
        self.assertFalse(self.env["crm.followup"].with_user(self.rep_a).search([]))
        self.assertEqual(len(self.env["crm.followup"].with_user(self.mgr_east).search([])), 1)
        self.assertFalse(self.env["crm.followup"].with_user(self.mgr_south).search([]))


@tagged("crm_core", "crm_pool")
class TestRecycling(CrmPoolCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The job's "today" is its user's (the superuser's time zone), not the
        # server's UTC date: they differ for some hours every day.
        today = fields.Date.context_today(cls.env["res.partner"])
        cls.today = today
        # Only the East pool recycles here (not the demo data's pools).
        cls.env["crm.pool"].search([]).recycle_active = False
        cls.pool.recycle_active = True
        # rep_c's East customers move to the East pool's rules.
        cls.c1, cls.c2 = cls.customers["c1"], cls.customers["c2"]
        (cls.c1 | cls.c2).write({"crm_pool_id": cls.pool.id, "crm_claim_date": fields.Datetime.now() - timedelta(days=90)})
        cls.extra = cls.env["res.partner"].create([
            {"name": f"Recycle Candidate {days}", "crm_managed": True, "is_company": True, "user_id": cls.rep_c.id,
             "crm_team_id": cls.team_east.id, "crm_pool_id": cls.pool.id,
             "crm_claim_date": fields.Datetime.now() - timedelta(days=90)}
            for days in (9, 10, 11)
        ])  # fmt: skip
        for partner, days in zip(cls.extra, (9, 10, 11)):
            partner.crm_last_followup_date = today - timedelta(days=days)
        (cls.c1 | cls.c2).write({"crm_last_followup_date": today - timedelta(days=1)})

    def run_cron(self, batch_size=500):
        return self.env["res.partner"]._cron_crm_recycle(batch_size=batch_size)

    def test_boundaries(self):
        n_minus_1, n, n_plus_1 = self.extra
        self.run_cron()
        self.assertEqual(n_minus_1.user_id, self.rep_c, "9 days: kept")
        self.assertFalse(n.user_id, "10 days: recycled")
        self.assertFalse(n_plus_1.user_id, "11 days: recycled")
        self.assertEqual(n.crm_ownership_log_ids.action, "recycle")
        self.assertEqual(n.crm_release_reason_id, self.env.ref("crm_core.release_reason_recycled"))
        self.assertEqual(n.crm_previous_owner_id, self.rep_c)

    def test_open_orders_and_locks_are_never_recycled(self):
        n_minus_1, n, n_plus_1 = self.extra
        self.env["sale.order"].create({"partner_id": n.id, "user_id": self.rep_c.id,
                                       "order_line": [Command.create({"product_id": self.product.id})]})  # fmt: skip
        n_plus_1.crm_locked = True
        self.run_cron()
        self.assertEqual(n.user_id, self.rep_c)
        self.assertEqual(n_plus_1.user_id, self.rep_c)

    def test_running_contracts_are_never_recycled(self):
        n_minus_1, n, n_plus_1 = self.extra
        Contract = self.env["crm.contract"]
        Contract.create({"title": "Signed", "partner_id": n.id, "user_id": self.rep_c.id, "amount_total": 1000}).action_submit()
        cancelled = Contract.create({"title": "Dropped", "partner_id": n_plus_1.id, "user_id": self.rep_c.id, "amount_total": 1000})
        cancelled.action_cancel()
        self.run_cron()
        self.assertEqual(n.user_id, self.rep_c, "a contract waiting for approval keeps the customer")
        self.assertFalse(n_plus_1.user_id, "a cancelled contract does not")

    def test_warning_sent_once(self):
        n_minus_1 = self.extra[0]
        # Due in 1 day, warned 2 days ahead: warned now, and only once.
        self.run_cron()
        self.run_cron()
        warnings = n_minus_1.activity_ids.filtered(lambda a: "returns to the pool" in (a.summary or ""))
        self.assertEqual(len(warnings), 1)
        self.assertEqual(warnings.user_id, self.rep_c)
        self.assertTrue(n_minus_1.crm_recycle_warned)
        # A follow-up resets the warning.
        self.env["crm.followup"].create({"partner_id": n_minus_1.id, "content": "Called back", "user_id": self.rep_c.id})
        self.assertFalse(n_minus_1.crm_recycle_warned)

    def test_grade_days(self):
        grade_a = self.env.ref("crm_core.customer_grade_a")
        self.extra[1].crm_grade_id = grade_a
        self.pool.grade_rule_ids = [Command.create({"grade_id": grade_a.id, "followup_days": 20})]
        self.run_cron()
        self.assertEqual(self.extra[1].user_id, self.rep_c, "grade A keeps its customer 20 days")
        self.assertFalse(self.extra[2].user_id)

    def test_stopped_half_way_and_run_again(self):
        remaining = self.run_cron(batch_size=1)
        self.assertEqual(remaining, 1, "one batch done, one customer left")
        self.assertEqual(len(self.extra.filtered(lambda p: not p.user_id)), 1)
        self.assertEqual(self.run_cron(batch_size=1), 0)
        self.assertEqual(self.run_cron(batch_size=1), 0, "nothing left: nothing happens")
        for partner in self.extra[1:]:
            self.assertEqual(partner.crm_ownership_log_ids.mapped("action"), ["recycle"])
