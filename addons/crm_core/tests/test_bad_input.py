"""The bad-input corpus (issue 9): hostile and malformed values through the
entry points the bundle adds. Each is refused with a clear error that names
the field, row or record, or is stored harmlessly; nothing crosses the
permission hierarchy. Over XML-RPC on a live server: tests/test_xmlrpc_bad_input.py."""

import base64
import io
import time
import zipfile
from datetime import date
from unittest.mock import patch

import openpyxl
from markupsafe import escape

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import get_public_method
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.crm_core.models import crm_import_reader

from .test_hierarchy import MUTE_ACCESS
from .test_import import HEADERS_EN, csv_bytes, xlsx
from .test_pool import CrmPoolCommon

# Markup that would run in a browser if a page printed it as it is.
XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>']
# Any of them printed as markup (a page has scripts of its own: only these
# count; escaped, "onerror=alert(1)" is only text).
RAW = ["<script>alert", "<img src=x onerror", "<svg onload"]
# What sanitized HTML keeps of none of them.
UNSAFE = [*RAW, "<script", "onerror", "onload"]


@tagged("crm_core", "crm_bad_input")
class TestBadInput(CrmPoolCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a1, cls.d1 = cls.customers["a1"], cls.customers["d1"]
        cls.cny = cls.env.ref("base.CNY")
        cls.cny.active = True
        cls.contract = cls.env["crm.contract"].with_user(cls.rep_a).create({
            "title": "Cameras for the warehouse", "partner_id": cls.a1.id, "amount_total": 1000,
            "currency_id": cls.cny.id,
            "plan_line_ids": [Command.create({"name": "Advance", "percentage": 100, "due_date": date(2030, 1, 1)})],
        })  # fmt: skip
        cls.followup = cls.env["crm.followup"].with_user(cls.rep_a).create({"partner_id": cls.a1.id, "content": "Call"})
        cls.ticket = cls.env["crm.service.ticket"].with_user(cls.rep_a).create({
            "subject": "Camera 3 is dark", "description": "No picture", "partner_id": cls.a1.id,
        })  # fmt: skip
        cls.registration = cls.env["crm.registration"].with_user(cls.rep_a).create({"company_name": "Prospect Ltd"})

    def assertNothingCreated(self, model, call, exception, regex):
        before = self.env[model].search_count([])
        with self.assertRaisesRegex(exception, regex):
            call()
        self.assertEqual(self.env[model].search_count([]), before, model)

    def assertHarmless(self, html, unsafe=RAW):
        for raw in unsafe:
            self.assertNotIn(raw, html)

    def assertSanitized(self, html):
        self.assertHarmless(html, UNSAFE)

    # ------------------------------------------------------------------
    # RPC: values of the wrong type
    # ------------------------------------------------------------------
    def test_wrong_types_are_refused_naming_the_field(self):
        followup = {"partner_id": self.a1.id, "content": "Called"}
        contract = {"title": "Frame", "partner_id": self.a1.id, "amount_total": 10, "currency_id": self.cny.id}
        ticket = {"subject": "Dark", "description": "No picture", "partner_id": self.a1.id}
        # (model, user, valid values, field, bad value, the error's start)
        cases = [
            ("crm.followup", self.rep_a, followup, "partner_id", "abc", "Customer: 'abc' is not a record id"),
            ("crm.followup", self.rep_a, followup, "partner_id", -5, "Customer: -5 is not a record id"),
            ("crm.followup", self.rep_a, followup, "partner_id", [self.a1.id], "Customer: .* is not a record id"),
            ("crm.followup", self.rep_a, followup, "partner_id", 1.5, "Customer: 1.5 is not a record id"),
            ("crm.followup", self.rep_a, followup, "partner_id", 2**31 - 1, "Customer: there is no record with id"),
            ("crm.followup", self.rep_a, followup, "partner_id", True, "Customer: True is not a record id"),
            ("crm.followup", self.rep_a, followup, "next_date", "next week", r"Next Follow-up: 'next week' is not a date"),
            ("crm.followup", self.rep_a, followup, "next_date", 20250101, "Next Follow-up: 20250101 is not a date"),
            ("crm.followup", self.rep_a, followup, "date", "2025-13-45", "Date: '2025-13-45' is not a date"),
            ("crm.followup", self.rep_a, followup, "followup_type", "fax", "Type: 'fax' is not one of the options"),
            ("crm.followup", self.rep_a, followup, "user_id", "me", "By: 'me' is not a record id"),
            ("crm.contract", self.rep_a, contract, "amount_total", "a lot", "Amount: 'a lot' is not a number"),
            ("crm.contract", self.rep_a, contract, "amount_total", float("nan"), "Amount: nan is not a number"),
            ("crm.contract", self.rep_a, contract, "amount_total", [1], r"Amount: \[1\] is not a number"),
            ("crm.contract", self.rep_a, contract, "currency_id", "CNY", "Currency: 'CNY' is not a record id"),
            ("crm.contract", self.rep_a, contract, "date_start", "31/12/2025", "Start Date: '31/12/2025' is not a date"),
            ("crm.contract", self.rep_a, contract, "plan_line_ids", "all", "Instalments: 'all' is not a list of records"),
            ("crm.contract", self.rep_a, contract, "plan_line_ids", [(0, 0, "x")], "Instalments: .* is not a list"),
            ("crm.contract", self.rep_a, contract, "plan_line_ids", [(4, "x")], "Instalments: .* is not a list"),
            ("crm.contract", self.rep_a, contract, "plan_line_ids", [(6, 0, [1, "x"])], "Instalments: .* is not a list"),
            ("crm.contract", self.rep_a, contract, "plan_line_ids", [(4, 2**31 - 1)], "Instalments: there is no record"),
            ("crm.contract", self.rep_a, contract, "contract_type", 1, "Type: 1 is not one of the options"),
            ("crm.contract.plan", self.rep_a, {"contract_id": self.contract.id, "name": "Rest", "due_date": "2030-02-01"},
             "percentage", "half", "Percentage: 'half' is not a number"),
            ("crm.contract.plan", self.rep_a, {"contract_id": self.contract.id, "name": "Rest", "due_date": "2030-02-01"},
             "due_date", ["2030-02-01"], "Due Date: .* is not a date"),
            ("crm.service.ticket", self.rep_a, ticket, "priority", "9", "Priority: '9' is not one of the options"),
            ("crm.service.ticket", self.rep_a, ticket, "planned_date", "soon", "Planned Date: 'soon' is not a date"),
            ("crm.service.ticket", self.rep_a, ticket, "engineer_id", {"id": 1}, "Engineer: .* is not a record id"),
            ("crm.service.ticket", self.rep_a, ticket, "hours_spent", 10**400, "is not a number"),
            ("crm.service.ticket", self.rep_a, ticket, "signature", "not/base64!", "is not a file encoded in base64"),
            ("crm.registration", self.rep_a, {"company_name": "Prospect"}, "grade", "S", "Grade: 'S' is not one"),
            ("crm.registration", self.rep_a, {"company_name": "Prospect"}, "expected_amount", "10k", "is not a number"),
            ("crm.registration", self.rep_a, {"company_name": "Prospect"}, "product_ids", [("x",)], "is not a list"),
            ("crm.import.job", self.rep_a, {}, "target", "orders", "Import: 'orders' is not one of the options"),
            ("crm.import.job", self.rep_a, {}, "file", 12345, "File: 12345 is not a file encoded in base64"),
            ("crm.sales.target", self.mgr_east, {"user_id": self.rep_a.id, "target": 10}, "target", "ten", "is not a number"),
            ("crm.sales.target", self.mgr_east, {"user_id": self.rep_a.id, "target": 10}, "date_from", "May",
             "Period Start: 'May' is not a date"),
            ("crm.evaluation", self.mgr_east, {"user_id": self.rep_a.id}, "user_id", "rep_a", "is not a record id"),
            ("crm.custom.field", self.env.user, {"name": "Budget"}, "field_type", "blob", "Type: 'blob' is not one"),
        ]  # fmt: skip
        for model, user, vals, field, value, message in cases:
            Model = self.env[model].with_user(user)
            self.assertNothingCreated(model, lambda: Model.create({**vals, field: value}), ValidationError, message)
        # The same checks on write.
        for record, field, value, message in [
            (self.followup, "partner_id", "abc", "Customer: 'abc' is not a record id"),
            (self.contract, "date_end", "someday", "End Date: 'someday' is not a date"),
            (self.ticket, "priority", 7, "Priority: 7 is not one of the options"),
            (self.registration, "currency_id", -1, "Currency: -1 is not a record id"),
        ]:
            with self.assertRaisesRegex(ValidationError, message):
                record.with_user(self.rep_a).write({field: value})
        with self.assertRaisesRegex(ValidationError, "Follow-up has no field partner"):
            self.env["crm.followup"].with_user(self.rep_a).create({"partner": self.a1.id, "content": "x"})
        # What is only text is stored as text.
        self.followup.with_user(self.rep_a).write({"content": ["a", {"b": 1}], "result": 42})
        self.assertEqual((self.followup.content, self.followup.result), ("['a', {'b': 1}]", "42"))
        # Odoo's own reading of 0 and False as no record still holds.
        self.followup.with_user(self.rep_a).write({"lead_id": 0, "contact_id": False})

    @mute_logger(*MUTE_ACCESS)
    def test_method_arguments(self):
        a1 = self.a1.with_user(self.rep_a)
        for reason in ("abc", -1, 2**31 - 1, [1], 1.0):
            with self.assertRaisesRegex(UserError, "Release reason: .* is not a record of"):
                a1.action_release(reason_id=reason)
        with self.assertRaisesRegex(UserError, "The release note is a text"):
            a1.action_release(note=["x"])
        self.assertEqual(self.a1.user_id, self.rep_a)
        for user in ("rep_b", -3, [self.rep_b.id], 0):
            with self.assertRaises(UserError):
                self.p1.with_user(self.mgr_east).action_assign_from_pool(user)
        self.assertFalse(self.p1.user_id)
        Lookup = self.env["crm.customer.lookup"].with_user(self.rep_a)
        for query, limit in ((123, 8), (["East"], 8), ({"q": 1}, 8), ("East", "8"), ("East", -1), ("East", 0), ("East", 2.5)):
            with self.assertRaisesRegex(UserError, "Search for a text"):
                Lookup.search_rows(query, limit=limit)
        # The public search never lists more than its 8 rows, whatever the limit asked.
        self.env["res.partner"].create([
            {"name": f"Probe Trading {i:02d}", "crm_managed": True, "is_company": True, "user_id": self.rep_d.id}
            for i in range(12)
        ])  # fmt: skip
        self.assertEqual(len(Lookup.search_rows("Probe Trading", limit=100000)), 8)
        self.assertEqual(len(Lookup.search_rows("Probe Trading", limit=3)), 3)
        self.assertEqual(Lookup.search_rows(""), [])
        self.assertEqual(Lookup.search_rows("x" * 100000), [])
        Shortcut = self.env["crm.workbench.shortcut"].with_user(self.rep_a)
        [first, *_others] = Shortcut._crm_for_user()
        for offset in ("up", 1.5, [1], None):
            with self.assertRaisesRegex(UserError, "whole number of places"):
                Shortcut.browse(first["id"]).action_move(offset)
        for section in (["followups"], "nothing", None):
            with self.assertRaisesRegex(UserError, "The workbench has no section"):
                self.env["crm.workbench"].with_user(self.rep_a).action_open(section)
        # Methods that take records are not callable over RPC.
        for model, method in (
            ("crm.customer.lookup", "find_duplicates"), ("crm.customer.lookup", "check_duplicates"),
            ("res.currency", "crm_amount_in_words"), ("res.partner", "_crm_claim"),
        ):  # fmt: skip
            with self.assertRaises(AccessError):
                get_public_method(self.env[model], method)
        self.assertTrue(get_public_method(self.env["crm.customer.lookup"], "search_rows"))

    # ------------------------------------------------------------------
    # RPC: other users' records
    # ------------------------------------------------------------------
    @mute_logger(*MUTE_ACCESS)
    def test_other_departments_records_stay_closed(self):
        """Rep A (Shanghai) at Rep D's customer (South) and their documents."""
        d1, rep = self.d1.with_user(self.rep_a), self.rep_a
        before = d1.sudo().read(["user_id", "crm_locked", "crm_shared_user_ids", "crm_followup_count", "phone"])
        refused = [
            lambda: d1.read(["name"]),
            lambda: d1.write({"phone": "+86 138 0000 0000"}),
            lambda: d1.action_release(),
            lambda: d1.action_lock(),
            lambda: d1._crm_set_shared(self.rep_b),
            lambda: self.env["crm.followup"].with_user(rep).create({"partner_id": d1.id, "content": "Visit"}),
            lambda: self.followup.with_user(rep).write({"partner_id": d1.id}),
            lambda: self.contract.with_user(rep).write({"partner_id": d1.id}),
            lambda: self.ticket.with_user(rep).write({"partner_id": d1.id}),
            lambda: self.orders["rep_a"].with_user(rep).write({"partner_shipping_id": d1.id}),
            lambda: self.env["crm.lead"].with_user(rep).create({"name": "Steal", "partner_id": d1.id}),
            lambda: self.env["sale.order"].with_user(rep).create({"partner_id": d1.id}),
            lambda: self.env["crm.lead"].with_user(rep).with_context(default_partner_id=d1.id).create({"name": "Steal"}),
            lambda: self.env["res.partner"].with_user(rep).create({"name": "Mole", "parent_id": d1.id}),
            lambda: self.orders["rep_d"].with_user(rep).read(["amount_total"]),
            lambda: self.leads["rep_d"].with_user(rep).write({"expected_revenue": 1}),
            lambda: self.followup.with_user(rep).write({"lead_id": self.leads["rep_d"][1].id}),
            lambda: self.env["crm.customer.transfer"].with_user(rep).create({"from_user_id": self.rep_d.id}),
        ]
        for call in refused:
            with self.assertRaises(AccessError):
                call()
        # Claiming someone's customer tells only what the public search tells.
        with self.assertRaisesRegex(UserError, "already claimed by Rep D"):
            d1.action_claim()
        # A manager of another department: nothing of Rep D's in their scope.
        transfer = self.env["crm.customer.transfer"].with_user(self.mgr_east).create(
            {"from_user_id": self.rep_d.id, "to_user_id": self.rep_a.id}
        )
        with self.assertRaisesRegex(UserError, "has nothing to transfer in your scope"):
            transfer.action_transfer()
        with self.assertRaises(AccessError):
            self.env["crm.pool.assign"].with_user(rep).create({"user_id": rep.id})
        # The general manager sees nothing changed.
        self.env.invalidate_all()
        self.assertEqual(d1.sudo().read(list(before[0])), before)
        self.assertEqual(self.followup.partner_id, self.a1)
        self.assertEqual(self.orders["rep_a"].partner_shipping_id, self.a1)

    @mute_logger(*MUTE_ACCESS)
    def test_workflow_fields_are_not_forged(self):
        registration = self.registration.with_user(self.rep_a)
        for vals in (
            {"state": "approved"},
            {"protection_until": "2099-12-31"},
            {"partner_id": self.d1.id},
            {"applicant_id": self.rep_d.id},
            {"reviewer_id": self.mgr_east.id, "state": "approved"},
        ):
            with self.assertRaisesRegex(AccessError, "The review of a registration is recorded by its buttons"):
                registration.write(vals)
        with self.assertRaises(AccessError):
            self.env["crm.registration"].with_user(self.rep_a).create({"company_name": "Forged", "state": "approved"})
        registration.action_submit()
        self.assertEqual(registration.state, "submitted")
        with self.assertRaises(AccessError):
            registration.with_user(self.rep_b).action_submit()
        Job = self.env["crm.import.job"].with_user(self.rep_a)
        with self.assertRaisesRegex(AccessError, "An import is the importer's own"):
            Job.create({"target": "customer", "user_id": self.rep_d.id})
        other_company = self.env["res.company"].create({"name": "Other Company"})
        with self.assertRaisesRegex(AccessError, "An import is the importer's own"):
            Job.create({"target": "customer", "company_id": other_company.id})
        job = Job.create({"target": "customer"})
        for vals in ({"user_id": self.rep_d.id}, {"company_id": other_company.id}, {"state": "done"}):
            with self.assertRaises(AccessError):
                job.write(vals)
        self.assertEqual((job.user_id, job.state), (self.rep_a, "draft"))

    # ------------------------------------------------------------------
    # RPC: crafted domains and contexts
    # ------------------------------------------------------------------
    # Odoo 18 ignores force_company, with a warning.
    @mute_logger(*MUTE_ACCESS, "odoo.models")
    def test_crafted_domains_stay_in_scope(self):
        rep = self.rep_a
        mine = {"a1", "a2", "a3"}
        domains = [
            [],
            ["|", ("id", "!=", 0), ("user_id", "=", False)],
            ["|", ("user_id", "=", self.rep_d.id), ("user_id", "!=", self.rep_d.id)],
            [("user_id.crm_team_ids", "!=", False)],
            [("crm_team_id.parent_id", "child_of", self.team_east.id)],
            ["|", ("commercial_partner_id.phone", "!=", False), ("commercial_partner_id.user_id", "!=", False)],
            [("id", "child_of", list(self.customers[key].id for key in self.customers))],
            [("id", "parent_of", self.d1.id)],
            [("crm_shared_user_ids", "!=", False)],
            ["!", ("id", "in", [])],
        ]
        contexts = [
            {}, {"active_test": False}, {"crm_sharing": True}, {"tracking_disable": True}, {"bin_size": True},
            {"force_company": self.env.company.id}, {"sudo": True, "su": True, "uid": 1}, {"crm_pool_mask": True},
        ]  # fmt: skip
        Partner = self.env["res.partner"].with_user(rep)
        for domain in domains:
            for context in contexts:
                found = Partner.with_context(**context).search(domain + [("crm_managed", "=", True)])
                self.assertLessEqual(self.keys(found), mine | {"pool_east"}, (domain, context))
                self.assertLessEqual(set(found.user_id.ids), {rep.id}, (domain, context))  # or the pool's
        # Orders, leads and the bundle's documents: only the rep's own.
        for model in ("sale.order", "crm.lead", "crm.followup", "crm.contract", "crm.service.ticket"):
            for domain in (
                ["|", ("id", "!=", 0), ("user_id", "=", False)],
                ["|", ("user_id", "=", self.rep_d.id), ("user_id", "!=", self.rep_d.id)],
                [("user_id.crm_team_ids", "child_of", self.team_south.id)],
                [("create_uid", "!=", False)],
            ):
                for context in contexts:
                    records = self.env[model].with_user(rep).with_context(**context).search(domain)
                    self.assertLessEqual(set(records.user_id.ids), {rep.id}, (model, domain, context))
        # Another company's id in the context: refused, not widened.
        other = self.env["res.company"].create({"name": "Other Company"})
        with self.assertRaises(AccessError):
            Partner.with_context(allowed_company_ids=[other.id]).search([])
        # The general manager sees what the rep does not.
        everyone = self.env["res.partner"].with_user(self.gm).search([("crm_managed", "=", True)])
        self.assertIn(self.d1, everyone)

    # ------------------------------------------------------------------
    # Import files
    # ------------------------------------------------------------------
    def job(self, content, file_name, target="customer", **vals):
        return self.env["crm.import.job"].with_user(self.rep_a).create({
            "target": target, "file": base64.b64encode(content), "file_name": file_name, **vals,
        })  # fmt: skip

    def test_import_cells_of_the_wrong_kind(self):
        CustomField = self.env["crm.custom.field"]
        fields_ = CustomField.create([
            {"name": "Staff", "field_type": "integer", "target": "customer"},
            {"name": "Ratio", "field_type": "float", "target": "customer"},
            {"name": "Audit Day", "field_type": "date", "target": "customer"},
        ])  # fmt: skip
        fields_.action_apply()
        rows = [
            ["Customer Name", "Mobile", "Email", "Staff", "Ratio", "Audit Day", "Notes"],
            ["Wrong Staff Ltd", "", "", "1.5", "", "", ""],                   # 2
            ["Wrong Ratio Ltd", "", "", "", "a third", "", ""],               # 3
            ["Wrong Day Ltd", "", "", "", "", "31/31/2025", ""],             # 4
            ["Huge Staff Ltd", "", "", str(2**40), "", "", ""],              # 5
            ["DDE Ltd", "=cmd|' /C calc'!A0", "", "", "", "", ""],           # 6
            ["Plus Ltd", "+cmd|' /C calc'!A0", "", "", "", "", ""],          # 7
            ["Minus Ltd", "", "", "", "", "", "-2+3+cmd|' /C calc'!A0"],     # 8
            ["At Ltd", "", "@SUM(1+1)*cmd|' /C calc'!A0", "", "", "", ""],   # 9
            ["Long Ltd", "", "", "", "", "", "x" * 100000],                  # 10
            ["Markup Ltd", "", "<script>alert(1)</script>@x.cn", "", "", "", ""],  # 11
            ["Good Phone Ltd", "+86 139 1111 0099", "", "-12", "", "", "call before noon"],  # 12: fine
        ]  # fmt: skip
        # A csv: an xlsx cell holds at most 32,767 characters.
        job = self.job(csv_bytes(rows, "utf-8"), "wrong.csv")
        before = self.env["res.partner"].search_count([])
        job.action_check()
        problems = {issue.row: (issue.column, issue.reason) for issue in job.issue_ids}
        self.assertIn("1.5 is not a whole number", problems[2][1])
        self.assertIn("a third is not a number", problems[3][1])
        self.assertIn("31/31/2025 is not a date", problems[4][1])
        self.assertIn("is not a whole number", problems[5][1])
        for row, column in ((6, "Mobile"), (7, "Mobile"), (8, "Notes"), (9, "Email")):
            self.assertEqual(problems[row], (column, "formulas are not imported: paste the values instead."), row)
        self.assertIn("100000 characters", problems[10][1])
        self.assertIn("not a valid e-mail address", problems[11][1])
        self.assertNotIn(12, problems)
        self.assertEqual((job.error_count, job.row_count), (10, 11), problems)
        with self.assertRaisesRegex(UserError, "Nothing was imported: the file has 10 problems"):
            job.action_import()
        self.assertEqual(self.env["res.partner"].search_count([]), before)

    def test_import_broken_and_hostile_files(self):
        refused = [
            (b"", "empty.csv", {}, "The file empty.csv is empty"),
            ("Customer Name\nBroken Ltd\n".encode() + b"\xe4\xb8 \xff\xfe\x80\n", "broken.csv", {},
             r"encoding could not be recognised \(row 3 is neither UTF-8 nor GBK\)"),
            ("客户名称\n".encode("gb18030") + b"\x81\x20 Ltd\n", "gbk.csv", {"encoding": "gb18030"},
             "not in the encoding gb18030 .row 2"),
            (b"\x00\x01binary\xff\xfe\x80\x81", "blob.xlsx", {}, "blob.xlsx is neither an Excel workbook nor a csv file"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x80\x81", "photo.xlsx", {}, "photo.xlsx is an image"),
            (b"PK\x03\x04 broken zip", "cut.xlsx", {}, "could not be read as an Excel workbook"),
            ("Customer Name\nNUL \x00 Ltd\n".encode(), "nul.csv", {}, "could not be read after row 2: NUL character"),
        ]  # fmt: skip
        for content, name, vals, message in refused:
            with self.assertRaisesRegex(UserError, message, msg=name):
                self.job(content, name, **vals).action_check()
        # A csv saved under an Excel name is read as the csv it is.
        job = self.job(csv_bytes([HEADERS_EN[:2], ["Renamed Csv Ltd", "13911110077"]], "utf-8"), "customers.xlsx")
        job.action_import()
        self.assertEqual(len(job.created_ids), 1)

    def test_import_huge_and_empty_files(self):
        # 100,000 rows, all empty, under a header: quick, and said so.
        for content, name in (
            (("Customer Name,Mobile\n" + ",\n" * 100000).encode(), "blank.csv"),
            (xlsx([["Customer Name", "Mobile"]] + [["", None]] * 100000), "blank.xlsx"),
        ):
            started = time.monotonic()
            with self.assertRaisesRegex(UserError, f"The file {name} has no data rows under its header row"):
                self.job(content, name).action_check()
            self.assertLess(time.monotonic() - started, 30, name)
        with self.assertRaisesRegex(UserError, "has no rows"):
            self.job(b"\n" * 100000, "nothing.csv")
        # A sheet that declares itself 16,384 columns by a million rows is
        # read as the two rows it has.
        job = self.job(self._crafted_xlsx(
            b'<dimension ref="A1:XFD1048576"/><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>Customer Name</t></is></c></row>'
            b'<row r="2"><c r="A2" t="inlineStr"><is><t>Wide Sheet Ltd</t></is></c>'
            b'<c r="XFD2" t="inlineStr"><is><t>far away</t></is></c></row></sheetData>'
        ), "wide.xlsx")
        job.action_check()
        self.assertEqual((job.row_count, job.create_count, job.error_count), (1, 1, 0))
        # A zip bomb: refused by what it unpacks to, before it is unpacked.
        bomb = self._crafted_xlsx(b"<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>"
                                  + b"A" * 3_000_000 + b"</t></is></c></row></sheetData>")
        self.assertLess(len(bomb), 100_000)
        with patch.object(crm_import_reader, "MAX_UNPACKED", 2 * 2**20):
            with self.assertRaisesRegex(UserError, "The workbook unpacks to 2 MB, more than the 2 MB"):
                self.job(bomb, "bomb.xlsx")

    def _crafted_xlsx(self, sheet_data):
        """A real workbook whose first sheet is ``sheet_data``."""
        book = openpyxl.Workbook()
        book.active.append(["Customer Name"])
        plain = io.BytesIO()
        book.save(plain)
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for member in src.infolist():
                data = src.read(member.filename)
                if member.filename == "xl/worksheets/sheet1.xml":
                    data = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
                            b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                            + sheet_data + b"</worksheet>")  # fmt: skip
                dst.writestr(member.filename, data)
        return out.getvalue()

    # ------------------------------------------------------------------
    # Markup in the text fields shown in reports and messages
    # ------------------------------------------------------------------
    def test_markup_is_printed_as_text(self):
        payload = " ".join(XSS)
        self.a1.with_user(self.rep_a).write({"name": f"Acme {XSS[0]}", "street": XSS[1], "city": XSS[2]})
        contract = self.contract.with_user(self.rep_a)
        contract.write({"title": f"Title {payload}", "note": f"<p>Terms</p>{payload}"})
        contract.plan_line_ids.write({"name": XSS[0], "condition": XSS[2]})
        order = self.orders["rep_a"].with_user(self.rep_a)
        order.order_line[0].name = f"Camera {XSS[1]}"
        order.note = f"<p>Note</p>{payload}"
        order.crm_contract_id = contract
        # Html fields keep no script, no event handler.
        for html in (contract.note, order.note):
            self.assertSanitized(html)
        reports = [
            ("crm_core.action_report_crm_contract", contract),
            ("sale.action_report_saleorder", order),
        ]
        for report, record in reports:
            html, _type = self.env["ir.actions.report"].with_user(self.rep_a)._render_qweb_html(report, record.ids)
            html = html.decode()
            self.assertHarmless(html)
            for text in (f"Acme {XSS[0]}", XSS[1], XSS[2]):  # the customer's name and address
                self.assertIn(str(escape(text)), html, report)
        # Chatter notes written by the bundle carry the text escaped.
        self.a1.with_user(self.rep_a)._crm_set_shared(self.rep_b, note=payload)
        note = self.a1.message_ids[:1].body
        self.assertHarmless(note)
        self.assertIn(str(escape(XSS[0])), note)
        # Announcements: the workbench shows their content as markup, sanitized when stored.
        announcement = self.env["announcement"].create({"name": XSS[0], "content": f"<p>News</p>{payload}"})
        self.assertSanitized(announcement.content)
        # Texts of tickets and registrations are plain text, escaped wherever shown.
        self.ticket.with_user(self.rep_a).write({"description": payload, "subject": XSS[2]})
        self.assertEqual(self.ticket.description, payload)
        registration = self.env["crm.registration"].with_user(self.rep_a).create({"company_name": XSS[2], "note": payload})
        registration.action_submit()
        registration.with_user(self.mgr_east).action_approve()
        self.assertEqual(registration.partner_id.name, XSS[2])
        self.assertSanitized(registration.partner_id.comment)
