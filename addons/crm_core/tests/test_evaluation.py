from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .test_hierarchy import MUTE_ACCESS
from .test_sales_target import MARCH, CrmTargetCommon


class CrmEvaluationCommon(CrmTargetCommon):
    """Three criteria of their own (the data's are archived):

    ===========  ======  =====  ======  ===========================
    criterion    weight  max    score   weighted (score/max×weight)
    ===========  ======  =====  ======  ===========================
    Results      50      10     8       40
    Follow-up    30      5      4       24
    Attitude     20      100    50      10
    ===========  ======  =====  ======  ===========================

    Total: 74 out of 100. Rep A's targets of March 2025: sales 5000 (actual
    4000), follow-ups 3 (actual 3); of Q1 (outside a March evaluation):
    sales 12000.
    """

    SCORES = (8, 4, 50)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Criterion = cls.env["crm.evaluation.criterion"]
        Criterion.search([]).active = False
        cls.criteria = Criterion.create([
            {"name": "Results", "weight": 50, "max_score": 10, "sequence": 1},
            {"name": "Follow-up", "weight": 30, "max_score": 5, "sequence": 2},
            {"name": "Attitude", "weight": 20, "max_score": 100, "sequence": 3},
        ])  # fmt: skip
        cls.sales_march = cls.target(cls.rep_a, "sales_amount", 5000)
        cls.followups_march = cls.target(cls.rep_a, "followups", 3)
        cls.sales_q1 = cls.target(cls.rep_a, "sales_amount", 12000, period_type="quarter", start=date(2025, 1, 1))
        cls.target(cls.rep_b, "sales_amount", 2000)
        cls.Evaluation = cls.env["crm.evaluation"]

    def evaluate(self, rep, manager, start=MARCH, submit=False):
        """An evaluation of ``rep`` made by ``manager`` through the form, scored."""
        with Form(self.Evaluation.with_user(manager)) as form:
            form.user_id = rep
            form.period_type = "month"
            form.date_from = start
            for index, score in enumerate(self.SCORES):
                with form.line_ids.edit(index) as line:
                    line.score = score
            form.manager_comment = "Solid month"
            form.improvement_points = "Visit key customers monthly"
            form.improvement_deadline = date(2025, 5, 31)
        evaluation = form.record
        if submit:
            evaluation.action_submit()
        return evaluation


@tagged("crm_core", "crm_evaluation")
class TestEvaluation(CrmEvaluationCommon):
    def test_defaults_and_total_score(self):
        evaluation = self.evaluate(self.rep_a, self.mgr_east)
        # Shanghai has no leader of its own: East's evaluates its reps.
        self.assertEqual(evaluation.manager_id, self.mgr_east)
        self.assertEqual(evaluation.crm_team_id, self.team_shanghai)
        self.assertEqual(evaluation.name, "Rep A · 2025-03")
        self.assertEqual(evaluation.date_to, date(2025, 3, 31))
        self.assertEqual(evaluation.line_ids.criterion_id, self.criteria)
        self.assertEqual(evaluation.line_ids.mapped("weighted_score"), [40, 24, 10])
        self.assertEqual(evaluation.total_score, 74)
        self.assertEqual(self.evaluate(self.rep_d, self.mgr_south).manager_id, self.mgr_south)
        # A department's own leader is evaluated by the next one up, here nobody: whoever evaluates.
        self.assertEqual(self.evaluate(self.mgr_east, self.gm).manager_id, self.gm)
        # The criterion's later changes do not rewrite past evaluations.
        self.criteria[0].weight = 10
        self.assertEqual(evaluation.line_ids[0].weight, 50)
        self.assertEqual(evaluation.total_score, 74)

    def test_scores_are_validated(self):
        evaluation = self.evaluate(self.rep_a, self.mgr_east)
        with self.assertRaises(ValidationError) as refused:
            evaluation.line_ids[1].with_user(self.mgr_east).score = 6
        self.assertIn("The score of Follow-up must be between 0 and 5.0", str(refused.exception))
        with self.assertRaises(ValidationError):
            evaluation.line_ids[0].with_user(self.mgr_east).score = -1

    def test_results_are_live_then_frozen(self):
        evaluation = self.evaluate(self.rep_a, self.mgr_east)
        # The rep's targets inside March, with their live figures; not Q1's, not a colleague's.
        self.assertEqual(evaluation.target_ids, self.sales_march | self.followups_march)
        self.assertEqual(sorted(evaluation.target_ids.mapped("actual")), [3, 4000])
        self.assertFalse(evaluation.result_ids)
        evaluation.with_user(self.mgr_east).action_submit()
        self.assertRecordValues(evaluation.result_ids, [
            {"measure": "sales_amount", "target": 5000, "actual": 4000, "achievement": 80, "level": "none", "period_label": "2025-03"},
            {"measure": "followups", "target": 3, "actual": 3, "achievement": 100, "level": "base", "period_label": "2025-03"},
        ])  # fmt: skip
        # A late order changes the target's figure, not the evaluation's.
        self.sales["o4"].action_confirm()
        self.sales["o4"].date_order = datetime(2025, 3, 15, 2)
        self.sales_march.invalidate_recordset(["actual"])
        self.assertEqual(self.sales_march.actual, 4600)
        self.assertEqual(evaluation.result_ids[0].actual, 4000)
        # The rep reads their results and targets, a quarter evaluation holds March's targets and Q1's.
        self.assertEqual(evaluation.with_user(self.rep_a).result_ids.mapped("actual"), [4000, 3])
        quarter = self.Evaluation.with_user(self.mgr_east).create(
            {"user_id": self.rep_a.id, "period_type": "quarter", "date_from": date(2025, 1, 1)}
        )
        self.assertEqual(quarter.target_ids, self.sales_march | self.followups_march | self.sales_q1)

    @mute_logger(*MUTE_ACCESS)
    def test_send_and_acknowledge_per_role(self):
        Evaluation = self.Evaluation
        with self.assertRaises(AccessError):
            Evaluation.with_user(self.rep_a).create({"user_id": self.rep_b.id, "date_from": MARCH})
        evaluation = self.evaluate(self.rep_a, self.mgr_east)
        # A draft is the manager's: the rep sees it but cannot acknowledge it yet.
        with self.assertRaises(UserError):
            evaluation.with_user(self.rep_a).action_acknowledge()
        evaluation.with_user(self.mgr_east).action_submit()
        self.assertEqual(evaluation.state, "submitted")
        self.assertTrue(evaluation.submitted_date)
        self.assertEqual(evaluation.activity_ids.user_id, self.rep_a)
        self.assertIn(self.rep_a.partner_id, evaluation.message_partner_ids)

        as_rep = evaluation.with_user(self.rep_a)
        for vals in ({"manager_comment": "I did great"}, {"improvement_deadline": date(2026, 1, 1)}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                as_rep.write(vals)
        with self.assertRaises(AccessError):
            as_rep.line_ids[0].score = 10
        with self.assertRaises(AccessError):
            as_rep.write({"state": "acknowledged"})
        with self.assertRaises(AccessError):
            as_rep.action_draft()
        # Colleagues and other departments' managers do not see it.
        for user in (self.rep_b, self.mgr_south):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                evaluation.with_user(user).read(["total_score"])
        # Sent: the manager no longer changes it, and does not acknowledge for the rep.
        with self.assertRaises(UserError):
            evaluation.line_ids[0].with_user(self.mgr_east).score = 9
        with self.assertRaises(UserError):
            evaluation.with_user(self.mgr_east).manager_comment = "Changed my mind"
        with self.assertRaises(AccessError):
            evaluation.with_user(self.mgr_east).action_acknowledge()

        with Form(self.env["crm.evaluation.acknowledge"].with_user(self.rep_a).with_context(default_evaluation_id=evaluation.id)) as form:
            form.rep_comment = "Agreed, I will plan the visits."
        form.record.action_apply()
        self.assertRecordValues(evaluation, [{"state": "acknowledged", "rep_comment": "Agreed, I will plan the visits."}])
        self.assertTrue(evaluation.acknowledged_date)
        self.assertFalse(evaluation.activity_ids)
        self.assertIn("Rep A acknowledged the evaluation.", evaluation.message_ids[0].body)
        # Once only, and final.
        with self.assertRaises(UserError):
            as_rep.action_acknowledge(rep_comment="Second thoughts")
        with self.assertRaises(UserError):
            evaluation.with_user(self.mgr_east).action_draft()
        with self.assertRaises(UserError):
            evaluation.with_user(self.mgr_east).unlink()
        with self.assertRaises(UserError):
            evaluation.with_user(self.gm).manager_comment = "Rewritten"

    @mute_logger(*MUTE_ACCESS)
    def test_take_back_to_draft(self):
        evaluation = self.evaluate(self.rep_a, self.mgr_east, submit=True)
        evaluation.with_user(self.mgr_east).action_draft()
        self.assertEqual(evaluation.state, "draft")
        self.assertFalse(evaluation.activity_ids)
        evaluation.line_ids[0].with_user(self.mgr_east).score = 9
        self.assertEqual(evaluation.total_score, 79)
        evaluation.with_user(self.mgr_east).action_submit()
        self.assertEqual(len(evaluation.result_ids), 2)  # replaced, not added
        self.assertEqual(len(evaluation.activity_ids), 1)
        # A draft may be deleted; a sent one stays in the rep's history.
        with self.assertRaises(UserError):
            evaluation.with_user(self.mgr_east).unlink()
        draft = self.evaluate(self.rep_b, self.mgr_east)
        draft.with_user(self.mgr_east).unlink()
        self.assertFalse(draft.exists())

    @mute_logger(*MUTE_ACCESS)
    def test_a_manager_evaluated_cannot_score_themselves(self):
        with self.assertRaises(AccessError):
            self.Evaluation.with_user(self.mgr_east).create({"user_id": self.mgr_east.id, "date_from": MARCH})
        evaluation = self.evaluate(self.mgr_east, self.gm)
        as_self = evaluation.with_user(self.mgr_east)
        self.assertEqual(as_self.total_score, 74)  # in their own scope: they read it
        with self.assertRaises(AccessError) as refused:
            as_self.manager_comment = "Excellent"
        self.assertIn("is your own evaluation", str(refused.exception))
        with self.assertRaises(AccessError):
            as_self.line_ids[0].score = 10
        with self.assertRaises(AccessError):
            as_self.write({"line_ids": [Command.create({"criterion_id": self.criteria[0].id, "score": 10})]})
        with self.assertRaises(AccessError):
            as_self.action_submit()
        evaluation.with_user(self.gm).action_submit()
        as_self.action_acknowledge()
        self.assertEqual(evaluation.state, "acknowledged")

    def test_history_per_rep(self):
        march = self.evaluate(self.rep_a, self.mgr_east, submit=True)
        february = self.evaluate(self.rep_a, self.mgr_east, start=date(2025, 2, 1))
        self.evaluate(self.rep_b, self.mgr_east)
        self.assertEqual(march.history_count, 2)
        action = march.with_user(self.rep_a).action_view_history()
        self.assertEqual(self.Evaluation.with_user(self.rep_a).search(action["domain"]), march | february)
        self.assertEqual(self.Evaluation.with_user(self.rep_a).search([]), march | february)
        self.assertEqual(len(self.Evaluation.with_user(self.mgr_east).search([])), 3)
        self.assertFalse(self.Evaluation.with_user(self.mgr_south).search([]))
