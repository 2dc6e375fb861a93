import base64
import logging
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, get_db_name, tagged
from odoo.tests.common import ChromeBrowser
from odoo.tools import config, mute_logger

from .test_contract import CrmContractCommon
from .test_hierarchy import MUTE_ACCESS
from .test_pool import CrmPoolCommon
from .test_ui import QuietAnnouncementsMixin

_logger = logging.getLogger(__name__)


class CrmWorkbenchCommon(QuietAnnouncementsMixin, CrmContractCommon, CrmPoolCommon):
    """rep_a's day, on top of the hierarchy, the East pool and contracts:

    - follow-ups: a1 overdue (2 days ago), a2 today, a3 in three days;
    - an overdue to-do on a3;
    - east_p1 claimed from the East pool;
    - a2 moved to the East pool, not followed up for 9 days: recycled in
      one day (the pool warns 2 days ahead);
    - an approved contract of a1 whose deposit is 10 days overdue;
    - rep_b's contract waiting for mgr_east's approval;
    - an announcement to Shanghai.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a1, a2, a3 = (cls.customers[key] for key in ("a1", "a2", "a3"))
        a1.crm_next_followup_date = cls.days(-2)
        a2.crm_next_followup_date = cls.today
        a3.crm_next_followup_date = cls.days(3)
        cls.todo = a3.activity_schedule(
            "mail.mail_activity_data_todo", date_deadline=cls.days(-1), summary="Send the brochure", user_id=cls.rep_a.id
        )
        cls.p1.with_user(cls.rep_a).action_claim()
        a2.write({"crm_pool_id": cls.pool.id, "crm_last_followup_date": cls.days(-9)})
        cls.collected = cls.approve(cls.make_contract(
            amount=1000, partner=a1, date_signed=cls.days(-30), title="Pudong warehouse cameras",
            plan=[("Deposit", -10, {"amount": 400}), ("Balance", 20, {"amount": 600})],
        ))  # fmt: skip
        cls.to_approve = cls.make_contract(amount=2000, user=cls.rep_b, partner=cls.customers["b1"], title="Warehouse cameras for Jiading")
        cls.to_approve.with_user(cls.rep_b).action_submit()
        cls.announcement = cls.env["announcement"].create({
            "name": "Shanghai: team meeting moved to Monday", "announcement_type": "crm_team",
            "crm_team_ids": [Command.set(cls.team_shanghai.ids)],
        })  # fmt: skip
        cls.announcement.action_crm_publish()

    def workbench(self, user):
        return self.env["crm.workbench"].with_user(user).get_data()


@tagged("crm_core", "crm_workbench")
class TestWorkbench(CrmWorkbenchCommon):
    def test_rep_sees_their_day(self):
        data = self.workbench(self.rep_a)
        self.assertEqual(data["user"]["id"], self.rep_a.id)
        followups = data["followups"]
        self.assertEqual((followups["count"], followups["overdue"], followups["today"]), (2, 1, 1))
        self.assertEqual([item["id"] for item in followups["items"]], [self.customers["a1"].id, self.customers["a2"].id])
        self.assertEqual(followups["items"][0]["date"], fields.Date.to_string(self.days(-2)))

        activities = data["activities"]
        self.assertEqual((activities["count"], activities["overdue"]), (1, 1))
        self.assertEqual(activities["items"][0]["name"], "Send the brochure")
        self.assertEqual((activities["items"][0]["model"], activities["items"][0]["id"]), ("res.partner", self.customers["a3"].id))

        self.assertEqual([item["id"] for item in data["claims"]["items"]], [self.p1.id])
        self.assertEqual([item["id"] for item in data["recycles"]["items"]], [self.customers["a2"].id])

        collections = data["collections"]
        self.assertEqual(collections["count"], 1)
        self.assertEqual(collections["items"][0]["id"], self.collected.id)
        self.assertEqual(collections["items"][0]["amount"], 400)

        self.assertEqual(data["approvals"]["count"], 0)
        self.assertEqual([item["id"] for item in data["announcements"]["items"]], [self.announcement.id])
        self.assertIsInstance(data["targets"], list)
        self.assertIsInstance(data["shortcuts"], list)

    def test_manager_sees_the_contracts_waiting_for_them(self):
        data = self.workbench(self.mgr_east)
        self.assertEqual([item["id"] for item in data["approvals"]["items"]], [self.to_approve.id])
        self.assertEqual(data["approvals"]["items"][0]["name"], "Warehouse cameras for Jiading")
        for user in (self.rep_b, self.gm, self.mgr_south):
            with self.subTest(user=user.login):
                self.assertEqual(self.workbench(user)["approvals"]["count"], 0)
        # Approved: no longer waiting.
        self.to_approve.with_user(self.mgr_east).validate_tier()
        self.assertEqual(self.workbench(self.mgr_east)["approvals"]["count"], 0)

    def test_sections_are_the_users_own(self):
        """A manager sees rep_a's customers, but their workbench lists what
        is theirs to do."""
        for user in (self.mgr_east, self.gm):
            data = self.workbench(user)
            with self.subTest(user=user.login):
                self.assertEqual(data["followups"]["count"], 0)
                self.assertEqual(data["claims"]["count"], 0)
                self.assertEqual(data["recycles"]["count"], 0)
                self.assertEqual(data["collections"]["count"], 0)
        self.assertEqual(self.workbench(self.rep_d)["announcements"]["count"], 0)

    def test_app_opens_on_the_workbench(self):
        root = self.env.ref("crm_core.menu_crm_root")
        workbench = self.env.ref("crm_core.crm_workbench_action")
        self.assertEqual(root.action, workbench)
        self.assertEqual(root.child_id.sorted(lambda m: (m.sequence, m.id))[0], self.env.ref("crm_core.menu_crm_workbench"))
        self.assertMenuOpens(self.rep_a, "crm_core.menu_crm_workbench")
        self.assertMenuHidden(self.user_employee, "crm_core.menu_crm_workbench")
        with self.assertRaisesRegex(AccessError, "for the users of Customer Management"):
            self.workbench(self.user_employee)

    def test_targets_come_from_the_sales_targets(self):
        if "crm.sales.target" not in self.env:
            self.skipTest("crm.sales.target is not installed")
        progress = [{"id": 7, "name": "Sales Amount", "measure": "Sales Amount", "period": "2026-11", "target": 100.0,
                     "actual": 40.0, "achievement": 40.0, "level": "none"}]  # fmt: skip
        users = []

        def workbench_progress(targets, user):
            users.append(user)
            return progress

        with patch.object(self.registry["crm.sales.target"], "_crm_workbench_progress", workbench_progress):
            self.assertEqual(self.workbench(self.rep_a)["targets"], progress)
        self.assertEqual([user.id for user in users], [self.rep_a.id])

    def test_query_count_does_not_grow_with_the_records(self):
        # The workbench's own sections: the targets' progress is crm.sales.target's.
        patcher = patch.object(self.registry["crm.workbench"], "_crm_targets", lambda workbench: [])
        patcher.start()
        self.addCleanup(patcher.stop)
        self.workbench(self.rep_a)  # rule domains and xmlids cached, shortcuts created
        with self.assertQueryCount(18):
            self.workbench(self.rep_a)
        # Many more of everything, beyond the items listed.
        extra = self.env["res.partner"].create([
            {"name": f"Due Customer {i}", "crm_managed": True, "is_company": True, "user_id": self.rep_a.id,
             "crm_team_id": self.team_shanghai.id, "crm_next_followup_date": self.days(-i), "crm_pool_id": self.pool.id,
             "crm_last_followup_date": self.days(-9), "mobile": f"+86 1990000{2100 + i}"}
            for i in range(8)
        ])  # fmt: skip
        for partner in extra:
            partner.activity_schedule("mail.mail_activity_data_todo", date_deadline=self.days(-1), user_id=self.rep_a.id)
        self.env["res.partner"].browse(extra.ids).write({"crm_claim_date": fields.Datetime.now()})
        for index in range(6):
            self.env["announcement"].create({"name": f"Extra {index}", "is_general_announcement": True}).action_crm_publish()
        self.workbench(self.rep_a)
        with self.assertQueryCount(18):
            data = self.workbench(self.rep_a)
        self.assertEqual(data["followups"]["count"], 10)
        self.assertEqual(len(data["followups"]["items"]), 5)
        self.assertEqual(data["recycles"]["count"], 9)
        self.assertEqual(data["announcements"]["count"], 7)

    def test_view_all_opens_the_sections_records(self):
        Workbench = self.env["crm.workbench"].with_user(self.rep_a)
        for section, model in (
            ("followups", "res.partner"), ("activities", "mail.activity"), ("claims", "res.partner"),
            ("recycles", "res.partner"), ("collections", "crm.contract.plan"), ("approvals", "crm.contract"),
            ("announcements", "announcement"),
        ):  # fmt: skip
            with self.subTest(section=section):
                action = Workbench.action_open(section)
                self.assertEqual(action["res_model"], model)
                if section != "approvals":
                    records = self.env[model].with_user(self.rep_a).search(action["domain"])
                    self.assertEqual(len(records), self.workbench(self.rep_a)[section]["count"])
        with self.assertRaisesRegex(UserError, "no section bogus"):
            Workbench.action_open("bogus")


@tagged("crm_core", "crm_workbench")
class TestWorkbenchShortcuts(CrmWorkbenchCommon):
    def shortcuts(self, user):
        return self.env["crm.workbench.shortcut"].with_user(user)._crm_for_user()

    def test_defaults_follow_the_role(self):
        self.assertEqual(
            [s["name"] for s in self.shortcuts(self.rep_a)], ["New Customer", "Public Search", "Lead Pool", "New Follow-up"]
        )
        self.assertEqual(self.shortcuts(self.mgr_east)[-1]["name"], "Contracts to Approve")
        new_customer = self.shortcuts(self.rep_a)[0]
        self.assertTrue(new_customer["create_new"])
        self.assertEqual(new_customer["action_id"], self.env.ref("crm_core.res_partner_action_crm_customer").id)

    def test_add_reorder_remove(self):
        Shortcut = self.env["crm.workbench.shortcut"].with_user(self.rep_a)
        self.shortcuts(self.rep_a)
        added = Shortcut.create({"menu_id": self.env.ref("crm_core.menu_crm_announcements").id, "icon": "fa-bullhorn"})
        self.assertEqual(added.name, "Announcements")
        self.assertEqual(added.action_id.id, self.env.ref("crm_core.announcement_action_crm").id)
        self.assertEqual(self.shortcuts(self.rep_a)[-1]["id"], added.id)
        added.action_move(-2)
        self.assertEqual([s["name"] for s in self.shortcuts(self.rep_a)][2], "Announcements")
        added.action_move(-10)
        self.assertEqual(self.shortcuts(self.rep_a)[0]["id"], added.id)
        Shortcut.search([]).action_remove()
        self.assertEqual(self.shortcuts(self.rep_a), [], "removing them all does not bring the defaults back")

    def test_menus_to_add_are_the_apps_visible_ones(self):
        Shortcut = self.env["crm.workbench.shortcut"]
        rep_menus = {menu["name"] for menu in Shortcut.with_user(self.rep_a).crm_available_menus()}
        self.assertIn("Customers / Lead Pool", rep_menus)
        self.assertIn("Announcements", rep_menus)
        self.assertNotIn("Workbench", rep_menus)
        self.assertFalse({name for name in rep_menus if name.startswith("Configuration")})
        gm_menus = {menu["name"] for menu in Shortcut.with_user(self.gm).crm_available_menus()}
        self.assertIn("Configuration / Departments", gm_menus)

    @mute_logger(*MUTE_ACCESS)
    def test_own_shortcuts_only(self):
        mine = self.env["crm.workbench.shortcut"].browse([s["id"] for s in self.shortcuts(self.rep_a)])
        self.assertFalse(self.env["crm.workbench.shortcut"].with_user(self.rep_b).search([("id", "in", mine.ids)]))
        with self.assertRaises(AccessError):
            mine.with_user(self.rep_b).read(["name"])
        with self.assertRaises(AccessError):
            mine[:1].with_user(self.rep_b).action_move(1)
        with self.assertRaises(AccessError):
            self.env["crm.workbench.shortcut"].with_user(self.rep_b).create({
                "user_id": self.rep_a.id, "menu_id": self.env.ref("crm_core.menu_crm_pool").id,
            })  # fmt: skip

    def test_shortcut_opens_only_what_the_user_may_open(self):
        Shortcut = self.env["crm.workbench.shortcut"].with_user(self.rep_a)
        with self.assertRaisesRegex(ValidationError, "does not see the menu"):
            Shortcut.create({"menu_id": self.env.ref("crm_core.menu_crm_config_departments").id})
        with self.assertRaisesRegex(ValidationError, "may not open"):
            Shortcut.create({"name": "Scheduled Actions", "action_id": self.env.ref("base.ir_cron_act").id})


class WorkbenchTourCommon(CrmWorkbenchCommon):
    """A department manager's workbench, walked by crm_core_workbench_tour
    and captured at its end."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.announcement.active = False
        Partner = cls.env["res.partner"]
        mgr, team = cls.mgr_east, cls.team_east
        own = Partner.create([
            {"name": name, "crm_managed": True, "is_company": True, "user_id": mgr.id, "crm_team_id": team.id,
             "mobile": f"+86 1990000{3100 + index}", **vals}
            for index, (name, vals) in enumerate([
                ("Tour Overdue Customer", {"crm_next_followup_date": cls.days(-2)}),
                ("Tour Today Customer", {"crm_next_followup_date": cls.today}),
                ("Tour Quiet Customer", {"crm_pool_id": cls.pool.id, "crm_last_followup_date": cls.days(-9)}),
            ])
        ])  # fmt: skip
        own[1].activity_schedule(
            "mail.mail_activity_data_todo", date_deadline=cls.today, summary="Call back about the quote", user_id=mgr.id
        )
        cls.p2.name = "Tour Claimed Customer"
        cls.p2.with_user(mgr).action_claim()
        cls.approve(cls.make_contract(
            amount=3000, user=mgr, partner=own[0], date_signed=cls.days(-40), title="Tour Office Cameras",
            plan=[("Deposit", -15, {"amount": 1200}), ("Balance", 30, {"amount": 1800})],
        ))  # fmt: skip
        Announcement = cls.env["announcement"]
        cls.safety_week, cls.campaign = Announcement.create([
            {"name": "Workbench Tour: Safety Week", "sequence": 1, "is_general_announcement": True,
             "content": "<p>Check the ladders before installing cameras.</p>"},
            {"name": "Workbench Tour: East Campaign", "sequence": 2, "announcement_type": "crm_team",
             "crm_team_ids": [Command.set(team.ids)], "content": "<p>Dome cameras are 12% off.</p>"},
        ])  # fmt: skip
        (cls.safety_week | cls.campaign).action_crm_publish()

    def screenshot_path(self, name):
        # Where Odoo's own test screenshots go (--screenshots), by name.
        return Path(config["screenshots"]) / get_db_name() / "screenshots" / f"{name}.png"

    def start_tour_with_screenshot(self, url, tour, login, name):
        """Run the tour, then capture the page it ended on through the same
        DevTools call as Odoo's failure screenshots (ChromeBrowser.take_screenshot),
        before the browser closes."""
        path = self.screenshot_path(name)
        path.unlink(missing_ok=True)
        wait_code_ok = ChromeBrowser._wait_code_ok

        def wait_then_capture(browser, code, timeout, error_checker=None):
            wait_code_ok(browser, code, timeout, error_checker=error_checker)
            shot = browser._websocket_request("Page.captureScreenshot", timeout=30)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(base64.b64decode(shot["data"]))
            _logger.info("Workbench screenshot: %s", path)

        with patch.object(ChromeBrowser, "_wait_code_ok", wait_then_capture):
            self.start_tour(url, tour, login=login, timeout=120)
        self.assertTrue(path.is_file() and path.stat().st_size > 10000, f"no screenshot in {path}")
        return path

    def assertTourOutcome(self):
        """What the tour did, as the records tell."""
        shortcuts = self.env["crm.workbench.shortcut"].search([("user_id", "=", self.mgr_east.id)])
        self.assertEqual(
            shortcuts.mapped("name"), ["Lead Pool", "New Customer", "New Follow-up", "Contracts to Approve", "Announcements"]
        )
        self.assertIn(self.safety_week, self.mgr_east.read_announcement_ids)
        self.assertNotIn(self.campaign, self.mgr_east.read_announcement_ids)
        self.assertEqual(self.safety_week.announcement_log_ids.create_uid, self.mgr_east)


@tagged("post_install", "-at_install", "crm_core", "crm_workbench")
class TestWorkbenchTour(WorkbenchTourCommon, HttpCase):
    def test_workbench_desktop(self):
        self.start_tour_with_screenshot("/odoo", "crm_core_workbench_tour", self.mgr_east.login, "crm_core_workbench_desktop")
        self.assertTourOutcome()


@tagged("post_install", "-at_install", "crm_core", "crm_workbench")
class TestWorkbenchTourPhone(WorkbenchTourCommon, HttpCase):
    browser_size = "375x667"
    touch_enabled = True

    def test_workbench_phone(self):
        # The app opens from the burger menu on a phone: start at the workbench's address.
        self.start_tour_with_screenshot("/odoo/crm-workbench", "crm_core_workbench_tour", self.mgr_east.login, "crm_core_workbench_phone")
        self.assertTourOutcome()
