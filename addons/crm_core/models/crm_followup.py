from odoo import api, fields, models

FOLLOWUP_TYPES = [
    ("call", "Call"),
    ("visit", "Visit"),
    ("email", "E-mail"),
    ("message", "Message"),
    ("meeting", "Meeting"),
]


class CrmFollowup(models.Model):
    """A follow-up (跟进记录) of a customer: what was done, with whom, what
    came out of it and when to follow up next."""

    _name = "crm.followup"
    _description = "Follow-up"
    _inherit = ["crm.input.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("crm_managed", "=", True), ("parent_id", "=", False)],
    )
    contact_id = fields.Many2one("res.partner", string="Contact", domain="[('parent_id', '=', partner_id)]")
    lead_id = fields.Many2one("crm.lead", string="Opportunity", index="btree_not_null", domain="[('partner_id', '=', partner_id)]")
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user, required=True, index=True)
    crm_team_id = fields.Many2one(related="partner_id.crm_team_id", store=True, index="btree_not_null", string="Department")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    followup_type = fields.Selection(FOLLOWUP_TYPES, string="Type", required=True, default="call")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    content = fields.Text(required=True)
    result = fields.Char()
    next_date = fields.Date(string="Next Follow-up")

    @api.model_create_multi
    def create(self, vals_list):
        followups = super().create(vals_list)
        followups._crm_check_links()
        followups._update_customers()
        return followups

    def write(self, vals):
        res = super().write(vals)
        if {"partner_id", "contact_id", "lead_id"} & set(vals):
            self._crm_check_links()
        if {"partner_id", "date", "next_date", "followup_type"} & set(vals):
            self._update_customers()
        return res

    def unlink(self):
        partners = self.partner_id
        res = super().unlink()
        partners.sudo()._crm_update_followup_stats()
        return res

    def _crm_check_links(self):
        # Reps follow up the customers they may edit, not pool customers (nor
        # their stats, through a follow-up moved to another customer).
        self.partner_id.check_access("write")
        self.contact_id._crm_check_linkable()
        self.lead_id._crm_check_linkable()

    def _update_customers(self):
        partners = self.partner_id
        partners.sudo()._crm_update_followup_stats()
        for followup in self.filtered("next_date"):
            partner = followup.partner_id.sudo()
            if partner.user_id and partner.crm_next_followup_date == followup.next_date:
                partner.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=followup.next_date,
                    summary=self.env._("Follow up %(customer)s", customer=partner.name),
                    note=followup.result or followup.content,
                    user_id=partner.user_id.id,
                )
