from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# Who sees the read receipts: the publishers.
PUBLISHERS = "announcement.announcemenent_manager"

PUBLICATION_STATES = [
    ("unpublished", "Not Published"),
    ("scheduled", "Scheduled"),
    ("published", "Published"),
    ("expired", "Expired"),
]


class Announcement(models.Model):
    """Announcements (新闻公告) of OCA's announcement, addressed to everyone
    or to departments, published by the general manager, with the read
    receipts of their audience.

    The audience is stored (``allowed_user_ids``, which OCA's record rule
    reads): it follows department and role changes while the announcement
    runs (``_crm_refresh_audience``), and stays as it was once it expired,
    so that its receipts keep counting against the people it was sent to.
    """

    _inherit = "announcement"

    announcement_type = fields.Selection(
        selection_add=[("crm_team", "Departments")], ondelete={"crm_team": "set default"}
    )
    crm_team_ids = fields.Many2many(
        "crm.team",
        "announcement_crm_team_rel",
        "announcement_id",
        "team_id",
        string="Departments",
        help="Members and leaders of these departments and of their sub-departments receive the announcement.",
    )
    crm_state = fields.Selection(PUBLICATION_STATES, string="Publication", compute="_compute_crm_state")
    crm_is_recipient = fields.Boolean(string="Addressed to Me", compute="_compute_crm_is_recipient")
    crm_is_read = fields.Boolean(string="Read by Me", compute="_compute_crm_is_recipient")
    crm_read_user_ids = fields.Many2many(
        "res.users", string="Read by", compute="_compute_crm_receipts", groups=PUBLISHERS
    )
    crm_unread_user_ids = fields.Many2many(
        "res.users", string="Not Read by", compute="_compute_crm_receipts", groups=PUBLISHERS
    )
    crm_read_count = fields.Integer(string="Read", compute="_compute_crm_receipts", groups=PUBLISHERS)
    crm_unread_count = fields.Integer(string="Not Read", compute="_compute_crm_receipts", groups=PUBLISHERS)

    @api.depends("active", "notification_date", "notification_expiry_date")
    def _compute_crm_state(self):
        now = fields.Datetime.now()
        for announcement in self:
            if not announcement.active:
                announcement.crm_state = "unpublished"
            elif announcement.notification_expiry_date and announcement.notification_expiry_date < now:
                announcement.crm_state = "expired"
            elif announcement.notification_date and announcement.notification_date > now:
                announcement.crm_state = "scheduled"
            else:
                announcement.crm_state = "published"

    @api.depends_context("uid")
    @api.depends("allowed_user_ids")
    def _compute_crm_is_recipient(self):
        user = self.env.user
        read = user.read_announcement_ids
        for announcement in self:
            announcement.crm_is_recipient = user in announcement.allowed_user_ids
            announcement.crm_is_read = announcement._origin in read

    @api.depends("allowed_user_ids", "announcement_log_ids")
    def _compute_crm_receipts(self):
        # One query for all: who logged a read of each announcement (OCA logs
        # the first read only, in mark_announcement_as_read).
        readers = dict(
            self.env["announcement.log"]._read_group(
                [("announcement_id", "in", self._origin.ids)], ["announcement_id"], ["create_uid:recordset"]
            )
        )
        for announcement in self:
            read = readers.get(announcement._origin, self.env["res.users"])
            unread = announcement.allowed_user_ids - read
            announcement.crm_read_user_ids = read
            announcement.crm_unread_user_ids = unread
            announcement.crm_read_count = len(read)
            announcement.crm_unread_count = len(unread)

    @api.depends("is_general_announcement", "announcement_type", "specific_user_ids", "user_group_ids", "crm_team_ids")
    def _compute_allowed_user_ids(self):
        super()._compute_allowed_user_ids()
        # OCA switches a general announcement to its internal users' group
        # inside another compute, which may run after this one: everyone is
        # read here from the flag itself.
        everyone = self.filtered("is_general_announcement")
        if everyone:
            internal_users = self.env.ref("base.group_user").users
            everyone.allowed_user_ids = internal_users
            everyone.allowed_users_count = len(internal_users)
        by_department = self.filtered(lambda a: a.announcement_type == "crm_team" and not a.is_general_announcement)
        if not by_department:
            return
        # The field is computed as superuser (compute_sudo): departments are
        # read whoever publishes. One search for every department below those
        # addressed, then each announcement takes its own subtrees.
        Team = self.env["crm.team"].with_context(active_test=True)
        teams = Team.search([("id", "child_of", by_department.crm_team_ids.ids)])
        ancestors = {team: {int(i) for i in team.parent_path.split("/") if i} for team in teams}
        for announcement in by_department:
            roots = set(announcement.crm_team_ids.ids)
            subtree = teams.filtered(lambda team, roots=roots: ancestors[team] & roots)
            users = (subtree.member_ids | subtree.user_id).filtered(lambda user: user.active and not user.share)
            announcement.allowed_user_ids = users
            announcement.allowed_users_count = len(users)

    @api.constrains("announcement_type", "crm_team_ids")
    def _check_crm_team_ids(self):
        for announcement in self:
            if announcement.announcement_type == "crm_team" and not announcement.crm_team_ids:
                raise ValidationError(
                    self.env._("Choose the departments that announcement %(name)s is addressed to.", name=announcement.name)
                )

    @api.constrains("notification_date", "notification_expiry_date")
    def _check_crm_dates(self):
        for announcement in self:
            start, end = announcement.notification_date, announcement.notification_expiry_date
            if start and end and end < start:
                raise ValidationError(
                    self.env._(
                        "Announcement %(name)s expires (%(end)s) before it is published (%(start)s).",
                        name=announcement.name,
                        end=end,
                        start=start,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._crm_audience_vals(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._crm_audience_vals(vals))

    @api.model
    def _crm_audience_vals(self, vals):
        """To everyone is to the internal users' group, set with the flag
        (OCA sets it in a compute, too late for the records created with it)."""
        if vals.get("is_general_announcement"):
            vals = dict(vals, announcement_type="user_group")
        return vals

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_crm_publish(self):
        """Publish now, or at the publication date when one is set."""
        self.check_access("write")
        self.filtered(lambda a: not a.notification_date).notification_date = fields.Datetime.now()
        self.active = True

    def action_crm_withdraw(self):
        self.check_access("write")
        self.active = False

    def action_crm_mark_read(self):
        """The recipient's receipt, as OCA's pop-up records it."""
        not_mine = self.filtered(lambda a: not a.crm_is_recipient)
        if not_mine:
            raise UserError(
                self.env._(
                    "%(names)s is not addressed to you: only its recipients mark it as read.",
                    names=", ".join(not_mine.mapped("name")),
                )
            )
        Users = self.env["res.users"]
        for announcement in self:
            Users.mark_announcement_as_read(announcement.id)

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    @api.model
    def _crm_unread_domain(self):
        """Announcements running now, addressed to the current user, not read
        by them. Explicit on the audience: publishers' rule shows them all."""
        user = self.env.user
        return [
            ("allowed_user_ids", "in", user.id),
            ("in_date", "=", True),
            ("id", "not in", user.read_announcement_ids.ids),
        ]

    @api.model
    def _crm_refresh_audience(self):
        """Departments, their members or users' roles changed: the stored
        audience of running and scheduled announcements follows them."""
        # sudo: the audience is recomputed whoever changed a department or a
        # role, over announcements they may not read; nothing is returned.
        running = (
            self.sudo()
            .with_context(active_test=False)
            .search([
                ("announcement_type", "in", ("user_group", "crm_team")),
                "|", ("notification_expiry_date", "=", False), ("notification_expiry_date", ">=", fields.Datetime.now()),
            ])  # fmt: skip
        )
        if running:
            self.env.add_to_compute(self._fields["allowed_user_ids"], running)
            self.env.add_to_compute(self._fields["allowed_users_count"], running)
