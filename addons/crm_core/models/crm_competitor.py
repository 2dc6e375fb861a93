from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import escape_psql

PRICE_LEVELS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]


class CrmCompetitor(models.Model):
    """A competitor (竞争对手) met on opportunities: what they sell, at what
    price level, their strengths and weaknesses, and how we fare against them."""

    _name = "crm.competitor"
    _description = "Competitor"
    _inherit = ["mail.thread"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True, index="trigram")
    website = fields.Char()
    product_ids = fields.Many2many(
        "product.template", "crm_competitor_product_rel", "competitor_id", "product_tmpl_id", string="Products",
        help="Our products this competitor competes with.",
    )  # fmt: skip
    price_level = fields.Selection(PRICE_LEVELS, tracking=True)
    strengths = fields.Text()
    weaknesses = fields.Text()
    note = fields.Html(string="Notes")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    # Statistics, over the opportunities the user may see.
    opportunity_count = fields.Integer(string="Opportunities Faced", compute="_compute_statistics")
    won_count = fields.Integer(string="Won Against", compute="_compute_statistics")
    lost_count = fields.Integer(string="Lost Against", compute="_compute_statistics")
    win_rate = fields.Float(
        compute="_compute_statistics", digits=(16, 1),
        help="Won against this competitor, in percent of the opportunities won or lost against them.",
    )  # fmt: skip

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_statistics(self):
        faced, won, lost = {}, {}, {}
        if self.ids and self.env["crm.lead.competitor"].has_access("read"):
            Line = self.env["crm.lead.competitor"]
            faced = dict(Line._read_group([("competitor_id", "in", self.ids)], ["competitor_id"], ["__count"]))
            # Won: the opportunity sits in a won stage (and was not lost since).
            won_domain = [("lead_id.active", "=", True), ("lead_id.stage_id.is_won", "=", True)]
            won = dict(Line._read_group(
                [("competitor_id", "in", self.ids), *won_domain], ["competitor_id"], ["__count"]
            ))  # fmt: skip
            # Lost: archived at probability 0 (Odoo's "Lost" filter) with this competitor named as the winner.
            lost = dict(self.env["crm.lead"].with_context(active_test=False)._read_group(
                [("crm_lost_competitor_id", "in", self.ids), ("active", "=", False), ("probability", "=", 0)],
                ["crm_lost_competitor_id"], ["__count"],
            ))  # fmt: skip
        for competitor in self:
            competitor.opportunity_count = faced.get(competitor, 0)
            competitor.won_count = won.get(competitor, 0)
            competitor.lost_count = lost.get(competitor, 0)
            closed = competitor.won_count + competitor.lost_count
            competitor.win_rate = 100.0 * competitor.won_count / closed if closed else 0.0

    @api.constrains("name", "company_id")
    def _check_name_unique(self):
        """One competitor per name (case-insensitive) and company."""
        domain = expression.OR([[("name", "=ilike", escape_psql(name))] for name in set(self.mapped("name"))])
        # sudo: a namesake in a company the user is not logged into counts too.
        namesakes_su = self.sudo().with_context(active_test=False).search(domain)
        seen = set()
        for competitor_su in namesakes_su:
            key = (competitor_su.name.lower(), competitor_su.company_id.id)
            if key in seen:
                raise ValidationError(
                    self.env._("A competitor named %(name)s already exists.", name=competitor_su.name)
                )
            seen.add(key)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_opportunities(self):
        """The opportunities this competitor was met on, lost ones included."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_opportunities")
        action.update({
            "name": self.env._("Opportunities against %(name)s", name=self.name),
            "domain": [("crm_competitor_line_ids.competitor_id", "=", self.id)],
            "context": {"active_test": False, "default_type": "opportunity", "create": False},
        })  # fmt: skip
        return action
