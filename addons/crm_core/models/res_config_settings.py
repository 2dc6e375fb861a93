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
