from odoo import models


class HrEmployee(models.Model):
    _name = "hr.employee"
    _inherit = ["hr.employee", "crm.scope.trigger.mixin"]
    # The "own and subordinates" scope follows the manager chain.
    _crm_scope_fields = ("parent_id", "user_id", "active")
