#!/usr/bin/env python3
"""Response lists for compare-tshark.sh: extract them, and compare two of them.

    responses.py tshark FIELDS_FILE            tshark "-e tcp.stream -e http.response.code"
                                               output -> "stream status" lines
    responses.py gatewatch JSON_FILE           gatewatch --json lines with "type":"response"
                                               -> "stream status" lines
    responses.py compare REFERENCE FOUND [--min-match PCT] [--title T]
                                               prints found/matched/missed/extra; exit 0 when
                                               matched% >= PCT (default 100) and, at 100, no
                                               extras; exit 1 otherwise

A response is the pair (TCP stream number, status code); several responses on one stream with
the same status are counted as a multiset, so a missed pipelined response is noticed.
Stdlib only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter


def from_tshark(path: str) -> list[tuple[int, int]]:
    pairs = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 2 or not fields[0].strip():
                continue
            # One frame can complete several responses; tshark joins their codes with ",".
            for code in fields[1].split(","):
                if code.strip().isdigit():
                    pairs.append((int(fields[0]), int(code)))
    return pairs


def from_gatewatch(path: str) -> list[tuple[int, int]]:
    pairs, bad = [], 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                bad += 1
                continue
            if not isinstance(record, dict) or record.get("type") != "response":
                continue
            stream, status = record.get("stream"), record.get("status")
            if isinstance(stream, int) and isinstance(status, int):
                pairs.append((stream, status))
            else:
                bad += 1
    if bad:
        print(f"responses.py: {bad} gatewatch line(s) were not usable JSON response records",
              file=sys.stderr)
    return pairs


def read_pairs(path: str) -> Counter:
    counter: Counter = Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                counter[(int(parts[0]), int(parts[1]))] += 1
    return counter


def compare(args: argparse.Namespace) -> int:
    reference, found = read_pairs(args.reference), read_pairs(args.found)
    matched = sum((reference & found).values())
    missed_set, extra_set = reference - found, found - reference
    total_ref, total_found = sum(reference.values()), sum(found.values())
    missed, extra = sum(missed_set.values()), sum(extra_set.values())
    percent = 100.0 * matched / total_ref if total_ref else (100.0 if not total_found else 0.0)
    title = f"{args.title}: " if args.title else ""
    print(f"{title}{args.reference_name} {total_ref}, {args.found_name} {total_found}, "
          f"matched {matched} ({percent:.2f}%), missed {missed}, extra {extra}")
    for label, items in (("missed", missed_set), ("extra", extra_set)):
        # Distinct (stream, status) pairs, ×n when repeated on the stream (pipelining, keep-alive).
        shown = sorted(items.items())[: args.show]
        if shown:
            more = "" if len(shown) == len(items) else f" … ({len(items)} distinct)"
            print(f"  {label} (stream:status): "
                  + " ".join(f"{s}:{c}" + (f"×{n}" if n > 1 else "") for (s, c), n in shown)
                  + more)
    if args.min_match >= 100.0:
        return 0 if missed == 0 and extra == 0 else 1
    return 0 if percent >= args.min_match else 1


def main() -> int:
    parser = argparse.ArgumentParser(description="Extract and compare HTTP response lists.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("tshark", "gatewatch"):
        sub.add_parser(name).add_argument("path")
    cmp = sub.add_parser("compare")
    cmp.add_argument("reference")
    cmp.add_argument("found")
    cmp.add_argument("--min-match", type=float, default=100.0)
    cmp.add_argument("--title", default="")
    cmp.add_argument("--reference-name", default="tshark")
    cmp.add_argument("--found-name", default="gatewatch")
    cmp.add_argument("--show", type=int, default=10, help="mismatches to list")
    args = parser.parse_args()
    if args.command == "compare":
        return compare(args)
    pairs = from_tshark(args.path) if args.command == "tshark" else from_gatewatch(args.path)
    sys.stdout.writelines(f"{s} {c}\n" for s, c in pairs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
