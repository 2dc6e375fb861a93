import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME, Opener


@tagged("post_install", "-at_install", "crm_core")
class TestSessions(HttpCase):
    """The edition's limit of users online at once and forced logouts, with
    real logins through the login page, one browser session each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = [
            new_test_user(cls.env, login=f"seat_{n}", password=f"seat_{n}-Pass-2026", groups="base.group_user") for n in range(3)
        ]
        cls.admin = cls.env.ref("base.user_admin")

    def browser_session(self):
        opener = Opener(self.cr)
        opener.cookies[TEST_CURSOR_COOKIE_NAME] = self.canonical_tag
        return opener

    def web_login(self, login, password=None):
        """Log in through /web/login like a browser: (session, page answered)."""
        opener = self.browser_session()
        page = opener.get(f"{self.base_url()}/web/login", timeout=30)
        csrf_token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        answer = opener.post(f"{self.base_url()}/web/login", timeout=30, data={
            "login": login, "password": password or f"{login}-Pass-2026", "csrf_token": csrf_token, "redirect": "/web/session/get_session_info",
        })  # fmt: skip
        return opener, answer

    def uid_of(self, opener):
        """The user of a browser session, or None once it no longer works."""
        answer = opener.post(f"{self.base_url()}/web/session/get_session_info", json={"params": {}}, timeout=30)
        return (answer.json().get("result") or {}).get("uid")

    def test_users_online_at_once(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_core.max_concurrent_users", 2)
        first, _page = self.web_login("seat_0")
        second, _page = self.web_login("seat_1")
        self.assertEqual(self.uid_of(first), self.users[0].id)
        self.assertEqual(self.uid_of(second), self.users[1].id)

        third, page = self.web_login("seat_2")
        self.assertIn("This installation allows 2 users online at once", page.text)
        self.assertIsNone(self.uid_of(third))

        # Already online: a second device of the same user logs in.
        again, _page = self.web_login("seat_0")
        self.assertEqual(self.uid_of(again), self.users[0].id)
        # Administrators always log in.
        admin, _page = self.web_login("admin", "admin")
        self.assertEqual(self.uid_of(admin), self.admin.id)

        # Logging out frees a place at once.
        second.get(f"{self.base_url()}/web/session/logout", timeout=30)
        self.assertIsNone(self.uid_of(second))
        third, _page = self.web_login("seat_2")
        self.assertEqual(self.uid_of(third), self.users[2].id)

        # No limit: everyone.
        self.env["ir.config_parameter"].sudo().set_param("crm_core.max_concurrent_users", 0)
        second, _page = self.web_login("seat_1")
        self.assertEqual(self.uid_of(second), self.users[1].id)

    def test_force_logout(self):
        first, _page = self.web_login("seat_0")
        other, _page = self.web_login("seat_1")
        self.assertEqual(self.uid_of(first), self.users[0].id)
        self.assertEqual(self.uid_of(other), self.users[1].id)
        with self.assertRaises(AccessError):
            self.users[1].with_user(self.users[1]).action_crm_force_logout()
        self.users[0].with_user(self.admin).action_crm_force_logout()
        self.assertIsNone(self.uid_of(first), "the session stopped working")
        self.assertEqual(self.uid_of(other), self.users[1].id, "other users stay logged in")
        # Over the menus, the administrator sees who is online and the history.
        online = self.env["res.device"].with_user(self.admin).search([("user_id", "in", [u.id for u in self.users])])
        self.assertEqual(online.user_id, self.users[1])
        history = self.env["res.device.log"].with_user(self.admin).search([("user_id", "=", self.users[0].id)])
        self.assertTrue(history and all(history.mapped("revoked")))
