from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    channel_level_id = fields.Many2one(
        "crm.channel.level",
        string="Channel Level",
        index="btree_not_null",
        tracking=True,
        help="Set on distributors and dealers: makes the partner a sales channel.",
    )
    channel_state_ids = fields.Many2many(
        "res.country.state",
        "res_partner_channel_state_rel",
        "partner_id",
        "state_id",
        string="Territory",
        help="Provinces or states where this channel partner sells.",
    )
