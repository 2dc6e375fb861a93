from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmEvaluationCriterion(models.Model):
    """A criterion of the reps' evaluations (考核项), e.g. sales results or
    follow-up discipline, with its weight in the total and its scale."""

    _name = "crm.evaluation.criterion"
    _description = "Evaluation Criterion"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True, help="What the manager looks at to score it.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    weight = fields.Float(
        required=True, default=1.0, digits=(16, 2),
        help="Share of the criterion in the total score, relative to the other criteria of the evaluation.",
    )  # fmt: skip
    max_score = fields.Float(string="Maximum Score", required=True, default=10.0, digits=(16, 2))

    @api.constrains("weight", "max_score")
    def _check_scale(self):
        for criterion in self:
            if criterion.weight <= 0 or criterion.max_score <= 0:
                raise ValidationError(
                    self.env._("Weight and Maximum Score of criterion %(criterion)s must be positive.", criterion=criterion.name)
                )
