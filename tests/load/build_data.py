# Runs inside `odoo shell` (scripts/load.sh): `env` is given.
# Builds the data set of the load test into a database that already has the
# bundle with its demo data, and commits it:
#   - 10 departments in 2 levels (3 divisions, 7 departments under them),
#     a manager leading each, 50 reps (5 per department), 1 general manager,
#     all with the password "load" and an API key derived from their login
#     (tests/load/common.py), for the web client's session and for RPC;
#   - CRM_LOAD_CUSTOMERS customers (default 200,000): 95 % owned by the
#     reps, 4 % in three division pools, 1 % partners outside the archive;
#   - one opportunity or lead per four customers, in the four stages,
#     a tenth of the open ones lost; one follow-up per owned customer; 100 products.
# Set-based like tests/bench/bench_customer_scope.py: users, departments,
# pools and products through the ORM, the rest with INSERT ... SELECT.
# The number of customers is kept in ir.config_parameter crm_load.customers,
# which scripts/load.sh reads to reuse the database.
import os
import sys
import time

sys.path.insert(0, os.path.join(os.environ["CRM_ROOT"], "tests", "load"))
from common import PASSWORD, api_key  # noqa: E402

N_CUSTOMERS = int(os.environ.get("CRM_LOAD_CUSTOMERS", "200000"))
N_POOL = max(N_CUSTOMERS * 4 // 100, 50)
N_UNMANAGED = N_CUSTOMERS // 100
N_OWNED = N_CUSTOMERS - N_POOL - N_UNMANAGED
N_LEADS = N_CUSTOMERS // 4
N_PRODUCTS = 100
N_REPS = 50
# department index -> index of its parent (divisions have none)
DEPARTMENTS = {
    0: None, 1: None, 2: None,
    3: 0, 4: 0, 5: 0,
    6: 1, 7: 1,
    8: 2, 9: 2,
}  # fmt: skip
DIVISIONS = [index for index, parent in DEPARTMENTS.items() if parent is None]
CTX = {"no_reset_password": True, "mail_create_nolog": True, "tracking_disable": True, "mail_notrack": True}


def build_users():
    Users = env["res.users"].with_context(**CTX)
    group_user = env.ref("base.group_user").id
    groups = {
        "rep": env.ref("crm_core.group_crm_rep").id,
        "manager": env.ref("crm_core.group_crm_manager").id,
        "gm": env.ref("crm_core.group_crm_general_manager").id,
    }

    def vals(login, name, role):
        return {
            "name": name, "login": login, "email": f"{login}@load.example", "tz": "Asia/Shanghai",
            "groups_id": [(6, 0, [group_user, groups[role]])],
        }  # fmt: skip

    managers = Users.create([vals(f"load_manager_{i}", f"Load Manager {i}", "manager") for i in DEPARTMENTS])
    reps = Users.create([vals(f"load_rep_{i:02d}", f"Load Rep {i:02d}", "rep") for i in range(N_REPS)])
    gm = Users.create(vals("load_gm", "Load General Manager", "gm"))
    Team = env["crm.team"].with_context(**CTX)
    teams = {}
    for level in (False, True):  # divisions first
        for index, parent in DEPARTMENTS.items():
            if (parent is not None) == level:
                teams[index] = Team.create({
                    "name": f"Load Department {index}",
                    "user_id": managers[index].id,
                    "parent_id": teams[parent].id if parent is not None else False,
                })  # fmt: skip
    env["crm.team.member"].with_context(**CTX).create([
        {"crm_team_id": teams[i % len(DEPARTMENTS)].id, "user_id": rep.id} for i, rep in enumerate(reps)
    ])  # fmt: skip
    users = managers | reps | gm
    # One hash for all (a hash costs ~0.5 s at Odoo's 600,000 rounds).
    env.cr.execute(
        "UPDATE res_users SET password = %s WHERE id IN %s",
        [Users._crypt_context().hash(PASSWORD), tuple(users.ids)],
    )
    # API keys for XML-RPC and /jsonrpc, as integrations log in. Known keys
    # (derived from the login) so that the locust process needs no file.
    from odoo.addons.base.models.res_users import INDEX_SIZE, KEY_CRYPT_CONTEXT

    env.cr.executemany(
        "INSERT INTO res_users_apikeys (name, user_id, scope, key, index) VALUES ('load test', %s, 'rpc', %s, %s)",
        [(user.id, KEY_CRYPT_CONTEXT.hash(key), key[:INDEX_SIZE]) for user in users for key in [api_key(user.login)]],
    )
    return reps, managers, gm, teams


def build_pools(teams):
    """One pool per division. Every pool of the database (the demo ones
    too, which reach the load reps: the Company Pool serves every rep) gets
    limits that never refuse the scenario's claim-and-release cycles (see
    README, Load test), while their checks still run: a holding limit and a
    daily cap far above what a run claims, no cooldown, no embargo."""
    Pool = env["crm.pool"].with_context(**CTX)
    pools = Pool.create([
        {"name": f"Load Pool {index}", "team_ids": [(6, 0, [teams[index].id])]} for index in DIVISIONS
    ])  # fmt: skip
    Pool.search([]).write({
        "holding_limit": 1_000_000, "daily_claim_limit": 1_000_000, "cooldown_days": 0, "embargo_hours": 0,
        "recycle_active": False,
    })  # fmt: skip
    return pools


def build_products():
    return env["product.product"].with_context(**CTX).create([
        {"name": f"Load Product {i:03d}", "type": "consu", "list_price": 100 + 37 * i % 5000, "sale_ok": True}
        for i in range(N_PRODUCTS)
    ])  # fmt: skip


def build_customers(reps, teams, pools):
    rep_team = {rep.id: teams[i % len(DEPARTMENTS)].id for i, rep in enumerate(reps)}
    env.cr.execute(
        """
        WITH src AS (
            SELECT nextval('res_partner_id_seq') AS id, g,
                   CASE WHEN g <= %(owned)s THEN 1 WHEN g <= %(owned)s + %(pool)s THEN 2 ELSE 3 END AS kind,
                   hashint4(g)::bigint & 2147483647 AS h1,
                   hashint4(g + 1000000000)::bigint & 2147483647 AS h2
              FROM generate_series(1, %(total)s) AS g
        ), named AS (
            SELECT *,
                   (ARRAY['深圳市', '广州市', '上海', '北京', '杭州', '苏州', '成都', '武汉'])[1 + h1 %% 8]
                   || (ARRAY['明远', '华信', '鼎盛', '恒通', '瑞丰', '嘉禾', '金诚', '天宇'])[1 + (h1 / 8) %% 8]
                   || lpad((h1 %% 10000000)::text, 7, '0')
                   || (ARRAY['电子有限公司', '科技有限公司', '贸易有限公司', '安防工程有限公司'])[1 + (h1 / 64) %% 4]
                   AS name
              FROM src
        )
        INSERT INTO res_partner (
            id, commercial_partner_id, name, complete_name, type, is_company, active, lang, country_id,
            company_id, partner_share, employee, color, message_bounce, autopost_bills,
            invoice_warn, sale_warn, picking_warn, purchase_warn,
            customer_rank, supplier_rank,
            email, email_normalized, phone, phone_sanitized, crm_phone_e164,
            crm_managed, user_id, crm_team_id, crm_status, crm_grade_id, crm_region_id, industry_id,
            crm_followup_count, crm_last_followup_date, crm_first_followup_date, crm_next_followup_date,
            crm_claim_date, create_uid, write_uid, create_date, write_date, crm_pool_id
        )
        SELECT id, id, name, name, 'contact', true, true, 'en_US', %(china)s,
               NULL, true, false, 0, 0, 'ask',
               'no-message', 'no-message', 'no-message', 'no-message',
               CASE WHEN kind = 3 THEN 0 WHEN h2 %% 5 = 0 THEN 0 WHEN h2 %% 11 = 0 THEN 2 + h2 %% 9 ELSE 1 END,
               CASE WHEN kind = 3 THEN 1 ELSE 0 END,
               'c' || g || '@load.example', 'c' || g || '@load.example',
               '+86 139 ' || lpad(g::text, 8, '0'), '+86139' || lpad(g::text, 8, '0'), '+86139' || lpad(g::text, 8, '0'),
               kind <> 3,
               CASE WHEN kind = 1 THEN (%(reps)s::int[])[1 + g %% %(n_reps)s] END,
               CASE WHEN kind = 1 THEN (%(rep_teams)s::int[])[1 + g %% %(n_reps)s] END,
               CASE WHEN kind <> 3 THEN (ARRAY['prospect', 'intent', 'customer', 'dormant', 'lost'])[1 + (h2 / 16) %% 5] END,
               CASE WHEN kind <> 3 THEN (%(grades)s::int[])[1 + g %% greatest(cardinality(%(grades)s::int[]), 1)] END,
               (%(regions)s::int[])[1 + g %% greatest(cardinality(%(regions)s::int[]), 1)],
               (%(industries)s::int[])[1 + g %% greatest(cardinality(%(industries)s::int[]), 1)],
               CASE WHEN kind = 1 THEN 1 ELSE 0 END,
               CASE WHEN kind = 1 THEN current_date - (h2 %% 365)::int END,
               CASE WHEN kind = 1 THEN current_date - (h2 %% 365)::int END,
               CASE WHEN kind = 1 THEN current_date + (h1 %% 60)::int - 20 END,
               CASE WHEN kind = 1 THEN now() at time zone 'UTC' - (h2 %% 400) * interval '1 day' END,
               1, 1, now() at time zone 'UTC' - (g %% 1000) * interval '1 day', now() at time zone 'UTC',
               CASE WHEN kind = 2 THEN (%(pools)s::int[])[1 + g %% cardinality(%(pools)s::int[])] END
          FROM named
        """,
        {
            "owned": N_OWNED, "pool": N_POOL, "total": N_CUSTOMERS,
            "reps": reps.ids, "rep_teams": [rep_team[r] for r in reps.ids], "n_reps": len(reps),
            "grades": env["crm.customer.grade"].search([]).ids, "regions": env["crm.region"].search([]).ids,
            "industries": env["res.partner.industry"].search([]).ids, "china": env.ref("base.cn").id,
            "pools": pools.ids,
        },
    )  # fmt: skip
    return env.cr.rowcount


def build_followups(reps):
    # One follow-up per owned customer, on its last follow-up date, by its owner.
    env.cr.execute(
        """
        INSERT INTO crm_followup (partner_id, user_id, crm_team_id, company_id, followup_type, date, content,
                                  next_date, create_uid, write_uid, create_date, write_date)
        SELECT p.id, p.user_id, p.crm_team_id, %(company)s,
               (ARRAY['call', 'visit', 'email', 'message', 'meeting'])[1 + p.id %% 5],
               p.crm_last_followup_date + time '10:00', '电话沟通，客户对报价有兴趣。', p.crm_next_followup_date,
               p.user_id, p.user_id, p.crm_last_followup_date + time '10:00', p.crm_last_followup_date + time '10:00'
          FROM res_partner p
         WHERE p.user_id IN %(reps)s AND p.crm_managed
        """,
        {"company": env.company.id, "reps": tuple(reps.ids)},
    )
    return env.cr.rowcount


def build_leads(reps):
    """Opportunities (80 %) and leads of owned customers, same owner and
    department; stages New / Qualified / Proposition / Won, a tenth of the open ones lost."""
    stages = env["crm.stage"].search([("team_id", "=", False)], order="sequence")
    won = stages.filtered("is_won")[:1]
    open_stages = stages - won
    env.cr.execute(
        """
        WITH c AS (
            -- h, k: pseudo-random and independent of the owner (id modulo the reps)
            SELECT p.id AS partner_id, p.name AS partner_name, p.user_id, p.crm_team_id,
                   hashint4(p.id)::bigint & 2147483647 AS h,
                   hashint4(p.id + 1000000000)::bigint & 2147483647 AS k
              FROM res_partner p
             WHERE p.user_id IN %(reps)s AND p.crm_managed
        ), l AS (
            SELECT *, CASE WHEN (k / 4) %% 5 = 0 THEN 'lead' ELSE 'opportunity' END AS type,
                   ((k / 32) %% 10 = 3 AND h %% 4 <> 3) AS lost,
                   CASE WHEN h %% 4 = 3 THEN %(won)s
                        ELSE (%(open)s::int[])[1 + (h / 4) %% cardinality(%(open)s::int[])] END AS stage_id,
                   (1000 + h %% 200) * 100 AS revenue,
                   now() at time zone 'UTC' - (h %% 300) * interval '1 day' AS created
              FROM c WHERE k %% 4 = 0
        )
        INSERT INTO crm_lead (name, type, stage_id, user_id, team_id, company_id, partner_id, partner_name,
                              active, probability, automated_probability, expected_revenue, prorated_revenue,
                              priority, date_open, date_last_stage_update, date_closed, country_id, color,
                              message_bounce, create_uid, write_uid, create_date, write_date)
        SELECT partner_name || ' 项目', type, stage_id, user_id, crm_team_id, %(company)s, partner_id, partner_name,
               NOT lost,
               CASE WHEN lost THEN 0 WHEN stage_id = %(won)s THEN 100 ELSE 10 + h %% 70 END,
               CASE WHEN lost THEN 0 WHEN stage_id = %(won)s THEN 100 ELSE 10 + h %% 70 END,
               revenue,
               CASE WHEN lost THEN 0 WHEN stage_id = %(won)s THEN revenue ELSE revenue * (10 + h %% 70) / 100 END,
               (h %% 4)::text, created, created,
               CASE WHEN stage_id = %(won)s OR lost THEN created + interval '20 days' END,
               %(china)s, 0, 0, user_id, user_id, created, created
          FROM l
        """,
        {
            "reps": tuple(reps.ids), "won": won.id, "open": open_stages.ids, "company": env.company.id,
            "china": env.ref("base.cn").id,
        },
    )  # fmt: skip
    return env.cr.rowcount


started = time.perf_counter()
env = env(context=dict(env.context, **CTX))  # noqa: F821 (odoo shell)
reps, managers, gm, teams = build_users()
pools = build_pools(teams)
products = build_products()
env.flush_all()
customers = build_customers(reps, teams, pools)
followups = build_followups(reps)
leads = build_leads(reps)
for table in ("res_partner", "crm_lead", "crm_followup"):
    env.cr.execute(f"ANALYZE {table}")
env["ir.config_parameter"].sudo().set_param("crm_load.customers", str(N_CUSTOMERS))
env.cr.commit()
env.registry.clear_cache()
print(
    f"load data: {customers} customers ({N_OWNED} owned by {len(reps)} reps, {N_POOL} in {len(pools)} pools, "
    f"{N_UNMANAGED} outside the archive), {leads} leads, {followups} follow-ups, {len(products)} products, "
    f"{len(managers)} managers in {len(teams)} departments, 1 general manager; "
    f"built in {time.perf_counter() - started:.1f} s"
)
