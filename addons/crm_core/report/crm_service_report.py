from odoo import fields, models
from odoo.tools import SQL

from ..models.crm_service_sla import SERVICE_PRIORITIES
from ..models.crm_service_ticket import TICKET_STATES, TICKET_TYPES


class CrmServiceReport(models.Model):
    """Service analysis: one row per ticket with its response and resolution
    times and the satisfaction of its return visit. A SQL view so that a
    measure not yet reached is NULL, which averages leave out (a stored
    float field would count it as 0)."""

    _name = "crm.service.report"
    _description = "Service Analysis"
    _auto = False
    _order = "date_open desc"
    _rec_name = "ticket_id"
    # Searches flush these first: the view reads the table, not the cache.
    _depends = {
        "crm.service.ticket": [
            "ticket_type", "priority", "state", "partner_id", "user_id", "engineer_id", "crm_team_id", "company_id",
            "date_open", "date_dispatched", "date_reported", "hours_spent", "satisfaction", "response_late", "resolution_late",
        ],
    }  # fmt: skip

    ticket_id = fields.Many2one("crm.service.ticket", readonly=True)
    ticket_type = fields.Selection(TICKET_TYPES, string="Type", readonly=True)
    priority = fields.Selection(SERVICE_PRIORITIES, readonly=True)
    state = fields.Selection(TICKET_STATES, string="Status", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    engineer_id = fields.Many2one("res.users", readonly=True)
    crm_team_id = fields.Many2one("crm.team", string="Department", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date_open = fields.Datetime(string="Requested On", readonly=True)
    response_hours = fields.Float(string="Response Time (h)", readonly=True, aggregator="avg", digits=(16, 2))
    resolution_hours = fields.Float(string="Resolution Time (h)", readonly=True, aggregator="avg", digits=(16, 2))
    hours_spent = fields.Float(string="Time Spent (h)", readonly=True, aggregator="sum", digits=(16, 2))
    satisfaction = fields.Float(string="Satisfaction (1-5)", readonly=True, aggregator="avg", digits=(16, 2))
    late_count = fields.Integer(string="Deadlines Missed", readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT t.id AS id,
                   t.id AS ticket_id,
                   t.ticket_type,
                   t.priority,
                   t.state,
                   t.partner_id,
                   t.user_id,
                   t.engineer_id,
                   t.crm_team_id,
                   t.company_id,
                   t.date_open,
                   EXTRACT(EPOCH FROM t.date_dispatched - t.date_open) / 3600.0 AS response_hours,
                   EXTRACT(EPOCH FROM t.date_reported - t.date_open) / 3600.0 AS resolution_hours,
                   t.hours_spent,
                   t.satisfaction::integer AS satisfaction,
                   (CASE WHEN t.response_late THEN 1 ELSE 0 END
                    + CASE WHEN t.resolution_late THEN 1 ELSE 0 END) AS late_count
              FROM crm_service_ticket t
             WHERE t.state != 'cancelled'
            """
        )
