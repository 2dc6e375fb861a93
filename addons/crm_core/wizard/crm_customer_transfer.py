from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmCustomerTransfer(models.TransientModel):
    """Transfer (客户转移) the customers of one user to another user or back to
    the pool, with their open leads, opportunities and quotations: when a rep
    leaves or a territory changes hands. All or nothing."""

    _name = "crm.customer.transfer"
    _description = "Transfer Customers"

    from_user_id = fields.Many2one("res.users", string="From", required=True, domain=[("share", "=", False)])
    to_user_id = fields.Many2one(
        "res.users",
        string="To",
        domain=[("share", "=", False)],
        help="Leave empty to release the customers to the pool.",
    )
    transfer_all = fields.Boolean(
        string="All Customers", default=True, help="Every customer of the From user, or only those selected below."
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        domain="[('crm_managed', '=', True), ('user_id', '=', from_user_id), ('parent_id', '=', False)]",
    )
    include_leads = fields.Boolean(string="Open Leads and Opportunities", default=True)
    include_quotations = fields.Boolean(string="Open Quotations", default=True)
    note = fields.Char(string="Reason", help="Logged on every transferred record.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner" and self.env.context.get("active_ids"):
            partners = self.env["res.partner"].browse(self.env.context["active_ids"]).filtered("crm_managed")
            values.update(partner_ids=[fields.Command.set(partners.ids)], transfer_all=False)
            if len(partners.user_id) == 1:
                values["from_user_id"] = partners.user_id.id
        return values

    def _get_records(self):
        """The customers, open leads/opportunities and open quotations to move,
        as the current user can see them (record rules apply)."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        if self.transfer_all:
            partners = Partner.search(
                [("crm_managed", "=", True), ("user_id", "=", self.from_user_id.id), ("parent_id", "=", False)]
            )
        else:
            partners = self.partner_ids.filtered(lambda p: p.user_id == self.from_user_id)
        # Contacts follow their company through the commercial-field sync.
        leads = self.env["crm.lead"]
        if self.include_leads:
            lead_domain = [("user_id", "=", self.from_user_id.id), ("stage_id.is_won", "=", False)]
            if not self.transfer_all:
                lead_domain.append(("partner_id", "child_of", partners.ids))
            leads = leads.search(lead_domain)
        orders = self.env["sale.order"]
        if self.include_quotations:
            order_domain = [("user_id", "=", self.from_user_id.id), ("state", "in", ("draft", "sent"))]
            if not self.transfer_all:
                order_domain.append(("partner_id", "child_of", partners.ids))
            orders = orders.search(order_domain)
        return partners, leads, orders

    def action_transfer(self):
        self.ensure_one()
        if self.to_user_id == self.from_user_id:
            raise UserError(self.env._("Choose a different user to transfer to."))
        partners, leads, orders = self._get_records()
        if not (partners or leads or orders):
            raise UserError(
                self.env._("%(user)s has nothing to transfer in your scope.", user=self.from_user_id.name)
            )
        target = self.to_user_id
        body = self._log_body()
        # One savepoint: a record that cannot move (access, company, owner
        # rules) aborts the whole transfer with the record's name.
        with self.env.cr.savepoint():
            for records in (partners, leads, orders):
                for batch in self._split(records):
                    try:
                        batch.write({"user_id": target.id})
                    except UserError as error:
                        # Same class (access, validation…), with what was not moved.
                        raise type(error)(
                            self.env._(
                                "Nothing was transferred: %(records)s could not be moved (%(error)s).",
                                records=", ".join(batch.mapped("display_name")[:5]),
                                error=error.args[0],
                            )
                        ) from error
                if records:
                    records._message_log_batch(bodies=dict.fromkeys(records.ids, body))
            self.env["crm.ownership.log"].sudo().create([
                {"partner_id": partner.id, "action": "transfer", "from_user_id": self.from_user_id.id,
                 "to_user_id": target.id, "pool_id": partner.crm_pool_id.id, "note": self.note}
                for partner in partners
            ])  # fmt: skip
        summary = self.env._(
            "%(customers)s customers, %(leads)s leads and opportunities and %(orders)s quotations "
            "transferred from %(from)s to %(to)s.",
            customers=len(partners),
            leads=len(leads),
            orders=len(orders),
            **{"from": self.from_user_id.name, "to": target.name or self.env._("the pool")},
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Transfer done"),
                "message": summary,
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _log_body(self):
        target = self.to_user_id.name or self.env._("the pool")
        text = self.env._(
            "Transferred from %(from)s to %(to)s by %(by)s.", to=target, by=self.env.user.name,
            **{"from": self.from_user_id.name},
        )
        if self.note:
            text += " " + self.env._("Reason: %(reason)s", reason=self.note)
        return Markup("<p>%s</p>") % text

    @staticmethod
    def _split(records, size=1000):
        for start in range(0, len(records), size):
            yield records[start : start + size]
