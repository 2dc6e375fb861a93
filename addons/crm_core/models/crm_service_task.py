from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmServiceTask(models.Model):
    """A task the engineer carries out on a service ticket (派工任务)."""

    _name = "crm.service.task"
    _description = "Service Task"
    _inherit = ["crm.input.mixin"]
    _order = "ticket_id, sequence, id"

    ticket_id = fields.Many2one("crm.service.ticket", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Task", required=True)
    is_done = fields.Boolean(string="Done")

    @api.constrains("ticket_id", "name", "is_done")
    def _check_ticket_open(self):
        closed = self.filtered(lambda task: task.ticket_id.state in ("reported", "visited", "closed", "cancelled"))
        if closed:
            raise ValidationError(
                self.env._("The tasks of ticket %(ticket)s are final once the work is reported.", ticket=closed[0].ticket_id.display_name)
            )
