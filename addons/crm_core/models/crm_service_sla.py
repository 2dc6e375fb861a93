from odoo import fields, models

SERVICE_PRIORITIES = [
    ("0", "Low"),
    ("1", "Normal"),
    ("2", "High"),
    ("3", "Urgent"),
]


class CrmServiceSla(models.Model):
    """Service deadlines (SLA) of one priority: hours from the request to the
    first dispatch (response) and to the work report (resolution)."""

    _name = "crm.service.sla"
    _description = "Service Deadline (SLA)"
    _order = "priority desc"
    _rec_name = "priority"

    priority = fields.Selection(SERVICE_PRIORITIES, required=True)
    response_hours = fields.Float(string="Response (hours)", required=True, help="Hours from the request to the dispatch of an engineer.")
    resolution_hours = fields.Float(string="Resolution (hours)", required=True, help="Hours from the request to the engineer's work report.")

    _sql_constraints = [
        ("priority_uniq", "unique(priority)", "Each priority has one service deadline."),
        ("hours_positive", "CHECK(response_hours > 0 AND resolution_hours >= response_hours)",
         "Response hours must be positive and resolution hours at least the response hours."),
    ]  # fmt: skip
