from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged


@tagged("crm_core")
class TestAmountInWords(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cny = cls.env.ref("base.CNY")
        cls.cny.active = True  # inactive unless a company uses it
        cls.usd = cls.env.ref("base.USD")

    def assertWords(self, currency, table):
        for amount, expected in table:
            with self.subTest(currency=currency.name, amount=amount):
                self.assertEqual(currency.crm_amount_in_words(amount), expected)

    def test_cny(self):
        self.assertWords(self.cny, [
            (0, "人民币零元整"),
            (0.05, "人民币伍分"),
            (0.5, "人民币伍角"),
            (10, "人民币壹拾元整"),
            (100.50, "人民币壹佰元伍角"),
            (100.05, "人民币壹佰元零伍分"),
            (1001, "人民币壹仟零壹元整"),
            (10010, "人民币壹万零壹拾元整"),
            (100000, "人民币壹拾万元整"),
            (123456789.12, "人民币壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
            (12345.67, "人民币壹万贰仟叁佰肆拾伍元陆角柒分"),
            (16409.02, "人民币壹万陆仟肆佰零玖元零贰分"),
        ])  # fmt: skip

    def test_cny_zero_before_thousands(self):
        """cn2an drops this 零; we keep it, as before any other digit."""
        self.assertWords(self.cny, [
            (17000, "人民币壹万柒仟元整"),
            (107000.53, "人民币壹拾万零柒仟元伍角叁分"),
            (100001000, "人民币壹亿零壹仟元整"),
            (100010000, "人民币壹亿零壹万元整"),
            (110000000, "人民币壹亿壹仟万元整"),
            (1000001000, "人民币壹拾亿零壹仟元整"),
        ])  # fmt: skip

    def test_cny_rounding_and_sign(self):
        self.assertWords(self.cny, [
            (0.1 + 0.2, "人民币叁角"),
            (99.999, "人民币壹佰元整"),
            (0.004, "人民币零元整"),
            (-12.3, "人民币负壹拾贰元叁角"),
            (-0.001, "人民币零元整"),
        ])  # fmt: skip
        self.assertEqual(self.cny.crm_amount_in_words(999999999999.99),
                         "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分")  # fmt: skip
        with self.assertRaises(UserError):
            self.cny.crm_amount_in_words(1e12)

    def test_usd(self):
        self.assertWords(self.usd, [
            (0, "SAY US DOLLARS ZERO ONLY"),
            (0.05, "SAY US DOLLARS ZERO AND CENTS FIVE ONLY"),
            (10, "SAY US DOLLARS TEN ONLY"),
            (100.50, "SAY US DOLLARS ONE HUNDRED AND CENTS FIFTY ONLY"),
            (1001, "SAY US DOLLARS ONE THOUSAND AND ONE ONLY"),
            (10010, "SAY US DOLLARS TEN THOUSAND AND TEN ONLY"),
            (100000, "SAY US DOLLARS ONE HUNDRED THOUSAND ONLY"),
            (123456789.12, "SAY US DOLLARS ONE HUNDRED AND TWENTY THREE MILLION FOUR HUNDRED AND FIFTY SIX "
                           "THOUSAND SEVEN HUNDRED AND EIGHTY NINE AND CENTS TWELVE ONLY"),
            (0.1 + 0.2, "SAY US DOLLARS ZERO AND CENTS THIRTY ONLY"),
            (-10, "SAY US DOLLARS MINUS TEN ONLY"),
        ])  # fmt: skip

    def test_other_currencies(self):
        jpy = self.env.ref("base.JPY")
        self.assertEqual(jpy.crm_amount_in_words(1500.4), "SAY JAPANESE YEN ONE THOUSAND FIVE HUNDRED ONLY")
        gbp = self.env.ref("base.GBP")
        self.assertEqual(gbp.crm_amount_in_words(20.01), "SAY POUNDS STERLING TWENTY AND PENCE ONE ONLY")
        # Not in the table: the currency's own labels, in English whatever the user's language.
        self.env["res.lang"]._activate_lang("zh_CN")
        brl = self.env.ref("base.BRL").with_context(lang="zh_CN")
        brl.currency_unit_label = "雷亚尔"
        self.assertEqual(brl.crm_amount_in_words(2.5), "SAY REAL TWO AND CENTAVOS FIFTY ONLY")
