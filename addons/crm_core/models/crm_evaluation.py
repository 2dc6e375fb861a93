from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from .crm_sales_target import MEASURES

EVALUATION_STATES = [("draft", "Draft"), ("submitted", "Sent to Rep"), ("acknowledged", "Acknowledged")]

# What the manager writes; never the evaluated rep, and only while draft.
MANAGER_FIELDS = {
    "user_id", "manager_id", "company_id", "period_type", "date_from", "line_ids", "manager_comment",
    "improvement_points", "improvement_deadline",
}  # fmt: skip
# Set by the buttons only (submit, reset, acknowledge).
WORKFLOW_FIELDS = {"state", "submitted_date", "acknowledged_date", "rep_comment", "result_ids", "crm_team_id"}


class CrmEvaluation(models.Model):
    """A periodic evaluation (工作评估) of a rep by their manager: the rep's
    targets of the period next to what they achieved, scores per criterion,
    the manager's comments and the points to improve by a deadline. The
    manager sends it to the rep, who acknowledges it once, optionally with
    a comment of their own.

    Draft → Sent to Rep (the figures are frozen into ``result_ids``; the rep
    gets a to-do) → Acknowledged (only by the rep). A manager may take a sent
    evaluation back to draft until the rep acknowledged it."""

    _name = "crm.evaluation"
    _description = "Evaluation"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.period.mixin", "crm.input.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users", string="Sales Rep", required=True, index=True, tracking=True, domain="[('share', '=', False)]"
    )
    crm_team_id = fields.Many2one(
        "crm.team", string="Department", index="btree_not_null", readonly=True,
        compute="_compute_crm_team_id", store=True, precompute=True,
    )  # fmt: skip
    manager_id = fields.Many2one(
        "res.users", string="Evaluated By", required=True, index=True, tracking=True, domain="[('share', '=', False)]",
        compute="_compute_manager_id", store=True, readonly=False, precompute=True,
        help="By default the leader of the rep's department (the next one up for a department's own leader).",
    )  # fmt: skip
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    state = fields.Selection(EVALUATION_STATES, required=True, default="draft", readonly=True, copy=False, tracking=True, index=True)
    target_ids = fields.Many2many(
        "crm.sales.target", string="Targets", compute="_compute_target_ids",
        help="The rep's own targets whose period lies inside the evaluation's, with their live figures.",
    )  # fmt: skip
    result_ids = fields.One2many("crm.evaluation.result", "evaluation_id", string="Results", readonly=True, copy=False)
    line_ids = fields.One2many(
        "crm.evaluation.line", "evaluation_id", string="Scores", copy=True,
        default=lambda self: [Command.create({"criterion_id": c.id}) for c in self.env["crm.evaluation.criterion"].search([])],
    )  # fmt: skip
    total_score = fields.Float(
        string="Total Score", compute="_compute_total_score", store=True, digits=(16, 1), aggregator="avg",
        help="The weighted scores of the criteria, out of 100.",
    )  # fmt: skip
    manager_comment = fields.Text(string="Manager's Comments", tracking=True)
    improvement_points = fields.Text(string="Points to Improve")
    improvement_deadline = fields.Date(string="Improve By", tracking=True)
    submitted_date = fields.Datetime(string="Sent On", readonly=True, copy=False)
    acknowledged_date = fields.Datetime(string="Acknowledged On", readonly=True, copy=False)
    rep_comment = fields.Text(string="Rep's Comments", readonly=True, copy=False)
    is_own = fields.Boolean(string="My Evaluation", compute="_compute_is_own")
    history_count = fields.Integer(string="Evaluations of the Rep", compute="_compute_history_count")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("user_id", "period_type", "date_from")
    def _compute_name(self):
        for evaluation in self:
            evaluation.name = " · ".join(filter(None, [evaluation.user_id.name, evaluation.period_label]))

    @api.depends("user_id")
    def _compute_crm_team_id(self):
        teams = {}  # one look-up per rep
        for evaluation in self:
            if evaluation.user_id not in teams:
                teams[evaluation.user_id] = evaluation.user_id._crm_default_team() if evaluation.user_id else False
            evaluation.crm_team_id = teams[evaluation.user_id]

    @api.depends("user_id")
    def _compute_manager_id(self):
        for evaluation in self.filtered("user_id"):
            # sudo (in _crm_default_team): who leads the departments above the rep's.
            team = evaluation.user_id._crm_default_team()
            while team and (not team.user_id or team.user_id == evaluation.user_id):
                team = team.parent_id
            evaluation.manager_id = team.user_id or evaluation.manager_id or self.env.user

    @api.depends("user_id", "company_id", "period_type", "date_from")
    def _compute_target_ids(self):
        evaluations = self.filtered(lambda e: e.user_id and e.date_from and e.date_to)
        (self - evaluations).target_ids = False
        if not evaluations:
            return
        # One search for all, under the reader's record rules.
        targets = self.env["crm.sales.target"].search([
            ("target_type", "=", "rep"), ("user_id", "in", evaluations.user_id.ids),
            ("date_from", ">=", min(evaluations.mapped("date_from"))), ("date_to", "<=", max(evaluations.mapped("date_to"))),
        ])  # fmt: skip
        for evaluation in evaluations:
            evaluation.target_ids = targets.filtered(
                lambda t, e=evaluation: t.user_id == e.user_id and t.company_id == e.company_id
                and e.date_from <= t.date_from and t.date_to <= e.date_to
            )

    @api.depends("line_ids.weighted_score", "line_ids.weight")
    def _compute_total_score(self):
        for evaluation in self:
            weights = sum(evaluation.line_ids.mapped("weight"))
            evaluation.total_score = sum(evaluation.line_ids.mapped("weighted_score")) / weights * 100 if weights else 0.0

    @api.depends_context("uid")
    @api.depends("user_id")
    def _compute_is_own(self):
        for evaluation in self:
            evaluation.is_own = evaluation.user_id == self.env.user

    @api.depends("user_id")
    def _compute_history_count(self):
        counts = dict(self._read_group([("user_id", "in", self.user_id.ids)], ["user_id"], ["__count"]))
        for evaluation in self:
            evaluation.history_count = counts.get(evaluation.user_id, 0)

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------
    def _crm_check_editable(self):
        """Scores and the manager's comments change while the evaluation is
        a draft, and never by the rep it is about."""
        if self.env.su:
            return
        own = self.filtered(lambda e: e.user_id == self.env.user)
        if own:
            raise AccessError(
                self.env._("%(evaluation)s is your own evaluation: its scores and comments are your manager's.",
                           evaluation=own[0].display_name)
            )  # fmt: skip
        locked = self.filtered(lambda e: e.state != "draft")
        if locked:
            evaluation = locked[0]
            if evaluation.state == "acknowledged":
                raise UserError(self.env._("%(evaluation)s was acknowledged: it no longer changes.", evaluation=evaluation.display_name))
            raise UserError(
                self.env._("%(evaluation)s was sent to %(rep)s: take it back to draft to change it.",
                           evaluation=evaluation.display_name, rep=evaluation.user_id.name)
            )  # fmt: skip

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                forged = (WORKFLOW_FIELDS - {"crm_team_id"}) & set(vals)
                if forged - {"state"} or vals.get("state", "draft") != "draft":
                    raise AccessError(self.env._("An evaluation starts as a draft; its figures and acknowledgement come from its buttons."))
                if vals.get("user_id") == self.env.uid:
                    raise AccessError(self.env._("You cannot evaluate yourself: your manager does."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            forged = WORKFLOW_FIELDS & set(vals)
            if forged:
                raise AccessError(
                    self.env._("These fields of an evaluation change only through its buttons: %(fields)s.",
                               fields=", ".join(self._fields[name].get_description(self.env)["string"] for name in sorted(forged)))
                )  # fmt: skip
            if MANAGER_FIELDS & set(vals):
                self._crm_check_editable()
            if vals.get("user_id") == self.env.uid:
                raise AccessError(self.env._("You cannot evaluate yourself: your manager does."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        sent = self.filtered(lambda e: e.state != "draft")
        if sent:
            raise UserError(
                self.env._("%(evaluation)s was sent to the rep and stays in their history: it cannot be deleted.",
                           evaluation=sent[0].display_name)
            )  # fmt: skip

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def action_submit(self):
        """Send the evaluation to the rep: the figures are frozen, the rep
        gets a to-do to acknowledge it."""
        for evaluation in self:
            if evaluation.state != "draft":
                raise UserError(self.env._("Only a draft evaluation is sent (%(evaluation)s).", evaluation=evaluation.display_name))
            if not evaluation.line_ids:
                raise UserError(self.env._("Score at least one criterion of %(evaluation)s first.", evaluation=evaluation.display_name))
        self._crm_check_editable()
        self.check_access("write")
        self._crm_freeze_results()
        # sudo: the workflow fields are written by the buttons only, after
        # the checks above; the to-do and the subscription are the rep's.
        evaluations_su = self.sudo()
        evaluations_su.write({"state": "submitted", "submitted_date": fields.Datetime.now()})
        deadline = fields.Date.context_today(self) + timedelta(days=7)
        for evaluation_su in evaluations_su:
            evaluation_su.message_subscribe(partner_ids=evaluation_su.user_id.partner_id.ids)
            evaluation_su.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=deadline,
                summary=self.env._("Read and acknowledge your evaluation"),
                user_id=evaluation_su.user_id.id,
            )
        return True

    def _crm_freeze_results(self):
        """Replace the results of each evaluation with its targets' current
        figures, computed for all the targets at once."""
        targets = self.target_ids
        targets.mapped("actual")  # one batch for all the evaluations' targets
        measure_rank = {key: rank for rank, (key, _label) in enumerate(MEASURES)}
        # sudo: results are written by the workflow only (nobody has write
        # access to them); the user's right to write the evaluations was checked.
        self.sudo().result_ids.unlink()
        self.env["crm.evaluation.result"].sudo().create([
            {
                "evaluation_id": evaluation.id, "target_id": target.id, "sequence": measure_rank[target.measure],
                "measure": target.measure, "period_label": target.period_label, "target": target.target,
                "actual": target.actual, "achievement": target.achievement, "level": target.level,
            }
            for evaluation in self for target in evaluation.target_ids
        ])  # fmt: skip

    def action_draft(self):
        """Take a sent evaluation back (before the rep acknowledged it)."""
        for evaluation in self:
            if evaluation.state != "submitted":
                raise UserError(
                    self.env._("Only an evaluation sent and not yet acknowledged goes back to draft (%(evaluation)s).",
                               evaluation=evaluation.display_name)
                )  # fmt: skip
        self.check_access("write")
        if any(evaluation.user_id == self.env.user for evaluation in self) and not self.env.su:
            raise AccessError(self.env._("Your own evaluation goes back to draft only by your manager."))
        # sudo: as in action_submit.
        self.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        self.sudo().write({"state": "draft", "submitted_date": False})
        return True

    def action_acknowledge(self, rep_comment=None):
        """The rep acknowledges their evaluation, once, with an optional comment."""
        if rep_comment not in (False, None) and not isinstance(rep_comment, str):
            raise UserError(self.env._("The comment on an evaluation is a text."))
        for evaluation in self:
            if evaluation.user_id != self.env.user:
                raise AccessError(
                    self.env._("Only %(rep)s acknowledges %(evaluation)s.", rep=evaluation.user_id.name, evaluation=evaluation.display_name)
                )
            if evaluation.state != "submitted":
                raise UserError(
                    self.env._("%(evaluation)s is not waiting for your acknowledgement (now %(state)s).",
                               evaluation=evaluation.display_name,
                               state=dict(self._fields["state"]._description_selection(self.env))[evaluation.state])
                )  # fmt: skip
        self.check_access("read")
        # sudo: the rep reads their evaluation and may not write it; the
        # checks above let them set the acknowledgement, nothing else.
        evaluations_su = self.sudo()
        evaluations_su.write({
            "state": "acknowledged", "acknowledged_date": fields.Datetime.now(), "rep_comment": rep_comment or False,
        })  # fmt: skip
        evaluations_su.activity_ids.filtered(lambda a: a.user_id == self.env.user).action_feedback(
            feedback=self.env._("Acknowledged")
        )
        for evaluation_su in evaluations_su:
            evaluation_su.message_post(
                body=self.env._("%(rep)s acknowledged the evaluation.", rep=self.env.user.name),
                author_id=self.env.user.partner_id.id,
                partner_ids=evaluation_su.manager_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_view_history(self):
        """All evaluations of this rep, newest first."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_core.crm_evaluation_action")
        action.update({
            "name": self.env._("Evaluations of %(rep)s", rep=self.user_id.name),
            "domain": [("user_id", "=", self.user_id.id)],
            "context": {"default_user_id": self.user_id.id},
        })  # fmt: skip
        return action

    # ------------------------------------------------------------------
    # Demo data (demo/crm_target_demo.xml): the rep's own click
    # ------------------------------------------------------------------
    def _crm_demo_acknowledge(self, rep_comment=None):
        for evaluation in self:
            evaluation.with_user(evaluation.user_id).action_acknowledge(rep_comment=rep_comment)
