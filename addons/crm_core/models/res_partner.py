from odoo import api, fields, models

CUSTOMER_STATUSES = [
    ("prospect", "Prospect"),
    ("intent", "Intent"),
    ("customer", "Customer"),
    ("dormant", "Dormant"),
    ("lost", "Lost"),
]
CREDIT_RATINGS = [
    ("aaa", "AAA - Excellent"),
    ("aa", "AA - Good"),
    ("a", "A - Fair"),
    ("b", "B - Watch"),
    ("c", "C - Poor"),
]


class ResPartner(models.Model):
    """The customer archive (客户档案).

    A partner is in the archive, and under the hierarchy's record rules, when
    ``crm_managed`` is set: customers created from the Customer Management app,
    from a lead conversion or an import into the archive, and their contacts
    (the flag, the owner and the department are commercial fields, copied to
    contacts). The company's own partner, users' partners, vendors and any
    partner created elsewhere stay outside the archive and visible to all
    internal users, as in standard Odoo.
    """

    _name = "res.partner"
    _inherit = ["res.partner", "crm.owned.mixin", "crm.identity.mixin"]

    crm_managed = fields.Boolean(
        string="In Customer Archive",
        index=True,
        copy=False,
        help="Customers in the archive are visible by owner and department, not to everyone.",
    )
    user_id = fields.Many2one(index=True, tracking=True)
    crm_team_id = fields.Many2one(
        "crm.team", string="Sales Department", index="btree_not_null", tracking=True, ondelete="set null"
    )
    crm_grade_id = fields.Many2one("crm.customer.grade", string="Grade", index="btree_not_null", tracking=True)
    crm_customer_type_id = fields.Many2one("crm.customer.type", string="Customer Type", index="btree_not_null")
    crm_source_id = fields.Many2one("utm.source", string="Source", index="btree_not_null")
    crm_region_id = fields.Many2one(
        "crm.region",
        string="Region",
        compute="_compute_crm_region_id",
        store=True,
        readonly=False,
        index="btree_not_null",
    )
    crm_status = fields.Selection(
        CUSTOMER_STATUSES, string="Customer Status", default="prospect", index=True, tracking=True, copy=False
    )
    crm_credit_rating = fields.Selection(CREDIT_RATINGS, string="Credit Rating", tracking=True)
    crm_product_ids = fields.Many2many(
        "product.template",
        "res_partner_crm_product_rel",
        "partner_id",
        "product_tmpl_id",
        string="Interested Products",
    )
    crm_first_followup_date = fields.Date(string="First Follow-up", copy=False, readonly=True)
    crm_last_followup_date = fields.Date(string="Last Follow-up", copy=False, readonly=True, index=True)
    crm_next_followup_date = fields.Date(string="Next Follow-up", copy=False, index=True)
    crm_followup_count = fields.Integer(string="Follow-ups", copy=False, readonly=True)

    @api.depends("state_id")
    def _compute_crm_region_id(self):
        states = self.state_id
        region_by_state = {}
        if states:
            for region in self.env["crm.region"].sudo().search([("state_ids", "in", states.ids)], order="sequence desc, name desc"):
                region_by_state.update(dict.fromkeys(region.state_ids.ids, region.id))
        for partner in self:
            # A province outside every region keeps the region set by hand.
            partner.crm_region_id = region_by_state.get(partner.state_id.id, partner.crm_region_id.id)

    @api.depends("name")
    def _compute_crm_name_key(self):
        return super()._compute_crm_name_key()

    def _crm_identity_name(self):
        return self.name

    # The raw fields, not the computed keys: constraints run on the fields
    # written, and the keys are computed from these.
    @api.constrains("crm_managed", "parent_id", "name", "phone", "mobile", "email", "vat", "country_id")
    def _check_crm_duplicates(self):
        self.env["crm.customer.lookup"].check_duplicates(self.filtered("crm_managed"))

    @api.onchange("name", "phone", "mobile", "email", "vat")
    def _onchange_crm_duplicates(self):
        if not self.crm_managed:
            return None
        duplicates = self.env["crm.customer.lookup"].find_duplicates(self, modes=("warn", "block"))
        if not duplicates:
            return None
        return {
            "warning": {
                "title": self.env._("Possible duplicate"),
                "message": self.env["crm.customer.lookup"]._describe(duplicates),
            }
        }

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + ["crm_managed", "user_id", "crm_team_id"]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # A new customer is its creator's and their department's, unless
            # it is given an owner or explicitly created in the pool.
            if vals.get("crm_managed") and not vals.get("parent_id"):
                if not vals.get("user_id") and not self.env.context.get("crm_pool"):
                    vals["user_id"] = self.env.uid
                if not vals.get("crm_team_id") and vals.get("user_id"):
                    vals["crm_team_id"] = self.env["res.users"].browse(vals["user_id"])._crm_default_team().id
        return super().create(vals_list)

    def write(self, vals):
        # Reassigning a customer files it under the new owner's department.
        if vals.get("user_id") and "crm_team_id" not in vals and any(p.crm_managed for p in self):
            vals = dict(vals, crm_team_id=self.env["res.users"].browse(vals["user_id"])._crm_default_team().id)
        return super().write(vals)
