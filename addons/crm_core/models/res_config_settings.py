from odoo import fields, models
from odoo.exceptions import ValidationError

from .crm_customer_lookup import DUPLICATE_MODES
from .crm_sms_gateway import DEFAULT_TIMEOUT


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

    # SMS gateway (短信群发) and e-mail-to-fax gateway (传真群发): system settings.
    crm_sms_gateway_enabled = fields.Boolean(
        string="Own SMS Gateway", config_parameter="crm_core.sms_gateway_enabled", groups="base.group_system",
        help="Send SMS through the HTTP gateway below instead of Odoo's IAP service.",
    )  # fmt: skip
    crm_sms_gateway_url = fields.Char(
        string="Gateway URL", config_parameter="crm_core.sms_gateway_url", groups="base.group_system"
    )
    crm_sms_gateway_method = fields.Selection(
        [("POST", "POST"), ("GET", "GET")], string="HTTP Method", default="POST",
        config_parameter="crm_core.sms_gateway_method", groups="base.group_system",
    )  # fmt: skip
    crm_sms_gateway_content_type = fields.Selection(
        [("form", "Form (x-www-form-urlencoded)"), ("json", "JSON")], string="Body Format", default="form",
        config_parameter="crm_core.sms_gateway_content_type", groups="base.group_system",
        help="How POST parameters are sent; GET puts them in the URL.",
    )  # fmt: skip
    crm_sms_gateway_params = fields.Char(
        string="Parameters Template", config_parameter="crm_core.sms_gateway_params", groups="base.group_system",
        help='A JSON object; {number}, {number_digits}, {message} and {sender} are replaced in its values, e.g. '
        '{"mobile": "{number_digits}", "content": "{sender}{message}", "apikey": "…"}.',
    )  # fmt: skip
    crm_sms_gateway_sender = fields.Char(
        string="Sender / Signature", config_parameter="crm_core.sms_gateway_sender", groups="base.group_system",
        help="The value of {sender}, e.g. the registered signature 【公司名】.",
    )  # fmt: skip
    crm_sms_gateway_auth = fields.Selection(
        [("none", "None"), ("basic", "Basic (user and password)"), ("bearer", "Bearer token"),
         ("header", "Header (name and value)")],
        string="Authentication", default="none", config_parameter="crm_core.sms_gateway_auth",
        groups="base.group_system",
    )  # fmt: skip
    crm_sms_gateway_auth_user = fields.Char(
        string="User", config_parameter="crm_core.sms_gateway_auth_user", groups="base.group_system"
    )
    crm_sms_gateway_auth_header = fields.Char(
        string="Header Name", config_parameter="crm_core.sms_gateway_auth_header", groups="base.group_system"
    )
    crm_sms_gateway_auth_secret = fields.Char(
        string="Password / Token / Header Value", config_parameter="crm_core.sms_gateway_auth_secret",
        groups="base.group_system",
    )  # fmt: skip
    crm_sms_gateway_success_json_path = fields.Char(
        string="Success JSON Path", config_parameter="crm_core.sms_gateway_success_json_path",
        groups="base.group_system",
        help="Dotted path in the JSON answer that must hold the value below (or be true), e.g. result.code.",
    )  # fmt: skip
    crm_sms_gateway_success_json_value = fields.Char(
        string="Success Value", config_parameter="crm_core.sms_gateway_success_json_value",
        groups="base.group_system",
    )  # fmt: skip
    crm_sms_gateway_success_substring = fields.Char(
        string="Success Text", config_parameter="crm_core.sms_gateway_success_substring",
        groups="base.group_system", help="Text the answer must contain, e.g. OK.",
    )  # fmt: skip
    crm_sms_gateway_timeout = fields.Integer(
        string="Timeout (seconds)", config_parameter="crm_core.sms_gateway_timeout", default=DEFAULT_TIMEOUT,
        groups="base.group_system",
    )  # fmt: skip
    crm_fax_domain = fields.Char(
        string="E-mail-to-Fax Domain", config_parameter="crm_core.fax_domain", groups="base.group_system",
        help="Faxes are e-mailed to <fax number>@<this domain>, e.g. fax.example.com.",
    )  # fmt: skip
    crm_fax_prefix = fields.Char(
        string="Fax Number Prefix", config_parameter="crm_core.fax_prefix", groups="base.group_system",
        help="Digits put before every fax number, e.g. an outside-line 0 or a country code.",
    )  # fmt: skip

    def set_values(self):
        for settings in self:
            if settings.env.user.has_group("base.group_system"):
                self.env["crm.sms.gateway"]._crm_parse_params(settings.crm_sms_gateway_params)
                if settings.crm_fax_prefix and not settings.crm_fax_prefix.isdigit():
                    raise ValidationError(self.env._("Fax Number Prefix: digits only."))
        super().set_values()
