"""The ``cs8`` command.

``cs8 report`` prints the KPI, SLA and S8 scorecard report of the bundled sample data;
``cs8 report FILES...`` does the same for your exports (CSV or JSON Lines). Each file's role comes
from its name: ``tickets``, ``events`` (ticket events), ``interactions``, ``customers``, ``agents``,
``orders`` and ``surveys`` (or ``survey_responses``), e.g. ``tickets.csv``, ``2026-q3-events.jsonl``;
a ``calendar.json`` (``{"timezone": ..., "hours": {"mon": [["08:00", "17:00"]]}, "holidays": [...]}``)
gives the opening hours for business-hours figures (without one, the clock runs 24/7).
``cs8 sample DIR`` writes the sample data there in those formats, to try the file route.

Example:
    >>> main(["report", "--customers", "60", "--weeks", "1", "--format", "json"])  # doctest: +ELLIPSIS
    {
      "title": "sample shop (seed 0)",
    ...
    0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from cs8._models import Agent
from cs8.exceptions import Cs8Error
from cs8.report import ServiceData

__all__ = ["main"]

ROLES = (
    "tickets",
    "events",
    "interactions",
    "customers",
    "agents",
    "orders",
    "surveys",
    "calendar",
)


def _role(path: Path) -> str | None:
    stem = path.name.lower()
    for suffix in (".csv", ".jsonl", ".ndjson", ".json"):
        stem = stem.removesuffix(suffix)
    if "survey" in stem:
        return "surveys"
    if "calendar" in stem:
        return "calendar"
    for role in ("events", "tickets", "interactions", "customers", "agents", "orders"):
        if role in stem or role.rstrip("s") == stem:
            return role
    return None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cs8", description="Customer service by the numbers.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser(
        "report",
        help="print the KPI, SLA and S8 scorecard report",
        description="Print the KPI, SLA and S8 scorecard report of the sample data or of FILES.",
    )
    report.add_argument("files", nargs="*", type=Path, help="exported files; none: the sample data")
    report.add_argument(
        "--timezone", default=None, help="IANA zone of the data (files: default UTC)"
    )
    report.add_argument("--now", default=None, help="ISO instant to evaluate open SLA clocks at")
    report.add_argument("--format", choices=("text", "json"), default="text")
    report.add_argument("--seed", type=int, default=0, help="sample data: the seed")
    report.add_argument("--customers", type=int, default=3000, help="sample data: customers")
    report.add_argument("--weeks", type=int, default=13, help="sample data: weeks")
    sample = commands.add_parser("sample", help="write the sample data as files")
    sample.add_argument("directory", type=Path)
    sample.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--customers", type=int, default=3000)
    sample.add_argument("--weeks", type=int, default=13)
    return parser


def _load_files(files: Sequence[Path], timezone: str | None) -> tuple[ServiceData, list[str]]:
    from cs8.io import (
        read_customers,
        read_interactions,
        read_orders,
        read_records,
        read_survey_responses,
        read_tickets,
    )

    by_role: dict[str, Path] = {}
    for path in files:
        role = _role(path)
        if role is None:
            raise Cs8Error(
                f"cannot tell what {path} holds: name it after one of {', '.join(ROLES)}"
            )
        if role in by_role:
            raise Cs8Error(f"two files for {role}: {by_role[role]} and {path}")
        by_role[role] = path
    calendar: dict[str, object] = {}
    if "calendar" in by_role:
        calendar = _read_calendar(by_role["calendar"])
        timezone = timezone or str(calendar.pop("timezone", "UTC"))
    if "events" in by_role and "tickets" not in by_role:
        raise Cs8Error(f"{by_role['events']} holds ticket events, but no tickets file was given")
    problems: list[str] = []
    loaded: dict[str, Any] = {}

    def note(result: object, role: str) -> None:
        rejected = getattr(result, "rejected", ()) + getattr(result, "rejected_events", ())
        if rejected:
            problems.append(f"{len(rejected)} rows rejected from {role}; first: {rejected[0]}")
        loaded[role] = getattr(result, "records", ())

    if "tickets" in by_role:
        note(read_tickets(by_role["tickets"], by_role.get("events"), timezone=timezone), "tickets")
    readers = {
        "interactions": read_interactions,
        "customers": read_customers,
        "orders": read_orders,
        "surveys": read_survey_responses,
    }
    for role, reader in readers.items():
        if role in by_role:
            note(reader(by_role[role], timezone=timezone), role)
    if "agents" in by_role:
        note(read_records(Agent, by_role["agents"], timezone=timezone), "agents")
    data = ServiceData(
        source=", ".join(str(p) for p in files),
        timezone=timezone or "UTC",
        hours=calendar.get("hours"),  # type: ignore[arg-type]
        holidays=calendar.get("holidays", ()),  # type: ignore[arg-type]
    )
    data = attrs.evolve(data, **loaded)
    return data, problems


def _read_calendar(path: Path) -> dict[str, object]:
    """Read ``{"timezone": ..., "hours": {...}, "holidays": [...]}`` for the report's calendar."""
    import json
    from datetime import date

    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise Cs8Error(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(spec, dict) or not set(spec) <= {"timezone", "hours", "holidays"}:
        raise Cs8Error(f"{path} must be an object with timezone, hours and holidays")
    holidays = tuple(date.fromisoformat(d) for d in spec.get("holidays", ()))
    return {
        "timezone": spec.get("timezone", "UTC"),
        "hours": spec.get("hours"),
        "holidays": holidays,
    }


def _report(args: argparse.Namespace) -> int:
    from cs8.report import build_report

    problems: list[str] = []
    if args.files:
        data, problems = _load_files(args.files, args.timezone)
    else:
        from cs8.datasets import sample_shop

        shop = sample_shop(args.seed, n_customers=args.customers, weeks=args.weeks)
        data = ServiceData.from_shop(shop)
    now = datetime.fromisoformat(args.now) if args.now else None
    report = build_report(data, now=now)
    print(report.to_json() if args.format == "json" else report.to_text())
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    return 0


def _sample(args: argparse.Namespace) -> int:
    import json

    from cs8.datasets import sample_shop
    from cs8.io import write_records, write_tickets

    shop = sample_shop(args.seed, n_customers=args.customers, weeks=args.weeks)
    out: Path = args.directory
    out.mkdir(parents=True, exist_ok=True)
    ext = args.format
    if ext == "csv":
        write_tickets(shop.tickets, out / "tickets.csv", out / "events.csv")
    else:
        write_tickets(shop.tickets, out / "tickets.jsonl")
    for name, records in (
        ("customers", shop.customers),
        ("agents", shop.agents),
        ("interactions", shop.interactions),
        ("orders", shop.orders),
        ("surveys", shop.surveys),
    ):
        write_records(records, out / f"{name}.{ext}")
    calendar = {
        "timezone": shop.timezone,
        "hours": {day: [list(span) for span in spans] for day, spans in shop.hours},
        "holidays": [d.isoformat() for d in shop.holidays],
    }
    (out / "calendar.json").write_text(json.dumps(calendar, indent=2), encoding="utf-8")
    print(f"wrote {shop.summary()} to {out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cs8`` command with ``argv`` (default: the process arguments); return the exit code.

    Example:
        >>> main(["report", "--customers", "40", "--weeks", "1"])  # doctest: +ELLIPSIS
        cs8 service report: sample shop (seed 0)
        ...
        0
    """
    args = _parser().parse_args(argv)
    try:
        if args.command == "report":
            return _report(args)
        return _sample(args)
    except (Cs8Error, OSError) as exc:
        print(f"cs8: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
