from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmCustomFieldOption(models.Model):
    """An option of a selection custom field: the value stored on the
    records and the label shown, which is translated."""

    _name = "crm.custom.field.option"
    _description = "Custom Field Option"
    _inherit = ["crm.input.mixin"]
    _order = "sequence, id"

    custom_field_id = fields.Many2one("crm.custom.field", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    value = fields.Char(
        string="Key", required=True,
        help="Stored on the records and used by imports and the API; renaming it renames it on the records.",
    )  # fmt: skip
    name = fields.Char(string="Label", required=True, translate=True)
    selection_id = fields.Many2one("ir.model.fields.selection", readonly=True, copy=False, ondelete="set null")

    @api.constrains("value", "custom_field_id")
    def _check_value(self):
        for custom_field in self.custom_field_id:
            seen = set()
            for option in custom_field.option_ids:
                value = (option.value or "").strip()
                if not value:
                    raise ValidationError(self.env._(
                        "The option %(label)s of the custom field %(field)s needs a key.",
                        label=option.name, field=custom_field.name,
                    ))  # fmt: skip
                if value != option.value:
                    raise ValidationError(self.env._(
                        "The key “%(key)s” of the custom field %(field)s may not start or end with spaces.",
                        key=option.value, field=custom_field.name,
                    ))  # fmt: skip
                if value in seen:
                    raise ValidationError(self.env._(
                        "The key “%(key)s” appears twice in the options of the custom field %(field)s.",
                        key=value, field=custom_field.name,
                    ))  # fmt: skip
                seen.add(value)

    # Options edited on their own (the form edits them through their custom
    # field, which writes them back to the Odoo field once).
    def _sync_applied(self, custom_fields):
        if self.env.context.get("crm_custom_field_sync", True):
            custom_fields.filtered(lambda f: f.state == "applied" and f.field_type == "selection")._sync_options()

    @api.model_create_multi
    def create(self, vals_list):
        options = super().create(vals_list)
        self._sync_applied(options.custom_field_id)
        return options

    def write(self, vals):
        res = super().write(vals)
        self._sync_applied(self.custom_field_id)
        return res

    def unlink(self):
        custom_fields = self.custom_field_id
        res = super().unlink()
        self._sync_applied(custom_fields.exists())
        return res
