import io
import re
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader
from odoo.tools.safe_eval import safe_eval, time

from .common import CrmHierarchyCommon
from .test_hierarchy import MUTE_ACCESS

REPORT = "crm_core.action_report_crm_contract"


# wkhtmltopdf loads the report's stylesheets from this server: an HttpCase,
# so that the server answers inside the test's transaction, after the install.
@tagged("post_install", "-at_install", "crm_core", "crm_contract")
class TestContractReport(HttpCase, CrmHierarchyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cny = cls.env.ref("base.CNY")
        cls.cny.active = True
        cls.customer = cls.customers["a1"]
        cls.customer.name = "上海安防科技有限公司"
        cls.contract = cls.env["crm.contract"].with_user(cls.rep_a).create({
            "title": "Supply of dome cameras",
            "contract_type": "sale",
            "partner_id": cls.customer.id,
            "currency_id": cls.cny.id,
            "amount_total": 12345.67,
            "date_start": date(2025, 3, 1),
            "date_end": date(2025, 12, 31),
            "note": "<p>Warranty of twenty-four months from acceptance.</p>",
            "plan_line_ids": [
                Command.create({"name": "Advance payment", "condition": "On signing", "percentage": 30,
                                "due_date": date(2025, 3, 10)}),
                Command.create({"name": "Final payment", "condition": "On acceptance", "percentage": 70,
                                "due_date": date(2025, 6, 30)}),
            ],
        })  # fmt: skip
        cls.orders["rep_a"].crm_contract_id = cls.contract

    def render_html(self, user, contract=None):
        report = self.env["ir.actions.report"].with_user(user)
        html, report_type = report._render_qweb_html(REPORT, (contract or self.contract).ids)
        self.assertEqual(report_type, "html")
        return html.decode()

    def test_render_pdf(self):
        """A real PDF through wkhtmltopdf, printed by the contract's owner."""
        report = self.env["ir.actions.report"].with_user(self.rep_a).with_context(force_report_rendering=True)
        # Debian's wkhtmltopdf (Qt unpatched) warns that it ignores the header and footer options.
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            pdf, report_type = report._render_qweb_pdf(REPORT, self.contract.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = "".join(page.extract_text() for page in PdfFileReader(io.BytesIO(pdf), strict=False).pages)
        self.assertIn(self.contract.name, text)
        self.assertIn("上海安防科技有限公司", text)
        # Some glyphs of the amount (人, 角) read back as their radicals (⼈, ⻆): shared glyphs.
        self.assertIn("壹万贰仟叁佰肆拾伍元", text)
        fonts = set(re.findall(rb"/BaseFont\s*/([\w+-]+)", pdf))
        self.assertTrue(any(b"CJKsc" in font for font in fonts), f"Noto Sans CJK SC is not used: {fonts}")

    def test_sale_contract_content(self):
        self.assertEqual(self.contract.amount_in_words, "人民币壹万贰仟叁佰肆拾伍元陆角柒分")
        html = self.render_html(self.rep_a)
        for text in (
            self.contract.name, "Supply of dome cameras", "人民币壹万贰仟叁佰肆拾伍元陆角柒分", "Amount in words:",
            "上海安防科技有限公司", self.env.company.name, "Dome Camera 4MP", "Collection Plan", "Advance payment",
            "On acceptance", "Warranty of twenty-four months", "Noto Sans CJK SC",
        ):  # fmt: skip
            self.assertIn(text, html)
        self.assertNotIn("Payment Plan", html)
        # The company sells: its block comes first, as the seller.
        self.assertLess(html.index("Seller"), html.index("Buyer"))
        self.assertLess(html.index(self.env.company.name, html.index("Seller")), html.index("上海安防科技有限公司"))

    def test_in_the_partner_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.customer.lang = "zh_CN"
        html = self.render_html(self.rep_a)
        self.assertIn('data-oe-lang="zh_CN"', html)
        self.assertIn(self.contract.name, html)
        self.assertIn("人民币壹万贰仟叁佰肆拾伍元陆角柒分", html)

    def test_purchase_contract_in_usd(self):
        contract = self.env["crm.contract"].with_user(self.rep_a).create({
            "title": "Screws for 2025", "contract_type": "purchase", "partner_id": self.vendor.id,
            "currency_id": self.env.ref("base.USD").id, "amount_total": 100.50,
        })  # fmt: skip
        html = self.render_html(self.rep_a, contract)
        self.assertIn("SAY US DOLLARS ONE HUNDRED AND CENTS FIFTY ONLY", html)
        self.assertIn(contract.name, html)
        self.assertIn("Screws Vendor Co", html)
        self.assertNotIn("Collection Plan", html)
        self.assertNotIn("Dome Camera 4MP", html)
        # The company buys: its block comes first, as the buyer.
        self.assertLess(html.index("Buyer"), html.index("Seller"))

    def test_roles(self):
        """Whoever sees the contract prints it: its owner, the department's
        manager and the general manager; not a colleague nor another department."""
        for user in (self.rep_a, self.mgr_east, self.gm):
            with self.subTest(user=user.login):
                self.assertIn("人民币壹万贰仟叁佰肆拾伍元陆角柒分", self.render_html(user))
        for user in (self.rep_b, self.mgr_south):
            with self.subTest(user=user.login), self.assertRaises(AccessError), mute_logger(*MUTE_ACCESS):
                self.render_html(user)

    def test_print_action(self):
        action = self.env.ref(REPORT)
        self.assertEqual(action.binding_model_id.model, "crm.contract")
        self.assertEqual(action.report_type, "qweb-pdf")
        filename = safe_eval(action.print_report_name, {"object": self.contract, "time": time})
        self.assertEqual(filename, f"Contract - {self.contract.name}")
