from odoo import fields, models
from odoo.tools import SQL

from ..models.crm_contract_plan import PLAN_STATES

AGING = [
    ("not_due", "Not Due"),
    ("1_30", "1-30 Days"),
    ("31_60", "31-60 Days"),
    ("61_90", "61-90 Days"),
    ("over_90", "Over 90 Days"),
]


class CrmReceivableReport(models.Model):
    """Outstanding instalments of collection plans (receivables) and payment
    plans (payables) in the company's currency, aged by days past due. A SQL
    view: the aging bucket moves with the calendar, which no stored field can."""

    _name = "crm.receivable.report"
    _description = "Receivables and Payables by Instalment"
    _auto = False
    _order = "due_date"
    _rec_name = "plan_id"

    plan_id = fields.Many2one("crm.contract.plan", string="Instalment", readonly=True)
    contract_id = fields.Many2one("crm.contract", string="Contract", readonly=True)
    contract_type = fields.Selection([("sale", "Receivable"), ("purchase", "Payable")], string="Type", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Partner", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    crm_team_id = fields.Many2one("crm.team", string="Department", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    due_date = fields.Date(readonly=True)
    state = fields.Selection(PLAN_STATES, string="Status", readonly=True)
    aging = fields.Selection(AGING, readonly=True)
    days_overdue = fields.Integer(string="Days Overdue", readonly=True, aggregator="max")
    amount = fields.Monetary(string="Planned", readonly=True)
    paid_amount = fields.Monetary(string="Paid", readonly=True)
    residual_amount = fields.Monetary(string="Outstanding", readonly=True)

    @property
    def _table_query(self):
        # Contract-currency amounts scaled by the contract's own rate to the
        # company currency, so that totals over several currencies add up.
        return SQL(
            """
            SELECT p.id AS id,
                   p.id AS plan_id,
                   p.contract_id,
                   p.contract_type,
                   p.partner_id,
                   p.user_id,
                   p.crm_team_id,
                   p.company_id,
                   company.currency_id AS currency_id,
                   p.due_date,
                   p.state,
                   CASE WHEN p.due_date >= CURRENT_DATE OR p.state = 'paid' THEN 'not_due'
                        WHEN CURRENT_DATE - p.due_date <= 30 THEN '1_30'
                        WHEN CURRENT_DATE - p.due_date <= 60 THEN '31_60'
                        WHEN CURRENT_DATE - p.due_date <= 90 THEN '61_90'
                        ELSE 'over_90' END AS aging,
                   CASE WHEN p.state = 'paid' THEN 0 ELSE GREATEST(CURRENT_DATE - p.due_date, 0) END AS days_overdue,
                   p.amount * %(rate)s AS amount,
                   p.paid_amount * %(rate)s AS paid_amount,
                   p.residual_amount * %(rate)s AS residual_amount
              FROM crm_contract_plan p
              JOIN crm_contract c ON c.id = p.contract_id
              JOIN res_company company ON company.id = p.company_id
             WHERE c.state IN ('approved', 'signed', 'in_progress', 'done', 'terminated')
            """,
            rate=SQL("COALESCE(c.amount_company / NULLIF(c.amount_total, 0), 1)"),
        )
