from odoo import fields, models


class CrmEvaluationAcknowledge(models.TransientModel):
    """The rep acknowledges their evaluation (确认), with a comment if they wish."""

    _name = "crm.evaluation.acknowledge"
    _description = "Acknowledge an Evaluation"

    evaluation_id = fields.Many2one("crm.evaluation", string="Evaluation", required=True, readonly=True, ondelete="cascade")
    rep_comment = fields.Text(string="Your Comments")

    def action_apply(self):
        self.ensure_one()
        self.evaluation_id.action_acknowledge(rep_comment=self.rep_comment)
        return {"type": "ir.actions.act_window_close"}
