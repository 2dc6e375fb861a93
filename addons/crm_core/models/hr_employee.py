from odoo import api, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        if any(vals.get("parent_id") for vals in vals_list):
            self.env["res.users"]._crm_scope_changed()
        return employees

    def write(self, vals):
        res = super().write(vals)
        # The "own and subordinates" scope follows the manager chain.
        if {"parent_id", "user_id", "active"} & set(vals):
            self.env["res.users"]._crm_scope_changed()
        return res
