from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import CrmHierarchyCommon
from .test_hierarchy import MUTE_ACCESS


class CrmAnnouncementCommon(CrmHierarchyCommon):
    """The hierarchy's people and announcements published by the general
    manager (gm_x): one to everyone, one to East (and so to Shanghai below
    it), one to South. The demo data's announcements are withdrawn."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Announcement = cls.env["announcement"]
        cls.Announcement.search([]).active = False
        cls.now = fields.Datetime.now()
        cls.to_everyone = cls.publish("Office closed on Friday", is_general_announcement=True)
        cls.to_east = cls.publish("East: dome camera campaign", announcement_type="crm_team", crm_team_ids=[Command.set(cls.team_east.ids)])
        cls.to_south = cls.publish("South: new price list", announcement_type="crm_team", crm_team_ids=[Command.set(cls.team_south.ids)])

    @classmethod
    def publish(cls, name, **vals):
        vals.setdefault("notification_date", cls.now - timedelta(hours=1))
        announcement = cls.Announcement.with_user(cls.gm).create({"name": name, "content": f"<p>{name}</p>", **vals})
        announcement.action_crm_publish()
        return announcement

    def visible(self, user):
        return self.Announcement.with_user(user).search([("id", "in", (self.to_everyone | self.to_east | self.to_south).ids)])

    def unread(self, user):
        return self.env["crm.workbench"].with_user(user).get_data()["announcements"]


@tagged("crm_core", "crm_announcement")
class TestAnnouncementAudience(CrmAnnouncementCommon):
    def test_department_reaches_its_members_leaders_and_sub_departments(self):
        self.assertEqual(self.to_east.allowed_user_ids, self.mgr_east | self.rep_c | self.rep_a | self.rep_b)
        self.assertEqual(self.to_south.allowed_user_ids, self.mgr_south | self.rep_d)
        self.assertEqual(self.to_east.allowed_users_count, 4)

    def test_each_role_reads_what_is_addressed_to_it(self):
        everyone, east, south = self.to_everyone, self.to_east, self.to_south
        self.assertEqual(self.visible(self.rep_a), everyone | east, "a Shanghai rep, below East")
        self.assertEqual(self.visible(self.mgr_east), everyone | east)
        self.assertEqual(self.visible(self.rep_d), everyone | south)
        self.assertEqual(self.visible(self.user_employee), everyone, "everyone: every internal user")
        # The general manager publishes: they see them all, addressed to them or not.
        self.assertEqual(self.visible(self.gm), everyone | east | south)
        self.assertNotIn(self.gm, east.allowed_user_ids)

    @mute_logger(*MUTE_ACCESS)
    def test_others_cannot_read_it(self):
        with self.assertRaises(AccessError):
            self.to_east.with_user(self.rep_d).read(["name", "content"])
        with self.assertRaises(AccessError):
            self.to_south.with_user(self.mgr_east).read(["name"])

    def test_audience_follows_departments_and_new_colleagues(self):
        # rep_d moves from South to Shanghai.
        self.env["crm.team.member"].search([("user_id", "=", self.rep_d.id)]).crm_team_id = self.team_shanghai
        self.assertIn(self.rep_d, self.to_east.allowed_user_ids)
        self.assertNotIn(self.rep_d, self.to_south.allowed_user_ids)
        self.assertIn(self.to_east, self.visible(self.rep_d))
        # A new sub-department under East, with its own leader.
        newcomer = new_test_user(self.env, login="rep_new", groups="base.group_user,crm_core.group_crm_rep")
        self.env["crm.team"].create({"name": "Hangzhou", "parent_id": self.team_east.id, "user_id": newcomer.id})
        self.assertIn(newcomer, self.to_east.allowed_user_ids)
        self.assertIn(newcomer, self.to_everyone.allowed_user_ids, "a user created later receives it too")
        self.assertEqual(self.visible(newcomer), self.to_everyone | self.to_east)

    def test_expired_announcements_keep_their_audience(self):
        self.to_east.notification_expiry_date = self.now - timedelta(minutes=1)
        self.env["crm.team.member"].search([("user_id", "=", self.rep_d.id)]).crm_team_id = self.team_east
        self.assertNotIn(self.rep_d, self.to_east.allowed_user_ids)

    def test_login_popup_includes_department_announcements(self):
        def popup(user):
            return {item["id"] for item in self.env["res.users"].with_user(user).get_announcements()["data"]}

        self.assertEqual(popup(self.rep_a), {self.to_everyone.id, self.to_east.id})
        self.assertEqual(popup(self.rep_d), {self.to_everyone.id, self.to_south.id})
        self.to_east.with_user(self.rep_a).action_crm_mark_read()
        self.assertEqual(popup(self.rep_a), {self.to_everyone.id})

    def test_everyone_and_departments_created_together(self):
        everyone, east = self.Announcement.create([
            {"name": "Batch to everyone", "is_general_announcement": True},
            {"name": "Batch to East", "announcement_type": "crm_team", "crm_team_ids": [Command.set(self.team_east.ids)]},
        ])  # fmt: skip
        (everyone | east).action_crm_publish()
        self.assertEqual(everyone.announcement_type, "user_group")
        self.assertIn(self.rep_d, everyone.allowed_user_ids)
        self.assertEqual(east.allowed_users_count, 4)
        popup = [item["id"] for item in self.env["res.users"].with_user(self.rep_a).get_announcements()["data"]]
        self.assertLessEqual({everyone.id, east.id}, set(popup))

    def test_department_audience_needs_departments(self):
        with self.assertRaisesRegex(ValidationError, "Choose the departments that announcement Empty is addressed to"):
            self.Announcement.create({"name": "Empty", "announcement_type": "crm_team"})


@tagged("crm_core", "crm_announcement")
class TestAnnouncementPublishing(CrmAnnouncementCommon):
    @mute_logger(*MUTE_ACCESS)
    def test_only_general_manager_and_administrators_publish(self):
        for user in (self.rep_a, self.mgr_east):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Announcement.with_user(user).create({"name": "Mine", "is_general_announcement": True})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.to_east.with_user(user).write({"name": "Changed"})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.to_east.with_user(user).action_crm_withdraw()
        admin = new_test_user(self.env, login="settings_admin", groups="base.group_user,base.group_system")
        drafted = self.Announcement.with_user(admin).create({"name": "Maintenance tonight", "is_general_announcement": True})
        self.assertEqual(drafted.crm_state, "unpublished", "OCA: a new announcement waits to be published")
        drafted.action_crm_publish()
        self.assertEqual(drafted.crm_state, "published")
        self.assertTrue(drafted.notification_date)

    def test_menu_opens_for_each_role(self):
        for user in (self.rep_a, self.mgr_east, self.gm):
            with self.subTest(user=user.login):
                self.assertMenuOpens(user, "crm_core.menu_crm_announcements")
        self.assertEqual(
            self.Announcement.with_user(self.gm).get_views([(False, "form")])["views"]["form"]["arch"].count("crm_receipts"), 1
        )
        self.assertNotIn("crm_receipts", self.Announcement.with_user(self.rep_a).get_views([(False, "form")])["views"]["form"]["arch"])

    def test_publication_dates(self):
        later = self.publish("Next week", is_general_announcement=True, notification_date=self.now + timedelta(days=7))
        self.assertEqual(later.crm_state, "scheduled")
        self.assertNotIn(later, self.Announcement.with_user(self.rep_a).search([]), "not before its publication date")
        self.to_east.notification_expiry_date = self.now - timedelta(minutes=1)
        self.assertEqual(self.to_east.crm_state, "expired")
        self.assertNotIn(self.to_east, self.visible(self.rep_a), "no longer after it expired")
        self.to_everyone.action_crm_withdraw()
        self.assertEqual(self.to_everyone.crm_state, "unpublished")
        self.assertFalse(self.visible(self.rep_a))
        with self.assertRaisesRegex(ValidationError, "expires .* before it is published"):
            later.notification_expiry_date = self.now

    def test_attachments_are_readable_by_recipients(self):
        attachment = self.env["ir.attachment"].with_user(self.gm).create({"name": "campaign.pdf", "raw": b"%PDF-1.4 campaign"})
        self.to_east.with_user(self.gm).attachment_ids = [Command.link(attachment.id)]
        self.assertEqual((attachment.res_model, attachment.res_id), ("announcement", self.to_east.id))
        self.assertEqual(attachment.with_user(self.rep_a).raw, b"%PDF-1.4 campaign")
        with self.assertRaises(AccessError), mute_logger(*MUTE_ACCESS):
            attachment.with_user(self.rep_d).read(["raw"])


@tagged("crm_core", "crm_announcement")
class TestAnnouncementReceipts(CrmAnnouncementCommon):
    def test_read_receipts_list_who_read_and_who_did_not(self):
        self.to_east.with_user(self.rep_a).action_crm_mark_read()
        self.to_east.with_user(self.mgr_east).action_crm_mark_read()
        receipts = self.to_east.with_user(self.gm)
        self.assertEqual(receipts.crm_read_user_ids, self.rep_a | self.mgr_east)
        self.assertEqual(receipts.crm_unread_user_ids, self.rep_b | self.rep_c)
        self.assertEqual((receipts.crm_read_count, receipts.crm_unread_count), (2, 2))
        self.assertEqual(receipts.announcement_log_ids.create_uid, self.rep_a | self.mgr_east)
        # Reading twice records one receipt.
        self.to_east.with_user(self.rep_a).action_crm_mark_read()
        self.assertEqual(len(self.to_east.announcement_log_ids), 2)

    @mute_logger(*MUTE_ACCESS)
    def test_receipts_are_the_publishers(self):
        self.to_east.with_user(self.rep_a).action_crm_mark_read()
        self.to_east.with_user(self.rep_b).action_crm_mark_read()
        for user in (self.rep_a, self.mgr_east):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.to_east.with_user(user).read(["crm_read_user_ids"])
        # A recipient reads their own receipt only.
        logs = self.env["announcement.log"].with_user(self.rep_a).search([("announcement_id", "=", self.to_east.id)])
        self.assertEqual(logs.create_uid, self.rep_a)

    def test_unread_count_per_role(self):
        self.assertEqual(self.unread(self.rep_a)["count"], 2)
        self.assertEqual(self.unread(self.rep_d)["count"], 2)
        self.assertEqual(self.unread(self.gm)["count"], 1, "the publisher counts what is addressed to them only")
        self.to_east.with_user(self.rep_a).action_crm_mark_read()
        unread = self.unread(self.rep_a)
        self.assertEqual(unread["count"], 1)
        self.assertEqual([item["name"] for item in unread["items"]], ["Office closed on Friday"])
        # Expired: no longer counted.
        self.to_everyone.notification_expiry_date = self.now - timedelta(minutes=1)
        self.assertEqual(self.unread(self.rep_a)["count"], 0)
        self.assertEqual(self.unread(self.rep_d)["count"], 1)

    def test_only_recipients_mark_as_read(self):
        with self.assertRaisesRegex(UserError, "is not addressed to you"):
            self.to_south.with_user(self.gm).action_crm_mark_read()
        self.assertFalse(self.to_south.announcement_log_ids)
