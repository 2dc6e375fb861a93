from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.crm_core.tests.common import CrmCoreCommon


@tagged("crm_channel")
class TestChannel(CrmCoreCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.level = cls.env.ref("crm_channel.channel_level_distributor")
        cls.distributor = cls.env["res.partner"].create(
            {"name": "华东安防分销 (East China Security Distribution)", "is_company": True,
             "channel_level_id": cls.level.id}
        )  # fmt: skip
        cls.customer = cls.env["res.partner"].create({"name": "Plain Customer Ltd", "is_company": True})

    def test_menus(self):
        for user in (self.user_rep, self.user_manager, self.user_gm):
            self.assertMenuOpens(user, "crm_channel.menu_crm_channel_partners")
        self.assertMenuHidden(self.user_rep, "crm_channel.menu_crm_channel_levels")
        self.assertMenuOpens(self.user_manager, "crm_channel.menu_crm_channel_levels")
        self.assertMenuHidden(self.user_employee, "crm_channel.menu_crm_channel_partners")

    def test_action_lists_channel_partners_only(self):
        action = self.env.ref("crm_channel.res_partner_action_channel")
        found = self.env["res.partner"].with_user(self.user_rep).search(eval(action.domain))
        self.assertIn(self.distributor, found)
        self.assertNotIn(self.customer, found)

    def test_partner_count_per_level(self):
        self.env["res.partner"].create({"name": "Second Distributor", "channel_level_id": self.level.id})
        self.level.invalidate_recordset(["partner_count"])
        self.assertEqual(self.level.partner_count, len(self.level.partner_ids))
        self.assertGreaterEqual(self.level.partner_count, 2)
        action = self.level.action_view_partners()
        self.assertEqual(self.env["res.partner"].search(action["domain"]), self.level.partner_ids)

    def test_levels_by_role(self):
        """Reps read levels; managers create and edit them; only the GM deletes."""
        Level = self.env["crm.channel.level"]
        self.assertTrue(Level.with_user(self.user_rep).search([("id", "=", self.level.id)]))
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base.models.ir_model"):
            Level.with_user(self.user_rep).create({"name": "Rep's own level"})
        gold = Level.with_user(self.user_manager).create({"name": "Gold Dealer", "discount": 30})
        gold.with_user(self.user_manager).discount = 28
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base.models.ir_model"):
            gold.with_user(self.user_manager).unlink()
        gold.with_user(self.user_gm).unlink()
        self.assertFalse(gold.exists())

    @mute_logger("odoo.sql_db")
    def test_discount_must_be_a_percentage(self):
        with self.assertRaises(IntegrityError):
            self.env["crm.channel.level"].create({"name": "Too generous", "discount": 120})

    def test_sales_by_channel_level(self):
        product = self.env["product.product"].create({"name": "Channel Camera", "list_price": 500})
        order = self.env["sale.order"].create({
            "partner_id": self.distributor.id, "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 3})],
        })  # fmt: skip
        order.action_confirm()
        groups = self.env["sale.report"]._read_group(
            [("order_reference", "=", f"sale.order,{order.id}")], ["crm_channel_level_id"], ["price_subtotal:sum"]
        )
        self.assertEqual(groups, [(self.level, order.amount_untaxed)])
