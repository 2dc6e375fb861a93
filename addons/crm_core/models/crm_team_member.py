from odoo import models


class CrmTeamMember(models.Model):
    _name = "crm.team.member"
    _inherit = ["crm.team.member", "crm.scope.trigger.mixin"]
    _crm_scope_fields = ("user_id", "crm_team_id", "active")
