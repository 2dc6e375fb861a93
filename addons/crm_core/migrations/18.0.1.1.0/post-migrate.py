from odoo import SUPERUSER_ID, api

# The sharing rules read plain ids from the users (res.users
# crm_shared_partner_ids / crm_shared_lead_ids) since 18.0.1.1.0; the rules
# are noupdate data, so databases installed before get the new domains here.
SHARED_RULES = {
    "crm_core.res_partner_rule_crm_shared": "crm_shared_partner_ids",
    "crm_core.crm_lead_rule_crm_shared": "crm_shared_lead_ids",
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, fname in SHARED_RULES.items():
        rule = env.ref(xmlid, raise_if_not_found=False)
        if rule:
            rule.domain_force = f"[('id', 'in', user.{fname}.ids), ('user_id', '!=', False)]"
