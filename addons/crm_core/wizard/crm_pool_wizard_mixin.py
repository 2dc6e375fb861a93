from odoo import api, fields, models


class CrmPoolWizardMixin(models.AbstractModel):
    """A pool wizard acting on the customers selected in a list or form."""

    _name = "crm.pool.wizard.mixin"
    _description = "Pool Wizard on Selected Customers"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner" and self.env.context.get("active_ids"):
            values["partner_ids"] = [fields.Command.set(self.env.context["active_ids"])]
        return values
