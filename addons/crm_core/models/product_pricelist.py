from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.osv import expression

# Odoo's price list report shows at most five quantity columns.
REPORT_MAX_QUANTITIES = 5


class ProductPricelist(models.Model):
    _name = "product.pricelist"
    _inherit = ["product.pricelist", "crm.fax.mixin"]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_crm_send_fax(self):
        """A price list has no customer of its own: a wizard chooses them."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send by Fax"),
            "res_model": "crm.pricelist.fax",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_pricelist_ids": [Command.set(self.ids)]},
        }

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    @api.private
    def _crm_send_fax(self, partners=None):
        """Faxes each price list to each of ``partners``, logged in the
        chatter of every customer (their communication history) and of the
        price list."""
        if not partners:
            raise UserError(self.env._("Choose the customers to fax the price lists to."))
        # Sales reps and managers read price lists, only sales administrators
        # edit them: reading one is enough to send it.
        self.check_access("read")
        # A fax speaks to the customer: only to those the user may edit, as
        # a quotation is faxed only by who may edit it.
        partners.check_access("write")
        addresses = self._crm_fax_addresses(partners)
        for pricelist in self:
            pdf = pricelist._crm_fax_pdf()
            for partner, address in addresses.items():
                pricelist._crm_fax_log(partner, pdf, address)
            sent_to = ", ".join(f"{partner.display_name} ({address})" for partner, address in addresses.items())
            # sudo: posting needs write access to the price list, which reps
            # and managers do not have; the message only records the faxes
            # the user just sent (its author stays the user).
            pricelist_su = pricelist.sudo()
            pricelist_su._crm_fax_log(pricelist_su, pdf, body=self.env._("Faxed to %(address)s", address=sent_to))

    def _crm_fax_report_data(self):
        """Odoo's price list report (built from data, like its Print
        dialog): the products the rules cover, at the quantities of the
        rules' breaks."""
        self.ensure_one()
        quantities = sorted({1, *(int(q) if q == int(q) else q for q in self.item_ids.mapped("min_quantity") if q > 1)})
        return {
            "pricelist_id": self.id,
            "active_model": "product.template",
            "active_ids": self._crm_fax_products().ids,
            "quantities": quantities[:REPORT_MAX_QUANTITIES],
            "display_pricelist_title": True,
        }

    def _crm_fax_products(self):
        """The saleable products the rules name (by product, variant or
        category); every one for a price list with a rule on all products
        or without rules (list prices)."""
        self.ensure_one()
        items = self.item_ids
        domain = [("sale_ok", "=", True)]
        if items and not any(item.applied_on == "3_global" for item in items):
            in_categories = domain + [("categ_id", "child_of", items.categ_id.ids)] if items.categ_id else []
            domain = expression.OR([
                [("id", "in", (items.product_tmpl_id | items.product_id.product_tmpl_id).ids)],
                in_categories or expression.FALSE_DOMAIN,
            ])  # fmt: skip
        if self.company_id:
            domain = expression.AND([domain, self.env["product.template"]._check_company_domain(self.company_id)])
        return self.env["product.template"].search(domain, order="name, id")
