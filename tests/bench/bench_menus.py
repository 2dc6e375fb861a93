# Runs inside `odoo shell` (scripts/bench.sh): `env` is given.
# Goal: loading the menus (every page load of the web client) stays a
# constant number of queries, whatever the role, and under 50 ms warm.
import time

from odoo.tests import new_test_user

ROLES = {
    "rep": "crm_core.group_crm_rep",
    "manager": "crm_core.group_crm_manager",
    "gm": "crm_core.group_crm_general_manager",
}
RUNS = 50

try:
    print(f"{'role':<10}{'menus':>8}{'queries':>10}{'ms/load (warm)':>17}")
    for role, group in ROLES.items():
        user = new_test_user(env, login=f"bench_{role}", groups=f"base.group_user,{group}")
        menus = env["ir.ui.menu"].with_user(user)
        env.invalidate_all()
        env.registry.clear_cache()
        before = env.cr.sql_log_count
        loaded = menus.load_menus(False)
        queries = env.cr.sql_log_count - before
        start = time.perf_counter()
        for _ in range(RUNS):
            menus.load_menus(False)
        elapsed = (time.perf_counter() - start) / RUNS * 1000
        print(f"{role:<10}{len(loaded) - 1:>8}{queries:>10}{elapsed:>17.1f}")
finally:
    env.cr.rollback()
