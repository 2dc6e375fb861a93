from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import CrmHierarchyCommon


@tagged("crm_core")
class TestCompetitor(CrmHierarchyCommon):
    """Competitors met on the reps' deals of the hierarchy fixture.

    ======  ==========  ===============  =====================
    deal    department  competitors      outcome
    ======  ==========  ===============  =====================
    rep_a   Shanghai    Xing, Yuan       won
    rep_b   Shanghai    Xing             open
    rep_c   East        Xing             lost to Xing
    rep_d   South       Yuan             open
    ======  ==========  ===============  =====================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Competitor = cls.env["crm.competitor"]
        cls.xing = Competitor.create({"name": "Xingshi Security", "price_level": "low"})
        cls.yuan = Competitor.create({"name": "Yuanjing Vision", "price_level": "high"})
        cls.deals = {login: leads.filtered(lambda ld: ld.type == "opportunity") for login, leads in cls.leads.items()}
        cls.env["crm.lead.competitor"].create([
            {"lead_id": cls.deals["rep_a"].id, "competitor_id": cls.xing.id, "offer": 9000},
            {"lead_id": cls.deals["rep_a"].id, "competitor_id": cls.yuan.id, "offer": 12000},
            {"lead_id": cls.deals["rep_b"].id, "competitor_id": cls.xing.id},
            {"lead_id": cls.deals["rep_c"].id, "competitor_id": cls.xing.id},
            {"lead_id": cls.deals["rep_d"].id, "competitor_id": cls.yuan.id},
        ])  # fmt: skip
        cls.deals["rep_a"].action_set_won()
        cls.deals["rep_c"].action_set_lost(crm_lost_competitor_id=cls.xing.id)
        cls.all_deals = cls.env["crm.lead"].union(*cls.deals.values())

    def lines(self, user):
        """The fixture's competitor lines ``user`` sees, as {(rep login, competitor)}."""
        lines = self.env["crm.lead.competitor"].with_user(user).search([("lead_id", "in", self.all_deals.ids)])
        return {(line.lead_id.user_id.login, line.competitor_id.name) for line in lines}

    def stats(self, competitor, user):
        # Computed on reading, as in each request: forget what was computed before.
        self.env.invalidate_all()
        competitor = competitor.with_user(user)
        return competitor.opportunity_count, competitor.won_count, competitor.lost_count, competitor.win_rate

    # ------------------------------------------------------------------
    # Statistics
    # ------------------------------------------------------------------
    def test_statistics_general_manager(self):
        self.assertEqual(self.stats(self.xing, self.gm), (3, 1, 1, 50.0))
        self.assertEqual(self.stats(self.yuan, self.gm), (2, 1, 0, 100.0))
        nobody = self.env["crm.competitor"].create({"name": "Never Met Ltd"})
        self.assertEqual(self.stats(nobody, self.gm), (0, 0, 0, 0.0))

    def test_statistics_follow_visibility(self):
        # Each one counts the opportunities they see.
        self.assertEqual(self.stats(self.xing, self.rep_a), (1, 1, 0, 100.0))
        self.assertEqual(self.stats(self.xing, self.rep_c), (1, 0, 1, 0.0))
        self.assertEqual(self.stats(self.xing, self.mgr_east), (3, 1, 1, 50.0))
        self.assertEqual(self.stats(self.yuan, self.mgr_east), (1, 1, 0, 100.0))
        self.assertEqual(self.stats(self.yuan, self.mgr_south), (1, 0, 0, 0.0))
        # A user without a role reads competitors, without statistics.
        self.assertEqual(self.stats(self.xing, self.user_employee), (0, 0, 0, 0.0))

    def test_lost_to_an_unlisted_competitor(self):
        """The competitor a deal is lost to joins those met on it; restoring
        the deal forgets whom it was lost to."""
        deal = self.deals["rep_d"]
        deal.with_user(self.rep_d).action_set_lost(crm_lost_competitor_id=self.xing.id)
        self.assertEqual(deal.crm_competitor_line_ids.competitor_id, self.xing | self.yuan)
        self.assertEqual(self.stats(self.xing, self.gm), (4, 1, 2, 33.3))
        deal.with_user(self.rep_d).toggle_active()
        self.assertFalse(deal.crm_lost_competitor_id)
        self.assertEqual(self.stats(self.xing, self.gm), (4, 1, 1, 50.0))

    def test_smart_button(self):
        action = self.xing.with_user(self.mgr_east).action_view_opportunities()
        deals = self.env["crm.lead"].with_user(self.mgr_east).with_context(action["context"]).search(action["domain"])
        self.assertEqual(deals, self.deals["rep_a"] | self.deals["rep_b"] | self.deals["rep_c"])

    # ------------------------------------------------------------------
    # Lost wizard
    # ------------------------------------------------------------------
    def test_lost_wizard_sets_competitor(self):
        deal = self.deals["rep_b"]
        reason = self.env["crm.lost.reason"].create({"name": "Price"})
        wizard = Form(self.env["crm.lead.lost"].with_user(self.rep_b).with_context(default_lead_ids=deal.ids))
        self.assertEqual(wizard.crm_lost_competitor_id, self.xing, "The single competitor met is proposed")
        wizard.lost_reason_id = reason
        wizard.save().action_lost_reason_apply()
        self.assertFalse(deal.active)
        self.assertEqual(deal.lost_reason_id, reason)
        self.assertEqual(deal.crm_lost_competitor_id, self.xing)
        self.assertEqual(self.stats(self.xing, self.gm), (3, 1, 2, 33.3))

    def test_lost_wizard_default(self):
        Wizard = self.env["crm.lead.lost"].with_user(self.mgr_east)
        two_met = Wizard.create({"lead_ids": [Command.set(self.deals["rep_a"].ids)]})
        self.assertFalse(two_met.crm_lost_competitor_id, "No default among several competitors")
        same_one = Wizard.create({"lead_ids": [Command.set((self.deals["rep_b"] | self.deals["rep_c"]).ids)]})
        self.assertEqual(same_one.crm_lost_competitor_id, self.xing)
        lead_b = self.leads["rep_b"].filtered(lambda lead: lead.type == "lead")
        none_met = Wizard.create({"lead_ids": [Command.set(lead_b.ids)]})
        self.assertFalse(none_met.crm_lost_competitor_id)
        # The competitor is optional.
        none_met.action_lost_reason_apply()
        self.assertFalse(none_met.lead_ids.active)
        self.assertFalse(none_met.lead_ids.crm_lost_competitor_id)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    def test_competitor_once_per_opportunity(self):
        with self.assertRaises(ValidationError) as error:
            self.env["crm.lead.competitor"].with_user(self.rep_b).create(
                {"lead_id": self.deals["rep_b"].id, "competitor_id": self.xing.id}
            )
        self.assertIn("Xingshi Security is already listed among the competitors of", str(error.exception))
        line = self.deals["rep_d"].crm_competitor_line_ids
        with self.assertRaises(ValidationError):
            self.deals["rep_d"].write({"crm_competitor_line_ids": [Command.create({"competitor_id": self.yuan.id})]})
        self.assertEqual(self.deals["rep_d"].crm_competitor_line_ids, line)

    def test_competitor_name_unique(self):
        with self.assertRaises(ValidationError) as error:
            self.env["crm.competitor"].with_user(self.rep_a).create({"name": "XINGSHI SECURITY"})
        self.assertIn("already exists", str(error.exception))
        with self.assertRaises(ValidationError):
            self.env["crm.competitor"].create([{"name": "Twin Co"}, {"name": "Twin Co"}])
        # Another company may keep its own record of the same competitor.
        other = self.env["res.company"].create({"name": "Other Co"})
        self.env["crm.competitor"].create({"name": "Xingshi Security", "company_id": other.id})

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def test_rep_sees_lines_of_own_deals(self):
        self.assertEqual(self.lines(self.rep_a), {("rep_a", "Xingshi Security"), ("rep_a", "Yuanjing Vision")})
        self.assertEqual(self.lines(self.rep_d), {("rep_d", "Yuanjing Vision")})

    def test_manager_sees_lines_of_department(self):
        self.assertEqual(
            self.lines(self.mgr_east),
            {("rep_a", "Xingshi Security"), ("rep_a", "Yuanjing Vision"), ("rep_b", "Xingshi Security"),
             ("rep_c", "Xingshi Security")},
        )  # fmt: skip
        self.assertEqual(self.lines(self.mgr_south), {("rep_d", "Yuanjing Vision")})

    def test_general_manager_sees_all_lines(self):
        self.assertEqual(len(self.lines(self.gm)), 5)

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_rep_edits_lines_of_own_deals_only(self):
        Line = self.env["crm.lead.competitor"].with_user(self.rep_a)
        own = Line.create({"lead_id": self.leads["rep_a"].filtered(lambda lead: lead.type == "lead").id,
                           "competitor_id": self.xing.id, "offer": 500})  # fmt: skip
        own.write({"offer": 450})
        own.unlink()
        other = self.deals["rep_d"].crm_competitor_line_ids.with_user(self.rep_a)
        with self.assertRaises(AccessError):
            other.read(["offer"])
        with self.assertRaises(AccessError):
            other.write({"offer": 1})
        with self.assertRaises(AccessError):
            Line.create({"lead_id": self.deals["rep_d"].id, "competitor_id": self.xing.id})

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_competitor_access_by_role(self):
        new = self.env["crm.competitor"].with_user(self.rep_a).create({"name": "Rep's Find Ltd"})
        new.write({"weaknesses": "Slow delivery"})
        with self.assertRaises(AccessError):
            new.unlink()
        with self.assertRaises(AccessError):
            self.env["crm.competitor"].with_user(self.mgr_east).browse(new.id).unlink()
        with self.assertRaises(AccessError):
            self.env["crm.competitor"].with_user(self.user_employee).create({"name": "Nope Ltd"})
        self.assertEqual(self.xing.with_user(self.user_employee).name, "Xingshi Security")
        new.with_user(self.gm).unlink()
        self.assertFalse(new.exists())
