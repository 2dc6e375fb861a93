import cn2an
from num2words import num2words

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import float_repr

# English names of the trade currencies, as written on contracts and
# invoices ("SAY US DOLLARS ... ONLY"), and the name of their subunit.
TRADE_CURRENCY_NAMES = {
    "USD": ("US DOLLARS", "CENTS"),
    "EUR": ("EUROS", "CENTS"),
    "GBP": ("POUNDS STERLING", "PENCE"),
    "HKD": ("HONG KONG DOLLARS", "CENTS"),
    "JPY": ("JAPANESE YEN", "SEN"),
    "AUD": ("AUSTRALIAN DOLLARS", "CENTS"),
    "CAD": ("CANADIAN DOLLARS", "CENTS"),
    "SGD": ("SINGAPORE DOLLARS", "CENTS"),
    "NZD": ("NEW ZEALAND DOLLARS", "CENTS"),
    "CHF": ("SWISS FRANCS", "CENTIMES"),
    "TWD": ("NEW TAIWAN DOLLARS", "CENTS"),
    "KRW": ("KOREAN WON", "JEON"),
    "RUB": ("RUSSIAN ROUBLES", "KOPECKS"),
    "INR": ("INDIAN RUPEES", "PAISE"),
    "AED": ("UAE DIRHAMS", "FILS"),
    "THB": ("THAI BAHT", "SATANG"),
    "MYR": ("MALAYSIAN RINGGIT", "SEN"),
}

# Up to 999,999,999,999.99: beyond, a float no longer holds the cents and
# cn2an writes 万亿 amounts wrongly (10000100000000 -> 壹拾万零壹亿).
MAX_INTEGER_DIGITS = 12


class ResCurrency(models.Model):
    _inherit = "res.currency"

    @api.private
    def crm_amount_in_words(self, amount):
        """``amount`` in words as contracts write it: Chinese uppercase
        (大写金额) for CNY, English trade style for any other currency."""
        self.ensure_one()
        # Round first: 0.1 + 0.2 must read 0.30, not 0.30000000000000004.
        value = self.round(amount or 0.0)
        negative = self.compare_amounts(value, 0.0) < 0
        integral, _sep, fractional = float_repr(abs(value), self.decimal_places).partition(".")
        if len(integral) > MAX_INTEGER_DIGITS:
            raise UserError(self.env._("The amount %(amount)s is too large to be written in words.", amount=value))
        if self.name == "CNY":
            return "人民币" + ("负" if negative else "") + self._crm_amount_in_words_cn(integral, fractional)
        return self._crm_amount_in_words_en(integral, fractional, negative)

    def _crm_amount_in_words_cn(self, integral, fractional):
        """Chinese uppercase words of a positive amount given as digit strings.

        cn2an follows the rules of the People's Bank of China for amounts
        (支付结算办法, 附件一): 整 after whole yuan, none after 分, nor after
        角 (allowed there); 零 between 元 and 分 when 角 is zero; no 零元 for
        amounts below one yuan. One thing is rewritten: cn2an drops the 零
        between 万 or 亿 and a thousands digit after a gap of zeros (107000 ->
        壹拾万柒仟, 100001000 -> 壹亿壹仟) while it keeps it before any other
        digit (100010000 -> 壹亿零壹万). The rules allow both, but 壹亿壹仟元
        reads like 110,000,000: we always write that 零, as for other digits.
        """
        words = cn2an.an2cn(f"{integral}.{fractional or '00'}", "rmb")
        if int(integral):
            words = self._crm_cn_integer(int(integral)) + "元" + words.partition("元")[2]
        return words

    def _crm_cn_integer(self, number):
        """Chinese uppercase words of a positive integer, with the 零 cn2an
        drops before a thousands digit that follows a gap of zeros."""
        digits = str(number)
        for group in (8, 4):
            # The thousands digit below the 万/亿 boundary is set and the
            # digit above it is zero, with something higher still.
            if len(digits) > group + 1 and digits[-group - 1] == "0" and digits[-group] != "0":
                high, low = divmod(number, 10**group)
                return self._crm_cn_integer(high * 10**group) + "零" + self._crm_cn_integer(low)
        return cn2an.an2cn(digits, "up")

    def _crm_amount_in_words_en(self, integral, fractional, negative):
        """English trade style: SAY US DOLLARS ONE HUNDRED AND CENTS FIFTY ONLY."""
        # The labels are translatable fields: contracts in English whatever the user's language.
        currency_en = self.with_context(lang="en_US")
        unit, subunit = TRADE_CURRENCY_NAMES.get(
            self.name, ((currency_en.currency_unit_label or self.name).upper(),
                        (currency_en.currency_subunit_label or "").upper()),
        )  # fmt: skip
        words = ["SAY", unit]
        if negative:
            words.append("MINUS")
        words.append(self._crm_en_number(int(integral)))
        if fractional and int(fractional):
            words += ["AND", subunit or "CENTS", self._crm_en_number(int(fractional))]
        words.append("ONLY")
        return " ".join(words)

    def _crm_en_number(self, number):
        """ONE HUNDRED AND TWENTY THREE THOUSAND: num2words without commas and hyphens."""
        return num2words(number, lang="en").replace(",", "").replace("-", " ").upper()
