from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

CHANNELS = [
    ("mail", "E-mail"),
    ("sms", "SMS"),
    ("fax", "Fax"),
    ("call", "Call"),
    ("visit", "Visit"),
    ("meeting", "Meeting"),
    ("im", "Instant Message"),
    ("note", "Internal Note"),
]
DIRECTIONS = [("in", "Incoming"), ("out", "Outgoing")]
# The documents whose chatter is part of a customer's history, with the
# table and the column holding the partner the document is about.
MESSAGE_DOCUMENTS = {
    "res.partner": ("res_partner", "id"),
    "crm.lead": ("crm_lead", "partner_id"),
    "sale.order": ("sale_order", "partner_id"),
    "crm.contract": ("crm_contract", "partner_id"),
}
DOCUMENT_MODELS = [
    ("res.partner", "Customer / Contact"),
    ("crm.lead", "Lead / Opportunity"),
    ("sale.order", "Quotation / Order"),
    ("crm.contract", "Contract"),
    ("crm.followup", "Follow-up"),
]
SUMMARY_CHARS = 300
# Decoded in this order: "&amp;" last, so that "&amp;lt;" stays "&lt;".
HTML_ENTITIES = (("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"), ("&amp;", "&"))


class CrmCommunication(models.Model):
    """The communication history (沟通记录) of customers: every e-mail, SMS,
    fax, logged call and internal note in the chatter of a customer, its
    contacts, leads, quotations and contracts, and every follow-up, in one
    list. A SQL view, so that filters, grouping and counts run in the
    database; rows follow the customer's owner and department (record
    rules), whoever owns the document the message is on."""

    _name = "crm.communication"
    _description = "Customer Communication"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "summary"
    # What the view reads, flushed before it is searched.
    _depends = {
        "mail.message": [
            "date", "message_type", "subtype_id", "mail_activity_type_id", "author_id", "email_from", "subject", "body",
            "model", "res_id",
        ],
        "mail.activity.type": ["category"],
        "res.partner": ["commercial_partner_id", "complete_name", "user_id", "crm_team_id", "company_id"],
        "res.users": ["partner_id", "share"],
        "crm.lead": ["name", "partner_id", "company_id"],
        "sale.order": ["name", "partner_id", "company_id"],
        "crm.contract": ["name", "partner_id", "company_id"],
        "crm.followup": ["date", "followup_type", "user_id", "content", "result", "partner_id", "lead_id", "company_id"],
    }  # fmt: skip

    date = fields.Datetime(readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    direction = fields.Selection(DIRECTIONS, readonly=True, help="Empty when unknown (notes, calls, visits).")
    author_id = fields.Many2one("res.partner", string="Author", readonly=True)
    email_from = fields.Char(string="From", readonly=True, help="The sender's address of an e-mail.")
    subject = fields.Char(readonly=True)
    summary = fields.Char(readonly=True, help="The subject and the beginning of the text, without formatting.")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Owner", readonly=True, help="The customer's owner.")
    crm_team_id = fields.Many2one("crm.team", string="Department", readonly=True, help="The customer's department.")
    company_id = fields.Many2one("res.company", readonly=True, help="The company of the document.")
    res_model = fields.Selection(DOCUMENT_MODELS, string="Document Type", readonly=True)
    res_id = fields.Integer(string="Document ID", readonly=True)
    document_ref = fields.Reference(DOCUMENT_MODELS, string="Source Document", readonly=True)
    document_name = fields.Char(string="Document", readonly=True)
    message_id = fields.Many2one("mail.message", string="Message", readonly=True)
    followup_id = fields.Many2one("crm.followup", string="Follow-up", readonly=True)

    # ------------------------------------------------------------------
    # SQL view
    # ------------------------------------------------------------------
    @property
    def _table_query(self):
        # One branch per document table rather than outer joins on
        # mail_message: a filter on the customer reaches each branch's
        # indexes (partner → documents → messages by model and res_id).
        # Cached lookups: env.ref() would query each subtype's existence
        # every time the view is read.
        xmlid_to_res_id = self.env["ir.model.data"]._xmlid_to_res_id
        subtypes = {
            "note": xmlid_to_res_id("mail.mt_note"),
            "comment": xmlid_to_res_id("mail.mt_comment"),
            "fax": xmlid_to_res_id("crm_core.mail_message_subtype_crm_fax", raise_if_not_found=False) or 0,
        }
        return SQL(" UNION ALL ").join(
            [
                self._crm_message_query(model, table, column, subtypes)
                for model, (table, column) in MESSAGE_DOCUMENTS.items()
            ]
            + [self._crm_followup_query()]
        )

    def _crm_message_query(self, model, table, partner_column, subtypes):
        """The communications in the chatter of the documents of ``model``
        (``subtypes``: the ids of the note, comment and fax subtypes)."""
        # What a message is: SMS and fax first (posted with other types and
        # subtypes), then calls (done activities of a Phonecall type), notes
        # (logged by users), and e-mail: received, sent, or sent from the
        # chatter (a comment to the followers).
        channel = SQL(
            """CASE WHEN m.message_type = 'sms' THEN 'sms'
                    WHEN m.subtype_id = %(fax)s THEN 'fax'
                    WHEN activity_type.category = 'phonecall' THEN 'call'
                    WHEN m.message_type = 'comment' AND m.subtype_id = %(note)s THEN 'note'
                    ELSE 'mail' END""",
            **subtypes,
        )
        return SQL(
            """
            SELECT m.id * 2 AS id,
                   m.date,
                   %(channel)s AS channel,
                   CASE WHEN m.message_type IN ('sms', 'email_outgoing') OR m.subtype_id = %(fax)s THEN 'out'
                        WHEN (%(channel)s) <> 'mail' THEN NULL
                        WHEN EXISTS (SELECT 1 FROM res_users u WHERE u.partner_id = m.author_id AND NOT u.share)
                        THEN 'out' ELSE 'in' END AS direction,
                   m.author_id,
                   m.email_from,
                   m.subject,
                   %(summary)s AS summary,
                   customer.id AS partner_id,
                   customer.user_id,
                   customer.crm_team_id,
                   doc.company_id,
                   m.model AS res_model,
                   m.res_id,
                   m.model || ',' || m.res_id AS document_ref,
                   %(document_name)s AS document_name,
                   m.id AS message_id,
                   NULL::integer AS followup_id
              FROM mail_message m
              JOIN %(table)s doc ON doc.id = m.res_id
              JOIN res_partner doc_partner ON doc_partner.id = %(partner_column)s
              JOIN res_partner customer ON customer.id = doc_partner.commercial_partner_id
              LEFT JOIN mail_activity_type activity_type ON activity_type.id = m.mail_activity_type_id
             WHERE m.model = %(model)s
               AND (m.message_type IN ('email', 'email_outgoing', 'sms')
                    OR (m.message_type = 'comment' AND m.subtype_id IN (%(note)s, %(comment)s))
                    OR m.subtype_id = %(fax)s
                    OR activity_type.category = 'phonecall')
            """,
            channel=channel,
            summary=self._crm_plain_text(SQL("m.subject"), SQL("m.body"), html=True),
            document_name=SQL("doc.complete_name") if model == "res.partner" else SQL("doc.name"),
            table=SQL.identifier(table),
            partner_column=SQL.identifier("doc", partner_column),
            model=model,
            **subtypes,
        )

    def _crm_followup_query(self):
        """The follow-ups (calls, visits, messages, … logged by the reps)."""
        return SQL(
            """
            SELECT f.id * 2 + 1 AS id,
                   f.date,
                   CASE f.followup_type WHEN 'email' THEN 'mail' WHEN 'message' THEN 'im'
                        ELSE f.followup_type END AS channel,
                   NULL AS direction,
                   author.partner_id AS author_id,
                   NULL AS email_from,
                   NULL AS subject,
                   %(summary)s AS summary,
                   customer.id AS partner_id,
                   customer.user_id,
                   customer.crm_team_id,
                   f.company_id,
                   'crm.followup' AS res_model,
                   f.id AS res_id,
                   'crm.followup,' || f.id AS document_ref,
                   lead.name AS document_name,
                   NULL::integer AS message_id,
                   f.id AS followup_id
              FROM crm_followup f
              JOIN res_partner doc_partner ON doc_partner.id = f.partner_id
              JOIN res_partner customer ON customer.id = doc_partner.commercial_partner_id
              LEFT JOIN res_users author ON author.id = f.user_id
              LEFT JOIN crm_lead lead ON lead.id = f.lead_id
            """,
            summary=self._crm_plain_text(SQL("f.content"), SQL("f.result")),
        )

    def _crm_plain_text(self, head, text, html=False):
        """``head — text`` on one line, cut to SUMMARY_CHARS; ``text`` HTML
        (tags dropped, the usual entities decoded) when ``html``."""
        if html:
            text = SQL("REGEXP_REPLACE(%s, '<[^>]*>', ' ', 'g')", text)
            for entity, char in HTML_ENTITIES:
                text = SQL("REPLACE(%s, %s, %s)", text, entity, char)
        return SQL(
            r"LEFT(BTRIM(REGEXP_REPLACE(CONCAT_WS(' — ', NULLIF(BTRIM(%s), ''), %s), '\s+', ' ', 'g')), %s)",
            head,
            text,
            SUMMARY_CHARS,
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_document(self):
        """Opens the document the communication is on (the row's click)."""
        self.ensure_one()
        document = self.env[self.res_model].browse(self.res_id)
        if not document.has_access("read"):
            raise UserError(
                self.env._(
                    "%(document)s is outside your data scope: ask its owner or your manager.",
                    document=self.document_name or self.env._("This document"),
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
