import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tests.common import _super_send
from odoo.tools import mute_logger

from .common import CrmHierarchyCommon

TIMEOUT = 1  # seconds the gateway waits in these tests
SLOW = 3  # seconds the "slow" numbers take to answer


class _GatewayServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # The timeout case: Odoo has hung up before the slow answer is written.
        pass


class _GatewayHandler(BaseHTTPRequestHandler):
    """A provider's API: answers per number (the ``mobile`` parameter)
    what ``server.behaviour`` says, and records every request."""

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        query = parse_qs(urlparse(self.path).query)
        if self.headers.get("Content-Type", "").startswith("application/json"):
            params = json.loads(body)
        else:
            params = {key: values[0] for key, values in (parse_qs(body) or query).items()}
        self.server.requests.append(
            {"method": self.command, "path": urlparse(self.path).path, "headers": dict(self.headers),
             "body": body, "params": params}
        )  # fmt: skip
        behaviour = self.server.behaviour.get(params.get("mobile"), "ok")
        if behaviour == "slow":
            time.sleep(SLOW)
            status, answer = 200, {"code": 0, "msg": "late"}
        elif behaviour == "refused":
            status, answer = 200, {"code": 40, "msg": "balance insufficient"}
        elif behaviour == "http_error":
            status, answer = 500, {"code": 500, "msg": "internal error"}
        else:
            status, answer = 200, {"code": 0, "msg": "OK", "id": len(self.server.requests)}
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer

    def log_message(self, format, *args):  # noqa: A002 - keep the test output clean
        return


@tagged("crm_sms")
class TestSmsGateway(CrmHierarchyCommon):
    """SMS through the generic HTTP gateway, against a real HTTP server
    started on a free local port."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = _GatewayServer(("127.0.0.1", 0), _GatewayHandler)
        cls.server.daemon_threads = True
        cls.server.block_on_close = False  # a slow answer must not hold the teardown
        cls.server.requests, cls.server.behaviour = [], {}
        thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        thread.start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        cls.url = f"http://127.0.0.1:{cls.server.server_address[1]}/api/send"
        cls.a1, cls.a2, cls.a3 = (cls.customers[key] for key in ("a1", "a2", "a3"))

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # Odoo raises request timeouts under 10 s to 10 s in tests; the
        # gateway's own timeout is under test here, on the local server only.
        if urlparse(r.url).hostname == "127.0.0.1":
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    def setUp(self):
        super().setUp()
        self.server.requests.clear()
        self.server.behaviour.clear()
        self.configure(
            url=self.url, method="POST", content_type="form", sender="【Acme】",
            params=json.dumps({"mobile": "{number_digits}", "content": "{sender}{message}", "apikey": "k-123"}),
            auth="basic", auth_user="acme", auth_secret="s3cret",
            success_json_path="code", success_json_value="0", timeout=str(TIMEOUT),
        )  # fmt: skip

    def configure(self, **values):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_core.sms_gateway_enabled", "True")
        for key, value in values.items():
            params.set_param(f"crm_core.sms_gateway_{key}", value)

    def digits(self, partner):
        return partner.phone_sanitized.lstrip("+")

    def test_send_success_error_timeout(self):
        self.server.behaviour.update({self.digits(self.a2): "refused", self.digits(self.a3): "slow"})
        sms = self.env["sms.sms"].sudo().create([
            {"number": partner.phone_sanitized, "body": "Hello", "partner_id": partner.id}
            for partner in (self.a1, self.a2, self.a3)
        ])  # fmt: skip
        sms_ok, sms_refused, sms_slow = sms
        started = time.monotonic()
        sms.send(unlink_sent=False)
        self.assertLess(time.monotonic() - started, SLOW, "the gateway's timeout was not applied")

        self.assertEqual(sms_ok.state, "pending")
        self.assertFalse(sms_ok.failure_type)
        self.assertIn('"msg": "OK"', sms_ok.crm_gateway_answer)
        self.assertEqual((sms_refused.state, sms_refused.failure_type), ("error", "sms_server"))
        self.assertEqual(sms_refused.crm_gateway_answer, 'HTTP 200: {"code": 40, "msg": "balance insufficient"}')
        self.assertEqual((sms_slow.state, sms_slow.failure_type), ("error", "sms_server"))
        self.assertIn("No answer within 1.0 seconds", sms_slow.crm_gateway_answer)

        self.assertEqual(len(self.server.requests), 3, "one request per SMS")
        request = self.server.requests[0]
        self.assertEqual((request["method"], request["path"]), ("POST", "/api/send"))
        self.assertEqual(
            request["params"], {"mobile": self.digits(self.a1), "content": "【Acme】Hello", "apikey": "k-123"}
        )
        self.assertEqual(request["headers"]["Authorization"], "Basic " + base64.b64encode(b"acme:s3cret").decode())

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_gateway_secret_is_for_administrators_only(self):
        for user in (self.rep_a, self.mgr_east, self.gm):
            Param = self.env["ir.config_parameter"].with_user(user)
            with self.assertRaises(AccessError, msg=user.login):
                Param.search([("key", "=", "crm_core.sms_gateway_auth_secret")])
            with self.assertRaises(AccessError, msg=user.login):
                Param.get_param("crm_core.sms_gateway_auth_secret")
            with self.assertRaises(AccessError, msg=user.login):
                self.env["res.config.settings"].with_user(user).create({})
        # What users do see of a sent SMS holds the answer, never the secret.
        sms = self.env["sms.sms"].sudo().create({"number": self.a1.phone_sanitized, "body": "Hi", "partner_id": self.a1.id})
        sms.send(unlink_sent=False)
        self.assertEqual(sms.state, "pending")
        stored = json.dumps(sms.read()[0], default=str) + " ".join(self.a1.message_ids.mapped(lambda m: str(m.body)))
        self.assertNotIn("s3cret", stored)
        self.assertNotIn(base64.b64encode(b"acme:s3cret").decode(), stored)

    def test_http_error_and_substring_check(self):
        self.configure(success_json_path="", success_substring='"msg": "OK"')
        self.server.behaviour[self.digits(self.a2)] = "http_error"
        sms = self.env["sms.sms"].sudo().create([
            {"number": self.a1.phone_sanitized, "body": "Hi"}, {"number": self.a2.phone_sanitized, "body": "Hi"},
        ])  # fmt: skip
        sms.send(unlink_sent=False)
        self.assertEqual(sms.mapped("state"), ["pending", "error"])
        self.assertTrue(sms[1].crm_gateway_answer.startswith("HTTP 500: "))

    def test_get_and_json_with_header_or_bearer(self):
        self.configure(method="GET", auth="header", auth_header="X-Api-Key", auth_secret="hk-1")
        sms = self.env["sms.sms"].sudo().create({"number": self.a1.phone_sanitized, "body": "Hi {there}"})
        sms.send(unlink_sent=False)
        request = self.server.requests[-1]
        self.assertEqual(request["method"], "GET")
        self.assertEqual(request["params"]["content"], "【Acme】Hi {there}", "braces in the text are kept")
        self.assertEqual(request["headers"]["X-Api-Key"], "hk-1")
        self.assertNotIn("Authorization", request["headers"])

        self.configure(method="POST", content_type="json", auth="bearer", auth_secret="tok-9")
        sms = self.env["sms.sms"].sudo().create({"number": self.a1.phone_sanitized, "body": "Hi"})
        sms.send(unlink_sent=False)
        request = self.server.requests[-1]
        self.assertTrue(request["headers"]["Content-Type"].startswith("application/json"))
        self.assertEqual(json.loads(request["body"])["mobile"], self.digits(self.a1))
        self.assertEqual(request["headers"]["Authorization"], "Bearer tok-9")
        self.assertEqual(sms.state, "pending")

    def test_retry_turns_an_error_into_sent(self):
        # From the SMS log: Odoo's Resend (resend_failed).
        self.server.behaviour[self.digits(self.a1)] = "refused"
        sms = self.env["sms.sms"].sudo().create({"number": self.a1.phone_sanitized, "body": "Hello"})
        sms.send(unlink_sent=False)
        self.assertEqual(sms.state, "error")
        self.server.behaviour.clear()
        sms.resend_failed()
        self.assertEqual(sms.state, "pending")
        self.assertTrue(sms.to_delete, "sent SMS are cleaned up as Odoo does")
        self.assertIn('"msg": "OK"', sms.crm_gateway_answer)
        self.assertEqual(len(self.server.requests), 2)

    def test_chatter_sms_failure_is_visible_and_resent(self):
        """A rep texts their customer from the chatter: the failure shows on
        the message's notification with the gateway's answer, and the
        resend wizard sends again through the gateway."""
        self.server.behaviour[self.digits(self.a1)] = "refused"
        partner = self.a1.with_user(self.rep_a)
        composer = self.env["sms.composer"].with_user(self.rep_a).with_context(
            default_res_model="res.partner", default_res_id=partner.id, default_composition_mode="comment",
        ).create({"body": "Your order ships today"})  # fmt: skip
        message = composer._action_send_sms()
        notification = message.sudo().notification_ids
        self.assertEqual(notification.notification_type, "sms")
        self.assertEqual(notification.notification_status, "exception")
        # Users see the status; the body (which may echo the request) stays on the SMS.
        self.assertEqual(notification.failure_reason, "HTTP 200")
        self.assertEqual(message.message_type, "sms")
        self.assertIn(message, partner.message_ids)

        self.server.behaviour.clear()
        resend = self.env["sms.resend"].with_user(self.rep_a)
        wizard = resend.with_context(default_mail_message_id=message.id).create({})
        wizard.action_resend()
        self.assertEqual(notification.notification_status, "pending")
        self.assertEqual(len(self.server.requests), 2)

    def test_mass_sms_skips_the_blacklist(self):
        """The customer list's "Send SMS" (Odoo's composer in mass mode)."""
        self.env["phone.blacklist"].sudo().add(self.a3.phone_sanitized)
        partners = (self.a1 + self.a2 + self.a3).with_user(self.rep_a)
        composer = self.env["sms.composer"].with_user(self.rep_a).with_context(
            default_res_model="res.partner", default_res_ids=partners.ids, default_composition_mode="mass",
            default_mass_keep_log=True,
        ).create({"body": "Spring sale, 10% off", "mass_force_send": True})  # fmt: skip
        sms = composer._action_send_sms()
        by_partner = {s.partner_id: s for s in sms}
        self.assertEqual(by_partner[self.a3].state, "canceled")
        self.assertEqual(by_partner[self.a3].failure_type, "sms_blacklist")
        self.assertEqual(by_partner[self.a1].state, "pending")
        self.assertEqual(by_partner[self.a2].state, "pending")
        sent_to = {request["params"]["mobile"] for request in self.server.requests}
        self.assertEqual(sent_to, {self.digits(self.a1), self.digits(self.a2)})
        logged = self.a1.message_ids.filtered(lambda m: "Spring sale" in (m.body or ""))
        self.assertTrue(logged, "logged on the customer")

    def test_disabled_gateway_leaves_odoo_iap(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_core.sms_gateway_enabled", "False")
        self.assertIsNone(self.env["crm.sms.gateway"]._crm_get_config())

    def test_settings_refuse_a_bad_template(self):
        settings = self.env["res.config.settings"].create({"crm_sms_gateway_params": "{mobile: 1"})
        with self.assertRaisesRegex(ValidationError, "Parameters Template"):
            settings.execute()
        settings = self.env["res.config.settings"].create({"crm_sms_gateway_params": '["a"]'})
        with self.assertRaisesRegex(ValidationError, "JSON object"):
            settings.execute()
