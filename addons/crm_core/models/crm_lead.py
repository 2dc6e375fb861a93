from odoo import api, fields, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "crm.owned.mixin", "crm.identity.mixin", "crm.pool.item.mixin", "crm.shared.mixin"]

    _crm_link_fields = ("partner_id",)

    crm_ownership_log_ids = fields.One2many("crm.ownership.log", "lead_id", string="Ownership History")
    crm_competitor_line_ids = fields.One2many("crm.lead.competitor", "lead_id", string="Competitors")
    crm_lost_competitor_id = fields.Many2one(
        "crm.competitor", string="Lost To", index="btree_not_null", ondelete="restrict", tracking=True,
        check_company=True, copy=False,
    )  # fmt: skip
    crm_product_ids = fields.Many2many(
        "product.template", "crm_lead_crm_product_rel", "lead_id", "product_tmpl_id", string="Products of Interest"
    )
    crm_contract_ids = fields.One2many("crm.contract", "lead_id", string="Contracts")
    crm_contract_count = fields.Integer(string="Contract Count", compute="_compute_crm_contract_count")
    crm_shared_user_ids = fields.Many2many(
        "res.users", "crm_lead_crm_shared_user_rel", "lead_id", "user_id", string="Shared with",
        domain=[("share", "=", False)], copy=False,
        help="Colleagues who may read this lead or opportunity, without editing it.",
    )  # fmt: skip

    def _compute_crm_contract_count(self):
        counts = dict(self.env["crm.contract"]._read_group([("lead_id", "in", self.ids)], ["lead_id"], ["__count"]))
        for lead in self:
            lead.crm_contract_count = counts.get(lead, 0)

    def action_crm_view_contracts(self):
        """The opportunity's contracts; a new one starts from its customer and
        its confirmed (else latest) quotation."""
        self.ensure_one()
        orders = self.order_ids.filtered(lambda o: o.state != "cancel")
        order = orders.filtered(lambda o: o.state == "sale")[:1] or orders[:1]
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_core.crm_contract_action_sale")
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {
            "default_contract_type": "sale",
            "default_lead_id": self.id,
            "default_partner_id": self.partner_id.commercial_partner_id.id,
            "default_title": self.name,
            "default_amount_total": order.amount_total or self.expected_revenue,
            "default_currency_id": (order.currency_id or self.company_currency).id,
            "default_crm_team_id": self.team_id.id,
        }
        if self.crm_contract_count == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=self.crm_contract_ids.id)
        elif not self.crm_contract_count:
            action.update(view_mode="form", views=[(False, "form")])
        return action

    @api.depends("partner_name", "contact_name", "name")
    def _compute_crm_name_key(self):
        return super()._compute_crm_name_key()

    def _crm_identity_name(self):
        return self.partner_name or self.contact_name or self.name

    @api.constrains("partner_id", "name", "partner_name", "contact_name", "phone", "mobile", "email_from", "country_id")
    def _check_crm_duplicates(self):
        # A lead of a known customer is expected: only unconverted leads count.
        self.env["crm.customer.lookup"].check_duplicates(self.filtered(lambda lead: not lead.partner_id))

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads.filtered(lambda lead: not lead.user_id)._crm_set_home_pool()
        leads.filtered("crm_lost_competitor_id")._crm_add_lost_competitor_lines()
        return leads

    def write(self, vals):
        res = super().write(vals)
        if "user_id" in vals and not vals["user_id"]:
            self._crm_set_home_pool()
        if vals.get("crm_lost_competitor_id"):
            self._crm_add_lost_competitor_lines()
        return res

    def toggle_active(self):
        res = super().toggle_active()
        # A restored opportunity is no longer lost to anyone.
        self.filtered(lambda lead: lead.active and lead.crm_lost_competitor_id).write({"crm_lost_competitor_id": False})
        return res

    def _crm_add_lost_competitor_lines(self):
        """The competitor a deal is lost to counts among those faced on it."""
        missing = self.filtered(
            lambda lead: lead.crm_lost_competitor_id not in lead.crm_competitor_line_ids.competitor_id
        )
        self.env["crm.lead.competitor"].create([
            {"lead_id": lead.id, "competitor_id": lead.crm_lost_competitor_id.id} for lead in missing
        ])  # fmt: skip

    def _create_customer(self):
        # The customer made from this lead is no duplicate of the lead itself.
        return super(CrmLead, self.with_context(crm_lookup_skip_lead_ids=self.ids))._create_customer()

    def _prepare_customer_values(self, partner_name, is_company=False, parent_id=False):
        # A customer made from a lead enters the archive with the lead's owner.
        values = super()._prepare_customer_values(partner_name, is_company=is_company, parent_id=parent_id)
        values["crm_managed"] = True
        return values

    # ------------------------------------------------------------------
    # Pool
    # ------------------------------------------------------------------
    def _crm_pool_masked_fields(self):
        return {
            "phone", "mobile", "email_from", "email_normalized", "email_cc", "phone_sanitized", "contact_name",
            "partner_id", "street", "street2", "website", "crm_phone_e164", "crm_mobile_e164", "crm_email_domain",
        }  # fmt: skip

    def _search_phone_mobile_search(self, operator, value):
        # Odoo matches the numbers in its own SQL, around _condition_to_sql.
        return self._crm_pool_unmasked(super()._search_phone_mobile_search(operator, value))

    def _crm_shared_kind(self):
        return self.env._("leads and opportunities")

    def _crm_set_shared(self, users, share=True, note=None, notify=True):
        customers = self.env["res.partner"]
        if share:
            # A colleague opens an opportunity only with its customer (Odoo's
            # lead form reads it): it is shared too, read only as well, and
            # stays shared until stopped from the customer list. Both are
            # checked before anything is written or sent.
            self._crm_check_shareable(users)
            customers = self.partner_id.commercial_partner_id.filtered(lambda p: p.crm_managed and p.user_id)
            customers._crm_check_shareable(users)
        changed = super()._crm_set_shared(users, share=share, note=note, notify=notify)
        if customers:
            customers._crm_set_shared(users, note=note, notify=False)
        return changed

    def action_claim(self):
        """Claim (领取) unowned leads of a pool in reach for the current user."""
        user = self.env.user
        self._crm_serialize_claims(user)
        self._crm_check_claimable()
        # Only pools in the claimer's reach (the pool rule), once the rows are ours.
        self.check_access("read")
        leads_su = self.sudo()
        logs = [
            {"lead_id": lead.id, "action": "claim", "to_user_id": user.id, "pool_id": lead.crm_pool_id.id}
            for lead in leads_su
        ]
        leads_su.write({"user_id": user.id, "team_id": user._crm_default_team().id})
        self.env["crm.ownership.log"].sudo().create(logs)
        return True
