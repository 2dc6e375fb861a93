import re

from odoo import api, fields, models

# Legal-form words that say nothing about who a company is: "深圳市明远电子
# 有限公司" and "明远电子" are the same customer for a duplicate check.
LEGAL_WORDS = re.compile(
    r"股份有限公司|有限责任公司|有限公司|集团|公司|分公司|"
    r"\b(?:co|company|corp|corporation|inc|incorporated|ltd|limited|llc|plc|gmbh|group)\b",
    re.IGNORECASE,
)
NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
# Shared mailbox providers: the same domain says nothing about the company.
FREE_MAIL_DOMAINS = {
    "qq.com", "163.com", "126.com", "sina.com", "sina.cn", "sohu.com", "yeah.net", "aliyun.com", "139.com",
    "foxmail.com", "gmail.com", "hotmail.com", "outlook.com", "live.com", "yahoo.com", "icloud.com", "msn.com",
}  # fmt: skip


def name_key(name):
    """The comparable core of a company or person name."""
    if not name:
        return False
    key = NOISE.sub("", LEGAL_WORDS.sub(" ", name)).lower()
    return key or False


def email_domain(email_normalized):
    domain = email_normalized.rpartition("@")[2] if email_normalized and "@" in email_normalized else ""
    return domain if domain and domain not in FREE_MAIL_DOMAINS else False


class CrmIdentityMixin(models.AbstractModel):
    """Normalised keys of a customer or lead, stored and indexed so that the
    public search and the duplicate check are index lookups: name core
    (trigram), E.164 phone and mobile, e-mail company domain."""

    _name = "crm.identity.mixin"
    _description = "Customer Identity Keys"

    crm_name_key = fields.Char(string="Name Key", compute="_compute_crm_name_key", store=True, index="trigram")
    crm_phone_e164 = fields.Char(
        string="Phone (E.164)", compute="_compute_crm_e164", store=True, index="btree_not_null"
    )
    crm_mobile_e164 = fields.Char(
        string="Mobile (E.164)", compute="_compute_crm_e164", store=True, index="btree_not_null"
    )
    crm_email_domain = fields.Char(
        string="E-mail Domain", compute="_compute_crm_email_domain", store=True, index="btree_not_null"
    )

    def _crm_identity_name(self):
        """The name compared for duplicates (models override)."""
        self.ensure_one()
        return self.display_name

    def _compute_crm_name_key(self):
        for record in self:
            record.crm_name_key = name_key(record._crm_identity_name())

    @api.depends("phone", "mobile", "country_id")
    def _compute_crm_e164(self):
        for record in self:
            record.crm_phone_e164 = record._crm_e164(record.phone)
            record.crm_mobile_e164 = record._crm_e164(record.mobile)

    @api.depends("email_normalized")
    def _compute_crm_email_domain(self):
        for record in self:
            record.crm_email_domain = email_domain(record.email_normalized)

    def _crm_e164(self, number):
        """``number`` in E.164, read in the record's country, else the
        company's (phone_validation, on phonenumbers); False when invalid."""
        if not number:
            return False
        return self._phone_format(number=number, force_format="E164", raise_exception=False) or False
