from odoo import api, models
from odoo.exceptions import AccessError, UserError


class CrmOwnedMixin(models.AbstractModel):
    """Customer data owned by a rep and filed under a department.

    Reps do not change the owner; department managers reassign inside their
    scope; the general manager anywhere. Visibility is the record rules' job
    and deletion the access rights' (security/): reps have no unlink.
    """

    _name = "crm.owned.mixin"
    _description = "Customer Data Owned by a Sales Rep"
    _crm_owner_field = "user_id"
    # Fields naming a customer or a lead (models override): the user must be
    # able to read it, and to have claimed it from a pool.
    _crm_link_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            owner = vals.get(self._crm_owner_field)
            if owner and owner != self.env.uid:
                self._crm_check_assign(self.env["res.users"].browse(owner))
        records = super().create(vals_list)
        # Checked on the records: their values may come from defaults.
        records._crm_check_links(self._crm_link_fields)
        return records

    def write(self, vals):
        if self._crm_owner_field in vals:
            new_owner = self.env["res.users"].browse(vals[self._crm_owner_field] or [])
            changed = self.filtered(lambda record: record[self._crm_owner_field] != new_owner)
            if changed:
                changed._crm_check_assign(new_owner, records=changed)
                changed._crm_check_owner_company(new_owner)
        result = super().write(vals)
        self._crm_check_links([fname for fname in self._crm_link_fields if fname in vals])
        return result

    def _crm_check_links(self, fnames):
        """A document names only customers and leads the user may read, pool
        ones once claimed: it would show what reading them refuses (reports
        print the customer's address and phone as superuser; a lead copies
        its customer's e-mail, phone and address)."""
        if self.env.su:
            return
        for fname in fnames:
            self.mapped(fname)._crm_check_linkable()

    def _crm_check_owner_company(self, new_owner):
        """A record goes only to an owner allowed in its company: otherwise
        the new owner could not even open it."""
        if not new_owner or "company_id" not in self._fields:
            return
        foreign = self.filtered(lambda r: r.company_id and r.company_id not in new_owner.sudo().company_ids)
        if foreign:
            raise UserError(
                self.env._(
                    "%(owner)s has no access to company %(company)s of %(records)s.",
                    owner=new_owner.name,
                    company=foreign[0].company_id.name,
                    records=", ".join(foreign.mapped("display_name")[:5]),
                )
            )

    def _crm_check_assign(self, new_owner, records=None):
        """May the current user give records to ``new_owner`` (or to nobody)?"""
        user = self.env.user
        if self.env.su or not user.has_group("crm_core.group_crm_rep") or user.crm_scope_all:
            return  # superuser, users outside the bundle's roles, general manager
        names = ", ".join((records or self).mapped("display_name")[:5])
        if not user.has_group("crm_core.group_crm_manager"):
            raise AccessError(
                self.env._(
                    "Only a department manager or the general manager can change the owner of %(records)s.",
                    records=names or self._description,
                )
            )
        if new_owner and new_owner not in user.crm_scope_user_ids:
            raise AccessError(
                self.env._(
                    "%(owner)s is not in your departments: you cannot assign %(records)s to them.",
                    owner=new_owner.name,
                    records=names or self._description,
                )
            )
