from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CrmHierarchyCommon
from .test_ui import QuietAnnouncementsMixin

# A customer's signature, as the signature widget sends it (a small PNG).
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAHgAAAAoCAYAAAA16j4lAAABoUlEQVR42u2azRWDMAyDS3bIYEzawRgivfIoCfmxLSdIlx56wPiL9IxhSyl9qHUV2AICpgiYImCKgCkCprwBjnFP51/KVpvmc/Ad1OP4bmz7Ag726Ng3pomKg58aiHDxW9MkvMm5M9Qq3WNRB5dccv3Pyj01zZjFyT09VJ2izwVci7FwT20sz+Dkuxpr6g7I04WCOxPkGPeUuxczB9c2B+Hi3LW9Q86BbTVP0HQKaiirTROvkEtgW5MxWMPVju5WQJ4gj8ax6BQt7VwJ8CM1IZ+TSwdqtIaAgOtxkYFysmQcizhYEq6UizVr0jq8EgOUOGCNmx+FbFGTZOM143gooleMZeu41o7jbgdrw+1xscWBk7qGVRyLDVnoRx2rNBl1stSyQhWwxQpydDGi2axeyIg4bgaMXCX2rj/RkDWWFSqAZxiqLOt5guwhjquHLE9bndz7ZFTjWlLNw3vmP8AeGun9Jb3HT5KqI7rmtRpa6JpK1/fWr1AqElXsDA289gg1RIksOrzEIL+pNlp0oBxCXAs5mFrcwRQBUwRMETABUzPrBxVes1RBTN6qAAAAAElFTkSuQmCC"

T0 = datetime(2026, 3, 2, 9, 0, 0)


class ServiceCommon(CrmHierarchyCommon):
    """Two engineers (eng_1, eng_2) who are not sales reps, on top of the
    departments of CrmHierarchyCommon; tickets of rep_a's customer a1, whose
    department (Shanghai) is under mgr_east."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,crm_core.group_crm_service_engineer"
        cls.eng_1 = new_test_user(cls.env, login="eng_1", name="Eng One", groups=groups)
        cls.eng_2 = new_test_user(cls.env, login="eng_2", name="Eng Two", groups=groups)
        cls.customers["a1"].write({"street": "690 Bibo Road", "city": "Shanghai"})
        cls.part = cls.env["product.product"].create({"name": "Power Adapter 12V", "type": "consu"})

    def new_ticket(self, user=None, **vals):
        return self.env["crm.service.ticket"].with_user(user or self.rep_a).create({
            "subject": "Camera 3 shows no picture", "description": "Black screen since this morning.",
            "partner_id": self.customers["a1"].id, **vals,
        })  # fmt: skip

    def dispatch(self, ticket, engineer=None):
        ticket = ticket.with_user(self.mgr_east)
        ticket.write({"engineer_id": (engineer or self.eng_1).id, "planned_date": ticket.date_open + timedelta(hours=2)})
        ticket.action_dispatch()

    def report(self, ticket):
        ticket = ticket.with_user(ticket.engineer_id)
        ticket.action_start()
        ticket.write({"work_done": "Replaced the power adapter.", "hours_spent": 1.5, "signed_by": "Manager Wang",
                      "signature": SIGNATURE, "part_ids": [Command.create({"product_id": self.part.id, "quantity": 1})]})  # fmt: skip
        ticket.action_report()

    def visit(self, ticket, satisfaction):
        ticket = ticket.with_user(self.rep_a)
        ticket.write({"satisfaction": satisfaction, "visit_comment": "Quick and clean."})
        ticket.action_visit()


@tagged("crm_core", "crm_service")
class TestServiceFlow(ServiceCommon):
    def test_flow_end_to_end_per_role(self):
        # The rep records the request; owner, department and address come from the customer.
        with Form(self.env["crm.service.ticket"].with_user(self.rep_a)) as form:
            form.partner_id = self.customers["a1"]
            form.subject = "Camera 3 shows no picture"
            form.description = "Black screen since this morning."
            form.ticket_type = "repair"
            form.priority = "2"
            form.task_ids.new().name = "Check the power supply"
        ticket = form.record
        self.assertEqual(ticket.state, "new")
        self.assertTrue(ticket.name.startswith("SV"))
        self.assertEqual(ticket.user_id, self.rep_a)
        self.assertEqual(ticket.crm_team_id, self.team_shanghai)
        self.assertIn("690 Bibo Road", ticket.address)
        self.assertEqual(ticket.response_deadline, ticket.date_open + timedelta(hours=4))
        self.assertEqual(ticket.resolution_deadline, ticket.date_open + timedelta(hours=24))

        # The engineer does not see it before the dispatch.
        self.assertFalse(self.env["crm.service.ticket"].with_user(self.eng_1).search([("id", "=", ticket.id)]))

        # The department manager dispatches it.
        self.dispatch(ticket)
        self.assertEqual(ticket.state, "dispatched")
        self.assertTrue(ticket.date_dispatched)
        self.assertIn(self.eng_1.partner_id, ticket.message_partner_ids)
        self.assertEqual(ticket.activity_ids.user_id, self.eng_1)

        # The engineer finds it in My Dispatches, starts, reports with the signature.
        mine = self.env["crm.service.ticket"].with_user(self.eng_1).search([("engineer_id", "=", self.eng_1.id)])
        self.assertEqual(mine, ticket)
        mine.task_ids.is_done = True
        self.report(ticket)
        self.assertEqual(ticket.state, "reported")
        self.assertTrue(ticket.date_reported)
        self.assertTrue(ticket.signed_on)
        self.assertEqual(ticket.part_ids.product_id, self.part)
        self.assertFalse(ticket.activity_ids, "the engineer's to-do is done with the report")

        # The rep calls back and closes it.
        self.visit(ticket, "4")
        self.assertEqual(ticket.state, "visited")
        self.assertEqual(ticket.visit_user_id, self.rep_a)
        ticket.with_user(self.rep_a).action_close()
        self.assertEqual(ticket.state, "closed")
        self.assertTrue(ticket.date_closed)
        self.assertEqual(ticket.sla_state, "on_time")

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_refusals(self):
        ticket = self.new_ticket()
        with self.assertRaisesRegex(AccessError, "Only a department manager dispatches"):
            ticket.with_user(self.rep_a).write({"engineer_id": self.eng_1.id, "planned_date": ticket.date_open})
            ticket.with_user(self.rep_a).action_dispatch()
        with self.assertRaisesRegex(UserError, "Choose the engineer and the planned date"):
            ticket.with_user(self.mgr_east).write({"engineer_id": False})
            ticket.with_user(self.mgr_east).action_dispatch()
        with self.assertRaises(AccessError):
            ticket.with_user(self.rep_a).write({"state": "closed"})
        with self.assertRaises(AccessError):
            self.new_ticket(user=self.eng_1)
        # Another department's rep and manager do not see it.
        self.assertFalse(self.env["crm.service.ticket"].with_user(self.rep_d).search([("id", "=", ticket.id)]))
        self.assertFalse(self.env["crm.service.ticket"].with_user(self.mgr_south).search([("id", "=", ticket.id)]))

        self.dispatch(ticket)
        # The engineer of another ticket neither sees nor works on this one.
        with self.assertRaises(AccessError):
            ticket.with_user(self.eng_2).action_start()
        with self.assertRaises(AccessError):
            ticket.with_user(self.eng_2).read(["subject"])
        # The return visit waits for the report.
        with self.assertRaisesRegex(UserError, "comes after the work report"):
            ticket.with_user(self.rep_a).write({"satisfaction": "5"})
        with self.assertRaisesRegex(UserError, "comes after the work report"):
            ticket.with_user(self.rep_a).action_visit()

        as_engineer = ticket.with_user(self.eng_1)
        as_engineer.action_start()
        # The engineer writes the report, nothing else; deletes nothing.
        with self.assertRaisesRegex(AccessError, "only the work report"):
            as_engineer.write({"subject": "Something else"})
        with self.assertRaises(AccessError):
            as_engineer.unlink()
        as_engineer.write({"work_done": "Replaced the adapter.", "signed_by": "Manager Wang"})
        with self.assertRaisesRegex(UserError, "needs the customer's signature"):
            as_engineer.action_report()
        self.assertEqual(ticket.state, "in_progress")
        # A rep cannot report for the engineer.
        with self.assertRaisesRegex(AccessError, "dispatched to Eng One, not to you"):
            ticket.with_user(self.rep_a).action_report()
        as_engineer.signature = SIGNATURE
        as_engineer.action_report()
        # Reported: the report is final, the engineer does not do the visit.
        with self.assertRaisesRegex(UserError, "written after the dispatch and before it is reported"):
            as_engineer.write({"work_done": "Changed afterwards"})
        with self.assertRaisesRegex(AccessError, "rep or the manager"):
            as_engineer.action_visit()
        with self.assertRaisesRegex(UserError, "Enter the customer's satisfaction"):
            ticket.with_user(self.rep_a).action_visit()
        with self.assertRaisesRegex(UserError, "cannot go from"):
            ticket.with_user(self.rep_a).action_close()


@tagged("crm_core", "crm_service")
class TestServiceSla(ServiceCommon):
    def sla(self, ticket):
        ticket.invalidate_recordset(["sla_state"])
        Ticket = self.env["crm.service.ticket"]
        found = {state for state in ("on_time", "at_risk", "breached") if Ticket.search([("id", "=", ticket.id), ("sla_state", "=", state)])}
        self.assertEqual(found, {ticket.sla_state}, "search and compute agree")
        return ticket.sla_state

    def test_response_deadline_boundary(self):
        """Urgent: 1 hour to respond; at risk in its last quarter; the
        deadline reached exactly is met, a minute later breached."""
        with freeze_time(T0):
            ticket = self.new_ticket(priority="3")
        self.assertEqual(ticket.response_deadline, T0 + timedelta(hours=1))
        with freeze_time(T0 + timedelta(minutes=44)):
            self.assertEqual(self.sla(ticket), "on_time")
        with freeze_time(T0 + timedelta(minutes=45)):
            self.assertEqual(self.sla(ticket), "at_risk")
        with freeze_time(T0 + timedelta(hours=1)):
            self.assertEqual(self.sla(ticket), "at_risk")
        with freeze_time(T0 + timedelta(hours=1, minutes=1)):
            self.assertEqual(self.sla(ticket), "breached")

    def test_dispatch_on_the_deadline_is_on_time(self):
        with freeze_time(T0):
            on_time, late = self.new_ticket(priority="3"), self.new_ticket(priority="3")
        with freeze_time(T0 + timedelta(hours=1)):
            self.dispatch(on_time)
        with freeze_time(T0 + timedelta(hours=1, minutes=1)):
            self.dispatch(late)
            self.assertFalse(on_time.response_late)
            self.assertTrue(late.response_late)
            self.assertEqual(self.sla(on_time), "on_time")
            self.assertEqual(self.sla(late), "breached")
        # Resolution: 8 hours for urgent tickets, the report decides.
        with freeze_time(T0 + timedelta(hours=8)):
            self.report(on_time)
            self.assertFalse(on_time.resolution_late)
            self.assertEqual(self.sla(on_time), "on_time")

    def test_escalation_once_to_the_department_manager(self):
        with freeze_time(T0):
            ticket = self.new_ticket(priority="3")
            south = self.env["crm.service.ticket"].with_user(self.rep_d).create({
                "subject": "Door controller offline", "description": "-", "partner_id": self.customers["d1"].id,
                "priority": "0",
            })  # fmt: skip
        Ticket, mine = self.env["crm.service.ticket"], ticket | south  # the demo data has late tickets too
        with freeze_time(T0 + timedelta(hours=1)):
            self.assertFalse(Ticket._cron_crm_escalate() & mine)
        with freeze_time(T0 + timedelta(hours=1, minutes=1)):
            escalated = Ticket._cron_crm_escalate() & mine
        self.assertEqual(escalated, ticket, "the low-priority ticket of South is not late yet")
        self.assertTrue(ticket.escalated)
        activity = ticket.activity_ids
        self.assertEqual(activity.user_id, self.mgr_east, "Shanghai has no leader: the manager above (East)")
        self.assertIn("Deadline missed", activity.summary)
        self.assertIn(self.mgr_east.partner_id, ticket.message_partner_ids)
        with freeze_time(T0 + timedelta(hours=3)):
            self.assertFalse(Ticket._cron_crm_escalate() & mine, "escalated once")
        self.assertEqual(len(ticket.activity_ids), 1)
        self.assertFalse(south.escalated)
        # The cron job itself runs.
        with freeze_time(T0 + timedelta(hours=30)):
            self.env.ref("crm_core.ir_cron_crm_service_escalate").method_direct_trigger()
        self.assertTrue(south.escalated)
        self.assertEqual(south.activity_ids.user_id, self.mgr_south)


@tagged("crm_core", "crm_service")
class TestServiceAnalysis(ServiceCommon):
    def walk(self, engineer, satisfaction=None):
        ticket = self.new_ticket()
        self.dispatch(ticket, engineer)
        self.report(ticket)
        if satisfaction:
            self.visit(ticket, satisfaction)
        return ticket

    def test_satisfaction_per_engineer(self):
        self.walk(self.eng_1, "5")
        self.walk(self.eng_1, "3")
        self.walk(self.eng_1)  # reported, not visited yet: left out of the average
        self.walk(self.eng_2, "2")
        self.new_ticket()  # not dispatched: no engineer, no times
        Report = self.env["crm.service.report"].with_user(self.mgr_east)
        stats = {engineer: (avg, count) for engineer, avg, count in Report._read_group(
            [], ["engineer_id"], ["satisfaction:avg", "__count"])}  # fmt: skip
        self.assertEqual(stats[self.eng_1], (4.0, 3))
        self.assertEqual(stats[self.eng_2], (2.0, 1))
        self.assertEqual(stats[self.env["res.users"]][1], 1)
        # read_group, as the pivot view asks, by type and engineer.
        rows = Report.read_group([("engineer_id", "!=", False)], ["satisfaction:avg", "response_hours:avg"], ["engineer_id"])
        self.assertEqual({r["engineer_id"][0]: r["satisfaction"] for r in rows}, {self.eng_1.id: 4.0, self.eng_2.id: 2.0})
        self.assertTrue(all(r["response_hours"] is not None for r in rows))
        # Other departments see none of it.
        self.assertFalse(self.env["crm.service.report"].with_user(self.mgr_south).search([]))

    def test_menus_per_role(self):
        self.assertMenuOpens(self.rep_a, "crm_core.menu_crm_service_tickets")
        self.assertMenuHidden(self.rep_a, "crm_core.menu_crm_report_service")
        self.assertMenuOpens(self.mgr_east, "crm_core.menu_crm_report_service")
        self.assertMenuOpens(self.eng_1, "crm_core.menu_crm_service_engineer_my")
        self.assertMenuHidden(self.eng_1, "crm_core.menu_crm_service_tickets")
        self.assertMenuOpens(self.gm, "crm_core.menu_crm_config_service_sla")


@tagged("post_install", "-at_install", "crm_core", "crm_service")
class TestServiceUi(QuietAnnouncementsMixin, HttpCase, ServiceCommon):
    def test_manager_dispatches_in_the_form(self):
        ticket = self.new_ticket(planned_date=datetime.now() + timedelta(days=1))
        self.start_tour(f"/odoo/action-crm_core.crm_service_ticket_action/{ticket.id}", "crm_core_service_dispatch_tour",
                        login=self.mgr_east.login)  # fmt: skip
        self.assertEqual(ticket.state, "dispatched")
        self.assertEqual(ticket.engineer_id, self.eng_1)
        self.assertEqual(ticket.activity_ids.user_id, self.eng_1)
