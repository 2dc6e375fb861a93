from odoo import fields, models

from .crm_sales_target import LEVELS, MEASURES


class CrmEvaluationResult(models.Model):
    """A rep's target and what they achieved, as measured when the
    evaluation was sent to them: the evaluation keeps the figures it was
    made on, whatever later documents change."""

    _name = "crm.evaluation.result"
    _description = "Evaluation Result"
    _order = "evaluation_id, sequence, id"

    evaluation_id = fields.Many2one("crm.evaluation", string="Evaluation", required=True, index=True, ondelete="cascade")
    target_id = fields.Many2one("crm.sales.target", string="Target Record", ondelete="set null")
    sequence = fields.Integer()
    measure = fields.Selection(MEASURES, required=True)
    period_label = fields.Char(string="Period")
    company_currency_id = fields.Many2one(related="evaluation_id.company_id.currency_id", string="Currency")
    target = fields.Float(digits=(16, 2))
    actual = fields.Float(digits=(16, 2))
    achievement = fields.Float(string="Achievement (%)", digits=(16, 1))
    level = fields.Selection(LEVELS, string="Level Reached")
