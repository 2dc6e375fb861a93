import base64
import binascii
import datetime
import io
import logging
import re
import zipfile
from collections import defaultdict

import openpyxl

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import email_normalize, split_every
from odoo.tools.mimetypes import guess_mimetype

from .crm_identity_mixin import name_key
from .crm_import_reader import (
    ENCODINGS, MAX_CELL, MAX_ROWS, ZIP_SIGNATURE, ImportFileError, is_formula, read_rows,
)  # fmt: skip
from .crm_import_spec import COLUMNS, IDENTITY_KEYS, Column, header_index, match_header

_logger = logging.getLogger(__name__)

TARGETS = [
    ("customer", "Customers"),
    ("contact", "Contacts"),
    ("product", "Products"),
    ("supplier", "Suppliers"),
]
TARGET_MODELS = {"customer": "res.partner", "contact": "res.partner", "supplier": "res.partner", "product": "product.template"}
DUPLICATE_MODES = [("skip", "Skip"), ("update", "Update"), ("create", "Create Anyway")]
# Files up to this size import at once; larger ones go to the background
# job, which reports its progress.
SYNC_ROWS = 2000
BATCH = 1000
# Targets whose custom fields (crm.custom.field) are importable columns.
CUSTOM_FIELD_TARGETS = {"customer": "customer", "product": "product"}
# A dry run keeps this many problems; the rest are counted.
MAX_ISSUES = 1000
CHAR_SIZE = 255
PRODUCT_TYPES = {
    "consu": "consu", "goods": "consu", "good": "consu", "product": "consu", "货物": "consu", "商品": "consu",
    "实物": "consu", "产品": "consu", "service": "service", "服务": "service", "combo": "combo", "组合": "combo",
}  # fmt: skip
# The names a Chinese file gives its own country, readable even where the
# zh_CN translation of the country list is not loaded.
COUNTRY_ALIASES = {"中国": "cn", "中华人民共和国": "cn", "中国大陆": "cn", "大陆": "cn", "prc": "cn"}
STATE_SUFFIX = re.compile(r"(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$")
EMAIL_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MONEY_NOISE = re.compile(r"[\s,¥￥$€£元]|RMB|CNY|USD", re.IGNORECASE)


class CrmImportJob(models.Model):
    """One import of a file (数据导入): column mapping, a dry run that lists
    every problem with its row, duplicates against the existing data with a
    choice of skip / update / create, then the import itself, all or nothing.

    Files above SYNC_ROWS run in the background (cron) in one transaction;
    their progress is written through a second cursor to crm.import.progress,
    which the import's own transaction never touches."""

    _name = "crm.import.job"
    _description = "Data Import"
    _inherit = ["crm.input.mixin"]
    _order = "id desc"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    target = fields.Selection(TARGETS, string="Import", required=True, default="customer")
    file = fields.Binary(string="File", attachment=True, copy=False)
    file_name = fields.Char(string="File Name")
    encoding = fields.Selection(ENCODINGS, string="Encoding", required=True, default="auto",
                                help="Only for csv files; Excel files carry their own.")  # fmt: skip
    duplicate_mode = fields.Selection(
        DUPLICATE_MODES,
        string="Existing Records",
        required=True,
        default="skip",
        help="What a row that matches an existing record (same credit code, phone, e-mail or name; "
        "reference, barcode or name for products) does.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("checked", "Checked"), ("queued", "Queued"), ("done", "Done"), ("failed", "Failed")],
        string="Status", default="draft", required=True, readonly=True, copy=False, index=True,
    )  # fmt: skip
    user_id = fields.Many2one("res.users", string="Imported By", required=True, readonly=True, default=lambda self: self.env.user, index=True)
    company_id = fields.Many2one("res.company", string="Company", required=True, readonly=True, default=lambda self: self.env.company)
    column_ids = fields.One2many("crm.import.column", "job_id", string="Columns", copy=True)
    issue_ids = fields.One2many("crm.import.issue", "job_id", string="Problems", readonly=True)
    row_count = fields.Integer(string="Rows", readonly=True)
    error_count = fields.Integer(string="Problems Found", readonly=True)
    create_count = fields.Integer(string="To Create", readonly=True)
    update_count = fields.Integer(string="To Update", readonly=True)
    skip_count = fields.Integer(string="To Skip", readonly=True)
    created_ids = fields.Json(readonly=True, copy=False)
    updated_ids = fields.Json(readonly=True, copy=False)
    message = fields.Text(string="Result", readonly=True, copy=False)
    date_done = fields.Datetime(string="Imported On", readonly=True, copy=False)
    progress = fields.Float(string="Progress", compute="_compute_progress")
    template_en = fields.Binary(string="Template (English)", compute="_compute_templates")
    template_zh = fields.Binary(string="Template (Chinese)", compute="_compute_templates")

    def _compute_progress(self):
        # sudo: a progress row only holds two numbers about the user's own job.
        rows = self.env["crm.import.progress"].sudo().search([("job_id", "in", self.ids)])
        by_job = {row.job_id.id: row for row in rows}
        for job in self:
            row = by_job.get(job.id)
            if job.state == "done":
                job.progress = 100.0
            else:
                job.progress = 100.0 * row.done / row.total if row and row.total else 0.0

    @api.depends("target")
    def _compute_templates(self):
        for job in self:
            job.template_en = base64.b64encode(self._crm_template(job.target, "en")) if job.target else False
            job.template_zh = base64.b64encode(self._crm_template(job.target, "zh")) if job.target else False

    @api.model
    def _crm_columns(self, target):
        """The target's columns, then one per custom field added to it
        without code (crm.custom.field), labelled in English and Chinese."""
        columns = list(COLUMNS[target])
        if target not in CUSTOM_FIELD_TARGETS:
            return columns
        # sudo: the field definitions only; the values are written as the user.
        custom = self.env["crm.custom.field"].sudo().search(
            [("target", "=", CUSTOM_FIELD_TARGETS[target]), ("state", "=", "applied")]
        )
        zh = "zh_CN" if "zh_CN" in dict(self.env["res.lang"].get_installed()) else "en_US"
        for field in custom:
            columns.append(Column(
                field.technical_name, field.technical_name, field.with_context(lang="en_US").name,
                # "Required" binds the forms only (see its help): an import may leave it empty.
                field.with_context(lang=zh).name, f"custom_{field.field_type}", False,
            ))  # fmt: skip
        return columns

    @api.model
    def _crm_template(self, target, lang):
        """An xlsx with the target's headers in ``lang`` ("zh" or "en")."""
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = target
        columns = self._crm_columns(target)
        sheet.append([f"{c.zh if lang == 'zh' else c.en}{'*' if c.required else ''}" for c in columns])
        for index, column in enumerate(columns, 1):
            letter = openpyxl.utils.get_column_letter(index)
            sheet.column_dimensions[letter].width = max(12, 2 * len(column.zh) + 4, len(column.en) + 4)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._crm_check_file(vals)
            if not self.env.su and (
                vals.get("user_id", self.env.uid) != self.env.uid
                or vals.get("company_id", self.env.company.id) not in self.env.user.company_ids.ids
            ):
                # The background job imports as this user, into this company.
                raise AccessError(self.env._("An import is the importer's own, in one of their companies."))
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("crm.import.job") or "/"
        jobs = super().create(vals_list)
        jobs.filtered("file")._crm_load_columns()
        return jobs

    def write(self, vals):
        self._crm_check_file(vals)
        if not self.env.su:
            if "state" in vals:
                raise AccessError(self.env._("The status of an import is set by the import itself."))
            if {"user_id", "company_id"} & set(vals):
                raise AccessError(self.env._("An import is the importer's own, in one of their companies."))
            ran = self.filtered(lambda j: j.state in ("queued", "done"))
            if ran:
                raise UserError(self.env._("Import %(name)s has already run; start a new one.", name=ran[0].name))
        result = super().write(vals)
        if {"file", "target", "encoding"} & set(vals):
            self._crm_load_columns()
            self._crm_reset()
        elif "column_ids" in vals or "duplicate_mode" in vals:
            self._crm_reset()
        return result

    @api.model
    def _crm_check_file(self, vals):
        """Refuse before Odoo stores the file as an attachment what it would
        stumble on: a broken zip (its type guess logs a failure) and an image
        (resized, and a broken one fails). Neither is a spreadsheet."""
        content = vals.get("file")
        if not content or not isinstance(content, (str, bytes)):
            return
        try:
            content = base64.b64decode(content)
        except (binascii.Error, ValueError):
            return  # not base64: the input check names the field
        if content.startswith(ZIP_SIGNATURE):
            try:
                zipfile.ZipFile(io.BytesIO(content)).close()
            except (zipfile.BadZipFile, ValueError, OSError) as exc:
                raise UserError(self._crm_file_error(ImportFileError("xlsx", error=str(exc)))) from exc
        elif guess_mimetype(content).startswith("image/"):
            raise UserError(self.env._(
                "The file %(file)s is an image: import an Excel workbook (xlsx, xls) or a csv file.",
                file=vals.get("file_name") or "",
            ))  # fmt: skip

    def _crm_reset(self):
        """A changed file or mapping invalidates the last dry run."""
        done = self.filtered(lambda j: j.state in ("queued", "done"))
        if done:
            raise UserError(self.env._("Import %(name)s has already run; start a new one.", name=done[0].name))
        self.issue_ids.sudo().unlink()
        self.sudo().write({"state": "draft", "error_count": 0, "create_count": 0, "update_count": 0, "skip_count": 0})

    @api.ondelete(at_uninstall=False)
    def _unlink_except_queued(self):
        if any(job.state == "queued" for job in self):
            raise UserError(self.env._("A queued import cannot be deleted while it waits to run."))

    # ------------------------------------------------------------------
    # Reading and mapping
    # ------------------------------------------------------------------
    def _crm_rows(self):
        """(header row number, header cells, data rows generator)."""
        self.ensure_one()
        if not self.file:
            if self.file_name:  # a file of 0 bytes
                raise UserError(self.env._("The file %(file)s is empty.", file=self.file_name))
            raise UserError(self.env._("Choose a file to import."))
        try:
            _kind, _encoding, rows = read_rows(base64.b64decode(self.file), self.file_name, self.encoding)
        except ImportFileError as exc:
            raise UserError(self._crm_file_error(exc)) from exc

        def checked(rows):
            # A broken row surfaces while the file is read, not when it opens.
            try:
                yield from rows
            except ImportFileError as exc:
                raise UserError(self._crm_file_error(exc)) from exc

        rows = checked(rows)
        first = next(rows, None)
        if first is None:
            raise UserError(self.env._("The file %(file)s has no rows.", file=self.file_name or ""))
        return first[0], first[1], rows

    def _crm_file_error(self, exc):
        code, params = exc.code, exc.params
        if code == "empty":
            return self.env._("The file is empty.")
        if code == "encoding_given":
            return self.env._(
                "The file is not in the encoding %(encoding)s (%(error)s): choose another encoding or let it be detected.",
                **params,
            )
        if code == "encoding_unknown":
            return self.env._(
                "The file's encoding could not be recognised (row %(row)s is neither UTF-8 nor GBK): "
                "save it as UTF-8 and import it again.",
                **params,
            )
        if code == "not_a_workbook":
            return self.env._(
                "The file %(file)s is neither an Excel workbook nor a csv file: save it again from Excel.",
                file=self.file_name,
            )
        if code == "unpacked":
            return self.env._(
                "The workbook unpacks to %(size)s MB, more than the %(max)s MB an import reads: split it into several files.",
                **params,
            )
        if code == "xlsx":
            return self.env._("The file could not be read as an Excel workbook (xlsx): %(error)s", **params)
        if code == "xls":
            return self.env._("The file could not be read as an Excel 97-2003 workbook (xls): %(error)s", **params)
        return self.env._("The file could not be read after row %(row)s: %(error)s", **params)

    def _crm_load_columns(self):
        """One mapping line per column of the header row, mapped by its
        header in Chinese or English when it is recognised."""
        for job in self:
            job.column_ids.unlink()
            if not job.file:
                continue
            header_row, headers, rows = job._crm_rows()
            sample = next(rows, (0, []))[1]
            index, used, lines = header_index(self._crm_columns(job.target)), set(), []
            for position, header in enumerate(headers):
                if not header and not any(len(sample) > position and sample[position] for _ in [0]):
                    continue
                key = match_header(header, index)
                if key in used:
                    key = False
                used.add(key)
                lines.append({
                    "job_id": job.id, "sequence": position, "header": (header or "")[:CHAR_SIZE],
                    "sample": (sample[position] if position < len(sample) else "")[:CHAR_SIZE],
                    "field_key": key or False,
                })  # fmt: skip
            self.env["crm.import.column"].create(lines)

    def _crm_mapping(self):
        """{column position: column spec}, refusing a mapping that misses a
        required column or maps one twice."""
        self.ensure_one()
        columns = self._crm_columns(self.target)
        specs = {column.key: column for column in columns}
        mapping, seen = {}, {}
        for line in self.column_ids.filtered("field_key"):
            spec = specs.get(line.field_key)
            if not spec:
                raise UserError(self.env._(
                    "Column %(column)s is mapped to %(field)s, which %(target)s do not have.",
                    column=line.header or line.sequence + 1, field=line.field_key, target=self._crm_target_label(),
                ))  # fmt: skip
            if line.field_key in seen:
                raise UserError(self.env._(
                    "Columns %(first)s and %(second)s are both mapped to %(field)s.",
                    first=seen[line.field_key], second=line.header, field=self._crm_column_label(spec),
                ))  # fmt: skip
            seen[line.field_key] = line.header
            mapping[line.sequence] = spec
        missing = [self._crm_column_label(c) for c in columns if c.required and c.key not in seen]
        if missing:
            raise UserError(self.env._("Map a column of the file to: %(fields)s.", fields=", ".join(missing)))
        return mapping

    def _crm_target_label(self):
        return dict(self._fields["target"]._description_selection(self.env))[self.target]

    def _crm_column_label(self, spec):
        return spec.zh if (self.env.lang or "").startswith("zh") else spec.en

    # ------------------------------------------------------------------
    # Dry run
    # ------------------------------------------------------------------
    def action_check(self):
        """Dry run: every problem with its row, and what would be created,
        updated or skipped. Writes nothing but the report."""
        self.ensure_one()
        self._crm_check_can_run()
        plan, issues, overflow, row_count = self._crm_analyse()
        self._crm_store_report(plan, issues, overflow, row_count)
        return True

    def _crm_check_can_run(self):
        if self.state in ("queued", "done"):
            raise UserError(self.env._("Import %(name)s has already run; start a new one.", name=self.name))
        if self.user_id != self.env.user and not self.env.su:
            raise AccessError(self.env._("Only %(user)s can run import %(name)s.", user=self.user_id.name, name=self.name))
        Model = self.env[TARGET_MODELS[self.target]]
        if not (Model.has_access("create") and Model.has_access("write")):
            raise AccessError(self.env._("You are not allowed to import %(target)s.", target=self._crm_target_label()))

    def _crm_store_report(self, plan, issues, overflow, row_count):
        counts = defaultdict(int)
        for action, _record, _vals, _row in plan:
            counts[action] += 1
        self.issue_ids.sudo().unlink()
        self.env["crm.import.issue"].sudo().create([dict(issue, job_id=self.id) for issue in issues])
        self.sudo().write({
            "state": "checked", "row_count": row_count, "error_count": len(issues) + overflow,
            "create_count": counts["create"], "update_count": counts["update"], "skip_count": counts["skip"],
            "message": self.env._("%(count)s more problems are not listed.", count=overflow) if overflow else False,
        })  # fmt: skip

    def _crm_analyse(self, progress=None):
        """(plan, issues, unlisted issue count, row count). plan is a list of
        (action, existing record id, values, row number)."""
        self.ensure_one()
        # The file first: a mapping of an empty or unreadable file says nothing.
        header_row, _headers, rows = self._crm_rows()
        mapping = self._crm_mapping()
        lookups = _Lookups(self)
        issues, overflow = [], 0
        parsed = []  # (row number, values, identity {key: [values]})
        for row_number, cells in rows:
            if len(parsed) >= MAX_ROWS:
                raise UserError(self.env._(
                    "The file has more than %(max)s rows: split it into several imports.", max=MAX_ROWS
                ))  # fmt: skip
            values, identity, problems = lookups.convert_row(mapping, cells)
            parsed.append((row_number, values, identity))
            for position, reason in problems:
                overflow += self._crm_add_issue(issues, row_number, position, cells, reason)
        if not parsed:
            raise UserError(self.env._(
                "The file %(file)s has no data rows under its header row (row %(row)s).",
                file=self.file_name or "", row=header_row,
            ))  # fmt: skip
        if progress:
            progress(0, len(parsed))
        plan = []
        plan_issues = lookups.plan(parsed, self.duplicate_mode, plan)
        for row_number, position, reason in plan_issues:
            overflow += self._crm_add_issue(issues, row_number, position, None, reason)
        issues.sort(key=lambda issue: issue["row"])
        return plan, issues, overflow, len(parsed)

    def _crm_add_issue(self, issues, row_number, position, cells, reason):
        """Adds a problem to the report; 1 when it no longer fits."""
        if len(issues) >= MAX_ISSUES:
            return 1
        line = self.column_ids.filtered(lambda c: c.sequence == position)[:1] if position is not None else None
        value = cells[position] if cells and position is not None and position < len(cells) else ""
        issues.append({
            "row": row_number, "column": line.header if line else "",
            "value": value[:80], "reason": reason,
        })  # fmt: skip
        return 0

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------
    def action_import(self):
        """Import now, or queue a large file for the background job."""
        self.ensure_one()
        self._crm_check_can_run()
        header_row, _headers, rows = self._crm_rows()
        # A file's row count without converting it: the dry run may not have run.
        if sum(1 for _ in rows) > SYNC_ROWS:
            self._crm_mapping()
            self.env["crm.import.progress"].sudo().create({"job_id": self.id, "done": 0, "total": 0})
            self.sudo().write({"state": "queued", "message": False})
            self.env.ref("crm_core.ir_cron_crm_import").sudo()._trigger()
            return {
                "type": "ir.actions.client", "tag": "display_notification",
                "params": {
                    "type": "info", "sticky": False,
                    "message": self.env._("Import %(name)s is queued; its progress shows on the import.", name=self.name),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }  # fmt: skip
        self._crm_execute()
        return self.action_open_records()

    def _crm_execute(self, progress=None):
        """The whole import in the current transaction: nothing is written
        unless every row is right."""
        self.ensure_one()
        plan, issues, overflow, row_count = self._crm_analyse(progress)
        if issues:
            listed = "\n".join(
                self.env._("Row %(row)s, %(column)s: %(reason)s", row=i["row"], column=i["column"] or "-", reason=i["reason"])
                for i in issues[:20]
            )
            raise UserError(self.env._(
                "Nothing was imported: the file has %(count)s problems. Run the check to list them all.\n%(problems)s",
                count=len(issues) + overflow, problems=listed,
            ))  # fmt: skip
        Model = self.env[TARGET_MODELS[self.target]].with_context(
            # The import itself is the record of who brought these rows in:
            # no creation message or notification per row; the owners follow
            # their new records once per owner (_crm_subscribe_owners), where
            # mail.thread's create subscribes them row by row.
            tracking_disable=True, mail_create_nosubscribe=True, mail_auto_subscribe_no_notify=True,
            mail_create_nolog=True, crm_import=True,
        )  # fmt: skip
        created, updated, done = [], [], 0
        creates = [vals for action, _record, vals, _row in plan if action == "create"]
        for chunk in split_every(BATCH, creates, list):
            records = Model.create(chunk)
            self._crm_subscribe_owners(records)
            created += records.ids
            done += len(chunk)
            if progress:
                progress(done, len(plan))
        # Each row writes its own values: writes cannot be grouped.
        for action, record_id, vals, _row in plan:
            if action == "update":
                Model.browse(record_id).write(vals)
                updated.append(record_id)
        self._crm_store_report(plan, [], 0, row_count)
        self.sudo().write({
            "state": "done", "created_ids": created, "updated_ids": updated, "date_done": fields.Datetime.now(),
            "message": self.env._(
                "%(created)s created, %(updated)s updated, %(skipped)s skipped.",
                created=len(created), updated=len(updated), skipped=self.skip_count,
            ),
        })  # fmt: skip

    @api.model
    def _crm_subscribe_owners(self, records):
        """What mail.thread's create does for each new record (the owner
        follows it, with the default subtypes), once per owner."""
        if "user_id" not in records._fields or not hasattr(records, "_message_auto_subscribe"):
            return
        for owner, group in records.grouped("user_id").items():
            if owner:
                group.with_context(tracking_disable=False)._message_auto_subscribe({"user_id": owner.id})

    @api.model
    def _cron_run_queued(self):
        """Runs the oldest queued import as its user, in one transaction.
        A job interrupted (server stopped) is still queued and runs again:
        its rows are never half there."""
        self.flush_model(["state"])
        self.env.cr.execute(
            "SELECT id FROM crm_import_job WHERE state = 'queued' ORDER BY id LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED"
        )
        row = self.env.cr.fetchone()
        if not row:
            return
        job = self.browse(row[0])
        progress_row = self.env["crm.import.progress"].sudo().search([("job_id", "=", job.id)], limit=1)
        runner = job.with_user(job.user_id).with_company(job.company_id).with_context(lang=job.user_id.lang)
        try:
            with self.env.cr.savepoint():
                runner._crm_execute(progress=progress_row._crm_reporter())
        except (UserError, AccessError) as exc:
            job.sudo().write({"state": "failed", "message": str(exc)})
        except Exception as exc:
            # Anything else is a bug, not bad data: fail the job (it would
            # otherwise run again and again) and keep the trace in the log.
            _logger.exception("Import %s failed", job.name)
            job.sudo().write({"state": "failed", "message": str(exc)})
        if self.search_count([("state", "=", "queued")], limit=1):
            self.env.ref("crm_core.ir_cron_crm_import")._trigger()

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_open_records(self):
        self.ensure_one()
        ids = (self.created_ids or []) + (self.updated_ids or [])
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imported %(target)s", target=self._crm_target_label()),
            "res_model": TARGET_MODELS[self.target],
            "view_mode": "list,form",
            "domain": [("id", "in", ids)],
            "context": {"active_test": False},
        }

    def action_download_template(self):
        self.ensure_one()
        lang = "zh" if self.env.context.get("crm_template_lang") == "zh" else "en"
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/crm.import.job/{self.id}/template_{lang}/{self.target}_template_{lang}.xlsx?download=true",
            "target": "download",
        }

    def action_new_import(self):
        """A fresh import with the same target, mapping and options."""
        self.ensure_one()
        job = self.copy({"file": self.file, "file_name": self.file_name})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": job.id, "view_mode": "form"}


class _Lookups:
    """Everything a row is checked against, read once per import: countries,
    provinces, related records by name, owners, and the existing records
    that rows may duplicate."""

    def __init__(self, job):
        self.job = job
        self.env = job.env
        self.target = job.target
        self.model = self.env[TARGET_MODELS[job.target]]
        self.company_country = job.company_id.country_id
        self.cache = {}

    # -- reference data ------------------------------------------------
    def _names(self, model, domain=None, fields_=("name",)):
        """{lower-case name in any installed language: id}."""
        key = (model, tuple(fields_))
        if key not in self.cache:
            index = {}
            langs = [code for code, _name in self.env["res.lang"].get_installed()]
            Model = self.env[model].with_context(active_test=True)
            for lang in langs:
                for record in Model.with_context(lang=lang).search_read(domain or [], list(fields_)):
                    for field in fields_:
                        if record[field]:
                            index.setdefault(str(record[field]).strip().lower(), record["id"])
            self.cache[key] = index
        return self.cache[key]

    def country(self, text):
        if "country" not in self.cache:
            self.cache["country"] = {**self._names("res.country"), **{k.lower(): v for k, v in self._names("res.country", fields_=("code",)).items()}}
        countries = self.cache["country"]
        return countries.get(text.lower()) or countries.get(COUNTRY_ALIASES.get(text.lower(), ""))

    def state(self, text, country_id):
        if "state" not in self.cache:
            index = {}
            for state in self.env["res.country.state"].search_read([], ["name", "code", "country_id"]):
                country = state["country_id"][0]
                for name in {state["name"], STATE_SUFFIX.sub("", state["name"]), state["code"]}:
                    if name:
                        index.setdefault((country, name.lower()), state["id"])
            self.cache["state"] = index
        return self.cache["state"].get((country_id, text.lower())) or self.cache["state"].get(
            (country_id, STATE_SUFFIX.sub("", text).lower())
        )

    def user(self, text):
        if "user" not in self.cache:
            index = {}
            for user in self.env["res.users"].search_read([("share", "=", False)], ["login", "name"]):
                index.setdefault(user["login"].lower(), user["id"])
                index.setdefault(user["name"].lower(), user["id"])
            self.cache["user"] = index
        return self.cache["user"].get(text.lower())

    # -- one row -------------------------------------------------------
    def convert_row(self, mapping, cells):
        """(values for create/write, identity keys, [(position, reason)])."""
        _ = self.env._
        values, identity, problems = {}, {}, []
        texts = {}
        for position, spec in mapping.items():
            text = cells[position] if position < len(cells) else ""
            if len(text) > MAX_CELL:
                problems.append((position, _("the cell has %(length)s characters; at most %(max)s are imported.", length=len(text), max=MAX_CELL)))
                continue
            if is_formula(text):
                problems.append((position, _("formulas are not imported: paste the values instead.")))
                continue
            if not text:
                if spec.required:
                    problems.append((position, _("%(field)s is required.", field=self.job._crm_column_label(spec))))
                continue
            texts[spec.key] = (position, spec, text)
        # The country first: provinces and phone numbers are read in it.
        country_id = False
        if "country" in texts:
            position, spec, text = texts["country"]
            country_id = self.country(text)
            if not country_id:
                problems.append((position, _("unknown country %(value)s.", value=text)))
            else:
                values["country_id"] = country_id
        read_in = self.env["res.country"].browse(country_id) if country_id else self.company_country
        for key, (position, spec, text) in texts.items():
            if key == "country":
                continue
            try:
                value = getattr(self, f"convert_{spec.kind}")(text, read_in, spec, identity)
            except _CellError as error:
                problems.append((position, error.reason))
                continue
            values[spec.field] = value
            if key == "state" and not country_id and value:
                values["country_id"] = read_in.id
        return values, identity, problems

    def convert_char(self, text, country, spec, identity):
        if len(text) > CHAR_SIZE:
            raise _CellError(self.env._("longer than %(max)s characters.", max=CHAR_SIZE))
        if spec.key == "name":
            # Products are matched by their exact name, partners by its core.
            key = text if self.target == "product" else name_key(text)
            if key:
                identity["name"] = [key]
        elif spec.key in ("code", "barcode"):
            identity[spec.key] = [text]
        return text

    def convert_text(self, text, country, spec, identity):
        return text

    def convert_phone(self, text, country, spec, identity):
        e164 = self.env["res.partner"]._phone_format_number(text, country, force_format="E164", raise_exception=False)
        if not e164:
            raise _CellError(self.env._("%(value)s is not a valid phone number.", value=text))
        identity.setdefault("phone", []).append(e164)
        return text

    def convert_email(self, text, country, spec, identity):
        normalized = email_normalize(text, strict=True)
        # Odoo normalizes "<script>x</script>@x.cn" to "@x.cn": an address has a local part.
        if not normalized or not EMAIL_ADDRESS.fullmatch(normalized):
            raise _CellError(self.env._("%(value)s is not a valid e-mail address.", value=text))
        identity["email"] = [normalized]
        return text

    def convert_vat(self, text, country, spec, identity):
        vat = re.sub(r"\s", "", text).upper()
        if len(vat) > 32:
            raise _CellError(self.env._("%(value)s is not a credit code or tax number.", value=text))
        identity["vat"] = [vat]
        return vat

    def convert_state(self, text, country, spec, identity):
        state_id = self.state(text, country.id)
        if not state_id:
            raise _CellError(self.env._("unknown province %(value)s in %(country)s.", value=text, country=country.name or "-"))
        return state_id

    def _by_name(self, model, text, label):
        record_id = self._names(model).get(text.lower())
        if not record_id:
            raise _CellError(self.env._("unknown %(what)s %(value)s.", what=label, value=text))
        return record_id

    def convert_industry(self, text, country, spec, identity):
        return self._by_name("res.partner.industry", text, self.env._("industry"))

    def convert_customer_type(self, text, country, spec, identity):
        return self._by_name("crm.customer.type", text, self.env._("customer type"))

    def convert_grade(self, text, country, spec, identity):
        return self._by_name("crm.customer.grade", text, self.env._("grade"))

    def convert_source(self, text, country, spec, identity):
        return self._by_name("utm.source", text, self.env._("source"))

    def convert_category(self, text, country, spec, identity):
        categories = self.cache.get("category")
        if categories is None:
            categories = self.cache["category"] = {
                **self._names("product.category"),
                **self._names("product.category", fields_=("complete_name",)),
            }
        record_id = categories.get(text.lower()) or categories.get(re.sub(r"\s*/\s*", " / ", text).lower())
        if not record_id:
            raise _CellError(self.env._("unknown product category %(value)s.", value=text))
        return record_id

    def convert_product_type(self, text, country, spec, identity):
        value = PRODUCT_TYPES.get(text.lower())
        if not value:
            raise _CellError(self.env._("%(value)s is not a product type (goods, service or combo).", value=text))
        return value

    def convert_price(self, text, country, spec, identity):
        try:
            value = float(MONEY_NOISE.sub("", text))
        except ValueError:
            raise _CellError(self.env._("%(value)s is not a number.", value=text)) from None
        if value < 0 or value != value or value in (float("inf"), float("-inf")):
            raise _CellError(self.env._("%(value)s is not a valid price.", value=text))
        return value

    def convert_user(self, text, country, spec, identity):
        user_id = self.user(text)
        if not user_id:
            raise _CellError(self.env._("unknown user %(value)s.", value=text))
        me = self.env.user
        if not (self.env.su or me.crm_scope_all or user_id in me.crm_scope_user_ids.ids or user_id == me.id):
            raise _CellError(self.env._("%(value)s is outside your data scope.", value=text))
        return user_id

    def convert_parent(self, text, country, spec, identity):
        parents = self.cache.setdefault("parent", {})
        if text not in parents:
            # Contacts go under customers the importer may edit.
            found = self.env["res.partner"].search(
                [("crm_managed", "=", True), ("parent_id", "=", False), ("name", "=", text)], limit=2
            )
            parents[text] = found.ids
        ids = parents[text]
        if not ids:
            raise _CellError(self.env._("no customer of yours is called %(value)s.", value=text))
        if len(ids) > 1:
            raise _CellError(self.env._("several customers are called %(value)s.", value=text))
        identity["parent"] = ids
        return ids[0]

    # -- custom fields -------------------------------------------------
    def convert_custom_char(self, text, country, spec, identity):
        if len(text) > CHAR_SIZE:
            raise _CellError(self.env._("longer than %(max)s characters.", max=CHAR_SIZE))
        return text

    def convert_custom_integer(self, text, country, spec, identity):
        try:
            value = float(text.replace(",", ""))
        except ValueError:
            raise _CellError(self.env._("%(value)s is not a whole number.", value=text)) from None
        if not value.is_integer() or abs(value) >= 2**31:
            raise _CellError(self.env._("%(value)s is not a whole number.", value=text))
        return int(value)

    def convert_custom_float(self, text, country, spec, identity):
        try:
            value = float(text.replace(",", ""))
        except ValueError:
            raise _CellError(self.env._("%(value)s is not a number.", value=text)) from None
        if value != value or value in (float("inf"), float("-inf")):
            raise _CellError(self.env._("%(value)s is not a number.", value=text))
        return value

    def convert_custom_date(self, text, country, spec, identity):
        for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S"):
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise _CellError(self.env._("%(value)s is not a date (year-month-day).", value=text))

    def convert_custom_selection(self, text, country, spec, identity):
        options = self.cache.get(("options", spec.field))
        if options is None:
            options = {}
            field = self.model._fields[spec.field]
            for lang, _name in self.env["res.lang"].get_installed():
                for value, label in field._description_selection(self.env(context=dict(self.env.context, lang=lang))):
                    options.setdefault(value.lower(), value)
                    options.setdefault(str(label).lower(), value)
            self.cache[("options", spec.field)] = options
        value = options.get(text.lower())
        if not value:
            raise _CellError(self.env._("%(value)s is not one of the options.", value=text))
        return value

    def convert_custom_many2one(self, text, country, spec, identity):
        """The linked record by its name, as the user may read it: looked up
        per distinct value (a link may point at a large table)."""
        comodel = self.model._fields[spec.field].comodel_name
        found = self.cache.setdefault(("link", comodel), {})
        if text not in found:
            Model = self.env[comodel]
            field = Model._rec_name if Model._rec_name in Model._fields else "display_name"
            found[text] = Model.search([(field, "=ilike", text)], limit=2).ids
        ids = found[text]
        label = self.env["ir.model"]._get(comodel).name
        if not ids:
            raise _CellError(self.env._("unknown %(what)s %(value)s.", what=label, value=text))
        if len(ids) > 1:
            raise _CellError(self.env._("several records of %(what)s are called %(value)s.", what=label, value=text))
        return ids[0]

    # -- the file as a whole -------------------------------------------
    def base_values(self):
        return {
            "customer": {"crm_managed": True, "is_company": True, "customer_rank": 1},
            "supplier": {"is_company": True, "supplier_rank": 1},
            "contact": {"type": "contact", "is_company": False},
            "product": {},
        }[self.target]

    def existing_domain(self):
        return {
            "customer": [("crm_managed", "=", True), ("parent_id", "=", False)],
            "supplier": [("supplier_rank", ">", 0), ("parent_id", "=", False)],
            "contact": [("parent_id", "!=", False), ("crm_managed", "=", True)],
            "product": [],
        }[self.target]

    KEY_FIELDS = {
        "vat": ["vat"],
        "phone": ["crm_phone_e164", "crm_mobile_e164"],
        "email": ["email_normalized"],
        "name": ["crm_name_key"],
        "code": ["default_code"],
        "barcode": ["barcode"],
    }

    def _scoped(self, identity, key, value):
        """A contact's keys only count inside its company."""
        return (identity.get("parent", [0])[0], value) if self.target == "contact" else value

    def _existing(self, parsed):
        """{key: {value: record}}: one search per key over all the rows."""
        modes = self.env["crm.customer.lookup"]._modes()
        found = {}
        for key in IDENTITY_KEYS[self.target]:
            if self.target in ("customer", "contact") and modes.get(key) == "off":
                continue
            wanted = {value for _row, _values, identity in parsed for value in identity.get(key, ())}
            if not wanted:
                continue
            fields_ = ["name"] if key == "name" and self.target == "product" else self.KEY_FIELDS[key]
            domain = expression.AND([
                self.existing_domain(), expression.OR([[(f, "in", list(wanted))] for f in fields_]),
            ])  # fmt: skip
            # sudo: a row must find the record it duplicates even where the
            # importer cannot see it; only its name and owner are reported.
            read = ["id", *fields_, *(["parent_id"] if self.target == "contact" else [])]
            by_value = {}
            for record in self.model.sudo().with_context(active_test=False).search_read(domain, read):
                for f in fields_:
                    value = record[f]
                    if value:
                        parent = record.get("parent_id") and record["parent_id"][0]
                        by_value.setdefault((parent, value) if self.target == "contact" else value, record["id"])
            found[key] = by_value
        return found

    def plan(self, parsed, mode, plan):
        """Fills ``plan`` and answers the problems of the file as a whole:
        duplicates inside it, rows matching records the importer may not
        update, and matches that the duplicate check would refuse."""
        _ = self.env._
        problems = []
        existing = self._existing(parsed)
        modes = self.env["crm.customer.lookup"]._modes() if self.target in ("customer", "contact") else {}
        key_labels = {
            "vat": _("credit code"), "phone": _("phone"), "email": _("e-mail"), "name": _("name"),
            "code": _("internal reference"), "barcode": _("barcode"),
        }  # fmt: skip
        seen = {}
        matches = {}
        for row_number, values, identity in parsed:
            duplicate_of = None
            for key in IDENTITY_KEYS[self.target]:
                for value in identity.get(key, ()):
                    scoped = (key, self._scoped(identity, key, value))
                    if scoped in seen and duplicate_of is None and (key != "name" or modes.get("name", "warn") != "off"):
                        duplicate_of = (seen[scoped], key)
                    seen.setdefault(scoped, row_number)
            if duplicate_of:
                problems.append((row_number, None, _(
                    "duplicates row %(row)s (same %(key)s).", row=duplicate_of[0], key=key_labels[duplicate_of[1]]
                )))  # fmt: skip
                continue
            match = None
            for key in IDENTITY_KEYS[self.target]:
                for value in identity.get(key, ()):
                    record_id = existing.get(key, {}).get(self._scoped(identity, key, value))
                    if record_id:
                        match = (record_id, key)
                        break
                if match:
                    break
            if not match or mode == "create":
                if match and modes.get(match[1]) == "block":
                    problems.append((row_number, None, _(
                        "the %(key)s is already used by an existing record, and duplicates are blocked in the settings.",
                        key=key_labels[match[1]],
                    )))  # fmt: skip
                    continue
                plan.append(("create", None, {**self.base_values(), **values}, row_number))
            elif mode == "skip":
                plan.append(("skip", match[0], values, row_number))
            else:
                matches[row_number] = match
                plan.append(("update", match[0], values, row_number))
        if matches:
            records = self.model.browse({record_id for record_id, _key in matches.values()})
            writable = set(records._filtered_access("write").ids)
            refused = {row for row, (record_id, _key) in matches.items() if record_id not in writable}
            if refused:
                names = dict(records.sudo().mapped(lambda r: (r.id, r.display_name)))
                for row_number in sorted(refused):
                    record_id, key = matches[row_number]
                    problems.append((row_number, None, _(
                        "matches %(record)s (same %(key)s), which you may not update.",
                        record=names[record_id], key=key_labels[key],
                    )))  # fmt: skip
        problems += self._blocked_collisions(parsed, plan, modes, key_labels)
        self._owner_departments(plan)
        return problems

    def _blocked_collisions(self, parsed, plan, modes, key_labels):
        """New customers whose phone an unconverted lead already has, new
        contacts whose phone another company has: the duplicate check would
        refuse them when phones are blocked."""
        if self.target not in ("customer", "contact") or modes.get("phone") != "block":
            return []
        identity_by_row = {row: identity for row, _values, identity in parsed}
        phones = {
            phone: row
            for action, _record, _values, row in plan if action == "create"
            for phone in identity_by_row[row].get("phone", ())
        }  # fmt: skip
        if not phones:
            return []
        phone_domain = ["|", ("crm_phone_e164", "in", list(phones)), ("crm_mobile_e164", "in", list(phones))]
        # sudo: collisions are looked for across the hierarchy, as the
        # duplicate check does; only the row number is reported.
        others = self.env["crm.lead"].sudo().search_read(
            [("partner_id", "=", False), *phone_domain], ["crm_phone_e164", "crm_mobile_e164"]
        )
        if self.target == "contact":
            # A contact's phone may repeat within its company, not elsewhere.
            parent_by_row = {row: identity.get("parent", [0])[0] for row, identity in identity_by_row.items()}
            for partner in self.env["res.partner"].sudo().search_read(
                [("crm_managed", "=", True), *phone_domain], ["crm_phone_e164", "crm_mobile_e164", "commercial_partner_id"]
            ):
                company = partner["commercial_partner_id"] and partner["commercial_partner_id"][0]
                if any(parent_by_row.get(phones.get(p)) != company for p in (partner["crm_phone_e164"], partner["crm_mobile_e164"]) if p in phones):
                    others.append(partner)
        problems = []
        for other in others:
            for phone in (other["crm_phone_e164"], other["crm_mobile_e164"]):
                if phone in phones:
                    problems.append((phones.pop(phone), None, self.env._(
                        "the %(key)s is already used by another customer or lead, and duplicates are blocked in the settings.",
                        key=key_labels["phone"],
                    )))  # fmt: skip
        bad = {row for row, _position, _reason in problems}
        plan[:] = [entry for entry in plan if entry[3] not in bad]
        return problems

    def _owner_departments(self, plan):
        """New customers go to their owner's department, read once per owner."""
        if self.target != "customer":
            return
        teams = {}
        for action, _record, values, _row in plan:
            if action == "create":
                owner = values.setdefault("user_id", self.env.uid)
                if owner not in teams:
                    teams[owner] = self.env["res.users"].browse(owner)._crm_default_team().id
                values.setdefault("crm_team_id", teams[owner])


class _CellError(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class CrmImportColumn(models.Model):
    _name = "crm.import.column"
    _description = "Import Column"
    _inherit = ["crm.input.mixin"]
    _order = "sequence"

    job_id = fields.Many2one("crm.import.job", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(string="Position", required=True)
    header = fields.Char(string="Column in File", readonly=True)
    sample = fields.Char(string="First Value", readonly=True)
    field_key = fields.Selection("_selection_field_key", string="Imports Into")

    @api.model
    def _selection_field_key(self):
        zh = (self.env.lang or "").startswith("zh")
        keys = {}
        Job = self.env["crm.import.job"]
        for target in COLUMNS:
            for column in Job._crm_columns(target):
                keys.setdefault(column.key, column.zh if zh else column.en)
        return list(keys.items())


class CrmImportIssue(models.Model):
    _name = "crm.import.issue"
    _description = "Import Problem"
    _order = "row, id"

    job_id = fields.Many2one("crm.import.job", required=True, ondelete="cascade", index=True)
    row = fields.Integer(string="Row")
    column = fields.Char(string="Column")
    value = fields.Char(string="Value")
    reason = fields.Char(string="Problem")


class CrmImportProgress(models.Model):
    """How far a background import is. Written through its own cursor and
    committed at once, so the import's transaction never waits on it."""

    _name = "crm.import.progress"
    _description = "Import Progress"

    job_id = fields.Many2one("crm.import.job", required=True, ondelete="cascade", index=True)
    done = fields.Integer()
    total = fields.Integer()

    def _crm_reporter(self):
        """A callable writing (done, total) on its own cursor, committed at
        once: the import's transaction is not committed until the end."""
        if not self:
            return None
        progress_id, registry = self.id, self.env.registry

        def report(done, total):
            with registry.cursor() as cr:
                cr.execute("UPDATE crm_import_progress SET done = %s, total = %s WHERE id = %s", (done, total, progress_id))

        return report
