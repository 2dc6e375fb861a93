from odoo import fields, models, tools


class SmsSms(models.Model):
    _inherit = "sms.sms"

    crm_gateway_answer = fields.Text(
        string="Gateway Answer", readonly=True, copy=False,
        help="What the SMS gateway answered to the last attempt (status and body, shortened).",
    )  # fmt: skip

    def _split_batch(self):
        """Small batches through the gateway: Odoo commits after each batch,
        and a gateway answers one SMS per request (IAP takes a whole batch in
        one); a worker killed on its time limit in a batch of 500 slow
        requests would send the delivered ones again on the next run."""
        if not self.env["crm.sms.gateway"]._crm_get_config():
            yield from super()._split_batch()
            return
        size = int(self.env["ir.config_parameter"].sudo().get_param("crm_core.sms_gateway_batch_size", 20))
        yield from tools.split_every(max(size, 1), self.ids)

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        """Deliver through the configured HTTP gateway instead of Odoo's IAP.

        Odoo calls its IAP service in this one method (``SmsApi._send_sms_batch``,
        a plain class the ORM cannot extend), and every path reaches it:
        the composer, ``_notify_thread_by_sms`` (chatter SMS and the resend
        wizard), ``resend_failed`` and the queue's scheduled job. States,
        notifications and trackers are updated as Odoo does for IAP answers."""
        gateway = self.env["crm.sms.gateway"]
        config = gateway._crm_get_config()
        if not config:
            return super()._send(unlink_failed=unlink_failed, unlink_sent=unlink_sent, raise_exception=raise_exception)
        # sudo: as Odoo's own _send, which updates SMS, notifications and
        # trackers (system-only models) for whoever triggered the sending.
        sms_su = self.sudo().with_context(sms_skip_msg_notification=True)
        results = gateway._crm_send_batch(sms_su, config)
        sent_su = sms_su.filtered(lambda sms: results[sms.id][0])
        failed_su = sms_su - sent_su
        for sms in sms_su:
            sms.crm_gateway_answer = results[sms.id][1]
        if sent_su:
            # No delivery report comes back: "pending" is Odoo's "Sent".
            sent_su.sms_tracker_id._action_update_from_sms_state("pending")
            sent_su.write({"state": "pending", "failure_type": False, **({"to_delete": True} if unlink_sent else {})})
        for sms in failed_su:
            # Only the status reaches the chatter and mailing traces, which
            # users read: a provider may echo the request (and its key) in the
            # body, kept on the SMS (administrators) only.
            sms.sms_tracker_id._action_update_from_sms_state(
                "error", failure_type="sms_server", failure_reason=results[sms.id][1].split(":", 1)[0][:64]
            )
        if failed_su:
            to_delete = {"to_delete": True} if unlink_failed else {}
            failed_su.write({"state": "error", "failure_type": "sms_server", **to_delete})
        sms_su.mail_message_id._notify_message_notification_update()
