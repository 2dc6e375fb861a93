from odoo import fields, models

from .crm_customer_lookup import DUPLICATE_MODES


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_duplicate_name = fields.Selection(
        DUPLICATE_MODES, string="Same Name", config_parameter="crm_core.duplicate_name", default="warn"
    )
    crm_duplicate_phone = fields.Selection(
        DUPLICATE_MODES, string="Same Phone", config_parameter="crm_core.duplicate_phone", default="block"
    )
    crm_duplicate_email = fields.Selection(
        DUPLICATE_MODES, string="Same E-mail", config_parameter="crm_core.duplicate_email", default="warn"
    )
    crm_duplicate_vat = fields.Selection(
        DUPLICATE_MODES, string="Same Credit Code", config_parameter="crm_core.duplicate_vat", default="block"
    )
    crm_max_concurrent_users = fields.Integer(
        string="Users Online at Once", config_parameter="crm_core.max_concurrent_users",
        help="The edition's limit of internal users logged in at the same time (0: no limit). "
        "Administrators can always log in and are not counted.",
    )  # fmt: skip
    crm_session_online_minutes = fields.Integer(
        string="Session Counts as Online (minutes)", config_parameter="crm_core.session_online_minutes", default=120,
        help="How long after its last recorded activity a session that was not logged out still takes a place.",
    )  # fmt: skip
