from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class CrmEvaluationLine(models.Model):
    """The score of one criterion in an evaluation. Weight and scale are
    copied from the criterion when it is chosen: changing the criterion's
    configuration later does not rewrite past evaluations."""

    _name = "crm.evaluation.line"
    _description = "Evaluation Score"
    _inherit = ["crm.input.mixin"]
    _order = "sequence, id"

    evaluation_id = fields.Many2one("crm.evaluation", string="Evaluation", required=True, index=True, ondelete="cascade")
    criterion_id = fields.Many2one("crm.evaluation.criterion", string="Criterion", required=True, ondelete="restrict")
    description = fields.Text(related="criterion_id.description")
    sequence = fields.Integer(compute="_compute_from_criterion", store=True, readonly=False, precompute=True)
    weight = fields.Float(compute="_compute_from_criterion", store=True, precompute=True, digits=(16, 2))
    max_score = fields.Float(string="Maximum Score", compute="_compute_from_criterion", store=True, precompute=True, digits=(16, 2))
    score = fields.Float(digits=(16, 2))
    weighted_score = fields.Float(compute="_compute_weighted_score", store=True, digits=(16, 2))
    comment = fields.Text()

    _sql_constraints = [
        ("criterion_uniq", "unique(evaluation_id, criterion_id)", "Each criterion is scored once per evaluation."),
    ]

    @api.depends("criterion_id")
    def _compute_from_criterion(self):
        for line in self:
            line.sequence = line.criterion_id.sequence
            line.weight = line.criterion_id.weight
            line.max_score = line.criterion_id.max_score

    @api.depends("score", "max_score", "weight")
    def _compute_weighted_score(self):
        for line in self:
            line.weighted_score = line.score / line.max_score * line.weight if line.max_score else 0.0

    @api.constrains("score", "max_score")
    def _check_score(self):
        for line in self:
            if float_compare(line.score, 0.0, precision_digits=2) < 0 or float_compare(line.score, line.max_score, precision_digits=2) > 0:
                raise ValidationError(
                    self.env._("The score of %(criterion)s must be between 0 and %(max)s, not %(score)s.",
                               criterion=line.criterion_id.name, max=line.max_score, score=line.score)
                )  # fmt: skip

    @api.model_create_multi
    def create(self, vals_list):
        evaluations = self.env["crm.evaluation"].browse({vals["evaluation_id"] for vals in vals_list if vals.get("evaluation_id")})
        evaluations._crm_check_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.evaluation_id._crm_check_editable()
        if vals.get("evaluation_id"):
            self.env["crm.evaluation"].browse(vals["evaluation_id"])._crm_check_editable()
        return super().write(vals)

    def unlink(self):
        self.evaluation_id._crm_check_editable()
        return super().unlink()
