"""Print the load test's figures and judge them.

    python report.py PREFIX

PREFIX is what locust's --csv was given: PREFIX_stats.csv (requests per
second of the whole run), PREFIX_failures.csv and PREFIX_exceptions.csv
(the errors), and PREFIX_samples.csv, every request as locustfile.py
recorded it, for exact percentiles. Per action: requests, requests per
second, median and 95th percentile of the whole run, 95th percentile after
the warm-up (from the end of the last set-up call: logins, menus, views;
until then the users' set-up competes with the first actions), errors, and
for single-record actions the goal of issue 9 (95th percentile under
500 ms, after the warm-up).

Exit status 1 when any request failed or a user's code raised, else 0: the
latency goal is reported, not enforced (the machine is shared).
"""

import argparse
import csv
import math
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import P95_GOAL_MS, action_kind  # noqa: E402

KIND_ORDER = {"single": 0, "list": 1, "setup": 2}


def read_csv(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def percentile(values, share):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefix")
    args = parser.parse_args()
    stats = read_csv(f"{args.prefix}_stats.csv")
    failures = read_csv(f"{args.prefix}_failures.csv")
    exceptions = read_csv(f"{args.prefix}_exceptions.csv")
    samples = read_csv(f"{args.prefix}_samples.csv")
    total = next((row for row in stats if row["Name"] == "Aggregated"), None)
    if total is None or not samples:
        print(f"no locust statistics or samples at {args.prefix}_*.csv", file=sys.stderr)
        return 1
    rate = {(row["Type"], row["Name"]): float(row["Requests/s"]) for row in stats}

    warm_from = max((float(s["time"]) for s in samples if action_kind(s["name"]) == "setup"), default=0.0)
    run_from = min(float(s["time"]) for s in samples)
    run_to = max(float(s["time"]) for s in samples)
    times, warm, failed = defaultdict(list), defaultdict(list), defaultdict(int)
    for s in samples:
        key = (s["type"], s["name"])
        times[key].append(float(s["ms"]))
        failed[key] += int(s["failed"])
        if float(s["time"]) > warm_from:
            warm[key].append(float(s["ms"]))

    keys = sorted(times, key=lambda key: (KIND_ORDER[action_kind(key[1])], key[1]))
    width = max(len(name) for _type, name in keys) + 2
    header = (
        f"{'action':<{width}}{'via':<9}{'kind':<8}{'requests':>9}{'req/s':>7}{'median':>8}{'p95':>7}"
        f"{'p95 warm':>10}{'errors':>8}  goal: p95 warm < {P95_GOAL_MS} ms"
    )
    print(header)
    print("-" * len(header))
    missed, single = [], []
    for key in keys:
        request_type, name = key
        kind = action_kind(name)
        p95_warm = percentile(warm[key], 0.95) if warm[key] else None
        goal = ""
        if kind == "single":
            single.append(name)
            if p95_warm is None:
                goal = "no sample after the warm-up"
            elif p95_warm < P95_GOAL_MS:
                goal = "met"
            else:
                goal = "MISSED"
                missed.append(name)
        print(
            f"{name:<{width}}{request_type:<9}{kind:<8}{len(times[key]):>9}{rate.get(key, 0.0):>7.2f}"
            f"{percentile(times[key], 0.5):>8.0f}{percentile(times[key], 0.95):>7.0f}"
            f"{'' if p95_warm is None else f'{p95_warm:.0f}':>10}{failed[key]:>8}  {goal}"
        )
    print("-" * len(header))
    every = [ms for values in times.values() for ms in values]
    every_warm = [ms for values in warm.values() for ms in values]
    errors = int(total["Failure Count"])
    print(
        f"{'all':<{width}}{'':<17}{len(every):>9}{float(total['Requests/s']):>7.2f}"
        f"{percentile(every, 0.5):>8.0f}{percentile(every, 0.95):>7.0f}"
        f"{percentile(every_warm, 0.95) if every_warm else 0:>10.0f}{errors:>8}"
    )
    print(
        f"(milliseconds; {run_to - run_from:.0f} s of requests, warm-up {max(warm_from - run_from, 0):.0f} s: "
        f"{len(every_warm)} requests after it, at {len(every_warm) / max(run_to - warm_from, 1):.1f} per second)"
    )
    print()
    for row in failures:
        print(f"error: {row['Occurrences']} x {row['Method']} {row['Name']}: {row['Error']}")
    for row in exceptions:
        print(f"exception in the test's code: {row['Count']} x {row['Message']}\n{row['Traceback']}")
    raised = sum(int(row.get("Count") or 0) for row in exceptions)
    print(f"errors: {errors} failed requests, {raised} exceptions in the users' code (goal: 0)")
    if single:
        verdict = f"met by all {len(single)}" if not missed else f"MISSED by {', '.join(missed)}"
        print(f"95th percentile of single-record actions after the warm-up under {P95_GOAL_MS} ms: {verdict}")
    return 1 if errors or raised else 0


if __name__ == "__main__":
    sys.exit(main())
