from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

REGISTRATION_GRADES = [("a", "A"), ("b", "B"), ("c", "C")]
# Written by the buttons only: over RPC they would forge a review (an approved
# registration protects its customer, and the daily job releases the customer
# of an expired one to the pool).
REVIEW_FIELDS = {
    "name", "applicant_id", "team_id", "state", "conflict", "conflict_description", "reviewer_id", "partner_id",
    "protection_until",
}  # fmt: skip


class CrmRegistration(models.Model):
    """Graded registration (潜在客户分级报备): a rep registers a prospect, the
    duplicate check runs, a manager approves (or rejects) and assigns it, and
    the prospect is protected for the applicant for a period by grade."""

    _name = "crm.registration"
    _description = "Prospect Registration"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.input.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", readonly=True, copy=False, default=lambda self: self.env._("New"))
    applicant_id = fields.Many2one(
        "res.users", string="Applicant", required=True, readonly=True, index=True,
        default=lambda self: self.env.user, tracking=True,
    )  # fmt: skip
    team_id = fields.Many2one(
        "crm.team", string="Department", index="btree_not_null", readonly=True,
        default=lambda self: self.env.user._crm_default_team(),
    )  # fmt: skip
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "To Review"), ("approved", "Approved"), ("rejected", "Rejected"),
         ("released", "Released")],
        default="draft", required=True, tracking=True, index=True, copy=False,
    )  # fmt: skip
    company_name = fields.Char(string="Prospect Company", required=True, tracking=True)
    contact_name = fields.Char(string="Contact")
    phone = fields.Char()
    email = fields.Char(string="E-mail")
    grade = fields.Selection(REGISTRATION_GRADES, required=True, default="b", tracking=True)
    expected_amount = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id, required=True)
    product_ids = fields.Many2many("product.template", string="Interested Products")
    note = fields.Text()
    # Duplicate check and collisions (撞单)
    conflict = fields.Boolean(string="Collision", readonly=True, copy=False, tracking=True)
    conflict_description = fields.Text(string="Collides With", readonly=True, copy=False)
    # Review and protection
    reviewer_id = fields.Many2one("res.users", string="Reviewed By", readonly=True, copy=False)
    reject_reason = fields.Char(copy=False, tracking=True)
    assigned_user_id = fields.Many2one(
        "res.users", string="Assign To", copy=False, tracking=True, domain=[("share", "=", False)],
        help="Who gets the customer once approved; empty: the applicant.",
    )  # fmt: skip
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, copy=False, index="btree_not_null")
    protection_until = fields.Date(readonly=True, copy=False, tracking=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_review_fields(vals)
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("crm.registration") or "/"
        return super().create(vals_list)

    def write(self, vals):
        self._check_review_fields(vals)
        return super().write(vals)

    @api.model
    def _check_review_fields(self, vals):
        forged = REVIEW_FIELDS.intersection(vals)
        if forged and not self.env.su:
            raise AccessError(
                self.env._("The review of a registration is recorded by its buttons, not written: %(fields)s.",
                           fields=", ".join(sorted(forged)))
            )  # fmt: skip

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_submit(self):
        """The applicant submits: the duplicate check runs and collisions are
        flagged to the department managers with both sides shown."""
        self.check_access("write")
        for registration in self:
            if registration.state != "draft":
                raise UserError(self.env._("%(name)s was already submitted.", name=registration.name))
            hits = registration._find_collisions()
            # sudo: the review fields are the buttons' (REVIEW_FIELDS).
            registration.sudo().write({
                "state": "submitted",
                "conflict": bool(hits),
                "conflict_description": "\n".join(hits) or False,
            })  # fmt: skip
            registration._notify_reviewers()
        return True

    def action_approve(self):
        """A manager approves and assigns (default: the applicant): the
        prospect enters the archive, owned and protected."""
        self._check_reviewer()
        for registration in self:
            if registration.state != "submitted":
                raise UserError(self.env._("Only submitted registrations can be approved: %(name)s.", name=registration.name))
            user = registration.assigned_user_id or registration.applicant_id
            days = registration._protection_days()
            # The manager's create: owner checks apply (their scope), and the
            # duplicate check blocks a collision they approve by mistake.
            partner = self.env["res.partner"].create(registration._partner_values(user))
            if registration.contact_name:
                # The contact's numbers are the company's: no duplicate of it.
                self.env["res.partner"].create({"name": registration.contact_name, "parent_id": partner.id})
            registration.sudo().write({
                "state": "approved",
                "reviewer_id": self.env.uid,
                "assigned_user_id": user.id,
                "partner_id": partner.id,
                "protection_until": fields.Date.context_today(self) + timedelta(days=days),
            })  # fmt: skip
            partner.message_post(
                body=Markup("<p>%s</p>")
                % self.env._("Registered by %(user)s (%(name)s), protected until %(date)s.",
                             user=registration.applicant_id.name, name=registration.name,
                             date=registration.protection_until)  # fmt: skip
            )
        return True

    def action_reject(self):
        self._check_reviewer()
        for registration in self:
            if registration.state != "submitted":
                raise UserError(self.env._("Only submitted registrations can be rejected: %(name)s.", name=registration.name))
            if not registration.reject_reason:
                raise UserError(self.env._("Give the reason of the rejection of %(name)s.", name=registration.name))
        self.sudo().write({"state": "rejected", "reviewer_id": self.env.uid})
        return True

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _check_reviewer(self):
        if not self.env.user.has_group("crm_core.group_crm_manager"):
            raise AccessError(self.env._("Only a department manager or the general manager reviews registrations."))
        self.check_access("write")

    def _protection_days(self):
        self.ensure_one()
        grade = self.env["crm.customer.grade"].search([("code", "=ilike", self.grade)], limit=1)
        return grade.protection_days or 30  # a grade without its own period

    def _partner_values(self, user):
        self.ensure_one()
        grade = self.env["crm.customer.grade"].search([("code", "=ilike", self.grade)], limit=1)
        return {
            "name": self.company_name, "is_company": True, "crm_managed": True, "phone": self.phone,
            "email": self.email, "user_id": user.id, "crm_team_id": user._crm_default_team().id,
            "crm_grade_id": grade.id, "crm_product_ids": [fields.Command.set(self.product_ids.ids)],
            "crm_claim_date": fields.Datetime.now(), "comment": self.note,
        }  # fmt: skip

    def _find_collisions(self):
        """Customers, leads and other registrations already holding this
        prospect (name, normalised phone, e-mail), with their owner."""
        self.ensure_one()
        Lookup = self.env["crm.customer.lookup"]
        hits = []
        for query in filter(None, (self.phone, self.email, self.company_name)):
            for row in Lookup.search_rows(query):
                owner = row["owner"] or self.env._("pool")
                if row["owner"] != self.applicant_id.name:
                    line = self.env._("%(name)s: %(kind)s of %(owner)s (%(department)s)",
                                      name=row["name"], kind=row["kind"], owner=owner,
                                      department=row["department"] or "-")  # fmt: skip
                    if line not in hits:
                        hits.append(line)
        # sudo: other reps' registrations are outside the applicant's scope.
        others_su = self.sudo().search([
            ("id", "!=", self.id), ("state", "in", ("submitted", "approved")),
            ("applicant_id", "!=", self.applicant_id.id), "|", ("company_name", "=ilike", self.company_name),
            ("phone", "=", self.phone or "-"),
        ])  # fmt: skip
        for other in others_su:
            hits.append(self.env._("%(name)s: registration %(ref)s of %(owner)s",
                                   name=other.company_name, ref=other.name, owner=other.applicant_id.name))  # fmt: skip
        return hits

    def _notify_reviewers(self):
        self.ensure_one()
        manager = self.team_id._crm_manager() or self.env.ref("crm_core.group_crm_general_manager").users[:1]
        summary = (
            self.env._("Collision (撞单) to review: %(name)s", name=self.company_name)
            if self.conflict
            else self.env._("Registration to review: %(name)s", name=self.company_name)
        )
        if manager:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo", summary=summary, note=self.conflict_description or "", user_id=manager.id
            )

    @api.model
    def _cron_release_unprotected(self):
        """Protection over and no follow-up since the approval: the customer
        goes back to the pool, the registration is marked released."""
        today = fields.Date.context_today(self)
        expired = self.search([("state", "=", "approved"), ("protection_until", "<", today)])
        idle = expired.filtered(
            lambda r: r.partner_id.user_id
            and (not r.partner_id.crm_last_followup_date or r.partner_id.crm_last_followup_date < r.create_date.date())
        )
        idle.partner_id._crm_release(
            reason=self.env.ref("crm_core.release_reason_recycled", raise_if_not_found=False),
            note=self.env._("Registration protection expired without follow-up"), action="recycle",
        )  # fmt: skip
        idle.write({"state": "released"})
        return len(idle)
