from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import CrmHierarchyCommon
from .test_hierarchy import MUTE_ACCESS


class CrmContractCommon(CrmHierarchyCommon):
    """Contracts of the hierarchy's people. Shanghai has no leader of its
    own: its reps' contracts go to mgr_east, the leader of East above it.
    Every department approves up to 100,000 (the default limit)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Contract = cls.env["crm.contract"]
        cls.Plan = cls.env["crm.contract.plan"]
        cls.today = fields.Date.today()

    @classmethod
    def days(cls, count):
        return cls.today + timedelta(days=count)

    @classmethod
    def make_contract(cls, amount=50000.0, user=None, partner=None, plan=(), **vals):
        """A draft contract created by ``user`` (rep_a), with instalments
        given as (name, due in days, {"amount": …} or {"percentage": …})."""
        user = user or cls.rep_a
        return cls.Contract.with_user(user).create({
            "title": "Video surveillance for the Pudong warehouse",
            "partner_id": (partner or cls.customers["a1"]).id,
            "amount_total": amount,
            "plan_line_ids": [
                Command.create({"name": name, "due_date": cls.days(due), **share}) for name, due, share in plan
            ],
            **vals,
        })  # fmt: skip

    @classmethod
    def approve(cls, contract):
        """Submitted by its owner, approved by each reviewer in turn."""
        contract.with_user(contract.user_id).action_submit()
        if contract.crm_approver_id:
            contract.with_user(contract.crm_approver_id).validate_tier()
        if contract.state == "to_approve":
            contract.with_user(cls.gm).validate_tier()
        return contract

    def reviews(self, contract):
        return contract.review_ids.sorted("sequence")


@tagged("crm_core", "crm_contract")
class TestContractApproval(CrmContractCommon):
    def test_manager_approves_under_the_limit(self):
        contract = self.make_contract(amount=50000)
        self.assertEqual(contract.state, "draft")
        self.assertTrue(contract.name.startswith("SC"))
        self.assertEqual(contract.crm_team_id, self.team_shanghai)
        self.assertEqual(contract.crm_approver_id, self.mgr_east)
        self.assertEqual(contract.crm_approval_limit, 100000)
        self.assertFalse(contract.crm_needs_gm)

        contract.with_user(self.rep_a).action_submit()
        self.assertEqual(contract.state, "to_approve")
        self.assertEqual(len(contract.review_ids), 1)
        self.assertEqual(contract.review_ids.reviewer_ids, self.mgr_east)
        # Neither the rep nor, under the limit, the general manager approves.
        for user in (self.rep_a, self.gm):
            with self.subTest(user=user.login), self.assertRaises(UserError) as refused:
                contract.with_user(user).validate_tier()
            self.assertIn(f"You are not the reviewer of contract {contract.name}", str(refused.exception))
        with self.assertRaises(UserError):
            contract.with_user(self.rep_a).reject_tier()
        self.assertEqual(contract.state, "to_approve")

        # True, not None: an answer XML-RPC can send back.
        self.assertIs(contract.with_user(self.mgr_east).validate_tier(), True)
        self.assertEqual(contract.state, "approved")
        self.assertEqual(contract.validation_status, "validated")
        self.assertEqual(contract.review_ids.done_by, self.mgr_east)
        with self.assertRaises(UserError) as twice:
            contract.with_user(self.mgr_east).validate_tier()
        self.assertIn("is no longer waiting for your review (now Approved)", str(twice.exception))

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_reviews_are_not_forged(self):
        """base_tier_validation gives every user write access to reviews: on
        contracts only the reviewer decides one, through the buttons."""
        contract = self.make_contract(amount=50000)
        contract.with_user(self.rep_a).action_submit()
        review = contract.review_ids.with_user(self.rep_a)
        for vals in ({"status": "approved"}, {"done_by": self.mgr_east.id}, {"definition_id": False},
                     {"res_id": self.make_contract().id}):  # fmt: skip
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                review.write(vals)
        Review = self.env["tier.review"].with_user(self.rep_a)
        with self.assertRaises(AccessError):
            Review.create({"model": "crm.contract", "res_id": contract.id, "status": "approved",
                           "definition_id": contract.review_ids.definition_id.id, "sequence": 9})  # fmt: skip
        # The manager does not decide for someone else either.
        with self.assertRaises(AccessError):
            contract.review_ids.with_user(self.mgr_east).write({"status": "approved", "done_by": self.gm.id})
        with self.assertRaises(AccessError):
            review.unlink()
        with self.assertRaises(AccessError):
            review.write({"status": "cancel"})
        self.assertIn(contract.review_ids.status, ("waiting", "pending"))
        with self.assertRaises(UserError):
            contract.with_user(self.rep_a).write({"state": "approved"})
        self.assertEqual(contract.state, "to_approve")

    def test_manager_then_gm_above_the_limit(self):
        contract = self.make_contract(amount=150000)
        self.assertTrue(contract.crm_needs_gm)
        self.assertEqual(contract.crm_approver_id, self.mgr_east)
        contract.with_user(self.rep_a).action_submit()
        manager_review, gm_review = self.reviews(contract)
        self.assertEqual(manager_review.reviewer_ids, self.mgr_east)
        self.assertIn(self.gm, gm_review.reviewer_ids)
        self.assertNotIn(self.mgr_east, gm_review.reviewer_ids)

        # approve_sequence: the general manager waits for the manager.
        with self.assertRaises(UserError) as too_early:
            contract.with_user(self.gm).validate_tier()
        self.assertIn("You are not the reviewer", str(too_early.exception))
        self.assertEqual(gm_review.status, "waiting")
        self.assertFalse(gm_review.done_by)

        contract.with_user(self.mgr_east).validate_tier()
        self.assertEqual(contract.state, "to_approve", "the general manager has not approved yet")
        self.assertEqual(manager_review.status, "approved")
        self.assertIn(gm_review.status, ("waiting", "pending"))
        # The manager's step is done: the next one is not theirs.
        with self.assertRaises(UserError) as not_theirs:
            contract.with_user(self.mgr_east).validate_tier()
        self.assertIn("You are not the reviewer", str(not_theirs.exception))

        contract.with_user(self.gm).validate_tier()
        self.assertEqual(contract.state, "approved")
        self.assertEqual(self.reviews(contract).mapped("status"), ["approved", "approved"])
        self.assertEqual(gm_review.done_by, self.gm)

    @mute_logger(*MUTE_ACCESS)
    def test_other_department_cannot_see_or_approve(self):
        contract = self.make_contract(amount=50000)
        contract.with_user(self.rep_a).action_submit()
        for user in (self.mgr_south, self.rep_b, self.rep_d):
            with self.subTest(user=user.login):
                self.assertFalse(self.Contract.with_user(user).search([("id", "=", contract.id)]))
                with self.assertRaises(AccessError):
                    contract.with_user(user).read(["state"])
                with self.assertRaises(AccessError):
                    contract.with_user(user).validate_tier()
        for user in (self.rep_a, self.mgr_east, self.gm):
            with self.subTest(user=user.login):
                self.assertEqual(self.Contract.with_user(user).search([("id", "=", contract.id)]), contract)
        self.assertEqual(contract.state, "to_approve")
        self.assertFalse(contract.review_ids.done_by)

    def test_rejection_and_resubmission(self):
        contract = self.make_contract(amount=150000)
        contract.with_user(self.rep_a).action_submit()
        self.assertIs(contract.with_user(self.mgr_east).reject_tier(), True)
        # Back to an editable draft; the rejection is kept in the chatter.
        self.assertEqual(contract.state, "draft")
        self.assertEqual(contract.validation_status, "no")
        self.assertFalse(contract.review_ids)
        self.assertTrue(contract.message_ids.filtered(lambda message: "rejected by" in str(message.body)))

        # Resubmitted as it is: fresh reviews, both steps again.
        contract.with_user(self.rep_a).action_submit()
        self.assertEqual(contract.state, "to_approve")
        self.assertEqual(len(contract.review_ids), 2)
        self.assertFalse(contract.review_ids.filtered(lambda review: review.status not in ("waiting", "pending")))
        contract.with_user(self.mgr_east).validate_tier()
        contract.with_user(self.gm).reject_tier()
        self.assertEqual(contract.state, "draft")

        # The rejected draft is corrected at once and resubmitted.
        contract.with_user(self.rep_a).amount_total = 80000
        self.assertFalse(contract.crm_needs_gm)
        contract.with_user(self.rep_a).action_submit()
        self.assertEqual(len(contract.review_ids), 1)
        contract.with_user(self.mgr_east).validate_tier()
        self.assertEqual(contract.state, "approved")

    def test_manager_contract_goes_to_the_next_leader_up(self):
        # mgr_east leads the top department: the general manager approves.
        own = self.make_contract(amount=20000, user=self.mgr_east, partner=self.customers["c1"])
        self.assertEqual(own.crm_team_id, self.team_east)
        self.assertFalse(own.crm_approver_id)
        self.assertTrue(own.crm_needs_gm, "without a manager above, the general manager approves")
        own.with_user(self.mgr_east).action_submit()
        self.assertEqual(len(own.review_ids), 1)
        self.assertNotIn(self.mgr_east, own.review_ids.reviewer_ids)
        with self.assertRaises(UserError):
            own.with_user(self.mgr_east).validate_tier()
        own.with_user(self.gm).validate_tier()
        self.assertEqual(own.state, "approved")

        # Shanghai gets a leader: their contracts go up to mgr_east, the
        # Shanghai reps' contracts now to them.
        mgr_sh = new_test_user(self.env, login="mgr_sh", groups="base.group_user,crm_core.group_crm_manager")
        self.team_shanghai.user_id = mgr_sh
        rep_contract = self.make_contract(amount=20000)
        self.assertEqual(rep_contract.crm_approver_id, mgr_sh)
        leader_contract = self.make_contract(amount=20000, user=mgr_sh)
        self.assertEqual(leader_contract.crm_team_id, self.team_shanghai)
        self.assertEqual(leader_contract.crm_approver_id, self.mgr_east)
        self.assertFalse(leader_contract.crm_needs_gm)
        leader_contract.with_user(mgr_sh).action_submit()
        with self.assertRaises(UserError):
            leader_contract.with_user(mgr_sh).validate_tier()
        leader_contract.with_user(self.mgr_east).validate_tier()
        self.assertEqual(leader_contract.state, "approved")

    def test_department_limit_decides_gm_approval(self):
        contract = self.make_contract(amount=150000)
        self.assertTrue(contract.crm_needs_gm)
        # The limit of the approving department (East) counts.
        self.team_east.with_user(self.gm).crm_contract_limit = 200000
        self.assertEqual(contract.crm_approval_limit, 200000)
        self.assertFalse(contract.crm_needs_gm)
        contract.with_user(self.rep_a).action_submit()
        self.assertEqual(len(contract.review_ids), 1)
        self.team_east.with_user(self.gm).crm_contract_limit = 150000
        self.assertFalse(self.make_contract(amount=150000).crm_needs_gm, "the limit itself is within it")
        self.assertTrue(self.make_contract(amount=150000.01).crm_needs_gm)

        # Two levels below the approving department, the routing is settled
        # again when the contract is submitted.
        rep_p = new_test_user(self.env, login="rep_p", groups="base.group_user,crm_core.group_crm_rep")
        pudong = self.env["crm.team"].create({"name": "Pudong", "parent_id": self.team_shanghai.id})
        self.env["crm.team.member"].create({"crm_team_id": pudong.id, "user_id": rep_p.id})
        deep = self.make_contract(amount=150000, user=rep_p, partner=self.vendor)
        self.assertEqual((deep.crm_team_id, deep.crm_approver_id), (pudong, self.mgr_east))
        self.assertFalse(deep.crm_needs_gm)
        self.team_east.with_user(self.gm).crm_contract_limit = 100000
        deep.with_user(rep_p).action_submit()
        self.assertTrue(deep.crm_needs_gm)
        self.assertEqual(deep.crm_approval_limit, 100000)
        self.assertEqual(len(deep.review_ids), 2)


@tagged("crm_core", "crm_contract")
class TestContractStates(CrmContractCommon):
    def assertStateRefused(self, contract, state, user=None):
        """Writing the state is refused to users (the buttons change it);
        the transitions and base_tier_validation's checks hold even for the
        superuser, whose refusal is returned."""
        before = contract.state
        with self.assertRaises(AccessError) as forged:
            contract.with_user(user or self.rep_a).write({"state": state})
        self.assertIn("change only through its buttons", str(forged.exception))
        with self.assertRaises(UserError) as refused, self.env.cr.savepoint():
            contract.sudo().write({"state": state})
        contract.invalidate_recordset()
        self.assertEqual(contract.state, before)
        return str(refused.exception)

    def test_illegal_jumps(self):
        with self.assertRaises(UserError):
            self.Contract.with_user(self.rep_a).create({
                "title": "Approved from the start", "partner_id": self.customers["a1"].id,
                "amount_total": 100, "state": "approved",
            })  # fmt: skip
        contract = self.make_contract(amount=150000)
        for state in ("signed", "in_progress", "done", "terminated"):
            with self.subTest(state=state):
                message = self.assertStateRefused(contract, state)
                self.assertIn(f"Contract {contract.name} cannot go from Draft to", message)
        # Approved only through the reviews, not by writing the state: not by
        # the rep, nor by the manager while the general manager's step remains.
        self.assertIn("needs to be validated", self.assertStateRefused(contract, "approved"))
        self.assertStateRefused(contract, "approved", user=self.mgr_east)
        self.assertFalse(contract.review_ids)
        contract.with_user(self.rep_a).action_submit()
        self.assertIn("validation process is still open", self.assertStateRefused(contract, "approved"))
        with self.assertRaises(UserError):
            contract.with_user(self.rep_a).action_submit()

        self.approve_rest(contract)
        self.assertIn("cannot go from Approved to Done", self.assertStateRefused(contract, "done"))
        contract.with_user(self.rep_a).action_sign()
        self.assertEqual(contract.state, "signed")
        self.assertEqual(contract.date_signed, fields.Date.context_today(contract))
        self.assertStateRefused(contract, "draft")
        self.assertStateRefused(contract, "cancel")
        contract.with_user(self.rep_a).action_done()
        self.assertEqual(contract.state, "done")
        for state in ("draft", "in_progress", "terminated", "cancel"):
            with self.subTest(state=state):
                self.assertStateRefused(contract, state)
        with self.assertRaises(UserError):
            contract.with_user(self.rep_a).action_sign()

    def approve_rest(self, contract):
        contract.with_user(self.mgr_east).validate_tier()
        contract.with_user(self.gm).validate_tier()
        self.assertEqual(contract.state, "approved")

    def test_locked_after_approval(self):
        contract = self.approve(self.make_contract(amount=30000))
        for vals in ({"amount_total": 35000}, {"partner_id": self.customers["a2"].id}, {"title": "Another subject"}):
            with self.subTest(vals=vals), self.assertRaises(UserError) as locked:
                contract.with_user(self.rep_a).write(vals)
            self.assertIn(f"Contract {contract.name} is Approved: reset it to draft", str(locked.exception))
        self.assertEqual(contract.amount_total, 30000)
        # Dates of signature and the collection plan stay open.
        contract.with_user(self.rep_a).write({
            "date_signed": self.days(-1),
            "plan_line_ids": [Command.create({"name": "Whole amount", "amount": 30000, "due_date": self.days(30)})],
        })  # fmt: skip
        self.assertEqual(contract.plan_line_ids.amount, 30000)

        contract.with_user(self.rep_a).action_sign()
        with self.assertRaises(UserError):
            contract.with_user(self.mgr_east).write({"amount_total": 1})
        with self.assertRaises(UserError):
            contract.with_user(self.rep_a).action_draft()

        # Back to draft (from approved): editable again, reviewed again.
        other = self.approve(self.make_contract(amount=30000))
        other.with_user(self.rep_a).action_draft()
        self.assertEqual(other.state, "draft")
        self.assertFalse(other.review_ids)
        other.with_user(self.rep_a).amount_total = 35000
        other.with_user(self.rep_a).action_submit()
        self.assertEqual(other.state, "to_approve")

    def test_terminate_needs_a_reason(self):
        contract = self.approve(self.make_contract(amount=30000))
        contract.with_user(self.rep_a).action_sign()
        contract.with_user(self.rep_a).action_start()
        self.assertEqual(contract.state, "in_progress")
        with self.assertRaises(UserError) as refused:
            contract.with_user(self.rep_a).action_terminate()
        self.assertIn(f"Write why contract {contract.name} is terminated first", str(refused.exception))
        self.assertEqual(contract.state, "in_progress")
        contract.with_user(self.rep_a).terminate_reason = "The customer closed the warehouse."
        contract.with_user(self.rep_a).action_terminate()
        self.assertEqual(contract.state, "terminated")
        with self.assertRaises(UserError):
            contract.with_user(self.rep_a).action_start()

    @mute_logger(*MUTE_ACCESS)
    def test_unlink(self):
        signed = self.approve(self.make_contract(amount=30000))
        signed.with_user(self.rep_a).action_sign()
        with self.assertRaises(AccessError):
            signed.with_user(self.rep_a).unlink()
        for user in (self.mgr_east, self.gm):
            with self.subTest(user=user.login), self.assertRaises(UserError) as refused:
                signed.with_user(user).unlink()
            self.assertIn("Only draft or cancelled contracts can be deleted", str(refused.exception))
        self.assertTrue(signed.exists())

        # A submitted contract is cancelled (its reviews dropped), then deleted.
        cancelled = self.make_contract(amount=30000)
        cancelled.with_user(self.rep_a).action_submit()
        cancelled.with_user(self.rep_a).action_cancel()
        self.assertEqual(cancelled.state, "cancel")
        self.assertFalse(cancelled.review_ids)
        plan_count = self.Plan.search_count([])
        draft = self.make_contract(amount=1000, plan=[("All", 10, {"amount": 1000})])
        (cancelled | draft).with_user(self.mgr_east).unlink()
        self.assertFalse((cancelled | draft).exists())
        self.assertEqual(self.Plan.search_count([]), plan_count, "the instalments go with their contract")

    def test_contract_from_sale_order(self):
        order = self.orders["rep_a"]
        opportunity = self.leads["rep_a"].filtered(lambda lead: lead.type == "opportunity")
        order.opportunity_id = opportunity
        action = order.with_user(self.rep_a).action_crm_create_contract()
        contract = self.Contract.browse(action["res_id"])
        self.assertEqual(action["res_model"], "crm.contract")
        self.assertRecordValues(contract, [{
            "state": "draft", "contract_type": "sale", "partner_id": self.customers["a1"].id,
            "lead_id": opportunity.id, "user_id": self.rep_a.id, "crm_team_id": self.team_shanghai.id,
            "amount_total": order.amount_total, "currency_id": order.currency_id.id,
        }])  # fmt: skip
        self.assertTrue(order.amount_total > 0)
        self.assertEqual(order.crm_contract_id, contract)
        self.assertEqual(contract.sale_order_ids, order)
        with self.assertRaises(UserError) as twice:
            order.with_user(self.rep_a).action_crm_create_contract()
        self.assertIn(f"already belongs to contract {contract.name}", str(twice.exception))
        with self.assertRaises(AccessError), mute_logger(*MUTE_ACCESS):
            self.orders["rep_d"].with_user(self.rep_a).action_crm_create_contract()


@tagged("crm_core", "crm_contract")
class TestContractPlan(CrmContractCommon):
    def counts(self):
        return self.Contract.search_count([]), self.Plan.search_count([])

    def assertRefused(self, create_or_write, *expected):
        """The call raises a ValidationError naming what is wrong, and
        nothing is written."""
        before = self.counts()
        with self.assertRaises(ValidationError) as refused:
            create_or_write()
        for text in expected:
            self.assertIn(text, str(refused.exception))
        self.assertEqual(self.counts(), before)
        return str(refused.exception)

    def test_instalments_add_up_to_the_amount(self):
        message = self.assertRefused(
            lambda: self.make_contract(amount=1000, plan=[("Deposit", 10, {"amount": 300}), ("Balance", 40, {"amount": 600})]),
            "The instalments of contract SC", "add up to", "900.00", "1,000.00",
        )  # fmt: skip
        self.assertIn("not to the contract amount", message)
        contract = self.make_contract(amount=1000, plan=[("Deposit", 10, {"amount": 300}), ("Balance", 40, {"amount": 700})])
        # Adding, changing or dropping one instalment through the contract.
        self.assertRefused(
            lambda: contract.with_user(self.rep_a).write(
                {"plan_line_ids": [Command.create({"name": "Extra", "amount": 50, "due_date": self.days(60)})]}
            ),
            f"The instalments of contract {contract.name} add up to",
        )
        deposit, balance = contract.plan_line_ids
        self.assertRefused(
            lambda: contract.with_user(self.rep_a).write({"plan_line_ids": [Command.update(deposit.id, {"amount": 350})]}),
            contract.name,
        )
        self.assertRefused(lambda: contract.with_user(self.rep_a).write({"plan_line_ids": [Command.delete(balance.id)]}))
        self.assertRefused(lambda: contract.with_user(self.rep_a).write({"amount_total": 1200}), contract.name)
        self.assertEqual(contract.plan_line_ids.mapped("amount"), [300, 700])
        self.assertEqual(contract.amount_total, 1000)
        # Changed together, they still add up.
        contract.with_user(self.rep_a).write({"plan_line_ids": [
            Command.update(deposit.id, {"amount": 400}), Command.update(balance.id, {"amount": 600}),
        ]})  # fmt: skip
        self.assertEqual(contract.plan_line_ids.mapped("amount"), [400, 600])

    def test_instalments_changed_on_their_own(self):
        """Over RPC an instalment is also created, written or deleted
        directly: the contract's total is checked all the same."""
        contract = self.make_contract(amount=1000, plan=[("Deposit", 10, {"amount": 300}), ("Balance", 40, {"amount": 700})])
        deposit, balance = contract.plan_line_ids
        Plan = self.Plan.with_user(self.rep_a)
        self.assertRefused(
            lambda: Plan.create({"contract_id": contract.id, "name": "Extra", "amount": 50, "due_date": self.days(60)}),
            f"The instalments of contract {contract.name} add up to",
        )
        self.assertRefused(lambda: deposit.with_user(self.rep_a).write({"amount": 350}), contract.name)
        self.assertRefused(lambda: balance.with_user(self.rep_a).unlink(), contract.name)
        self.assertEqual(contract.plan_line_ids.mapped("amount"), [300, 700])
        # Consistent changes, and dates alone, are accepted.
        (deposit | balance).with_user(self.rep_a).write({"amount": 500})
        deposit.with_user(self.rep_a).due_date = self.days(5)
        self.assertEqual(contract.plan_line_ids.mapped("amount"), [500, 500])

    def test_bad_instalments(self):
        self.assertRefused(
            lambda: self.make_contract(amount=1000, plan=[("Deposit", 10, {"amount": -100}), ("Balance", 40, {"amount": 1100})]),
            "The amount of instalment Deposit of contract SC", "must be positive",
        )  # fmt: skip
        self.assertRefused(
            lambda: self.make_contract(amount=1000, plan=[("Everything", 10, {"percentage": 120})]),
            "The percentage of instalment Everything of contract SC", "must be between 0 and 100",
        )  # fmt: skip
        self.assertRefused(
            lambda: self.make_contract(amount=1000, plan=[("Nothing", 10, {"amount": 0}), ("All", 20, {"amount": 1000})]),
            "The amount of instalment Nothing", "must be positive",
        )  # fmt: skip
        message = self.assertRefused(
            lambda: self.make_contract(
                amount=1000, date_signed=self.days(-10), plan=[("Deposit", -20, {"amount": 300}), ("Balance", 30, {"amount": 700})]
            ),
            "Instalment Deposit of contract SC", "before the contract was signed",
        )  # fmt: skip
        self.assertIn(str(self.days(-20)), message)
        self.assertIn(str(self.days(-10)), message)
        # On the signing day is fine.
        contract = self.make_contract(amount=1000, date_signed=self.days(-10), plan=[("All", -10, {"amount": 1000})])
        self.assertRefused(lambda: contract.plan_line_ids.with_user(self.rep_a).write({"due_date": self.days(-11)}), contract.name)

    def test_percentages_round_to_the_amount(self):
        thirds = [("First", 10, {"percentage": 33.33}), ("Second", 20, {"percentage": 33.33}), ("Third", 30, {"percentage": 33.34})]
        for amount, expected in (
            (100.00, [33.33, 33.33, 33.34]),
            (99.99, [33.33, 33.33, 33.33]),
            (1000.00, [333.30, 333.30, 333.40]),
            (150000.00, [49995.00, 49995.00, 50010.00]),
            (0.10, [0.03, 0.03, 0.04]),
        ):  # fmt: skip
            with self.subTest(amount=amount):
                contract = self.make_contract(amount=amount, plan=thirds)
                self.assertEqual(contract.plan_line_ids.mapped("amount"), expected)
                self.assertAlmostEqual(sum(contract.plan_line_ids.mapped("amount")), amount, places=2)
        # The last one to fall due takes the rounding difference, whatever the order typed.
        contract = self.make_contract(amount=100, plan=[("Late", 30, {"percentage": 33.34}), ("Early", 10, {"percentage": 33.33}),
                                                        ("Middle", 20, {"percentage": 33.33})])  # fmt: skip
        self.assertEqual({line.name: line.amount for line in contract.plan_line_ids}, {"Early": 33.33, "Middle": 33.33, "Late": 33.34})

    def test_percentage_change_recomputes_amounts(self):
        contract = self.make_contract(amount=1000, plan=[("Deposit", 10, {"percentage": 30}), ("Balance", 40, {"percentage": 70})])
        deposit, balance = contract.plan_line_ids
        self.assertEqual((deposit.amount, balance.amount), (300, 700))
        contract.with_user(self.rep_a).write({"plan_line_ids": [
            Command.update(deposit.id, {"percentage": 40}), Command.update(balance.id, {"percentage": 60}),
        ]})  # fmt: skip
        self.assertEqual((deposit.amount, balance.amount), (400, 600))
        # The amount changes: the shares follow.
        contract.with_user(self.rep_a).amount_total = 2500
        self.assertEqual((deposit.amount, balance.amount), (1000, 1500))
        # One share alone no longer makes 100 %.
        self.assertRefused(
            lambda: contract.with_user(self.rep_a).write({"plan_line_ids": [Command.update(deposit.id, {"percentage": 50})]}),
            contract.name,
        )
        self.assertEqual((deposit.percentage, deposit.amount, balance.amount), (40, 1000, 1500))
        # Shares and typed amounts mix.
        mixed = self.make_contract(amount=1000, plan=[("Deposit", 10, {"percentage": 25}), ("Balance", 40, {"amount": 750})])
        self.assertEqual(mixed.plan_line_ids.mapped("amount"), [250, 750])


@tagged("crm_core", "crm_contract")
class TestContractCollections(CrmContractCommon):
    """Paid, partly paid and overdue instalments from invoices, bills and
    payments posted here; the overdue reminders; the receivables report."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service = cls.env["product.product"].create({
            "name": "Installation and commissioning", "type": "service", "invoice_policy": "order",
            "purchase_method": "purchase", "list_price": 500, "standard_price": 500,
            "taxes_id": [Command.clear()], "supplier_taxes_id": [Command.clear()],
        })  # fmt: skip

    def sell(self, contract, quantity=2, price=500):
        """A confirmed order of the contract's customer, invoiced and posted."""
        order = self.env["sale.order"].create({
            "partner_id": contract.partner_id.id, "user_id": contract.user_id.id, "crm_contract_id": contract.id,
            "order_line": [Command.create({"product_id": self.service.id, "product_uom_qty": quantity, "price_unit": price})],
        })  # fmt: skip
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertEqual(invoice.crm_contract_id, contract)
        invoice.action_post()
        return invoice

    def pay(self, moves, amount):
        register = self.env["account.payment.register"].with_context(active_model="account.move", active_ids=moves.ids)
        return register.create({"amount": amount, "payment_date": self.today})._create_payments()

    def assertPlan(self, contract, expected):
        """expected: [(paid_amount, state)] by due date, as the owner reads them."""
        lines = contract.with_user(contract.user_id).plan_line_ids
        self.assertEqual([(line.paid_amount, line.state) for line in lines], expected)

    def test_collections_from_invoices_and_payments(self):
        contract = self.make_contract(
            amount=1000, date_signed=self.days(-30), plan=[("Deposit", -10, {"amount": 400}), ("Balance", 20, {"amount": 600})]
        )  # fmt: skip
        # Past due, but not overdue before the contract is approved.
        self.assertPlan(contract, [(0, "planned"), (0, "planned")])
        self.approve(contract)
        self.assertPlan(contract, [(0, "overdue"), (0, "planned")])
        self.assertEqual(contract.plan_state, "overdue")

        invoice = self.sell(contract)
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(contract.invoice_count, 1)
        self.assertEqual((contract.amount_invoiced, contract.amount_paid, contract.amount_due), (1000, 0, 1000))

        self.pay(invoice, 250)
        self.assertEqual(contract.amount_paid, 250)
        self.assertPlan(contract, [(250, "overdue"), (0, "planned")])
        self.assertEqual(contract.plan_line_ids[0].residual_amount, 150)

        self.pay(invoice, 350)
        self.assertPlan(contract, [(400, "paid"), (200, "partial")])
        self.assertEqual(contract.plan_state, "on_time")
        for user in (self.rep_a, self.mgr_east, self.gm):
            with self.subTest(user=user.login):
                self.assertEqual(contract.with_user(user).amount_paid, 600)

        self.pay(invoice, 400)
        self.assertEqual(invoice.payment_state, "paid")
        self.assertPlan(contract, [(400, "paid"), (600, "paid")])
        self.assertEqual((contract.amount_paid, contract.amount_due, contract.plan_state), (1000, 0, "paid"))

        # A credit note for one of the two units, from the invoice's Credit
        # Note button: it belongs to the contract, and once refunded to the
        # customer the collected amount drops.
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "One unit not installed", "journal_id": invoice.journal_id.id})
        )  # fmt: skip
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        self.assertEqual(refund.crm_contract_id, contract)
        refund.invoice_line_ids.quantity = 1
        refund.action_post()
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual((contract.amount_invoiced, contract.amount_paid), (500, 1000))
        self.pay(refund, 500)
        self.assertEqual((contract.amount_invoiced, contract.amount_paid, contract.amount_due), (500, 500, 500))
        self.assertPlan(contract, [(400, "paid"), (100, "partial")])
        # A draft or cancelled invoice does not count.
        draft = self.sell(contract)
        draft.button_draft()
        self.assertEqual(contract.amount_invoiced, 500)

    def test_payment_plan_from_vendor_bills(self):
        contract = self.make_contract(
            amount=2000, partner=self.vendor, contract_type="purchase", date_signed=self.days(-20),
            plan=[("Prepayment", -5, {"percentage": 50}), ("Balance", 30, {"percentage": 50})],
        )  # fmt: skip
        self.assertTrue(contract.name.startswith("PC"))
        self.approve(contract)
        self.assertPlan(contract, [(0, "overdue"), (0, "planned")])
        order = self.env["purchase.order"].create({
            "partner_id": self.vendor.id, "crm_contract_id": contract.id,
            "order_line": [Command.create({"product_id": self.service.id, "product_qty": 4, "price_unit": 500})],
        })  # fmt: skip
        order.button_confirm()
        order.action_create_invoice()
        bill = order.invoice_ids
        self.assertEqual((bill.move_type, bill.crm_contract_id), ("in_invoice", contract))
        bill.invoice_date = self.today
        bill.action_post()
        self.assertEqual((contract.amount_invoiced, contract.amount_paid), (2000, 0))
        payment = self.pay(bill, 1500)
        self.assertEqual(payment.payment_type, "outbound")
        self.assertEqual(contract.amount_paid, 1500)
        self.assertPlan(contract, [(1000, "paid"), (500, "partial")])
        # Customer invoices do not pay a purchase contract.
        self.assertEqual(contract._invoice_move_types(), ("in_invoice", "in_refund"))
        self.pay(bill, 500)
        self.assertEqual(contract.plan_state, "paid")

    def overdue_activities(self, contract):
        return self.env["mail.activity"].search(
            [("res_model", "=", "crm.contract"), ("res_id", "=", contract.id), ("summary", "like", "Overdue:")]
        )

    def test_overdue_reminders(self):
        contract = self.approve(self.make_contract(
            amount=1000, date_signed=self.days(-30), plan=[("Deposit", -10, {"amount": 400}), ("Balance", 20, {"amount": 600})]
        ))  # fmt: skip
        draft = self.make_contract(amount=1000, date_signed=self.days(-30), plan=[("Deposit", -10, {"amount": 1000})])
        deposit, balance = contract.plan_line_ids
        self.Contract._cron_crm_overdue_instalments()
        activity = self.overdue_activities(contract)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.rep_a)
        self.assertEqual(activity.summary, f"Overdue: Deposit of {contract.name}")
        self.assertTrue(deposit.overdue_reminded)
        self.assertFalse(balance.overdue_reminded)
        self.assertFalse(self.overdue_activities(draft), "a draft is not collected yet")
        # The owner sees their reminder.
        self.assertEqual(self.env["mail.activity"].with_user(self.rep_a).search([("id", "=", activity.id)]), activity)

        self.Contract._cron_crm_overdue_instalments()
        self.assertEqual(self.overdue_activities(contract), activity, "never twice")

        # A new due date: reminded again if it passes unpaid, not before.
        deposit.with_user(self.rep_a).due_date = self.days(-3)
        self.assertFalse(deposit.overdue_reminded)
        self.Contract._cron_crm_overdue_instalments()
        self.assertEqual(len(self.overdue_activities(contract)), 2)
        deposit.with_user(self.rep_a).due_date = self.days(5)
        self.assertEqual(deposit.state, "planned")
        self.Contract._cron_crm_overdue_instalments()
        self.assertEqual(len(self.overdue_activities(contract)), 2)
        # Paid: no reminder.
        deposit.with_user(self.rep_a).due_date = self.days(-2)
        self.pay(self.sell(contract, quantity=1, price=400), 400)
        self.assertEqual(deposit.state, "paid")
        self.Contract._cron_crm_overdue_instalments()
        self.assertEqual(len(self.overdue_activities(contract)), 2)

    def test_receivables_report(self):
        # The report ages by the database's date.
        self.env.cr.execute(SQL("SELECT CURRENT_DATE"))
        lag = (self.env.cr.fetchone()[0] - self.today).days
        east = self.approve(self.make_contract(
            amount=1000, date_signed=self.days(-60), plan=[("Deposit", -45, {"amount": 400}), ("Balance", 20, {"amount": 600})]
        ))  # fmt: skip
        south = self.approve(self.make_contract(
            amount=3000, user=self.rep_d, partner=self.customers["d1"], date_signed=self.days(-120),
            plan=[("Old", -100, {"amount": 1000}), ("Recent", -10, {"amount": 1000}), ("Later", 70, {"amount": 1000})],
        ))  # fmt: skip
        draft = self.make_contract(amount=1000, plan=[("Deposit", -45, {"amount": 1000})])
        self.env.flush_all()
        Report = self.env["crm.receivable.report"]
        mine = [east.id, south.id, draft.id]

        rows = Report.search([("contract_id", "in", mine)])
        self.assertEqual(
            {(row.contract_id, row.plan_id.name): (row.aging, row.state) for row in rows},
            {
                (east, "Deposit"): ("31_60", "overdue"), (east, "Balance"): ("not_due", "planned"),
                (south, "Old"): ("over_90", "overdue"), (south, "Recent"): ("1_30", "overdue"),
                (south, "Later"): ("not_due", "planned"),
            },
        )  # fmt: skip
        deposit = rows.filtered(lambda row: row.plan_id == east.plan_line_ids[0])
        self.assertRecordValues(deposit, [{
            "days_overdue": 45 + lag, "amount": 400, "paid_amount": 0, "residual_amount": 400, "contract_type": "sale",
            "user_id": self.rep_a.id, "crm_team_id": self.team_shanghai.id, "partner_id": self.customers["a1"].id,
        }])  # fmt: skip

        def seen(user):
            return Report.with_user(user).search([("contract_id", "in", mine)]).contract_id

        self.assertEqual(seen(self.rep_a), east)
        self.assertFalse(seen(self.rep_b))
        self.assertEqual(seen(self.rep_d), south)
        self.assertEqual(seen(self.mgr_east), east)
        self.assertEqual(seen(self.mgr_south), south)
        self.assertEqual(seen(self.gm), east | south)
        self.assertEqual(Report.with_user(self.gm).search_count([]), Report.search_count([]))
        # Grouped by aging bucket, as the report's pivot does.
        groups = dict(Report.with_user(self.mgr_south)._read_group(
            [("contract_id", "=", south.id)], ["aging"], ["residual_amount:sum"],
        ))  # fmt: skip
        self.assertEqual(groups, {"over_90": 1000, "1_30": 1000, "not_due": 1000})


@tagged("crm_core", "crm_contract")
class TestContractGuards(TestContractCollections):
    """What RPC could write that the buttons never would."""

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_computed_figures_are_not_written(self):
        contract = self.make_contract(amount=150000, plan=[("All", 10, {"amount": 150000})])
        rep_contract = contract.with_user(self.rep_a)
        for vals in ({"validation_status": "validated"}, {"amount_company": 1}, {"crm_needs_gm": False},
                     {"crm_approver_id": self.rep_a.id}, {"amount_paid": 150000}, {"name": "SC-FORGED"}):  # fmt: skip
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                rep_contract.write(vals)
        with self.assertRaises(AccessError):
            self.Contract.with_user(self.rep_a).create({
                "title": "Forged", "partner_id": self.customers["a1"].id, "amount_total": 10, "validation_status": "validated",
            })  # fmt: skip
        line = rep_contract.plan_line_ids
        for vals in ({"paid_amount": 150000}, {"state": "paid"}, {"overdue_reminded": True}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                line.write(vals)
        other = self.make_contract(amount=150000, user=self.rep_b, partner=self.customers["b1"])
        with self.assertRaises(UserError):
            line.write({"contract_id": other.id})
        # The review routing follows the real amount: the general manager is asked.
        rep_contract.action_submit()
        self.assertEqual(len(contract.review_ids), 2)

    def test_rep_keeps_the_contract_in_their_department(self):
        with self.assertRaises(AccessError):
            self.make_contract(crm_team_id=self.team_south.id)
        contract = self.make_contract()
        with self.assertRaises(AccessError):
            contract.with_user(self.rep_a).crm_team_id = self.team_south
        self.assertEqual(contract.crm_team_id, self.team_shanghai)
        # Their manager may file it elsewhere in their scope.
        contract.with_user(self.mgr_east).crm_team_id = self.team_east
        self.assertEqual(contract.crm_approver_id, self.mgr_east)

    def test_closed_contract_keeps_its_plan(self):
        contract = self.approve(self.make_contract(amount=1000, plan=[("All", 10, {"amount": 1000})]))
        contract.with_user(self.rep_a).action_sign()
        contract.with_user(self.rep_a).action_done()
        with self.assertRaises(UserError):
            contract.plan_line_ids.with_user(self.rep_a).due_date = self.days(40)
        with self.assertRaises(UserError):
            contract.plan_line_ids.with_user(self.mgr_east).unlink()

    def test_documents_link_to_their_own_contract(self):
        contract = self.approve(self.make_contract(amount=1000))
        other_customer = self.customers["a2"]
        with self.assertRaises(ValidationError):
            self.env["sale.order"].create({"partner_id": other_customer.id, "crm_contract_id": contract.id})
        with self.assertRaises(ValidationError):
            self.env["account.move"].create({"move_type": "in_invoice", "partner_id": contract.partner_id.id,
                                             "crm_contract_id": contract.id})  # fmt: skip
        draft = self.make_contract(amount=1000)
        with self.assertRaises(ValidationError):
            self.env["account.move"].create({"move_type": "out_invoice", "partner_id": draft.partner_id.id,
                                             "crm_contract_id": draft.id})  # fmt: skip
        # Orders of two contracts of one customer are invoiced apart.
        second = self.approve(self.make_contract(amount=1000))
        orders = self.env["sale.order"].create([
            {"partner_id": c.partner_id.id, "crm_contract_id": c.id,
             "order_line": [Command.create({"product_id": self.service.id, "product_uom_qty": 1, "price_unit": 1000})]}
            for c in (contract, second)
        ])  # fmt: skip
        orders.action_confirm()
        invoices = orders._create_invoices()
        self.assertEqual(len(invoices), 2)
        self.assertEqual(set(invoices.crm_contract_id.ids), {contract.id, second.id})

    def test_overdue_job_updates_the_contract_status(self):
        contract = self.approve(self.make_contract(amount=1000, plan=[("All", 0, {"amount": 1000})]))
        self.assertEqual(contract.plan_state, "on_time")
        # The instalment fell due since (the job runs the day after).
        self.env.cr.execute(SQL("UPDATE crm_contract_plan SET due_date = %s WHERE contract_id = %s", self.days(-1), contract.id))
        contract.plan_line_ids.invalidate_recordset(["due_date"])
        self.Contract._cron_crm_overdue_instalments()
        self.assertEqual(contract.plan_line_ids.state, "overdue")
        self.assertEqual(contract.plan_state, "overdue")
