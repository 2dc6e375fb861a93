from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

from .crm_service_sla import SERVICE_PRIORITIES

TICKET_TYPES = [
    ("complaint", "Complaint"),
    ("repair", "Repair"),
    ("installation", "Installation"),
    ("maintenance", "Maintenance"),
    ("consultation", "Consultation"),
]

TICKET_STATES = [
    ("new", "New"),
    ("dispatched", "Dispatched"),
    ("in_progress", "In Progress"),
    ("reported", "Reported"),
    ("visited", "Return Visit Done"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]

# Which state may follow which; each step has its own button and guard.
TRANSITIONS = {
    "new": {"dispatched", "cancelled"},
    "dispatched": {"in_progress", "cancelled"},
    "in_progress": {"reported", "cancelled"},
    "reported": {"visited"},
    "visited": {"closed"},
    "closed": set(),
    "cancelled": set(),
}

CHANNELS = [
    ("phone", "Phone"),
    ("wechat", "WeChat"),
    ("email", "E-mail"),
    ("visit", "On Site"),
    ("web", "Website"),
    ("other", "Other"),
]

SATISFACTION = [
    ("1", "Very Dissatisfied"),
    ("2", "Dissatisfied"),
    ("3", "Neutral"),
    ("4", "Satisfied"),
    ("5", "Very Satisfied"),
]

SLA_STATES = [("on_time", "On Time"), ("at_risk", "At Risk"), ("breached", "Breached")]

# A deadline is "at risk" in the last quarter of its window.
SLA_RISK_SHARE = 0.25

# Written by the buttons and the computes only: over RPC they would forge the
# flow or the service statistics.
PROTECTED_FIELDS = {
    "name", "state", "date_dispatched", "date_started", "date_reported", "date_closed",
    "visit_user_id", "visit_date", "escalated", "signed_on",
}  # fmt: skip

# What an engineer who is not a sales rep writes on the tickets dispatched to
# them: the work report, and the tasks they tick off.
ENGINEER_FIELDS = {"work_done", "part_ids", "hours_spent", "signature", "signed_by", "task_ids"}
REPORT_FIELDS = {"work_done", "part_ids", "hours_spent", "signature", "signed_by"}
VISIT_FIELDS = {"satisfaction", "visit_comment"}


class CrmServiceTicket(models.Model):
    """A complaint or service request (服务单): dispatched (派工) to an
    engineer, reported with the customer's signature, followed by a return
    visit (回访) and closed, against deadlines per priority (SLA)."""

    _name = "crm.service.ticket"
    _description = "Service Ticket"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.owned.mixin", "crm.input.mixin"]
    _order = "priority desc, date_open desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "subject", "partner_id.name"]
    _crm_link_fields = ("partner_id", "contact_id")

    name = fields.Char(string="Number", required=True, readonly=True, copy=False, default="/", index="trigram")
    subject = fields.Char(required=True, tracking=True)
    ticket_type = fields.Selection(TICKET_TYPES, string="Type", required=True, default="repair", tracking=True)
    priority = fields.Selection(SERVICE_PRIORITIES, required=True, default="1", tracking=True, index=True)
    channel = fields.Selection(CHANNELS, default="phone")
    state = fields.Selection(TICKET_STATES, string="Status", required=True, default="new", readonly=True,
                             copy=False, tracking=True, index=True)  # fmt: skip
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, check_company=True,
        domain=[("crm_managed", "=", True), ("parent_id", "=", False)],
    )  # fmt: skip
    contact_id = fields.Many2one("res.partner", string="Contact", domain="[('parent_id', '=', partner_id)]")
    description = fields.Text(required=True)
    user_id = fields.Many2one(
        "res.users", string="Owner", required=True, index=True, tracking=True, domain="[('share', '=', False)]",
        compute="_compute_user_id", store=True, readonly=False, precompute=True,
        help="The customer's sales rep by default; they do the return visit.",
    )  # fmt: skip
    crm_team_id = fields.Many2one(
        "crm.team", string="Department", index=True, tracking=True, check_company=True,
        compute="_compute_crm_team_id", store=True, readonly=False, precompute=True,
        help="Its manager dispatches the ticket and is alerted when a deadline is missed.",
    )  # fmt: skip
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    engineer_id = fields.Many2one(
        "res.users", index="btree_not_null", tracking=True,
        domain=lambda self: [("groups_id", "in", self.env.ref("crm_core.group_crm_service_engineer").id)],
    )  # fmt: skip
    planned_date = fields.Datetime(tracking=True)
    address = fields.Text(
        string="Service Address", compute="_compute_address", store=True, readonly=False, precompute=True,
    )  # fmt: skip
    task_ids = fields.One2many("crm.service.task", "ticket_id", string="Tasks", copy=True)

    # Work report (完工报告)
    work_done = fields.Text()
    part_ids = fields.One2many("crm.service.part", "ticket_id", string="Parts Used")
    hours_spent = fields.Float(string="Time Spent (hours)")
    signature = fields.Image(string="Customer Signature", max_width=1024, max_height=1024, copy=False, attachment=True)
    signed_by = fields.Char(copy=False)
    signed_on = fields.Datetime(readonly=True, copy=False)

    # Return visit (回访)
    satisfaction = fields.Selection(SATISFACTION, tracking=True, copy=False)
    visit_comment = fields.Text(string="Customer Comments", copy=False)
    visit_user_id = fields.Many2one("res.users", string="Visited By", readonly=True, copy=False)
    visit_date = fields.Datetime(string="Visited On", readonly=True, copy=False)

    # Timestamps and deadlines (SLA)
    date_open = fields.Datetime(string="Requested On", required=True, default=fields.Datetime.now, index=True, copy=False)
    date_dispatched = fields.Datetime(string="First Dispatched On", readonly=True, copy=False)
    date_started = fields.Datetime(string="Started On", readonly=True, copy=False)
    date_reported = fields.Datetime(string="Reported On", readonly=True, copy=False)
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    response_deadline = fields.Datetime(compute="_compute_sla_deadlines", store=True)
    resolution_deadline = fields.Datetime(compute="_compute_sla_deadlines", store=True)
    response_risk_date = fields.Datetime(compute="_compute_sla_deadlines", store=True)
    resolution_risk_date = fields.Datetime(compute="_compute_sla_deadlines", store=True)
    response_late = fields.Boolean(compute="_compute_sla_late", store=True)
    resolution_late = fields.Boolean(compute="_compute_sla_late", store=True)
    sla_state = fields.Selection(SLA_STATES, string="Deadline Status", compute="_compute_sla_state", search="_search_sla_state")
    escalated = fields.Boolean(readonly=True, copy=False, help="Escalated to the department manager for a missed deadline.")
    crm_engineer_only = fields.Boolean(
        compute="_compute_crm_engineer_only", help="The current user is an engineer, not a sales rep: the form "
        "lets them write only the work report.",
    )  # fmt: skip

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends_context("uid")
    def _compute_crm_engineer_only(self):
        self.crm_engineer_only = not self.env.user.has_group("crm_core.group_crm_rep")

    @api.depends("partner_id")
    def _compute_user_id(self):
        for ticket in self:
            ticket.user_id = ticket.partner_id.user_id or ticket.user_id or self.env.user

    @api.depends("partner_id")
    def _compute_crm_team_id(self):
        for ticket in self:
            ticket.crm_team_id = ticket.partner_id.crm_team_id or ticket.crm_team_id

    @api.depends("partner_id", "contact_id")
    def _compute_address(self):
        for ticket in self:
            partner = ticket.contact_id if ticket.contact_id.street else ticket.partner_id
            ticket.address = partner._display_address(without_company=True).strip() if partner else False

    @api.depends("priority", "date_open")
    def _compute_sla_deadlines(self):
        slas = {sla.priority: sla for sla in self.env["crm.service.sla"].sudo().search([])}
        for ticket in self:
            sla = slas.get(ticket.priority)
            if not sla or not ticket.date_open:
                ticket.update({"response_deadline": False, "resolution_deadline": False,
                               "response_risk_date": False, "resolution_risk_date": False})  # fmt: skip
                continue
            response, resolution = timedelta(hours=sla.response_hours), timedelta(hours=sla.resolution_hours)
            ticket.response_deadline = ticket.date_open + response
            ticket.resolution_deadline = ticket.date_open + resolution
            ticket.response_risk_date = ticket.response_deadline - response * SLA_RISK_SHARE
            ticket.resolution_risk_date = ticket.resolution_deadline - resolution * SLA_RISK_SHARE

    @api.depends("date_dispatched", "date_reported", "response_deadline", "resolution_deadline")
    def _compute_sla_late(self):
        for ticket in self:
            ticket.response_late = bool(ticket.date_dispatched and ticket.response_deadline
                                        and ticket.date_dispatched > ticket.response_deadline)  # fmt: skip
            ticket.resolution_late = bool(ticket.date_reported and ticket.resolution_deadline
                                          and ticket.date_reported > ticket.resolution_deadline)  # fmt: skip

    @api.depends("state", "response_late", "resolution_late", "date_dispatched", "date_reported",
                 "response_deadline", "resolution_deadline", "response_risk_date", "resolution_risk_date")  # fmt: skip
    def _compute_sla_state(self):
        """Against the clock: a deadline reached exactly is still met, one
        passed by a second is breached."""
        now = fields.Datetime.now()
        for ticket in self:
            pending = []
            if not ticket.date_dispatched:
                pending.append((ticket.response_deadline, ticket.response_risk_date))
            if not ticket.date_reported:
                pending.append((ticket.resolution_deadline, ticket.resolution_risk_date))
            pending = [(deadline, risk) for deadline, risk in pending if deadline]
            if ticket.state == "cancelled":
                ticket.sla_state = False
            elif ticket.response_late or ticket.resolution_late or any(now > deadline for deadline, _risk in pending):
                ticket.sla_state = "breached"
            elif any(now >= risk for _deadline, risk in pending):
                ticket.sla_state = "at_risk"
            else:
                ticket.sla_state = "on_time"

    @api.model
    def _sla_state_domains(self):
        """The domain of each deadline status now, as _compute_sla_state
        decides it, for searches and the escalation cron."""
        now = fields.Datetime.now()
        open_ = [("state", "!=", "cancelled")]
        breached = expression.AND([open_, expression.OR([
            [("response_late", "=", True)],
            [("resolution_late", "=", True)],
            [("date_dispatched", "=", False), ("response_deadline", "<", now)],
            [("date_reported", "=", False), ("resolution_deadline", "<", now)],
        ])])  # fmt: skip
        not_breached = ["!", *expression.normalize_domain(breached)]
        at_risk = expression.AND([open_, not_breached, expression.OR([
            [("date_dispatched", "=", False), ("response_risk_date", "<=", now)],
            [("date_reported", "=", False), ("resolution_risk_date", "<=", now)],
        ])])  # fmt: skip
        on_time = expression.AND([open_, not_breached, ["!", *expression.normalize_domain(at_risk)]])
        return {"breached": breached, "at_risk": at_risk, "on_time": on_time}

    def _search_sla_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Deadline status is searched with =, !=, in or not in."))
        values = [value] if isinstance(value, (str, bool)) else list(value)
        domains = self._sla_state_domains()
        # False is the status of cancelled tickets.
        positive = expression.OR([domains[v] if v else [("state", "=", "cancelled")] for v in values] or [expression.FALSE_DOMAIN])
        return positive if operator in ("=", "in") else ["!", *expression.normalize_domain(positive)]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("hours_spent")
    def _check_hours_spent(self):
        if any(ticket.hours_spent < 0 for ticket in self):
            raise ValidationError(self.env._("Time spent cannot be negative."))

    @api.constrains("planned_date", "date_open")
    def _check_planned_date(self):
        for ticket in self.filtered(lambda t: t.planned_date and t.date_open):
            if ticket.planned_date < ticket.date_open - timedelta(days=1):
                raise ValidationError(
                    self.env._("The planned date of ticket %(ticket)s is before its request.", ticket=ticket.display_name)
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su and (PROTECTED_FIELDS - {"name"}) & set(vals):
                raise AccessError(self.env._("The status and the dates of a service ticket are set by its buttons."))
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("crm.service.ticket") or "/"
        tickets = super().create(vals_list)
        # A rep files tickets for the customers they may edit, not for others'.
        if not self.env.su:
            tickets.partner_id.check_access("write")
        return tickets

    def write(self, vals):
        if not self.env.su:
            self._crm_check_write(vals)
        res = super().write(vals)
        if vals.get("signature"):
            # sudo: signed_on is protected; it records when this write happened.
            self.sudo().write({"signed_on": fields.Datetime.now()})
        return res

    def _crm_check_write(self, vals):
        names = set(vals)
        forged = PROTECTED_FIELDS & names
        if forged or "date_open" in names:
            raise AccessError(
                self.env._("These fields of a service ticket change only through its buttons: %(fields)s.",
                           fields=", ".join(self._fields[n].get_description(self.env)["string"] for n in sorted(forged | ({"date_open"} & names))))
            )  # fmt: skip
        user = self.env.user
        if not user.has_group("crm_core.group_crm_rep"):
            extra = names - ENGINEER_FIELDS
            if extra:
                raise AccessError(
                    self.env._("An engineer writes only the work report of a ticket, not %(fields)s.",
                               fields=", ".join(self._fields[n].get_description(self.env)["string"] for n in sorted(extra)))
                )  # fmt: skip
        if REPORT_FIELDS & names:
            wrong = self.filtered(lambda t: t.state not in ("dispatched", "in_progress"))
            if wrong:
                raise UserError(
                    self.env._("The work report of ticket %(ticket)s is written after the dispatch and before it is reported.",
                               ticket=wrong[0].display_name)
                )  # fmt: skip
        if VISIT_FIELDS & names:
            wrong = self.filtered(lambda t: t.state not in ("reported", "visited"))
            if wrong:
                raise UserError(
                    self.env._("The return visit of ticket %(ticket)s comes after the work report.", ticket=wrong[0].display_name)
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_new(self):
        if any(ticket.state not in ("new", "cancelled") for ticket in self):
            raise UserError(self.env._("Only new or cancelled service tickets can be deleted."))

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _crm_set_state(self, state, **vals):
        """The one way the state changes: the user must be allowed to write
        the tickets and TRANSITIONS must allow the step; the state and dates
        are then written as superuser, since they are protected."""
        self.check_access("write")
        labels = dict(self._fields["state"]._description_selection(self.env))
        for ticket in self:
            if state not in TRANSITIONS[ticket.state]:
                raise UserError(
                    self.env._("Ticket %(ticket)s cannot go from %(from)s to %(to)s.",
                               ticket=ticket.display_name, **{"from": labels[ticket.state], "to": labels[state]})
                )  # fmt: skip
        self.sudo().write({"state": state, **vals})

    def _crm_check_engineer(self):
        """Only the ticket's engineer, or a department manager in scope, works on it."""
        user = self.env.user
        if self.env.su or user.has_group("crm_core.group_crm_manager"):
            return
        other = self.filtered(lambda t: t.engineer_id != user)
        if other:
            raise AccessError(
                self.env._("Ticket %(ticket)s is dispatched to %(engineer)s, not to you.",
                           ticket=other[0].display_name, engineer=other[0].engineer_id.name or self.env._("nobody"))
            )  # fmt: skip

    def _crm_check_rep(self, action):
        if not self.env.su and not self.env.user.has_group("crm_core.group_crm_rep"):
            raise AccessError(self.env._("Only the sales rep or the manager of the customer can %(action)s.", action=action))

    def action_dispatch(self):
        """Dispatch (派工) to the engineer on the planned date: a manager's step."""
        if not self.env.su and not self.env.user.has_group("crm_core.group_crm_manager"):
            raise AccessError(self.env._("Only a department manager dispatches service tickets."))
        missing = self.filtered(lambda t: not t.engineer_id or not t.planned_date)
        if missing:
            raise UserError(
                self.env._("Choose the engineer and the planned date of ticket %(ticket)s before dispatching it.",
                           ticket=missing[0].display_name)
            )  # fmt: skip
        now = fields.Datetime.now()
        for ticket in self:
            ticket._crm_set_state("dispatched", date_dispatched=ticket.date_dispatched or now)
        for engineer, tickets in self.grouped("engineer_id").items():
            tickets.message_subscribe(partner_ids=engineer.partner_id.ids)
            for ticket in tickets:
                ticket.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=fields.Date.context_today(ticket, ticket.planned_date),
                    summary=self.env._("Service visit: %(subject)s", subject=ticket.subject),
                    note=ticket.address,
                    user_id=engineer.id,
                )
        return True

    def action_start(self):
        self._crm_check_engineer()
        self._crm_set_state("in_progress", date_started=fields.Datetime.now())
        return True

    def action_report(self):
        """The engineer's work report (完工报告), signed by the customer."""
        self._crm_check_engineer()
        for ticket in self:
            if not ticket.work_done:
                raise UserError(self.env._("Describe the work done on ticket %(ticket)s first.", ticket=ticket.display_name))
            if not ticket.signature or not ticket.signed_by:
                raise UserError(
                    self.env._("Ticket %(ticket)s needs the customer's signature and name before it is reported.",
                               ticket=ticket.display_name)
                )  # fmt: skip
        self._crm_set_state("reported", date_reported=fields.Datetime.now())
        # The engineer's visit is done: close their to-do.
        self.sudo().activity_ids.filtered(lambda a: a.user_id in self.engineer_id).action_done()
        return True

    def action_visit(self):
        """The return visit (回访): the customer's satisfaction, asked by the
        sales side, never by the engineer who did the work."""
        self._crm_check_rep(self.env._("record the return visit"))
        user = self.env.user
        for ticket in self:
            if ticket.state != "reported":
                raise UserError(
                    self.env._("The return visit of ticket %(ticket)s comes after the work report.", ticket=ticket.display_name)
                )
            if not ticket.satisfaction:
                raise UserError(self.env._("Enter the customer's satisfaction for ticket %(ticket)s.", ticket=ticket.display_name))
            if ticket.engineer_id == user and not user.has_group("crm_core.group_crm_manager"):
                raise AccessError(
                    self.env._("The engineer of ticket %(ticket)s does not do its return visit.", ticket=ticket.display_name)
                )
        self._crm_set_state("visited", visit_user_id=user.id, visit_date=fields.Datetime.now())
        return True

    def action_close(self):
        self._crm_check_rep(self.env._("close a service ticket"))
        self._crm_set_state("closed", date_closed=fields.Datetime.now())
        return True

    def action_cancel(self):
        self._crm_check_rep(self.env._("cancel a service ticket"))
        self._crm_set_state("cancelled")
        return True

    # ------------------------------------------------------------------
    # Demo data (demo/crm_service_demo.xml): the steps the users would click
    # ------------------------------------------------------------------
    def _crm_demo_walk(self, until, parts=(), timeline=()):
        """Walk the tickets to ``until`` as their department manager,
        engineer and owner; the report and visit fields come with the demo
        records, ``parts`` is a list of (product id, quantity). ``timeline``
        (hours after the request of the dispatch, then of the report) dates
        the steps back as if they had been clicked then, for the analysis."""
        order = ["dispatched", "in_progress", "reported", "visited", "closed"]
        for ticket in self:
            steps = order[: order.index(until) + 1]
            ticket.with_user(ticket.crm_team_id._crm_manager()).action_dispatch()
            as_engineer = ticket.with_user(ticket.engineer_id)
            if "in_progress" in steps:
                as_engineer.action_start()
                as_engineer.write({"part_ids": [Command.create({"product_id": p, "quantity": q}) for p, q in parts]})
            if "reported" in steps:
                as_engineer.action_report()
            if "visited" in steps:
                ticket.with_user(ticket.user_id).action_visit()
            if "closed" in steps:
                ticket.with_user(ticket.user_id).action_close()
            # sudo: demo data only, the protected dates of a walk just made.
            dates = dict(zip(("date_dispatched", "date_reported"), (ticket.date_open + timedelta(hours=h) for h in timeline)))
            if "reported" not in steps:
                dates.pop("date_reported", None)
            ticket.sudo().write(dates)

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------
    @api.model
    def _cron_crm_escalate(self):
        """Escalate once to the department manager the open tickets whose
        response or resolution deadline has passed: a to-do and a follower.
        Tickets of a department without a manager wait until it has one."""
        domain = expression.AND([
            [("state", "in", ("new", "dispatched", "in_progress")), ("escalated", "=", False)],
            self._sla_state_domains()["breached"],
        ])  # fmt: skip
        # sudo: the cron looks at every company's tickets; it writes only the
        # escalation (activity, follower, flag) and posts no content of them.
        tickets = self.sudo().search(domain)
        managers = {team: team._crm_manager() for team in tickets.crm_team_id}
        escalated = tickets.browse()
        for manager, group in tickets.grouped(lambda t: managers.get(t.crm_team_id)).items():
            if not manager:
                continue
            group.message_subscribe(partner_ids=manager.partner_id.ids)
            for ticket in group:
                late = ticket.response_deadline if not ticket.date_dispatched else ticket.resolution_deadline
                ticket.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Deadline missed: %(ticket)s", ticket=ticket.display_name),
                    note=self.env._("The deadline of %(deadline)s has passed.", deadline=fields.Datetime.to_string(late)),
                    user_id=manager.id,
                )
            escalated |= group
        escalated.write({"escalated": True})
        return escalated
