from odoo import fields, models


class CrmCustomerGrade(models.Model):
    _name = "crm.customer.grade"
    _description = "Customer Grade"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short code shown in lists, e.g. A.")
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    description = fields.Text(translate=True)
    protection_days = fields.Integer(
        default=30, help="Days a registered prospect of this grade stays protected for its applicant."
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "Another grade already uses this code."),
    ]
