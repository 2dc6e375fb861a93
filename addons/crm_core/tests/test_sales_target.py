from datetime import date, datetime

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import SQL, mute_logger

from ..wizard.crm_sales_target_split import split_amounts
from .common import CrmHierarchyCommon
from .test_hierarchy import MUTE_ACCESS

MARCH = date(2025, 3, 1)


class CrmTargetCommon(CrmHierarchyCommon):
    """Documents around March 2025, read in the time zone Asia/Shanghai
    (UTC+8): a timestamp after 16:00 UTC is the next day there.

    Customers a1 a2 c1 are in region X, b1 d1 in region Y (c2: none).

    ====  =====  ========  ====  ==========================  ====================  =========
    doc   rep    dept      cust  UTC date                    lines qty×price(cost)  state
    ====  =====  ========  ====  ==========================  ====================  =========
    o1    rep_a  Shanghai  a1    2025-03-10 02:00            10×300 (180)          sale
    o2    rep_a  Shanghai  a2    2025-02-28 17:00 = Mar 1    5×200 (180)           sale
    o3    rep_a  Shanghai  a1    2025-03-31 17:00 = Apr 1    4×300 (180)           sale
    o4    rep_a  Shanghai  a1    2025-03-15                  2×300                 quotation
    o5    rep_a  Shanghai  a2    2025-03-16                  7×300                 cancelled
    o6    rep_b  Shanghai  b1    2025-03-20                  3×300 (180)           sale
    o7    rep_c  East      c1    2025-03-05                  8×250 (180) + note    sale
    o8    rep_d  South     d1    2025-03-12                  1×600 EUR (360), 2/1  sale
    o9    rep_a  Shanghai  a1    2024-12-20                  1×300                 sale
    ====  =====  ========  ====  ==========================  ====================  =========

    Payments (dates): p1 a1 03-15 2500; p2 contact of a2 03-20 500; p3 a1
    04-02 700; p4 a1 03-10 999 draft; p5 a1 03-10 100 outbound; p6 b1 03-31
    800. New customers (UTC creation): n1 rep_a 03-03 (+ a contact), n2 rep_a
    03-31 17:00 (April there), n3 rep_c 03-25, n4 rep_a 03-05 archived.
    Follow-ups: f1 rep_a a1 call 03-05; f2 rep_a a2 visit 03-06; f3 rep_a a1
    visit 03-31 16:30 (April there); f4 rep_a a1 visit 02-28 16:30 (March
    there); f5 rep_c c1 visit 03-10; f6 rep_c c2 visit 03-11.

    March, by hand:

    ==================  =====  =====  =====  =====  ========  ====  =====  ========  ========
    measure             rep_a  rep_b  rep_c  rep_d  Shanghai  East  South  region X  region Y
    ==================  =====  =====  =====  =====  ========  ====  =====  ========  ========
    sales_amount        4000   900    2000   300    4900      6900  300    6000      1200
    quantity            15     3      8      1      18        26    1      23        4
    gross_profit        1300   360    560    120    1660      2220  120    1860      480
    collected_amount    3000   800    0      0      3800      3800  0      3000      800
    new_customers       1      0      1      0      1         2     0      1         0
    followups           3      0      2      0      3         5     0      4         0
    visits              2      0      2      0      2         4     0      3         0
    ==================  =====  =====  =====  =====  ========  ====  =====  ========  ========
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="Asia/Shanghai"))
        cls.Target = cls.env["crm.sales.target"]
        cls.region_x = cls.env["crm.region"].create({"name": "Target Region X"})
        cls.region_y = cls.env["crm.region"].create({"name": "Target Region Y"})
        for key in ("a1", "a2", "c1"):
            cls.customers[key].crm_region_id = cls.region_x
        for key in ("b1", "d1"):
            cls.customers[key].crm_region_id = cls.region_y

        cls.target_product = cls.env["product.product"].create({"name": "NVR 16 Channels", "list_price": 300, "standard_price": 180})
        company = cls.env.company
        cls.foreign = cls.env.ref("base.EUR") if company.currency_id != cls.env.ref("base.EUR") else cls.env.ref("base.USD")
        cls.foreign.active = True
        cls.env["res.currency.rate"].create({"currency_id": cls.foreign.id, "name": "2025-02-01", "rate": 2.0, "company_id": company.id})
        foreign_pricelist = cls.env["product.pricelist"].create({"name": "Foreign", "currency_id": cls.foreign.id})

        def order(rep, team, key, when, lines, state="sale", pricelist=None, note=False):
            order_lines = [
                Command.create({"product_id": cls.target_product.id, "product_uom_qty": qty, "price_unit": price,
                                "purchase_price": cost, "tax_id": [Command.clear()]})
                for qty, price, cost in lines
            ]  # fmt: skip
            if note:
                order_lines.append(Command.create({"display_type": "line_note", "name": "Install by March 31"}))
            so = cls.env["sale.order"].create({
                "partner_id": cls.customers[key].id, "user_id": rep.id, "team_id": team.id, "date_order": when,
                "pricelist_id": (pricelist or cls.env["product.pricelist"]).id, "order_line": order_lines,
            })  # fmt: skip
            if state in ("sale", "cancel"):
                so.action_confirm()
                so.date_order = when  # confirming dates the order today
            if state == "cancel":
                so._action_cancel()
            return so

        shanghai, east, south = cls.team_shanghai, cls.team_east, cls.team_south
        cls.sales = {
            "o1": order(cls.rep_a, shanghai, "a1", datetime(2025, 3, 10, 2), [(10, 300, 180)]),
            "o2": order(cls.rep_a, shanghai, "a2", datetime(2025, 2, 28, 17), [(5, 200, 180)]),
            "o3": order(cls.rep_a, shanghai, "a1", datetime(2025, 3, 31, 17), [(4, 300, 180)]),
            "o4": order(cls.rep_a, shanghai, "a1", datetime(2025, 3, 15, 2), [(2, 300, 180)], state="draft"),
            "o5": order(cls.rep_a, shanghai, "a2", datetime(2025, 3, 16, 2), [(7, 300, 180)], state="cancel"),
            "o6": order(cls.rep_b, shanghai, "b1", datetime(2025, 3, 20, 2), [(3, 300, 180)]),
            "o7": order(cls.rep_c, east, "c1", datetime(2025, 3, 5, 2), [(8, 250, 180)], note=True),
            "o8": order(cls.rep_d, south, "d1", datetime(2025, 3, 12, 2), [(1, 600, 360)], pricelist=foreign_pricelist),
            "o9": order(cls.rep_a, shanghai, "a1", datetime(2024, 12, 20, 2), [(1, 300, 180)]),
        }

        journal = cls.env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
        journal = journal or cls.env["account.journal"].create({"name": "Target Bank", "type": "bank", "code": "TBNK"})
        contact_a2 = cls.env["res.partner"].create({"name": "Buyer of A2", "parent_id": cls.customers["a2"].id})

        def pay(partner, day, amount, post=True, payment_type="inbound"):
            payment = cls.env["account.payment"].create({
                "payment_type": payment_type, "partner_type": "customer", "partner_id": partner.id,
                "amount": amount, "date": day, "journal_id": journal.id,
            })  # fmt: skip
            if post:
                payment.action_post()
            return payment

        customers = cls.customers
        pay(customers["a1"], date(2025, 3, 15), 2500)
        pay(contact_a2, date(2025, 3, 20), 500)
        pay(customers["a1"], date(2025, 4, 2), 700)
        pay(customers["a1"], date(2025, 3, 10), 999, post=False)
        pay(customers["a1"], date(2025, 3, 10), 100, payment_type="outbound")
        pay(customers["b1"], date(2025, 3, 31), 800)

        Partner = cls.env["res.partner"]

        def new_customer(name, rep, team, created, region=False, active=True):
            partner = Partner.create({"name": name, "is_company": True, "crm_managed": True, "user_id": rep.id,
                                      "crm_team_id": team.id, "crm_region_id": region and region.id})  # fmt: skip
            partners = partner | (Partner.create({"name": f"Contact of {name}", "parent_id": partner.id}) if name == "N1 Ltd" else Partner)
            partners.active = active
            cls.env.flush_all()
            cls.env.cr.execute(SQL("UPDATE res_partner SET create_date = %s WHERE id = ANY(%s)", created, partners.ids))
            return partner

        new_customer("N1 Ltd", cls.rep_a, shanghai, datetime(2025, 3, 3, 4), region=cls.region_x)
        new_customer("N2 Ltd", cls.rep_a, shanghai, datetime(2025, 3, 31, 17))
        new_customer("N3 Ltd", cls.rep_c, east, datetime(2025, 3, 25, 4))
        new_customer("N4 Ltd", cls.rep_a, shanghai, datetime(2025, 3, 5, 4), active=False)
        cls.env.invalidate_all()

        cls.env["crm.followup"].create([
            {"partner_id": customers[key].id, "user_id": rep.id, "followup_type": kind, "date": when, "content": "Talked"}
            for rep, key, kind, when in (
                (cls.rep_a, "a1", "call", datetime(2025, 3, 5, 2)),
                (cls.rep_a, "a2", "visit", datetime(2025, 3, 6, 2)),
                (cls.rep_a, "a1", "visit", datetime(2025, 3, 31, 16, 30)),
                (cls.rep_a, "a1", "visit", datetime(2025, 2, 28, 16, 30)),
                (cls.rep_c, "c1", "visit", datetime(2025, 3, 10, 2)),
                (cls.rep_c, "c2", "visit", datetime(2025, 3, 11, 2)),
            )
        ])  # fmt: skip

    @classmethod
    def target(cls, assignee, measure, amount=1000.0, period_type="month", start=MARCH, **vals):
        """A target of ``assignee`` (a user, department or region), created as superuser."""
        target_type, field = {
            "res.users": ("rep", "user_id"), "crm.team": ("department", "crm_team_id"), "crm.region": ("region", "crm_region_id"),
        }[assignee._name]  # fmt: skip
        return cls.Target.create({
            "target_type": target_type, field: assignee.id, "measure": measure, "period_type": period_type,
            "date_from": start, "target": amount, **vals,
        })  # fmt: skip


@tagged("crm_core", "crm_target")
class TestTargetActuals(CrmTargetCommon):
    MEASURES = ("sales_amount", "quantity", "gross_profit", "collected_amount", "new_customers", "followups", "visits")
    EXPECTED = {
        # rep_a, rep_b, rep_c, rep_d, Shanghai, East, South, region X, region Y
        "sales_amount": (4000, 900, 2000, 300, 4900, 6900, 300, 6000, 1200),
        "quantity": (15, 3, 8, 1, 18, 26, 1, 23, 4),
        "gross_profit": (1300, 360, 560, 120, 1660, 2220, 120, 1860, 480),
        "collected_amount": (3000, 800, 0, 0, 3800, 3800, 0, 3000, 800),
        "new_customers": (1, 0, 1, 0, 1, 2, 0, 1, 0),
        "followups": (3, 0, 2, 0, 3, 5, 0, 4, 0),
        "visits": (2, 0, 2, 0, 2, 4, 0, 3, 0),
    }

    def assignees(self):
        return (self.rep_a, self.rep_b, self.rep_c, self.rep_d, self.team_shanghai, self.team_east, self.team_south,
                self.region_x, self.region_y)  # fmt: skip

    def test_actuals_of_every_measure_and_assignee(self):
        targets = {
            (measure, assignee): self.target(assignee, measure) for measure in self.MEASURES for assignee in self.assignees()
        }
        # Computed together, as a list view does.
        self.Target.union(*targets.values()).mapped("actual")
        for measure, expected in self.EXPECTED.items():
            for assignee, value in zip(self.assignees(), expected):
                with self.subTest(measure=measure, assignee=assignee.display_name):
                    self.assertAlmostEqual(targets[measure, assignee].actual, value, places=2)

    def test_periods_and_time_zone(self):
        quarter1 = self.target(self.rep_a, "sales_amount", period_type="quarter", start=date(2025, 1, 1))
        quarter2 = self.target(self.rep_a, "sales_amount", period_type="quarter", start=date(2025, 4, 1))
        year = self.target(self.rep_a, "sales_amount", period_type="year", start=date(2025, 1, 1))
        last_year = self.target(self.rep_a, "sales_amount", period_type="year", start=date(2024, 1, 1))
        march = self.target(self.rep_a, "sales_amount")
        self.assertEqual(quarter1.date_to, date(2025, 3, 31))
        self.assertEqual(year.date_to, date(2025, 12, 31))
        self.assertEqual(march.date_to, date(2025, 3, 31))
        # o3 (April 1 in Shanghai) is in Q2; o9 in 2024.
        self.assertEqual((quarter1.actual, quarter2.actual, year.actual, last_year.actual), (4000, 1200, 5200, 300))
        # In UTC, o2 is in February and o3 in March.
        utc_march = march.with_context(tz="UTC")
        self.assertEqual(utc_march.actual, 4200)
        self.assertEqual(march.actual, 4000)
        visits = self.target(self.rep_a, "visits").with_context(tz="UTC")
        self.assertEqual(visits.actual, 2)  # f3 instead of f4

    def test_documents_of_the_period_only(self):
        target = self.target(self.rep_a, "sales_amount")
        self.assertEqual(target.actual, 4000)
        # Confirming the quotation o4 (dated in March) counts it; cancelling o1 drops it.
        self.sales["o4"].action_confirm()
        self.sales["o4"].date_order = datetime(2025, 3, 15, 2)
        self.sales["o1"]._action_cancel()
        target.invalidate_recordset(["actual"])
        self.assertEqual(target.actual, 4000 - 3000 + 600)

    def test_query_count_does_not_grow_with_the_targets(self):
        few = self.Target.union(*(self.target(a, m) for m in self.MEASURES for a in (self.rep_a, self.team_east, self.region_x)))
        many = few | self.Target.union(*(
            self.target(a, m, period_type=p, start=s)
            for m in self.MEASURES
            for a in (self.rep_b, self.rep_c, self.rep_d, self.team_shanghai, self.team_south, self.region_y)
            for p, s in (("month", MARCH), ("quarter", date(2025, 1, 1)), ("year", date(2025, 1, 1)))
        ))  # fmt: skip
        self.assertEqual(len(many), 21 + 126)

        def queries(targets):
            self.env.invalidate_all()
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            targets.mapped("actual")
            return self.env.cr.sql_log_count - before

        queries(few)  # warms the caches that outlive a request (company, currency)
        self.assertEqual(queries(few), queries(many))
        self.env.invalidate_all()
        # The targets, their company, the department trees (2), then one
        # query per source and target type (4 x 3).
        with self.assertQueryCount(17):
            many.mapped("actual")


@tagged("crm_core", "crm_target")
class TestTargetLevels(CrmTargetCommon):
    def test_achievement_and_levels(self):
        cases = [
            # target, stretch, challenge -> achievement, level (actual 4000)
            ((5000, 0, 0), 80.0, "none"),
            ((4000, 0, 0), 100.0, "base"),
            ((3000, 4000, 0), 133.3, "stretch"),
            ((2000, 3000, 3500), 200.0, "challenge"),
            ((2000, 0, 4000), 200.0, "challenge"),
            ((3000, 5000, 6000), 133.3, "base"),
        ]
        for (base, stretch, challenge), achievement, level in cases:
            with self.subTest(target=base, stretch=stretch, challenge=challenge):
                target = self.target(self.rep_a, "sales_amount", base, stretch=stretch, challenge=challenge)
                self.assertAlmostEqual(target.achievement, achievement, places=2)
                self.assertEqual(target.level, level)
                target.unlink()

    def test_levels_are_validated(self):
        for vals, message in (
            ({"target": 0}, "must be positive"),
            ({"target": -5}, "must be positive"),
            ({"target": 1000, "stretch": 900}, "stretch target"),
            ({"target": 1000, "stretch": 1500, "challenge": 1200}, "challenge target"),
            ({"target": 1000, "challenge": 800}, "challenge target"),
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError) as refused:
                self.target(self.rep_a, "sales_amount", **vals)
            self.assertIn(message, str(refused.exception))

    def test_period_start_is_validated(self):
        with self.assertRaises(ValidationError) as refused:
            self.target(self.rep_a, "sales_amount", start=date(2025, 3, 15))
        self.assertIn("first day of its month: 2025-03-01", str(refused.exception))
        with self.assertRaises(ValidationError):
            self.target(self.rep_a, "sales_amount", period_type="quarter", start=date(2025, 2, 1))
        # The form takes any day for its period.
        with Form(self.Target.with_user(self.mgr_east)) as form:
            form.user_id = self.rep_a
            form.period_type = "quarter"
            form.date_from = date(2025, 2, 17)
            self.assertEqual(form.date_from, date(2025, 1, 1))
            form.target = 9000
        self.assertEqual(form.record.crm_team_id, self.team_shanghai)
        self.assertEqual(form.record.name, "Sales Amount · Rep A · 2025 Q1")

    def test_assignee_is_required_and_unique(self):
        with self.assertRaises(ValidationError):
            self.Target.create({"target_type": "department", "measure": "visits", "date_from": MARCH, "target": 5})
        self.target(self.rep_a, "visits", 5)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.target(self.rep_a, "visits", 8)
            self.env.flush_all()
        # Another period, measure or assignee is another target.
        self.target(self.rep_a, "visits", 8, period_type="quarter", start=date(2025, 1, 1))
        self.target(self.rep_b, "visits", 8)

    def test_ranking(self):
        sales = {
            rep: self.target(rep, "sales_amount", amount)
            for rep, amount in ((self.rep_a, 4000), (self.rep_b, 1800), (self.rep_c, 1000), (self.rep_d, 300))
        }
        # 100 % (4000), 50 %, 200 %, 100 % (300): ties on achievement go by the actual.
        self.assertEqual([sales[r].rank_company for r in (self.rep_a, self.rep_b, self.rep_c, self.rep_d)], [2, 4, 1, 3])
        # In the rep's own department: Shanghai (rep_a, rep_b), East (rep_c), South (rep_d).
        self.assertEqual([sales[r].rank_department for r in (self.rep_a, self.rep_b, self.rep_c, self.rep_d)], [1, 2, 1, 1])
        # A full tie shares the rank ("1 1 3"); another measure ranks apart.
        visits = {rep: self.target(rep, "visits", amount) for rep, amount in ((self.rep_a, 2), (self.rep_c, 2), (self.rep_b, 1))}
        self.assertEqual([visits[r].rank_company for r in (self.rep_a, self.rep_c, self.rep_b)], [1, 1, 3])
        # Departments and regions are not ranked.
        self.assertEqual(self.target(self.team_east, "sales_amount").rank_company, 0)
        # A rep sees their rank among colleagues whose targets they cannot read.
        own = sales[self.rep_b].with_user(self.rep_b)
        self.assertEqual((own.rank_company, own.rank_department), (4, 2))
        self.assertEqual(self.Target.with_user(self.rep_b).search([("measure", "=", "sales_amount")]), own)

    def test_search_and_refresh(self):
        reached = self.target(self.rep_a, "sales_amount", 3000, stretch=3500)
        missed = self.target(self.rep_b, "sales_amount", 5000)
        mine = self.Target.search([("id", "in", (reached | missed).ids)])
        self.assertEqual(mine.filtered_domain([("level", "=", "none")]), missed)
        self.assertEqual(self.Target.search([("id", "in", mine.ids), ("level", "in", ("stretch", "challenge"))]), reached)
        self.assertEqual(self.Target.search([("id", "in", mine.ids), ("level", "!=", "none")]), reached)
        # Stored for the pivot and graph: a rep refreshes their own figures too.
        reached.with_user(self.rep_a).action_refresh_figures()
        self.assertEqual(reached.last_actual, 4000)
        self.assertFalse(missed.last_refresh)
        mine.action_refresh_figures()
        self.assertRecordValues(mine, [
            {"last_actual": 4000, "last_achievement": 133.3}, {"last_actual": 900, "last_achievement": 18.0},
        ])  # fmt: skip
        # The daily job refreshes the running periods, not those long over.
        today = fields.Date.context_today(self.Target)
        running = self.target(self.rep_a, "visits", 4, start=today.replace(day=1))
        old = self.target(self.rep_b, "visits", 4)
        self.Target._cron_crm_refresh_figures()
        self.assertTrue(running.last_refresh)
        self.assertFalse(old.last_refresh)

    def test_workbench_progress(self):
        today = fields.Date.context_today(self.Target)
        month, quarter = today.replace(day=1), today.replace(day=1, month=(today.month - 1) // 3 * 3 + 1)
        visits = self.target(self.rep_a, "visits", 10, start=month)
        sales_q = self.target(self.rep_a, "sales_amount", 90000, period_type="quarter", start=quarter)
        sales_m = self.target(self.rep_a, "sales_amount", 30000, start=month)
        self.target(self.rep_a, "sales_amount", 4000)  # March 2025: over
        self.target(self.rep_b, "sales_amount", 30000, start=month)  # a colleague's
        progress = self.Target.with_user(self.rep_a)._crm_workbench_progress(self.rep_a)
        self.assertEqual([p["id"] for p in progress], [sales_m.id, sales_q.id, visits.id])
        self.assertEqual(set(progress[0]), {"id", "name", "measure", "period", "target", "actual", "achievement", "level"})
        self.assertEqual(progress[0]["measure"], "Sales Amount")
        self.assertEqual(progress[0]["period"], f"{today.year}-{today.month:02d}")
        self.assertEqual(progress[1]["period"], f"{today.year} Q{(today.month - 1) // 3 + 1}")
        self.assertEqual((progress[2]["target"], progress[2]["actual"], progress[2]["achievement"], progress[2]["level"]),
                         (10.0, 0.0, 0.0, "none"))  # fmt: skip
        # Read under the caller's rules: a rep does not see a colleague's progress.
        self.assertEqual(self.Target.with_user(self.rep_b)._crm_workbench_progress(self.rep_a), [])


@tagged("crm_core", "crm_target")
class TestTargetSplit(CrmTargetCommon):
    def split(self, target, user, mode="equal", weights=None):
        action = target.with_user(user).action_split()
        with Form(self.env[action["res_model"]].with_user(user).with_context(action["context"])) as form:
            form.mode = mode
            for index, weight in enumerate(weights or ()):
                with form.line_ids.edit(index) as line:
                    line.weight = weight
        form.record.action_apply()
        return target.child_ids.sorted(lambda t: t.user_id.name)

    def test_split_equally_then_mismatch(self):
        shanghai = self.target(self.team_shanghai, "sales_amount", 10000, stretch=12000)
        children = self.split(shanghai, self.mgr_east)
        self.assertEqual(children.user_id, self.rep_a | self.rep_b)
        self.assertEqual(children.mapped("target"), [5000, 5000])
        self.assertEqual(children.mapped("stretch"), [6000, 6000])
        self.assertRecordValues(shanghai, [{"split_total": 10000, "split_mismatch": 0, "has_split_mismatch": False}])
        # A member's target changed afterwards: the difference shows.
        children[1].with_user(self.mgr_east).target = 4000
        self.assertRecordValues(shanghai, [{"split_total": 9000, "split_mismatch": 1000, "has_split_mismatch": True}])
        self.assertEqual(self.Target.search([("has_split_mismatch", "=", True), ("date_from", "=", MARCH)]), shanghai)
        # Split again: the members' targets are updated, not duplicated.
        self.split(shanghai, self.mgr_east)
        self.assertEqual(shanghai.child_ids, children)
        self.assertFalse(shanghai.has_split_mismatch)

    def test_split_by_weight_over_the_department_tree(self):
        east = self.target(self.team_east, "followups", 10)
        # Members of East and of Shanghai below it, by name: rep_a, rep_b, rep_c.
        children = self.split(east, self.gm, mode="weight", weights=[2, 1, 1])
        self.assertEqual(children.user_id.mapped("login"), ["rep_a", "rep_b", "rep_c"])
        self.assertEqual(children.mapped("target"), [5, 3, 2])
        self.assertFalse(east.has_split_mismatch)
        children = self.split(self.target(self.team_east, "visits", 10), self.gm)
        self.assertEqual(sorted(children.mapped("target")), [3, 3, 4])  # whole units, adding up

    def test_split_amounts(self):
        self.assertEqual(split_amounts(100, [1, 1, 1], 2), [33.34, 33.33, 33.33])
        self.assertEqual(split_amounts(10, [1, 1, 1], 0), [4, 3, 3])
        self.assertEqual(split_amounts(1000, [3, 1], 2), [750, 250])

    @mute_logger(*MUTE_ACCESS)
    def test_split_refusals(self):
        rep_target = self.target(self.rep_a, "sales_amount")
        with self.assertRaises(UserError):
            rep_target.action_split()
        south = self.target(self.team_south, "sales_amount", 5000)
        with self.assertRaises(AccessError):
            self.split(self.target(self.team_shanghai, "sales_amount", 5000), self.rep_a)
        # The manager of East cannot create targets for South's people.
        with self.assertRaises(AccessError):
            south.with_user(self.mgr_east)._crm_split({self.rep_d: 5000})
        # Other measures or periods are not split from a department's target.
        with self.assertRaises(ValidationError):
            self.target(self.rep_d, "visits", 3, parent_id=south.id)


@tagged("crm_core", "crm_target", "crm_security")
class TestTargetAccess(CrmTargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.targets = {
            "rep_a": cls.target(cls.rep_a, "sales_amount"),
            "rep_b": cls.target(cls.rep_b, "sales_amount"),
            "rep_c": cls.target(cls.rep_c, "sales_amount"),
            "rep_d": cls.target(cls.rep_d, "sales_amount"),
            "mgr_east": cls.target(cls.mgr_east, "sales_amount"),
            "east": cls.target(cls.team_east, "sales_amount"),
            "shanghai": cls.target(cls.team_shanghai, "sales_amount"),
            "south": cls.target(cls.team_south, "sales_amount"),
            "region": cls.target(cls.region_x, "sales_amount"),
        }

    def visible(self, user):
        index = {t: k for k, t in self.targets.items()}
        return {index[t] for t in self.Target.with_user(user).search([]) if t in index}

    def test_visibility_per_role(self):
        self.assertEqual(self.visible(self.rep_a), {"rep_a"})
        self.assertEqual(self.visible(self.mgr_east), {"rep_a", "rep_b", "rep_c", "mgr_east", "east", "shanghai"})
        self.assertEqual(self.visible(self.mgr_south), {"rep_d", "south"})
        self.assertEqual(self.visible(self.gm), set(self.targets))
        # The rep reads the figures of their own target.
        self.assertEqual(self.targets["rep_a"].with_user(self.rep_a).actual, 4000)

    @mute_logger(*MUTE_ACCESS)
    def test_reps_only_read(self):
        own = self.targets["rep_a"].with_user(self.rep_a)
        with self.assertRaises(AccessError):
            own.target = 1
        with self.assertRaises(AccessError):
            self.Target.with_user(self.rep_a).create({"user_id": self.rep_a.id, "measure": "visits", "date_from": MARCH, "target": 1})
        with self.assertRaises(AccessError):
            own.unlink()
        with self.assertRaises(AccessError):
            self.targets["rep_b"].with_user(self.rep_a).read(["target"])

    @mute_logger(*MUTE_ACCESS)
    def test_managers_set_targets_in_their_scope_not_their_own(self):
        Target = self.Target.with_user(self.mgr_east)
        self.targets["rep_a"].with_user(self.mgr_east).target = 5000
        self.targets["shanghai"].with_user(self.mgr_east).target = 9000
        Target.create({"user_id": self.rep_c.id, "measure": "visits", "date_from": MARCH, "target": 4})
        for key in ("mgr_east", "east"):  # their own target, the department they lead
            with self.subTest(target=key), self.assertRaises(AccessError):
                self.targets[key].with_user(self.mgr_east).target = 1
        with self.assertRaises(AccessError):
            Target.create({"user_id": self.mgr_east.id, "measure": "visits", "date_from": MARCH, "target": 4})
        with self.assertRaises(AccessError):
            Target.create({"user_id": self.rep_d.id, "measure": "visits", "date_from": MARCH, "target": 4})
        with self.assertRaises(AccessError):
            Target.create({"target_type": "region", "crm_region_id": self.region_y.id, "measure": "visits",
                           "date_from": MARCH, "target": 4})  # fmt: skip
        with self.assertRaises(AccessError):
            self.targets["rep_d"].with_user(self.mgr_east).read(["target"])
        # The general manager sets everyone's, the leaders' and regions' included.
        for key in ("mgr_east", "east", "region"):
            self.targets[key].with_user(self.gm).target = 7000

    def test_menus_per_role(self):
        for user in (self.rep_a, self.mgr_east, self.gm):
            with self.subTest(user=user.login):
                self.assertMenuOpens(user, "crm_core.menu_crm_sales_targets")
                self.assertMenuOpens(user, "crm_core.menu_crm_evaluations")
        self.assertMenuOpens(self.gm, "crm_core.menu_crm_config_evaluation_criteria")
        for user in (self.rep_a, self.mgr_east):
            self.assertMenuHidden(user, "crm_core.menu_crm_config_evaluation_criteria")
        self.assertMenuHidden(self.user_employee, "crm_core.menu_crm_performance")
