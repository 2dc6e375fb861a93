from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmTeam(models.Model):
    """Departments (部门) are sales teams made hierarchical: a manager who
    leads a team sees the records of that team and of every team below it."""

    _name = "crm.team"
    _inherit = ["crm.team", "crm.scope.trigger.mixin"]
    _parent_store = True
    _crm_scope_fields = ("parent_id", "user_id", "active", "member_ids", "crm_team_member_ids")

    parent_id = fields.Many2one(
        "crm.team", string="Parent Department", index=True, ondelete="restrict", check_company=True, tracking=True
    )
    child_ids = fields.One2many("crm.team", "parent_id", string="Sub-departments")
    parent_path = fields.Char(index=True)
    crm_contract_limit = fields.Monetary(
        string="Contract Approval Limit", currency_field="currency_id", default=100000.0,
        help="The department manager approves contracts up to this amount (in the company's "
        "currency); above it, the general manager approves after them.",
    )  # fmt: skip
    complete_name = fields.Char(
        string="Full Name", compute="_compute_complete_name", store=True, recursive=True, index="trigram"
    )

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for team in self:
            team.complete_name = f"{team.parent_id.complete_name} / {team.name}" if team.parent_id else team.name

    @api.depends("complete_name")
    def _compute_display_name(self):
        for team in self:
            team.display_name = team.complete_name or team.name

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A department cannot be its own parent, directly or through its sub-departments."))

    def _crm_manager(self):
        """The department's manager: its leader, else the nearest leader above."""
        team = self.sudo()[:1]
        while team and not team.user_id:
            team = team.parent_id
        return team.user_id
