from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "crm.owned.mixin", "crm.fax.mixin"]
    _crm_link_fields = ("partner_id", "partner_invoice_id", "partner_shipping_id")

    crm_contract_id = fields.Many2one(
        "crm.contract", string="Contract", index="btree_not_null", copy=False, check_company=True,
        domain="[('contract_type', '=', 'sale'), ('partner_id', 'child_of', partner_id)]",
    )  # fmt: skip

    # What the Quantity Sold targets count, kept on the order so that they
    # read the orders only, not every order line (crm.sales.target).
    crm_quantity = fields.Float(
        string="Quantity Ordered", compute="_compute_crm_quantity", store=True, digits="Product Unit of Measure",
        help="Ordered quantity of the order's product lines, each in its own unit.",
    )  # fmt: skip

    def _auto_init(self):
        # One statement on install instead of the ORM recomputing every order.
        if not column_exists(self.env.cr, "sale_order", "crm_quantity"):
            create_column(self.env.cr, "sale_order", "crm_quantity", "numeric")
            self.env.cr.execute(SQL(
                """
                UPDATE sale_order so SET crm_quantity = l.quantity
                  FROM (SELECT order_id, SUM(product_uom_qty) AS quantity FROM sale_order_line
                         WHERE display_type IS NULL GROUP BY order_id) l
                 WHERE l.order_id = so.id
                """
            ))  # fmt: skip
        return super()._auto_init()

    @api.depends("order_line.product_uom_qty", "order_line.display_type")
    def _compute_crm_quantity(self):
        for order in self:
            order.crm_quantity = sum(order.order_line.filtered(lambda line: not line.display_type).mapped("product_uom_qty"))

    @api.constrains("crm_contract_id", "partner_id")
    def _check_crm_contract(self):
        for order in self.filtered("crm_contract_id"):
            order.crm_contract_id._crm_check_link(order, order.partner_id, "sale")

    def _get_invoice_grouping_keys(self):
        # One invoice per contract: it pays that contract's instalments.
        return super()._get_invoice_grouping_keys() + ["crm_contract_id"]

    def _prepare_invoice(self):
        values = super()._prepare_invoice()
        values["crm_contract_id"] = self.crm_contract_id.id
        return values

    def action_crm_create_contract(self):
        """A sales contract (合同) for this quotation or order, opened as a draft."""
        self.ensure_one()
        if self.crm_contract_id:
            raise UserError(self.env._("%(order)s already belongs to contract %(contract)s.", order=self.name, contract=self.crm_contract_id.name))
        contract = self.env["crm.contract"].create({
            "contract_type": "sale",
            "title": self.env._("Sales contract for %(order)s", order=self.name),
            "partner_id": self.partner_id.commercial_partner_id.id,
            "lead_id": self.opportunity_id.id,
            "user_id": self.user_id.id or self.env.uid,
            "crm_team_id": self.team_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "amount_total": self.amount_total,
            "payment_term_id": self.payment_term_id.id,
            "note": self.note,
        })  # fmt: skip
        self.crm_contract_id = contract
        return contract._get_records_action(name=self.env._("Contract"))
