from odoo import api, models
from odoo.exceptions import AccessError

# What a review's own reviewer records (and the flag base_tier_validation
# recomputes by hand); the rest is set when the review is
# requested and never changes.
REVIEWER_FIELDS = {"status", "done_by", "reviewed_date", "comment", "last_reminder_date", "can_review"}


class TierReview(models.Model):
    _inherit = "tier.review"

    # base_tier_validation lets every internal user write reviews (its access
    # file); on contracts only the reviewer may approve or reject one, or a
    # rep could approve their own contract over RPC.
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if vals.get("model") == "crm.contract" and (
                    vals.get("status", "waiting") not in ("waiting", "pending") or vals.get("done_by")
                ):
                    raise AccessError(self.env._("A contract review starts waiting for its reviewer."))
        return super().create(vals_list)

    def write(self, vals):
        contract_reviews = self.filtered(lambda review: review.model == "crm.contract")
        if contract_reviews and not self.env.su:
            if set(vals) - REVIEWER_FIELDS:
                raise AccessError(self.env._("Contract reviews are requested by submitting the contract, not edited."))
            decided = vals.get("status") in ("approved", "rejected") or "done_by" in vals
            if decided and (
                any(self.env.user not in review.reviewer_ids for review in contract_reviews)
                or vals.get("done_by", self.env.uid) != self.env.uid
            ):
                raise AccessError(self.env._("Only its reviewer approves or rejects a contract review."))
            # A rejection cancels the steps after it: only a reviewer of the contract does that.
            if vals.get("status") == "cancel":
                siblings = self.search([("model", "=", "crm.contract"), ("res_id", "in", contract_reviews.mapped("res_id"))])
                if self.env.user not in siblings.reviewer_ids:
                    raise AccessError(self.env._("Only its reviewer approves or rejects a contract review."))
        return super().write(vals)

    def unlink(self):
        # Contracts drop their reviews as superuser (crm.contract._crm_restart_validation, unlink).
        if not self.env.su and self.filtered(lambda review: review.model == "crm.contract"):
            raise AccessError(self.env._("Contract reviews are requested by submitting the contract, not edited."))
        return super().unlink()
