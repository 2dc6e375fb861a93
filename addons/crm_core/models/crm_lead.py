from odoo import api, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "crm.owned.mixin", "crm.identity.mixin"]

    @api.depends("partner_name", "contact_name", "name")
    def _compute_crm_name_key(self):
        return super()._compute_crm_name_key()

    def _crm_identity_name(self):
        return self.partner_name or self.contact_name or self.name

    @api.constrains("partner_id", "name", "partner_name", "contact_name", "phone", "mobile", "email_from", "country_id")
    def _check_crm_duplicates(self):
        # A lead of a known customer is expected: only unconverted leads count.
        self.env["crm.customer.lookup"].check_duplicates(self.filtered(lambda lead: not lead.partner_id))

    def _create_customer(self):
        # The customer made from this lead is no duplicate of the lead itself.
        return super(CrmLead, self.with_context(crm_lookup_skip_lead_ids=self.ids))._create_customer()

    def _prepare_customer_values(self, partner_name, is_company=False, parent_id=False):
        # A customer made from a lead enters the archive with the lead's owner.
        values = super()._prepare_customer_values(partner_name, is_company=is_company, parent_id=parent_id)
        values["crm_managed"] = True
        return values
