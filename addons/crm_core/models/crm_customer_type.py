from odoo import fields, models


class CrmCustomerType(models.Model):
    _name = "crm.customer.type"
    _description = "Customer Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_unique", "UNIQUE(name)", "This customer type already exists."),
    ]
