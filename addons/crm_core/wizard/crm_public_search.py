from odoo import fields, models


class CrmPublicSearch(models.TransientModel):
    """The public search screen (公共检索): anyone may check whether a
    customer already exists and who owns it, without opening it."""

    _name = "crm.public.search"
    _description = "Public Customer Search"

    query = fields.Char(string="Name, Phone, E-mail or Credit Code", required=True)
    line_ids = fields.One2many("crm.public.search.line", "search_id", string="Results", readonly=True)
    searched = fields.Boolean(readonly=True)

    def action_search(self):
        self.ensure_one()
        rows = self.env["crm.customer.lookup"].search_rows(self.query)
        self.line_ids = [fields.Command.clear()] + [fields.Command.create(row) for row in rows]
        self.searched = True
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new" if self.env.context.get("dialog") else "current",
            "name": self.env._("Public Search"),
        }


class CrmPublicSearchLine(models.TransientModel):
    _name = "crm.public.search.line"
    _description = "Public Customer Search Result"
    _order = "id"

    search_id = fields.Many2one("crm.public.search", required=True, ondelete="cascade", index=True)
    kind = fields.Selection(
        [("customer", "Customer"), ("lead", "Lead"), ("opportunity", "Opportunity")], readonly=True
    )
    name = fields.Char(readonly=True)
    owner = fields.Char(readonly=True)
    department = fields.Char(readonly=True)
    status = fields.Char(readonly=True)
    last_followup = fields.Date(string="Last Follow-up", readonly=True)

