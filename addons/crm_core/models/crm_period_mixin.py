from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import date_utils

PERIOD_TYPES = [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")]


def period_bounds(day, period_type):
    """(first day, last day) of the month, quarter or year holding ``day``."""
    return date_utils.start_of(day, period_type), date_utils.end_of(day, period_type)


def period_label(date_from, period_type):
    if period_type == "month":
        return f"{date_from.year}-{date_from.month:02d}"
    if period_type == "quarter":
        return f"{date_from.year} Q{date_utils.get_quarter_number(date_from)}"
    return str(date_from.year)


class CrmPeriodMixin(models.AbstractModel):
    """A month, quarter or year, given by its first day: what sales targets
    and evaluations are set for."""

    _name = "crm.period.mixin"
    _description = "Month, Quarter or Year"

    period_type = fields.Selection(PERIOD_TYPES, string="Period", required=True, default="month")
    date_from = fields.Date(
        string="Period Start",
        required=True,
        index=True,
        default=lambda self: date_utils.start_of(fields.Date.context_today(self), "month"),
        help="The first day of the month, quarter or year.",
    )
    date_to = fields.Date(string="Period End", compute="_compute_date_to", store=True, index=True)
    period_label = fields.Char(string="Period Name", compute="_compute_period_label")

    @api.depends("period_type", "date_from")
    def _compute_date_to(self):
        for record in self:
            record.date_to = record.date_from and period_bounds(record.date_from, record.period_type)[1]

    @api.depends("period_type", "date_from")
    def _compute_period_label(self):
        for record in self:
            record.period_label = record.date_from and period_label(record.date_from, record.period_type)

    @api.onchange("period_type", "date_from")
    def _onchange_period_start(self):
        # Any day picked in the form stands for its period.
        if self.date_from:
            self.date_from = period_bounds(self.date_from, self.period_type)[0]

    @api.constrains("period_type", "date_from")
    def _check_period_start(self):
        for record in self:
            start = period_bounds(record.date_from, record.period_type)[0]
            if record.date_from != start:
                raise ValidationError(
                    self.env._(
                        "Period Start of %(record)s must be the first day of its %(period)s: %(start)s, not %(date)s.",
                        record=record.display_name,
                        period=dict(self._fields["period_type"]._description_selection(self.env))[record.period_type].lower(),
                        start=fields.Date.to_string(start),
                        date=fields.Date.to_string(record.date_from),
                    )
                )
