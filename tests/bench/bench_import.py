# Runs inside `odoo shell` (scripts/bench.sh): `env` is given.
# Goal (issue 8): importing 50,000 customers from xlsx with duplicate
# detection on (crm.import.job) at least as fast as Odoo's plain base_import
# of the same file without it (stock Odoo 18 was seen at about 520 partner
# rows/s from xlsx here). Both run as the administrator with the operation
# log (auditlog) on, in this transaction, rolled back at the end.
import base64
import io
import os
import time

import openpyxl

# BENCH_IMPORT_ROWS=5000 for a quicker run (base_import of 50,000 rows takes
# most of an hour here, see tests/bench/README.md).
N_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", 50_000))
N_EXISTING = min(1_000, N_ROWS // 50)  # customers already there; every 50th row repeats one
HEADERS = ["Customer Name", "Mobile", "Email", "City", "Province"]
PROVINCES = ["浙江省", "江苏省", "广东省", "上海市", "北京市"]


def build_file():
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADERS)
    for i in range(N_ROWS):
        if i % 50 == 0:  # a customer already in the archive
            j = (i // 50) % N_EXISTING
            sheet.append([f"Existing Customer {j:05d}", f"1370{j:07d}", "", "Hangzhou", "浙江省"])
        else:
            sheet.append([f"Bench Import Customer {i:06d}", f"1390{i:07d}", f"buyer{i}@bench{i % 97}.cn",
                          "Hangzhou", PROVINCES[i % len(PROVINCES)]])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run_base_import(admin_env, content):
    wizard = admin_env["base_import.import"].create({
        "res_model": "res.partner", "file": content, "file_name": "bench.xlsx",
        "file_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    })  # fmt: skip
    options = {
        "has_headers": True, "advanced": False, "keep_matches": False, "name_create_enabled_fields": {},
        "import_set_empty_fields": [], "import_skip_records": [], "fallback_values": {}, "skip": 0,
        "limit": N_ROWS + 10, "encoding": "", "separator": "", "quoting": '"', "date_format": "",
        "datetime_format": "", "float_thousand_separator": ",", "float_decimal_separator": ".", "sheet": "",
    }  # fmt: skip
    started = time.perf_counter()
    # The same rows land in the customer archive: crm_managed as a default.
    result = wizard.with_context(default_crm_managed=True, default_is_company=True).execute_import(
        ["name", "mobile", "email", "city", "state_id"], HEADERS, options
    )
    wall = time.perf_counter() - started
    errors = [m for m in result.get("messages", []) if m.get("type") == "error"]
    return wall, len(result.get("ids") or []), errors


def run_crm_import(admin_env, content):
    job = admin_env["crm.import.job"].create({
        "target": "customer", "file": base64.b64encode(content), "file_name": "bench.xlsx", "duplicate_mode": "skip",
    })  # fmt: skip
    started = time.perf_counter()
    job.action_check()
    check = time.perf_counter() - started
    # The import (what the background job runs) checks every row again
    # itself: its time includes the duplicate detection.
    started = time.perf_counter()
    job._crm_execute()
    wall = time.perf_counter() - started
    return wall, check, job


try:
    # Numbers without a country code are read in the company's country.
    env.company.country_id = env.ref("base.cn")
    admin = env.ref("base.user_admin")
    admin_env = env(user=admin.id, context=dict(env.context, tracking_disable=False))
    env["ir.config_parameter"].sudo().set_param("crm_core.duplicate_name", "warn")
    started = time.perf_counter()
    content = build_file()
    print(f"file: {N_ROWS} rows, {len(content) / 1e6:.1f} MB xlsx built in {time.perf_counter() - started:.1f} s; "
          f"{N_ROWS // 50} of them repeat {N_EXISTING} customers created before our import")  # fmt: skip
    env.flush_all()
    env.cr.execute("SAVEPOINT bench_import")

    # base_import first, before the customers the file repeats exist: the
    # duplicate check refuses a repeated phone, and base_import (all or
    # nothing) would then import no row at all.
    base_wall, base_rows, base_errors = run_base_import(admin_env, content)
    print(f"base_import: {base_rows} rows in {base_wall:.1f} s" + (f", first error: {base_errors[0]['message'][:200]}" if base_errors else ""))
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_import")
    env.invalidate_all()
    env.registry.clear_all_caches()
    admin_env["res.partner"].create([
        {"name": f"Existing Customer {j:05d}", "mobile": f"+86 1370{j:07d}", "crm_managed": True, "is_company": True}
        for j in range(N_EXISTING)
    ])  # fmt: skip

    crm_wall, crm_check, job = run_crm_import(admin_env, content)
    base_rate = base_rows / base_wall if base_wall else 0
    crm_rate = job.row_count / crm_wall if crm_wall else 0
    print(f"{'import':<44}{'rows':>8}{'created':>9}{'skipped':>9}{'wall s':>9}{'rows/s':>9}")
    print(f"{'base_import (no duplicate detection)':<44}{N_ROWS:>8}{base_rows:>9}{0:>9}{base_wall:>9.1f}{base_rate:>9.0f}"
          + (f"   {len(base_errors)} errors" if base_errors else ""))  # fmt: skip
    print(f"{'crm.import.job (duplicates skipped)':<44}{job.row_count:>8}{job.create_count:>9}{job.skip_count:>9}"
          f"{crm_wall:>9.1f}{crm_rate:>9.0f}   (the dry run before it: {crm_check:.1f} s)")  # fmt: skip
    ratio = crm_rate / base_rate if base_rate else 0
    print(f"ratio crm.import.job / base_import: {ratio:.2f} (goal >= 1.00: {'ok' if ratio >= 1 else 'MISSED'})")
finally:
    env.cr.rollback()
