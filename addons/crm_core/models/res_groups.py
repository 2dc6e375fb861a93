from odoo import fields, models

from .crm_scope import DATA_SCOPES


class ResGroups(models.Model):
    _inherit = "res.groups"

    crm_data_scope = fields.Selection(
        DATA_SCOPES,
        string="Data Scope",
        help="Which customers, leads, opportunities and quotations members of this group see. "
        "A user with several such groups gets the broadest scope.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "crm_data_scope" in vals:
            self.env["res.users"]._crm_scope_changed()
        elif {"users", "implied_ids"} & set(vals):
            # Groups address announcements.
            self.env["announcement"]._crm_refresh_audience()
        return res
