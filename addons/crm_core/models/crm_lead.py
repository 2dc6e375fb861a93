from odoo import api, fields, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "crm.owned.mixin", "crm.identity.mixin", "crm.pool.item.mixin"]

    crm_ownership_log_ids = fields.One2many("crm.ownership.log", "lead_id", string="Ownership History")

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
        return leads

    def write(self, vals):
        res = super().write(vals)
        if "user_id" in vals and not vals["user_id"]:
            self._crm_set_home_pool()
        return res

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
