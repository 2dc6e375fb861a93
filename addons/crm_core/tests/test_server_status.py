from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("crm_core")
class TestServerStatus(TransactionCase):
    def test_status_for_administrators(self):
        admin = self.env.ref("base.user_admin")
        late = self.env["ir.cron"].create({
            "name": "A job left behind", "model_id": self.env.ref("base.model_res_partner").id, "state": "code",
            "code": "pass", "nextcall": fields.Datetime.now() - timedelta(hours=3),
        })  # fmt: skip
        status = self.env["crm.server.status"].with_user(admin).create({})
        self.assertGreater(status.cpu_count, 0)
        self.assertTrue(0 <= status.memory_percent <= 100)
        self.assertTrue(0 <= status.disk_percent <= 100)
        self.assertEqual(status.database_name, self.env.cr.dbname)
        self.assertRegex(status.database_size, r"^\d+\.\d{2} (bytes|Kb|Mb|Gb|Tb)$")
        self.assertGreaterEqual(status.database_connections, 1)
        self.assertIn(late, status.cron_late_ids)
        self.assertEqual(status.cron_late_count, len(status.cron_late_ids))
        self.assertEqual(status.action_refresh()["res_model"], "crm.server.status")

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_others_are_refused(self):
        manager = new_test_user(self.env, login="status_gm", groups="base.group_user,crm_core.group_crm_general_manager")
        with self.assertRaises(AccessError):
            self.env["crm.server.status"].with_user(manager).create({})
