from odoo import api, fields, models


class CrmPricelistFax(models.TransientModel):
    """Fax (传真) price lists to customers: a price list has no customer
    of its own, so the user chooses them."""

    _name = "crm.pricelist.fax"
    _description = "Fax Price Lists"

    pricelist_ids = fields.Many2many(
        "product.pricelist", "crm_pricelist_fax_pricelist_rel", "wizard_id", "pricelist_id", string="Price Lists",
        required=True,
    )  # fmt: skip
    partner_ids = fields.Many2many(
        "res.partner", "crm_pricelist_fax_partner_rel", "wizard_id", "partner_id", string="Customers", required=True,
        help="Each one gets every price list at their fax number, or their company's.",
    )  # fmt: skip

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        # Opened from the price lists selected in their list.
        active_ids = self.env.context.get("active_ids")
        from_list = self.env.context.get("active_model") == "product.pricelist" and active_ids
        if from_list and "pricelist_ids" in fields_list:
            values.setdefault("pricelist_ids", [fields.Command.set(active_ids)])
        return values

    def action_send(self):
        self.ensure_one()
        self.pricelist_ids._crm_send_fax(self.partner_ids)
        return self.pricelist_ids._crm_fax_notification(len(self.pricelist_ids) * len(self.partner_ids))
