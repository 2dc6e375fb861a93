"""Helpers of the project's shell scripts: dependency lists and log checks.

Kept in Python because the log rules (allow-list, test counts) are easier to
read and to test here than in shell.
"""

import argparse
import ast
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"

# An Odoo log line: "2026-01-01 10:00:00,123 4242 WARNING db logger: message".
LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL) "
    r"(?P<db>\S+) (?P<logger>[\w.]+): (?P<message>.*)$"
)
TEST_RESULT = re.compile(r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests when loading database")

# WARNING lines Odoo prints about its environment, not about the bundle.
# Each entry: (logger regex, message regex, why it is allowed).
ALLOWED = [
    (
        r"odoo\.tests\.result",
        r"0 failed, 0 error\(s\) of 0 tests when loading database",
        "an install run with --test-enable whose modules have no test for that phase (dependencies only)",
    ),
]


def manifest(name):
    return ast.literal_eval((ADDONS / name / "__manifest__.py").read_text())


def bundle():
    return sorted(p.parent.name for p in ADDONS.glob("*/__manifest__.py"))


def external_deps(names):
    """Odoo (and OCA) addons the given bundle addons depend on, transitively
    through the bundle but not including bundle addons themselves."""
    ours = set(bundle())
    seen, todo, external = set(), list(names), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for dep in manifest(name).get("depends", []):
            if dep in ours:
                todo.append(dep)
            else:
                external.add(dep)
    return sorted(external)


def scan_log(path):
    """(problems, test counts) of one Odoo log file."""
    problems, counts = [], []
    for lineno, line in enumerate(Path(path).read_text(errors="replace").splitlines(), 1):
        match = LOG_LINE.match(line)
        if not match:
            continue
        result = TEST_RESULT.search(match["message"]) if match["logger"] == "odoo.tests.result" else None
        if result:
            counts.append({k: int(v) for k, v in result.groupdict().items()})
        if match["level"] in ("DEBUG", "INFO"):
            continue
        if any(re.fullmatch(lg, match["logger"]) and re.search(msg, match["message"]) for lg, msg, _why in ALLOWED):
            continue
        problems.append(f"{path}:{lineno}: {line}")
    return problems, counts


def cmd_deps(args):
    print(",".join(external_deps(args.addons or bundle())))


def cmd_bundle(args):
    # Dependency order, so a list can be installed or read in sequence.
    order, names = [], bundle()

    def visit(name):
        if name in order:
            return
        for dep in manifest(name).get("depends", []):
            if dep in names:
                visit(dep)
        order.append(name)

    for name in names:
        visit(name)
    print(" ".join(order))


def cmd_checklog(args):
    """Print the log's problems and its test counts as 'passed failed'."""
    problems, counts = scan_log(args.log)
    for problem in problems:
        print(problem, file=sys.stderr)
    run = sum(c["run"] for c in counts)
    failed = sum(c["failed"] + c["errors"] for c in counts)
    if args.expect_tests and not counts:
        print(f"{args.log}: no test result line: the test run did not finish", file=sys.stderr)
        failed += 1
    print(run - sum(c["failed"] + c["errors"] for c in counts), failed, len(problems))


def cmd_junit(args):
    """Print 'passed failed' of a pytest JUnit report; no report or no test fails."""
    try:
        root = ET.parse(args.report).getroot()
    except (OSError, ET.ParseError) as exc:
        print(f"{args.report}: {exc}", file=sys.stderr)
        print(0, 1)
        return
    suites = [root] if root.tag == "testsuite" else list(root)
    total = sum(int(s.get("tests", 0)) for s in suites)
    bad = sum(int(s.get(key, 0)) for s in suites for key in ("failures", "errors"))
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    print(total - bad - skipped, bad + (total == 0))


def untranslated(addon):
    """msgids of the addon's .pot without a zh_CN translation."""
    import polib  # noqa: PLC0415 (installed in the venv with Odoo)

    i18n = ADDONS / addon / "i18n"
    pot = polib.pofile(str(i18n / f"{addon}.pot"))
    po_path = i18n / "zh_CN.po"
    po = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    done = {(e.msgctxt, e.msgid) for e in po if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}
    return [e.msgid for e in pot if (e.msgctxt, e.msgid) not in done]


def cmd_po_merge(args):
    """Merge each addon's .pot into its zh_CN.po, then list what is untranslated."""
    import polib  # noqa: PLC0415

    missing = 0
    for addon in args.addons or bundle():
        i18n = ADDONS / addon / "i18n"
        pot = polib.pofile(str(i18n / f"{addon}.pot"))
        po_path = i18n / "zh_CN.po"
        if po_path.exists():
            po = polib.pofile(str(po_path))
        else:
            po = polib.POFile(wrapwidth=78)
            po.metadata = dict(pot.metadata, Language="zh_CN", **{"Plural-Forms": "nplurals=1; plural=0;"})
        po.merge(pot)
        for entry in po.obsolete_entries():
            po.remove(entry)
        po.save(str(po_path))
        for msgid in untranslated(addon):
            missing += 1
            print(f"{addon}: untranslated: {msgid!r}")
    print(f"{missing} untranslated terms")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(required=True)
    p = sub.add_parser("deps", help="external addons the given bundle addons need")
    p.add_argument("addons", nargs="*")
    p.set_defaults(func=cmd_deps)
    p = sub.add_parser("bundle", help="the bundle's addons in dependency order")
    p.set_defaults(func=cmd_bundle)
    p = sub.add_parser("checklog", help="warnings and test counts of an Odoo log")
    p.add_argument("log")
    p.add_argument("--expect-tests", action="store_true")
    p.set_defaults(func=cmd_checklog)
    p = sub.add_parser("junit", help="passed and failed counts of a pytest JUnit report")
    p.add_argument("report")
    p.set_defaults(func=cmd_junit)
    p = sub.add_parser("po-merge", help="merge .pot files into zh_CN.po and list untranslated terms")
    p.add_argument("addons", nargs="*")
    p.set_defaults(func=cmd_po_merge)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
