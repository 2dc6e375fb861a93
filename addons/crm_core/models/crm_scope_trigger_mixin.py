from odoo import api, models


class CrmScopeTriggerMixin(models.AbstractModel):
    """A model the data scopes are computed from (departments, members,
    employees, pools): creating or deleting a record, or changing one of
    ``_crm_scope_fields``, makes the cached rule domains stale."""

    _name = "crm.scope.trigger.mixin"
    _description = "Data Scope Source"
    _crm_scope_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env["res.users"]._crm_scope_changed()
        return records

    def write(self, vals):
        res = super().write(vals)
        if set(self._crm_scope_fields) & set(vals):
            self.env["res.users"]._crm_scope_changed()
        return res

    def unlink(self):
        res = super().unlink()
        self.env["res.users"]._crm_scope_changed()
        return res
