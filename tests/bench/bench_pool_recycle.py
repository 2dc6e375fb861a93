# Runs inside `odoo shell` (scripts/bench.sh): `env` is given.
# Goal (product owner): recycling over 100,000 owned customers of which 10 %
# are due: wall time under 30 s, the query count of a batch independent of
# the batch's size; and the latency of the claim action.
# The data set is built in this transaction and rolled back at the end.
import statistics
import time

from odoo import fields
from odoo.tests import new_test_user

N_CUSTOMERS = 100_000
DUE_EVERY = 10  # one customer in ten was last followed up too long ago
N_REPS = 20


def build():
    started = time.perf_counter()
    Partner = env["res.partner"]
    env["crm.pool"].search([]).write({"recycle_active": False})
    pool = env["crm.pool"].create({
        "name": "Bench Pool", "followup_days": 30, "no_opportunity_days": 0, "not_won_days": 0,
        "warning_days": 0, "holding_limit": 0, "daily_claim_limit": 0, "cooldown_days": 0,
    })  # fmt: skip
    reps = [
        new_test_user(env, login=f"bench_recycle_rep_{i:02d}", groups="base.group_user,crm_core.group_crm_rep")
        for i in range(N_REPS)
    ]
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO res_partner (
            id, commercial_partner_id, name, complete_name, type, is_company, active, lang, partner_share,
            employee, color, message_bounce, autopost_bills, invoice_warn, sale_warn, picking_warn,
            purchase_warn, customer_rank, supplier_rank, crm_managed, user_id, crm_pool_id, crm_status,
            crm_last_followup_date, crm_claim_date, create_uid, write_uid, create_date, write_date
        )
        SELECT id, id, 'Bench Recycle Customer ' || g, 'Bench Recycle Customer ' || g, 'contact', true, true,
               'en_US', true, false, 0, 0, 'ask', 'no-message', 'no-message', 'no-message', 'no-message', 1, 0,
               true, (%(reps)s::int[])[1 + g %% %(n_reps)s], %(pool)s, 'intent',
               current_date - CASE WHEN g %% %(due_every)s = 0 THEN 40 ELSE 5 END,
               now() at time zone 'UTC' - interval '90 days', 1, 1,
               now() at time zone 'UTC' - interval '100 days', now() at time zone 'UTC'
          FROM (SELECT nextval('res_partner_id_seq') AS id, g FROM generate_series(1, %(n)s) AS g) AS src
        """,
        {"reps": [r.id for r in reps], "n_reps": N_REPS, "pool": pool.id, "due_every": DUE_EVERY, "n": N_CUSTOMERS},
    )
    env.cr.execute("ANALYZE res_partner")
    env.invalidate_all()
    print(f"data: {N_CUSTOMERS} owned customers, {N_CUSTOMERS // DUE_EVERY} due, built in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    return pool, reps


def recycle_all(batch_size):
    """Run the job until nothing is due, as the cron framework does."""
    Partner = env["res.partner"]
    per_batch, started, runs = [], time.perf_counter(), 0
    while True:
        before = env.cr.sql_log_count
        remaining = Partner._cron_crm_recycle(batch_size=batch_size)
        env.flush_all()
        per_batch.append(env.cr.sql_log_count - before)
        runs += 1
        if not remaining:
            break
    return time.perf_counter() - started, runs, per_batch


try:
    pool, reps = build()
    env.cr.execute("SAVEPOINT bench_recycle")
    print(f"{'batch size':>10}{'runs':>6}{'wall s':>9}{'queries/batch (median)':>25}{'goal':>8}")
    for batch_size in (500, 2000):
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_recycle")
        env.invalidate_all()
        wall, runs, per_batch = recycle_all(batch_size)
        recycled = env["res.partner"].search_count([("crm_pool_id", "=", pool.id), ("user_id", "=", False)])
        print(f"{batch_size:>10}{runs:>6}{wall:>9.1f}{statistics.median(per_batch[:-1] or per_batch):>25.0f}"
              f"{'ok' if wall < 30 else 'MISSED':>8}   ({recycled} recycled)")  # fmt: skip
    # Claim latency: a rep claims pool customers one by one.
    rep = reps[0]
    rep_partner = env["res.partner"].with_user(rep)
    pool_ids = env["res.partner"].search([("crm_pool_id", "=", pool.id), ("user_id", "=", False)], limit=31).ids
    timings, queries = [], []
    for partner_id in pool_ids:
        env.invalidate_all()
        before, started = env.cr.sql_log_count, time.perf_counter()
        rep_partner.browse(partner_id).action_claim()
        env.flush_all()
        timings.append((time.perf_counter() - started) * 1000)
        queries.append(env.cr.sql_log_count - before)
    timings, queries = timings[1:], queries[1:]  # the first one warms the caches
    print(f"claim: median {statistics.median(timings):.1f} ms, p90 {sorted(timings)[int(len(timings) * 0.9)]:.1f} ms, "
          f"{statistics.median(queries):.0f} queries ({len(timings)} claims, holding {len(timings) + 1 + N_CUSTOMERS // N_REPS} "
          f"customers)")  # fmt: skip
finally:
    env.cr.rollback()
