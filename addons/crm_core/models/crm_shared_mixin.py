from markupsafe import Markup

from odoo import Command, api, models
from odoo.exceptions import AccessError, UserError


class CrmSharedMixin(models.AbstractModel):
    """Customer data shared (共享) with colleagues, read only.

    Each model declares its ``crm_shared_user_ids`` field (its own relation
    table); a read-only record rule per model lets the colleagues read what is
    shared with them. Only who may edit a record shares it; a record back in
    the pool is nobody's to share, and its shares end with its owner.
    """

    _name = "crm.shared.mixin"
    _description = "Shared with Colleagues"

    # Links in a notification; the rest are counted.
    _crm_share_notify_max = 20

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if any(vals.get("crm_shared_user_ids") for vals in vals_list):
            self.env["res.users"]._crm_shares_changed()
        return records

    def write(self, vals):
        moved = self.browse()
        if "crm_shared_user_ids" in vals and not self.env.su and not self.env.context.get("crm_sharing"):
            # Shares are set through _crm_set_shared (its checks, log and
            # notification); contacts follow their company's there too.
            if any(not record._crm_share_follows_parent() for record in self):
                raise AccessError(self.env._("Share records with the Share with Colleagues action."))
        if "user_id" in vals and "crm_shared_user_ids" not in vals:
            # A new owner (or the pool) does not inherit the old owner's shares.
            moved = self.filtered(lambda r: r.user_id.id != (vals["user_id"] or False) and r.crm_shared_user_ids)
            if moved:
                super(CrmSharedMixin, moved.sudo()).write({"crm_shared_user_ids": [Command.clear()]})
        res = super().write(vals)
        if moved or "crm_shared_user_ids" in vals:
            self.env["res.users"]._crm_shares_changed()
        return res

    def _crm_share_follows_parent(self):
        """A record whose shares are synced from another (a contact's from
        its company) rather than set on it."""
        return False

    def _crm_shared_kind(self):
        """What the records are called in the colleagues' notification."""
        return self._description

    def _crm_check_shareable(self, users):
        external = users.filtered("share")
        if external:
            raise UserError(
                self.env._(
                    "Only internal users can be shared with: %(users)s is not one.",
                    users=", ".join(external.mapped("name")),
                )
            )
        writable = self._filtered_access("write")
        forbidden = self - writable
        if forbidden:
            # Records the user cannot even read get Odoo's own error, which
            # does not name them; those they read (shared with them, in a
            # pool) are named.
            (forbidden - forbidden._filtered_access("read")).check_access("write")
            raise AccessError(
                self.env._(
                    "Only who may edit a record shares it; you can only read %(records)s.",
                    records=", ".join(forbidden.mapped("display_name")[:5]),
                )
            )
        unowned = self.filtered(lambda record: not record.user_id)
        if unowned:
            raise UserError(
                self.env._(
                    "%(records)s have no owner: claim or assign them before sharing them.",
                    records=", ".join(unowned.mapped("display_name")[:5]),
                )
            )

    def _crm_set_shared(self, users, share=True, note=None, notify=True):
        """Share the records with ``users`` (read only), or stop sharing them
        (``share=False``); log it on each changed record and tell each
        colleague once (unless ``notify`` is off). Return the records whose
        sharing changed."""
        self._crm_check_shareable(users)
        # Per colleague, the records that change for them (one read of the
        # shares for all records, before the write).
        if share:
            changes = {user: self.filtered(lambda r, u=user: u not in r.crm_shared_user_ids) for user in users}
            command = Command.link
        else:
            changes = {user: self.filtered(lambda r, u=user: u in r.crm_shared_user_ids) for user in users}
            command = Command.unlink
        changes = {user: records for user, records in changes.items() if records}
        changed = self.browse().union(*changes.values())
        if not changed:
            return changed
        changed.with_context(crm_sharing=True).write({"crm_shared_user_ids": [command(user.id) for user in changes]})
        ids_by_user = {user: set(records.ids) for user, records in changes.items()}
        bodies = {
            record.id: self._crm_share_log_body(
                [user for user, ids in ids_by_user.items() if record.id in ids], share, note
            )
            for record in changed
        }
        # _message_log_batch writes as superuser: the user may edit all of them (checked above).
        changed._message_log_batch(bodies=bodies)
        if notify:
            for user, records in changes.items():
                records._crm_notify_shared(user, share, note)
        return changed

    def _crm_share_log_body(self, users, share, note):
        names = ", ".join(user.name for user in users)
        if share:
            text = self.env._("Shared with %(users)s (read only) by %(by)s.", users=names, by=self.env.user.name)
        else:
            text = self.env._("No longer shared with %(users)s, by %(by)s.", users=names, by=self.env.user.name)
        if note:
            text += " " + self.env._("Note: %(note)s", note=note)
        return Markup("<p>%s</p>") % text

    def _crm_notify_shared(self, user, share, note):
        """One message in ``user``'s inbox (or mailbox) for all the records."""
        shown = self[: self._crm_share_notify_max]
        if share:
            intro = self.env._(
                "%(by)s shared %(count)s %(kind)s with you (read only):",
                by=self.env.user.name, count=len(self), kind=self._crm_shared_kind(),
            )  # fmt: skip
            items = [record._get_html_link() for record in shown]
        else:
            intro = self.env._(
                "%(by)s no longer shares %(count)s %(kind)s with you:",
                by=self.env.user.name, count=len(self), kind=self._crm_shared_kind(),
            )  # fmt: skip
            items = shown.mapped("display_name")
        body = Markup("<p>%s</p><ul>%s</ul>") % (intro, Markup().join(Markup("<li>%s</li>") % item for item in items))
        if len(self) > len(shown):
            body += Markup("<p>%s</p>") % self.env._("… and %(count)s more.", count=len(self) - len(shown))
        if note:
            body += Markup("<p>%s</p>") % self.env._("Note: %(note)s", note=note)
        self.env["mail.thread"].message_notify(
            partner_ids=user.partner_id.ids, body=body, subject=intro.rstrip(":"),
        )
