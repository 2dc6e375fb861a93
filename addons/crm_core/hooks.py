"""Narrowing Odoo's own sales rules for the bundle's users.

Record rules of different groups add up (OR). Our roles imply the Sales
groups so that Odoo's screens keep working, but two kinds of Sales rules would
then widen the hierarchy's scope:

- the personal rules of *Own Documents Only* also show records without an
  owner (``user_id = False``): for our users they show own records only (the
  pool of unowned customers and leads has its own rules);
- the *All Documents* rules show everything: for our users they show nothing
  of their own, and the data scope of the bundle's rules decides (a general
  manager's scope is "all").

Users without one of our roles keep Odoo's behaviour unchanged: each adapted
domain starts with the original one, taken when ``user.crm_scope_managed`` is
false. Uninstalling crm_core restores the original domains.
"""

from odoo.tools import SQL

from .models.crm_sales_target import TARGET_INDEXES

# rule xmlid: (original domain, domain for the bundle's users)
ADAPTED_RULES = {
    "crm.crm_rule_personal_lead": (
        "['|',('user_id','=',user.id),('user_id','=',False)]",
        "[('user_id', '=', user.id)]",
    ),
    "crm.crm_rule_all_lead": ("[(1,'=',1)]", "[(0, '=', 1)]"),
    "crm.crm_activity_report_rule_personal_activities": (
        "['|',('user_id','=',user.id),('user_id','=',False)]",
        "[('user_id', '=', user.id)]",
    ),
    "crm.crm_activity_report_rule_all_activities": ("[(1,'=',1)]", "[(0, '=', 1)]"),
    "sale.sale_order_personal_rule": (
        "['|',('user_id','=',user.id),('user_id','=',False)]",
        "[('user_id', '=', user.id)]",
    ),
    "sale.sale_order_see_all": ("[(1,'=',1)]", "[(0, '=', 1)]"),
    "sale.sale_order_report_personal_rule": (
        "['|',('user_id','=',user.id),('user_id','=',False)]",
        "[('user_id', '=', user.id)]",
    ),
    "sale.sale_order_report_see_all": ("[(1,'=',1)]", "[(0, '=', 1)]"),
    "sale.sale_order_line_personal_rule": (
        "['|',('salesman_id','=',user.id),('salesman_id','=',False)]",
        "[('salesman_id', '=', user.id)]",
    ),
    "sale.sale_order_line_see_all": ("[(1,'=',1)]", "[(0, '=', 1)]"),
}


def adapted_domain(original, ours):
    return f"({ours}) if user.crm_scope_managed else ({original})"


def _set_rule_domains(env, pick):
    for xmlid, domains in ADAPTED_RULES.items():
        rule = env.ref(xmlid, raise_if_not_found=False)
        if rule:
            rule.domain_force = pick(*domains)


def post_init_hook(env):
    _set_rule_domains(env, adapted_domain)


def uninstall_hook(env):
    _set_rule_domains(env, lambda original, ours: original)
    # The custom fields' views inherit the module's views, which go now.
    custom_fields = env["crm.custom.field"].with_context(active_test=False).search([("state", "=", "applied")])
    custom_fields._remove_fields(force=True)
    # Indexes the sales targets' queries made on other modules' tables
    # (crm.sales.target.init); the ORM drops only its own.
    for index in TARGET_INDEXES:
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
