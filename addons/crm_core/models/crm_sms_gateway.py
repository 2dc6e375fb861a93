import json
import logging
from urllib.parse import urlparse

import requests

from odoo import api, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)

PARAM_PREFIX = "crm_core.sms_gateway_"
# Keys of the settings, stored as ir.config_parameter crm_core.sms_gateway_<key>.
CONFIG_KEYS = (
    "enabled",
    "url",
    "method",
    "content_type",
    "params",
    "sender",
    "auth",
    "auth_user",
    "auth_secret",
    "auth_header",
    "success_json_path",
    "success_json_value",
    "success_substring",
    "timeout",
)
DEFAULT_TIMEOUT = 10
# What is kept of the gateway's answer on the SMS and in the chatter.
ANSWER_MAX_CHARS = 500
PLACEHOLDERS = ("{number}", "{number_digits}", "{message}", "{sender}")


class CrmSmsGateway(models.AbstractModel):
    """A generic HTTP SMS gateway used instead of Odoo's IAP service.

    Most SMS providers (阿里云, 腾讯云, 云片, Twilio, Vonage, …) take one HTTP
    request per message: a URL, a few parameters holding the number, the
    text and a signature, an API key in the parameters or a header, and
    answer with a status in the body. The settings describe that request;
    each SMS becomes one request and the provider's answer is kept on the
    SMS. Secrets live in system-only parameters and are never logged."""

    _name = "crm.sms.gateway"
    _description = "SMS Gateway"

    @api.model
    def _crm_get_config(self):
        """The gateway settings, or None when the gateway is off (Odoo's IAP
        service is then used as usual)."""
        # sudo: the settings are system parameters; they stay in this process
        # and only the outcome of each request reaches the caller.
        params_su = self.env["ir.config_parameter"].sudo()
        config = {key: params_su.get_param(PARAM_PREFIX + key) or "" for key in CONFIG_KEYS}
        if config["enabled"] not in ("True", "1") or not config["url"]:
            return None
        config["method"] = config["method"] or "POST"
        config["content_type"] = config["content_type"] or "form"
        config["auth"] = config["auth"] or "none"
        try:
            config["timeout"] = float(config["timeout"] or DEFAULT_TIMEOUT)
        except ValueError:
            config["timeout"] = DEFAULT_TIMEOUT
        config["params"] = self._crm_parse_params(config["params"])
        return config

    @api.model
    def _crm_parse_params(self, text):
        """The parameters template: a JSON object whose values may hold the
        placeholders. Raises a ValidationError naming the setting."""
        if not (text or "").strip():
            return {}
        try:
            params = json.loads(text)
        except ValueError as e:
            raise ValidationError(
                self.env._("SMS gateway, Parameters Template: not valid JSON (%(error)s).", error=e)
            ) from e
        if not isinstance(params, dict):
            raise ValidationError(
                self.env._('SMS gateway, Parameters Template: a JSON object is expected, e.g. {"mobile": "{number}"}.')
            )
        return params

    # ------------------------------------------------------------
    # SENDING
    # ------------------------------------------------------------

    @api.model
    def _crm_send_batch(self, sms_records, config):
        """Send each SMS in one request; return {sms id: (success, answer)}."""
        results = {}
        with requests.Session() as session:
            for sms in sms_records:
                results[sms.id] = self._crm_send_one(session, config, sms.number or "", sms.body or "")
        return results

    @api.model
    def _crm_send_one(self, session, config, number, message):
        values = {
            "{number}": number,
            "{number_digits}": "".join(c for c in number if c.isdigit()),
            "{message}": message,
            "{sender}": config["sender"],
        }
        params = self._crm_fill(config["params"], values)
        kwargs = {"timeout": config["timeout"], "headers": {}}
        if config["method"] == "GET":
            kwargs["params"] = params
        elif config["content_type"] == "json":
            kwargs["json"] = params
        else:
            kwargs["data"] = params
        self._crm_add_auth(config, kwargs)
        host = urlparse(config["url"]).netloc
        try:
            response = session.request(config["method"], config["url"], **kwargs)
        except requests.Timeout:
            _logger.info("SMS gateway %s: timeout after %ss", host, config["timeout"])
            return False, self.env._("No answer within %(seconds)s seconds.", seconds=config["timeout"])
        except requests.RequestException as e:
            # The exception text names the URL only; parameters are not in it.
            _logger.info("SMS gateway %s: %s", host, type(e).__name__)
            return False, self.env._("Connection failed: %(error)s", error=type(e).__name__)
        answer = f"HTTP {response.status_code}: {response.text}"[:ANSWER_MAX_CHARS]
        success = self._crm_is_success(config, response)
        _logger.info("SMS gateway %s: HTTP %s, %s", host, response.status_code, "sent" if success else "refused")
        return success, answer

    @api.model
    def _crm_fill(self, template, values):
        """Replace the placeholders in every string of the template (plain
        replacement: braces in JSON or in the message mean nothing)."""
        if isinstance(template, dict):
            return {key: self._crm_fill(value, values) for key, value in template.items()}
        if isinstance(template, list):
            return [self._crm_fill(value, values) for value in template]
        if isinstance(template, str):
            for placeholder, value in values.items():
                template = template.replace(placeholder, value)
        return template

    @api.model
    def _crm_add_auth(self, config, kwargs):
        auth = config["auth"]
        if auth == "basic":
            kwargs["auth"] = (config["auth_user"], config["auth_secret"])
        elif auth == "bearer":
            kwargs["headers"]["Authorization"] = f"Bearer {config['auth_secret']}"
        elif auth == "header" and config["auth_header"]:
            kwargs["headers"][config["auth_header"]] = config["auth_secret"]

    @api.model
    def _crm_is_success(self, config, response):
        """HTTP 2xx, then the optional JSON value and substring checks."""
        if not 200 <= response.status_code < 300:
            return False
        if config["success_substring"] and config["success_substring"] not in response.text:
            return False
        if config["success_json_path"]:
            try:
                value = response.json()
            except ValueError:
                return False
            for key in config["success_json_path"].split("."):
                if isinstance(value, list) and key.isdigit() and int(key) < len(value):
                    value = value[int(key)]
                elif isinstance(value, dict) and key in value:
                    value = value[key]
                else:
                    return False
            expected = config["success_json_value"]
            if expected:
                # JSON true/1/"OK" compare as text: the setting is text.
                text = json.dumps(value) if isinstance(value, bool) or value is None else str(value)
                return text == expected
            return bool(value)
        return True
