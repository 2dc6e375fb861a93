from odoo import api, fields, models


class CrmChannelLevel(models.Model):
    _name = "crm.channel.level"
    _description = "Channel Level"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    discount = fields.Float(
        string="Standard Discount (%)",
        digits=(5, 2),
        help="Discount granted to channel partners of this level on list prices.",
    )
    description = fields.Text()
    partner_ids = fields.One2many("res.partner", "channel_level_id", string="Channel Partners")
    partner_count = fields.Integer(compute="_compute_partner_count")

    _sql_constraints = [
        ("discount_range", "CHECK(discount >= 0 AND discount <= 100)", "The standard discount must be between 0 and 100%."),
    ]

    @api.depends("partner_ids")
    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group([("channel_level_id", "in", self.ids)], ["channel_level_id"], ["__count"])
        )
        for level in self:
            level.partner_count = counts.get(level, 0)

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_channel.res_partner_action_channel")
        action["domain"] = [("channel_level_id", "=", self.id)]
        action["context"] = {"default_channel_level_id": self.id, "default_is_company": True}
        return action
