import base64
import csv
import io
import zipfile
from unittest.mock import patch

import openpyxl
import xlwt

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.crm_core.models import crm_import
from odoo.addons.crm_core.models.crm_import_spec import COLUMNS

from .common import CrmHierarchyCommon

HEADERS_EN = ["Customer Name", "Mobile", "Email", "Country", "Province", "City", "Owner"]
HEADERS_ZH = ["客户名称", "手机", "邮箱", "国家", "省份", "城市", "负责人"]


def xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xls(rows):
    book = xlwt.Workbook()
    sheet = book.add_sheet("Customers")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding):
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(encoding)


@tagged("post_install", "-at_install")
class TestCrmImport(CrmHierarchyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Job = cls.env["crm.import.job"]
        cls.env["crm.customer.type"].create({"name": "Installer"})

    def job(self, user, content, file_name, target="customer", **vals):
        return self.Job.with_user(user).create({
            "target": target, "file": base64.b64encode(content), "file_name": file_name, **vals,
        })  # fmt: skip

    def partners(self, names):
        return self.env["res.partner"].search([("name", "in", names)])

    # ------------------------------------------------------------------
    def test_clean_xlsx_imports_every_row_for_the_rep(self):
        content = xlsx([
            HEADERS_EN,
            ["Hangzhou Lens Co., Ltd.", "13912345670", "buyer@hzlens.cn", "China", "浙江", "Hangzhou", ""],
            [],  # a blank line between rows is skipped, row numbers stay the sheet's
            ["Suzhou Mount Factory", "+86 139 1234 5671", "", "CN", "江苏省", "Suzhou", "rep_a"],
        ])  # fmt: skip
        job = self.job(self.rep_a, content, "customers.xlsx")
        self.assertEqual(job.column_ids.mapped("field_key"), ["name", "mobile", "email", "country", "state", "city", "owner"])
        job.action_check()
        self.assertEqual((job.state, job.row_count, job.error_count, job.create_count), ("checked", 2, 0, 2))
        self.assertFalse(self.partners(["Hangzhou Lens Co., Ltd.", "Suzhou Mount Factory"]), "a check writes nothing")
        job.action_import()
        self.assertEqual(job.state, "done")
        created = self.env["res.partner"].browse(job.created_ids)
        self.assertEqual(len(created), 2)
        for partner in created:
            self.assertTrue(partner.crm_managed)
            self.assertEqual(partner.user_id, self.rep_a)
            self.assertEqual(partner.crm_team_id, self.team_shanghai)
        # Each owner follows their new customers, as after a create in the form.
        self.assertTrue(all(self.rep_a.partner_id in partner.message_partner_ids for partner in created))
        lens = created.filtered(lambda p: p.name.startswith("Hangzhou"))
        self.assertEqual(lens.state_id, self.env.ref("base.state_cn_ZJ"))
        self.assertEqual(lens.crm_mobile_e164, "+8613912345670")
        # The rep reads what they imported.
        self.assertEqual(created.with_user(self.rep_a).mapped("name"), created.mapped("name"))

    def test_gbk_csv_with_chinese_headers(self):
        rows = [HEADERS_ZH, ["杭州明远电子有限公司", "13800001111", "sales@mingyuan.cn", "中国", "浙江省", "杭州", "rep_b"]]
        for encoding in ("gbk", "utf-8", "utf-16"):
            with self.subTest(encoding=encoding):
                name = f"{rows[1][0]} {encoding}"
                data = [rows[0], [name, *rows[1][1:]]]
                data[1][1] = {"gbk": "13800001111", "utf-8": "13800002222", "utf-16": "13800003333"}[encoding]
                data[1][2] = f"{encoding}@mingyuan.cn"
                job = self.job(self.rep_b, csv_bytes(data, encoding), f"customers-{encoding}.csv")
                self.assertEqual(job.column_ids.mapped("field_key")[:3], ["name", "mobile", "email"])
                job.action_import()
                partner = self.partners([name])
                self.assertEqual(len(partner), 1)
                self.assertEqual(partner.user_id, self.rep_b)
                self.assertEqual(partner.country_id, self.env.ref("base.cn"))

    def test_xls_file(self):
        job = self.job(self.rep_a, xls([HEADERS_EN, ["Ningbo Cable Works", 13700001234, "", "", "", "Ningbo", ""]]), "old.xls")
        job.action_import()
        partner = self.partners(["Ningbo Cable Works"])
        self.assertEqual(partner.crm_mobile_e164, "+8613700001234", "a number cell is read without a decimal part")

    def test_bad_rows_are_listed_and_nothing_is_written(self):
        content = xlsx([
            HEADERS_EN,
            ["", "13911110001", "", "", "", "", ""],                      # 2: no name
            ["Bad Phone Ltd", "12345", "", "", "", "", ""],               # 3: malformed phone
            ["Bad Mail Ltd", "", "not-an-email", "", "", "", ""],         # 4: malformed e-mail
            ["Far Away Ltd", "", "", "Atlantis", "", "", ""],             # 5: unknown country
            ["Twin One Ltd", "13911110002", "", "", "", "", ""],          # 6
            ["Twin Two Ltd", "139 1111 0002", "", "", "", "", ""],        # 7: same phone as row 6
            ["Formula Ltd", "=HYPERLINK(\"http://x\")", "", "", "", "", ""],  # 8: formula
            ["Good Ltd", "13911110003", "", "", "", "", "nobody"],        # 9: unknown owner
            ["Other Scope Ltd", "13911110004", "", "", "", "", "rep_d"],  # 10: owner outside the rep's scope
        ])  # fmt: skip
        job = self.job(self.rep_a, content, "bad.xlsx")
        before = self.env["res.partner"].search_count([])
        job.action_check()
        problems = {(issue.row, issue.column): issue.reason for issue in job.issue_ids}
        self.assertIn("required", problems[(2, "Customer Name")])
        self.assertIn("not a valid phone number", problems[(3, "Mobile")])
        self.assertIn("not a valid e-mail address", problems[(4, "Email")])
        self.assertIn("unknown country Atlantis", problems[(5, "Country")])
        self.assertIn("duplicates row 6", problems[(7, "")])
        self.assertIn("formulas are not imported", problems[(8, "Mobile")])
        self.assertIn("unknown user nobody", problems[(9, "Owner")])
        self.assertIn("outside your data scope", problems[(10, "Owner")])
        self.assertEqual(job.error_count, 8, problems)
        with self.assertRaisesRegex(UserError, r"(?s)Nothing was imported: the file has 8 problems.*Row 2, Customer Name"):
            job.action_import()
        self.assertEqual(self.env["res.partner"].search_count([]), before)

    def test_duplicates_skip_update_create(self):
        a1 = self.customers["a1"]
        rows = [HEADERS_EN[:3], [a1.name, a1.mobile, "new@a1.cn"], ["Fresh Customer Ltd", "13966660001", ""]]
        skip = self.job(self.rep_a, xlsx(rows), "again.xlsx")
        skip.action_check()
        self.assertEqual((skip.create_count, skip.skip_count, skip.update_count), (1, 1, 0))
        skip.action_import()
        self.assertFalse(a1.email)
        self.assertEqual(len(self.partners(["Fresh Customer Ltd"])), 1)

        rows[2] = ["Second Fresh Ltd", "13966660002", ""]
        update = self.job(self.rep_a, xlsx(rows), "again.xlsx", duplicate_mode="update")
        update.action_import()
        self.assertEqual(update.updated_ids, [a1.id])
        self.assertEqual(a1.email, "new@a1.cn", "re-importing with update changes the existing customer")
        self.assertEqual(self.env["res.partner"].search_count([("name", "=", a1.name)]), 1)

        # Phones are blocked duplicates: "create anyway" is refused row by row.
        create = self.job(self.rep_a, xlsx(rows[:2]), "again.xlsx", duplicate_mode="create")
        create.action_check()
        self.assertIn("already used by an existing record", create.issue_ids.reason)
        self.assertEqual(create.issue_ids.row, 2)

    def test_a_rep_cannot_update_a_colleagues_customer(self):
        b1 = self.customers["b1"]
        job = self.job(self.rep_a, xlsx([HEADERS_EN[:3], [b1.name, b1.mobile, "grab@b1.cn"]]), "b1.xlsx", duplicate_mode="update")
        job.action_check()
        self.assertIn("which you may not update", job.issue_ids.reason)
        # The manager of the department may.
        job = self.job(self.mgr_east, xlsx([HEADERS_EN[:3], [b1.name, b1.mobile, "ok@b1.cn"]]), "b1.xlsx", duplicate_mode="update")
        job.action_import()
        self.assertEqual(b1.email, "ok@b1.cn")

    def test_lead_phone_blocks_a_new_customer(self):
        self.env["crm.lead"].create({"name": "Inbound", "phone": "+86 139 7777 0001", "type": "lead"})
        job = self.job(self.rep_a, xlsx([HEADERS_EN[:2], ["Lead Twin Ltd", "13977770001"]]), "lead.xlsx")
        job.action_check()
        self.assertIn("already used by another customer or lead", job.issue_ids.reason)

    def test_contacts_under_existing_customers(self):
        a1 = self.customers["a1"]
        rows = [["所属公司", "联系人", "职务", "手机"], [a1.name, "王经理", "采购经理", "13955550001"], ["Nobody Ltd", "李四", "", ""]]
        job = self.job(self.rep_a, xlsx(rows), "contacts.xlsx", target="contact")
        job.action_check()
        self.assertEqual([(i.row, i.column) for i in job.issue_ids], [(3, "所属公司")])
        job = self.job(self.rep_a, xlsx(rows[:2]), "contacts.xlsx", target="contact")
        job.action_import()
        contact = a1.child_ids.filtered(lambda c: c.name == "王经理")
        self.assertEqual(contact.function, "采购经理")
        self.assertTrue(contact.crm_managed)
        self.assertEqual(contact.user_id, self.rep_a, "a contact follows its company's owner")

    def test_products_by_role(self):
        rows = [
            ["产品名称", "产品编号", "产品类型", "销售价", "成本价"],
            ["Bullet Camera 8MP", "CAM-8MP", "货物", "¥1,280.50", "800"],
            ["Installation Service", "SRV-INST", "服务", "300", ""],
        ]  # fmt: skip
        with self.assertRaises(AccessError):
            self.job(self.rep_a, xlsx(rows), "products.xlsx", target="product").action_check()
        job = self.job(self.gm, xlsx(rows), "products.xlsx", target="product")
        job.action_import()
        camera = self.env["product.template"].search([("default_code", "=", "CAM-8MP")])
        self.assertEqual((camera.list_price, camera.standard_price, camera.type), (1280.5, 800.0, "consu"))
        # The same file again with update: matched by reference, not duplicated.
        rows[1][3] = "1300"
        job = self.job(self.gm, xlsx(rows), "products.xlsx", target="product", duplicate_mode="update")
        job.action_import()
        self.assertEqual(self.env["product.template"].search_count([("default_code", "=", "CAM-8MP")]), 1)
        self.assertEqual(camera.list_price, 1300.0)
        bad = self.job(self.gm, xlsx([rows[0], ["Broken", "X-1", "spaceship", "abc", "-5"]]), "p.xlsx", target="product")
        bad.action_check()
        self.assertEqual(len(bad.issue_ids), 3)

    def test_suppliers_stay_outside_the_archive(self):
        job = self.job(self.gm, xlsx([["供应商名称", "电话"], ["Shenzhen Chip Supply", "0755-88886666"]]), "s.xlsx", target="supplier")
        job.action_import()
        supplier = self.partners(["Shenzhen Chip Supply"])
        self.assertEqual((supplier.supplier_rank, supplier.crm_managed), (1, False))

    def test_templates_map_themselves(self):
        for target in COLUMNS:
            for lang in ("en", "zh"):
                job = self.Job.create({"target": target})
                content = base64.b64decode(job.with_context(crm_template_lang=lang)[f"template_{lang}"])
                job.write({"file": base64.b64encode(content), "file_name": "t.xlsx"})
                self.assertEqual(job.column_ids.mapped("field_key"), [c.key for c in COLUMNS[target]], (target, lang))
                self.assertIn("/web/content/", job.with_context(crm_template_lang=lang).action_download_template()["url"])

    def test_hostile_files(self):
        not_a_workbook = io.BytesIO()
        with zipfile.ZipFile(not_a_workbook, "w") as archive:
            archive.writestr("readme.txt", "hello")
        with self.assertRaisesRegex(UserError, "could not be read as an Excel workbook"):
            self.job(self.rep_a, not_a_workbook.getvalue(), "broken.xlsx")
        with self.assertRaisesRegex(UserError, "not in the encoding utf-8"):
            self.job(self.rep_a, csv_bytes([["客户名称"], ["甲"]], "gbk"), "x.csv", encoding="utf-8")
        job = self.job(self.rep_a, xlsx([["Customer Name", "Notes"], ["Huge Ltd", "x" * 20000]]), "huge.xlsx")
        job.action_check()
        self.assertIn("20000 characters", job.issue_ids.reason)
        with self.assertRaisesRegex(UserError, "Map a column of the file to: Customer Name"):
            self.job(self.rep_a, xlsx([["Whatever"], ["x"]]), "x.xlsx").action_check()

    def test_large_file_runs_in_the_background(self):
        rows = [HEADERS_EN[:2]] + [[f"Batch Customer {i:03d}", f"1360000{i:04d}"] for i in range(30)]
        job = self.job(self.rep_a, xlsx(rows), "big.xlsx")
        # Progress is written through a second cursor: in test mode the
        # registry hands out cursors on this test's transaction.
        self.registry.enter_test_mode(self.env.cr)
        self.addCleanup(self.registry.leave_test_mode)
        with patch.object(crm_import, "SYNC_ROWS", 10), patch.object(crm_import, "BATCH", 7):
            job.action_import()
            self.assertEqual(job.state, "queued")
            self.assertFalse(self.partners(["Batch Customer 000"]))
            with self.assertRaises(UserError):
                job.with_user(self.rep_a).write({"file_name": "other.xlsx"})
            self.Job._cron_run_queued()
        self.env.invalidate_all()
        self.assertEqual(job.state, "done")
        self.assertEqual(len(job.created_ids), 30)
        progress = self.env["crm.import.progress"].search([("job_id", "=", job.id)])
        self.assertEqual((progress.done, progress.total), (30, 30))
        self.assertEqual(job.progress, 100.0)
        # A background import with a bad row fails whole, with the reason kept.
        rows = [HEADERS_EN[:2]] + [[f"Second Batch {i:03d}", f"1350000{i:04d}"] for i in range(12)]
        rows.append(["Broken Phone Ltd", "123"])
        job = self.job(self.rep_a, xlsx(rows), "big2.xlsx")
        with patch.object(crm_import, "SYNC_ROWS", 10):
            job.action_import()
            self.Job._cron_run_queued()
        self.assertEqual(job.state, "failed")
        self.assertIn("Row 14", job.message)
        self.assertFalse(self.partners(["Second Batch 000"]))

    def test_imports_are_private(self):
        job = self.job(self.rep_a, xlsx([HEADERS_EN[:1], ["Private Ltd"]]), "p.xlsx")
        self.assertFalse(self.Job.with_user(self.rep_b).search([("id", "=", job.id)]))
        self.assertEqual(self.Job.with_user(self.gm).search([("id", "=", job.id)]), job)
        with self.assertRaises(AccessError):
            job.with_user(self.rep_b).action_import()
        with self.assertRaises(AccessError):
            job.with_user(self.rep_a).write({"state": "done"})

    def test_custom_fields_are_columns(self):
        """Fields added without code (crm.custom.field) import like any other."""
        CustomField = self.env["crm.custom.field"]
        budget = CustomField.create({"name": "Annual Budget", "field_type": "integer", "target": "customer"})
        level = CustomField.create({
            "name": "Partner Level", "field_type": "selection", "target": "customer",
            "option_ids": [(0, 0, {"value": "gold", "name": "Gold"}), (0, 0, {"value": "silver", "name": "Silver"})],
        })  # fmt: skip
        signed = CustomField.create({"name": "Framework Signed", "field_type": "date", "target": "customer"})
        (budget | level | signed).action_apply()
        rows = [
            ["Customer Name", "Annual Budget", "Partner Level", "Framework Signed"],
            ["Custom Columns Ltd", "120,000", "Gold", "2026/03/01"],
            ["Bad Custom Ltd", "12.5", "Platinum", "March"],
        ]  # fmt: skip
        job = self.job(self.rep_a, xlsx(rows), "custom.xlsx")
        self.assertEqual(
            job.column_ids.mapped("field_key"), ["name", budget.technical_name, level.technical_name, signed.technical_name]
        )
        job.action_check()
        self.assertEqual([(i.row, i.column) for i in job.issue_ids],
                         [(3, "Annual Budget"), (3, "Partner Level"), (3, "Framework Signed")])  # fmt: skip
        job = self.job(self.rep_a, xlsx(rows[:2]), "custom.xlsx")
        job.action_import()
        partner = self.partners(["Custom Columns Ltd"])
        self.assertEqual(partner[budget.technical_name], 120000)
        self.assertEqual(partner[level.technical_name], "gold")
        self.assertEqual(str(partner[signed.technical_name]), "2026-03-01")
        template = base64.b64decode(self.Job.create({"target": "customer"}).template_en)
        headers = next(openpyxl.load_workbook(io.BytesIO(template)).active.iter_rows(values_only=True))
        self.assertIn("Annual Budget", headers)
