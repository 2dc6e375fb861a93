import re

from odoo import api, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

from .crm_identity_mixin import email_domain, name_key

# 统一社会信用代码: 18 characters, digits and capitals without I, O, S, V, Z.
USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
DUPLICATE_MODES = [("off", "Off"), ("warn", "Warn"), ("block", "Block")]
# Defaults of the duplicate check per key, overridable in the settings.
DEFAULT_MODES = {"name": "warn", "phone": "block", "email": "warn", "vat": "block"}


class CrmCustomerLookup(models.AbstractModel):
    """Who already has this customer? (公共检索 / 查重)

    Looks across every owner's customers, the pool and unconverted leads,
    whatever the caller may read, and answers with a few whitelisted facts
    only: name, owner (or pool), department, status, last follow-up.
    """

    _name = "crm.customer.lookup"
    _description = "Customer Lookup"

    ROW_LIMIT = 8

    # ------------------------------------------------------------------
    # Public search
    # ------------------------------------------------------------------
    @api.model
    def search_rows(self, query, limit=ROW_LIMIT):
        """Rows of whitelisted facts about the customers and leads that match
        ``query``: a name, a phone, an e-mail or a credit code."""
        if not self.env.user._is_internal():
            raise AccessError(self.env._("The public search is for internal users."))
        if not isinstance(query or "", str) or type(limit) is not int or limit < 1:
            raise UserError(self.env._("Search for a text (a name, a phone, an e-mail or a credit code), with a positive limit."))
        # Never more rows than the public search shows: it is no way to list every customer.
        limit = min(limit, self.ROW_LIMIT)
        keys = self._parse_query(query)
        if not keys:
            return []
        # sudo: the point of the public search is to see across the record
        # rules; only the whitelisted facts of _row_* leave this method.
        partners_su = self.env["res.partner"].sudo().search(self._partner_domain(keys), limit=limit)
        partners_su = partners_su.commercial_partner_id
        leads_su = self.env["crm.lead"].sudo().search(self._lead_domain(keys), limit=limit)
        rows = [self._row(record_su) for record_su in [*partners_su, *leads_su]]
        return rows[:limit]

    @api.model
    def _parse_query(self, query):
        query = (query or "").strip()
        if len(query) < 2:
            return {}
        keys = {}
        if "@" in query:
            keys["email"] = query.lower()
            keys["email_domain"] = email_domain(query.lower())
            return keys
        compact = re.sub(r"[\s-]", "", query).upper()
        if USCC.match(compact):
            keys["vat"] = compact
            return keys
        if re.fullmatch(r"\+?[\d\s().-]{6,}", query):
            e164 = self.env["res.partner"]._phone_format(number=query, force_format="E164", raise_exception=False)
            if e164:
                keys["phone"] = e164
                return keys
        key = name_key(query)
        if key and len(key) >= 2:
            keys["name"] = key
        return keys

    @api.model
    def _key_domain(self, keys, vat_field):
        leaves = []
        if keys.get("phone"):
            leaves.append(["|", ("crm_phone_e164", "=", keys["phone"]), ("crm_mobile_e164", "=", keys["phone"])])
        if keys.get("email"):
            leaves.append([("email_normalized", "=", keys["email"])])
        if keys.get("email_domain"):
            leaves.append([("crm_email_domain", "=", keys["email_domain"])])
        if keys.get("vat") and vat_field:
            leaves.append([(vat_field, "=", keys["vat"])])
        if keys.get("name"):
            leaves.append([("crm_name_key", "ilike", keys["name"])])
        return expression.OR(leaves) if leaves else expression.FALSE_DOMAIN

    @api.model
    def _partner_domain(self, keys):
        return expression.AND([[("crm_managed", "=", True)], self._key_domain(keys, "vat")])

    @api.model
    def _lead_domain(self, keys):
        # Leads not yet turned into a customer: a converted one shows as its customer.
        return expression.AND([[("partner_id", "=", False)], self._key_domain(keys, None)])

    @api.model
    def _row_partner(self, partner_su):
        return {
            "kind": "customer",
            "name": partner_su.name,
            "owner": partner_su.user_id.name or False,
            "department": partner_su.crm_team_id.display_name or False,
            "status": dict(partner_su._fields["crm_status"]._description_selection(self.env)).get(
                partner_su.crm_status, False
            ),
            "last_followup": partner_su.crm_last_followup_date or False,
        }

    @api.model
    def _row_lead(self, lead_su):
        return {
            "kind": "lead" if lead_su.type == "lead" else "opportunity",
            "name": lead_su.partner_name or lead_su.contact_name or lead_su.name,
            "owner": lead_su.user_id.name or False,
            "department": lead_su.team_id.display_name or False,
            "status": lead_su.stage_id.name if lead_su.type == "opportunity" else self.env._("Lead"),
            "last_followup": lead_su.date_last_stage_update.date() if lead_su.date_last_stage_update else False,
        }

    # ------------------------------------------------------------------
    # Duplicate check on create, write and import
    # ------------------------------------------------------------------
    @api.model
    def _modes(self):
        params = self.env["ir.config_parameter"].sudo()
        return {key: params.get_param(f"crm_core.duplicate_{key}", default) for key, default in DEFAULT_MODES.items()}

    @api.model
    def _record_values(self, record, key):
        """The exact values of a partner or lead that the check compares."""
        if key == "name":
            return [record.crm_name_key] if record.crm_name_key else []
        if key == "phone":
            return [n for n in (record.crm_phone_e164, record.crm_mobile_e164) if n]
        if key == "email":
            return [record.email_normalized] if record.email_normalized else []
        if key == "vat" and record._name == "res.partner" and record.vat:
            return [re.sub(r"\s", "", record.vat).upper()]
        return []

    # key: (partner fields, lead fields) holding its values
    KEY_FIELDS = {
        "name": (["crm_name_key"], ["crm_name_key"]),
        "phone": (["crm_phone_e164", "crm_mobile_e164"], ["crm_phone_e164", "crm_mobile_e164"]),
        "email": (["email_normalized"], ["email_normalized"]),
        "vat": (["vat"], []),
    }

    @api.private
    @api.model
    def find_duplicates(self, records, modes=("block",)):
        """{record: [(key, row), ...]} for the records whose key, checked in one
        of ``modes``, is already used by another customer or an unconverted
        lead. One query per key and model, whatever the number of records."""
        found = {}
        for key, mode in self._modes().items():
            if mode not in modes:
                continue
            values = {record: self._record_values(record, key) for record in records}
            wanted = {value for vals in values.values() for value in vals}
            if not wanted:
                continue
            partner_fields, lead_fields = self.KEY_FIELDS[key]
            # sudo: the colliding record may be outside the user's scope;
            # only its whitelisted row is reported.
            candidates = [*self.env["res.partner"].sudo().search(
                expression.AND([
                    [("crm_managed", "=", True)],
                    expression.OR([[(f, "in", list(wanted))] for f in partner_fields]),
                ])
            )]  # fmt: skip
            if lead_fields:
                candidates += self.env["crm.lead"].sudo().search(
                    expression.AND([
                        [("partner_id", "=", False)],
                        expression.OR([[(f, "in", list(wanted))] for f in lead_fields]),
                    ])
                )  # fmt: skip
            by_value = {}
            for candidate in candidates:
                for field in partner_fields if candidate._name == "res.partner" else lead_fields:
                    by_value.setdefault(candidate[field], []).append(candidate)
            for record, vals in values.items():
                family = self._family(record)
                for value in vals:
                    other = next((c for c in by_value.get(value, []) if not self._same(record, family, c)), None)
                    if other:
                        found.setdefault(record, []).append((key, self._row(other)))
                        break
        return found

    @api.model
    def _family(self, record):
        """The commercial partner a record belongs to (a lead: its customer)."""
        partner = record if record._name == "res.partner" else record.partner_id
        return partner.commercial_partner_id

    @api.model
    def _same(self, record, family, candidate):
        """Is ``candidate`` the record itself, or a contact of the same company?"""
        if candidate == record:
            return True
        if candidate._name == "crm.lead" and candidate.id in self.env.context.get("crm_lookup_skip_lead_ids", ()):
            return True
        return candidate._name == "res.partner" and bool(family) and candidate.commercial_partner_id == family

    @api.model
    def _row(self, record_su):
        if record_su._name == "res.partner":
            return self._row_partner(record_su.commercial_partner_id)
        return self._row_lead(record_su)

    @api.private
    @api.model
    def check_duplicates(self, records):
        """Raise when a key checked in "block" mode is already used. The
        superuser (mail gateway, website forms, crons) is not stopped: an
        inbound lead is never lost for being a duplicate."""
        if self.env.su:
            return
        duplicates = self.find_duplicates(records, modes=("block",))
        if duplicates:
            raise ValidationError(self._describe(duplicates))

    @api.model
    def _describe(self, duplicates):
        labels = {
            "name": self.env._("name"),
            "phone": self.env._("phone"),
            "email": self.env._("e-mail"),
            "vat": self.env._("credit code"),
        }
        lines = []
        for record, hits in duplicates.items():
            for key, row in hits:
                lines.append(
                    self.env._(
                        "%(record)s: the %(key)s is already used by %(other)s (owner: %(owner)s, department: %(department)s).",
                        record=record.display_name or record._crm_identity_name(),
                        key=labels[key],
                        other=row["name"],
                        owner=row["owner"] or self.env._("pool"),
                        department=row["department"] or "-",
                    )
                )
        return "\n".join(lines)
