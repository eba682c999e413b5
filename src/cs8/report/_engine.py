"""The report computed inside DuckDB: the sections that have an engine form, and a note for the rest.

The events never leave DuckDB: the ticket fold (:func:`cs8.engines._fold.engine_facts`) turns
them into one row of facts per ticket there, kept as a temporary table and joined to the
ticket's channel, priority, customer segment, agent and team (the assignee and group folded by
:func:`cs8.engines._ownership.assignment_facts`), and only that table is pulled (a few numbers
per ticket, dictionary-coded text). The ticket figures, trends, breakdowns and first-reply
buckets are then the numpy frame path's KPIs on those facts, so they equal the object path's.
The daily backlog and the open tickets at ``now`` are running sums of the status changes in
DuckDB (:mod:`cs8.report._engine_backlog`). The contact-centre and survey figures (service
level, abandonment, speed of answer, handle time, CSAT, NPS, CES) are the KPIs' ``.frame``
forms on the interactions and surveys relations (a handful of counts, the durations for the
exact quantiles). The heatmaps, the Erlang staffing lines and the staffing plan's arrivals are
``GROUP BY`` counts on local weekdays, hours and slots in DuckDB, fed to the object path's own
builders. The SLA section, what customers wrote and the ticket measures of the scorecard read
each ticket's history: DuckDB streams the tickets with their events in order and the loaders
rebuild them a batch at a time (:mod:`cs8.report._engine_sla`); the scorecard takes the rest
from the engine's KPIs and the contacts as records (:mod:`cs8.report._engine_scorecard`).
SERVQUAL answers have no file role, so the section is empty as on the object path read from
files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from functools import partial
from itertools import pairwise
from typing import Any, Literal, TypeVar, cast
from zoneinfo import ZoneInfo

import attrs

from cs8._enums import Channel, CustomerSegment, Priority
from cs8._models import Agent
from cs8._optional import require
from cs8._time import require_aware
from cs8.kpi import (
    abandonment_rate,
    average_handle_time,
    average_speed_of_answer,
    service_level,
)
from cs8.kpi._breakdown import _sort_key
from cs8.kpi._columnar import service_level_groups
from cs8.kpi._columnar_scores import ces_frame, csat_frame, nps_frame
from cs8.kpi._definitions import _definition
from cs8.kpi._frame_facts import _Facts
from cs8.kpi._frames import _fcr, _frt, _local_buckets, _us, summary_of_facts
from cs8.kpi._stats import Mean, Rate
from cs8.kpi._surveys import NpsResult
from cs8.report._engine_backlog import backlog_counts
from cs8.report._engine_journeys import engine_journeys
from cs8.report._engine_scorecard import (
    Scope,
    TicketMeasures,
    contact_measures,
    engine_scorecard,
    records,
    unique_rows,
)
from cs8.report._engine_sla import EngineSla, engine_sla
from cs8.report._engine_sla import norm_sql as _norm
from cs8.report._gather import (
    _Group,
    _local_midnight,
    _period_starts,
    _sla_attainment,
    _sla_rate,
    backlog_days,
    bucket_counts,
    charted_from,
    group_breakdown,
    heatmaps_of,
    open_at_end,
    sla_series,
    staffing_rows,
    ticket_series,
)
from cs8.report._journeys import JourneySection
from cs8.report._model import (
    Breakdown,
    Figure,
    Series,
    StaffingRow,
    median_interval,
    period_label,
)
from cs8.report._report import ServiceReport
from cs8.report._scorecard import PillarScore, ScorecardTargets, default_policy
from cs8.report._staffing import (
    ChannelHistory,
    StaffingOptions,
    StaffingSection,
    plan_staffing,
)
from cs8.report._tables import SCHEMAS, ServiceTables, load_errors
from cs8.report._words import WordsTally
from cs8.sla import BusinessCalendar, SlaPolicy, SlaReport
from cs8.staffing import Arrivals, arrivals_per_interval

__all__ = ["engine_report"]

Period = Literal["week", "month"]
_S = TypeVar("_S", Rate, NpsResult, Mean)


LEAN: tuple[tuple[str, str], ...] = (
    ("omit.scorecard", "omit.why.history"),
    ("omit.sla", "omit.why.history"),
    ("omit.words", "omit.why.text"),
)
"""What ``engine_report(histories=False)`` leaves out (for measuring what they cost)."""

_DIM_TYPES: dict[str, Callable[[str], object]] = {
    "channel": Channel,
    "priority": Priority,
    "segment": CustomerSegment,
    "agent": str,
    "team": str,
}


def _one(rel: Any, expression: str) -> Any:
    return rel.aggregate(expression).fetchall()[0][0]


def _span(tables: ServiceTables) -> tuple[datetime, datetime] | None:
    """The first and last recorded instants (+1 s), as :meth:`ServiceData.period` has them."""
    rel = tables.relations
    lows, highs = [], []
    for role, column in (("tickets", "created_at"), ("interactions", "started_at")):
        if role in rel:
            low, high = rel[role].aggregate(f"min({column}), max({column})").fetchall()[0]
            lows.append(low)
            highs.append(high)
    if "events" in rel:
        highs.append(_one(rel["events"], 'max("at")'))
    found = [t for t in lows if t is not None], [t for t in highs if t is not None]
    if not found[0] and not found[1]:
        return None
    return min(found[0] or found[1]), max(found[1]) + timedelta(seconds=1)


def _loadable(tables: ServiceTables, columns: Sequence[str]) -> tuple[Any, list[str]]:
    """The ticket rows the loader loads, by id, with those of ``columns`` the file has.

    Only rows with an id, creation, customer, channel, priority and author present (the fold's
    rule) and an id no other such row holds are kept, so a join on the id adds no rows.
    """
    tickets = tables.relations["tickets"]
    present = set(tickets.columns)
    valid = ["created_at IS NOT NULL"]
    for c in ("id", "customer_id", "channel", "priority", "created_by"):
        if c in present:
            valid.append(f'"{c}" IS NOT NULL AND CAST("{c}" AS VARCHAR) <> \'\'')
    found = [c for c in columns if c in present]
    picked = "".join(f', any_value("{c}") AS "{c}"' for c in found)
    rel = tickets.filter(" AND ".join(f"({v})" for v in valid)).aggregate(
        f"id{picked}, count(*) AS n", "id"
    )
    return rel.filter("n = 1").project(", ".join(["id", *(f'"{c}"' for c in found)])), found


def _dims(tables: ServiceTables, events: Any) -> tuple[Any, list[str]]:
    """Each loadable ticket's id and dimensions, as a relation on its connection.

    The dimensions are the channel, priority and customer segment, and the agent (the assignee
    after the last assignment, :func:`cs8.engines._ownership.assignment_facts`) and team (the
    agent's team in the agents file, else the group of the latest assignment naming one), as
    :func:`cs8.kpi.breakdown` has them; rows the fold rejects keep none (:func:`_loadable`).
    """
    from cs8.engines._ownership import assignment_facts

    rel, dims = _loadable(tables, ("channel", "priority", "customer_id"))
    names = [c for c in dims if c != "customer_id"]
    if "customers" in tables.relations and "customer_id" in dims:
        customers = tables.relations["customers"]
        segments = customers.aggregate("id AS cid, any_value(segment) AS segment", "id")
        rel = rel.join(segments, "customer_id = cid", how="left")
        names.append("segment")
    owners = (
        assignment_facts(events)
        .to_native()
        .project('"ticket_id" AS oid, "assignee" AS agent, "group" AS assigned_group')
    )
    rel = rel.join(owners, "CAST(id AS VARCHAR) = oid", how="left")
    team = "assigned_group"
    if "agents" in tables.relations and "team" in tables.relations["agents"].columns:
        # The loader rejects every copy of a duplicate agent id; a blank team is none.
        teams = (
            tables.relations["agents"]
            .aggregate("id AS aid, any_value(team) AS agent_team, count(*) AS n", "id")
            .filter("n = 1 AND nullif(agent_team, '') IS NOT NULL")
            .project("aid, agent_team")
        )
        rel = rel.join(teams, "agent = aid", how="left")
        team = f"coalesce(agent_team, {team})"
    rel = rel.project(", ".join(["id", *names, "agent", f"{team} AS team"]))
    return rel, [*names, "agent", "team"]


def _pull(
    tables: ServiceTables, events: Any, d: Any
) -> tuple[_Facts, dict[str, tuple[Any, list[object]]], Any]:
    """Fold the events in DuckDB and pull the facts and dimension codes of every ticket row.

    The facts stay in DuckDB too, as a temporary table (the third value), for the backlog and
    the journeys.
    """
    np = require("numpy", "duckdb")
    nw = require("narwhals", "duckdb")
    pa = require("pyarrow", "duckdb")
    from cs8.engines._fold import FACT_COLUMNS, collect_facts, engine_facts

    # Kept as a temporary table (DuckDB spills it past its limit): the fold and the joins of
    # the dimensions then run one after the other, not at once under the one memory limit, and
    # the backlog reads the facts again without folding twice.
    fold = engine_facts(tables.relations["tickets"], events, d, fcr=True).to_native()
    facts = _stored(tables, "facts", fold)
    dims, names = _dims(tables, events)
    joined = facts.set_alias("f").join(dims.set_alias("d"), "f.id = d.id", how="left")
    cols = ", ".join([*(f'f."{c}"' for c in FACT_COLUMNS), *(f'd."{c}"' for c in names)])
    # Streamed through the Arrow C stream: DuckDB hands over batches instead of holding the
    # whole result under its memory limit.
    table = pa.RecordBatchReader.from_stream(joined.project(cols)).read_all()
    f = collect_facts(nw.from_native(table.select(list(FACT_COLUMNS))).lazy())
    codes: dict[str, tuple[Any, list[object]]] = {}
    for name in names:
        column = table.column(name).combine_chunks().dictionary_encode()
        parse = _DIM_TYPES[name]
        values: list[object] = []
        for text in column.dictionary.to_pylist():
            try:
                values.append(parse(text))
            except ValueError:
                values.append(text)
        index = np.asarray(column.indices.fill_null(-1), dtype=np.int64)
        codes[name] = (index, [*values, None])  # -1 (no value) reads the last: None
    return f, codes, facts


def _summary_group(f: _Facts, d: Any, cal: Any) -> _Group:
    return _Group(count=len(f.created), summary=summary_of_facts(f, d, cal))


def _next_start(day: date, period: Period) -> date:
    if period == "week":
        return day + timedelta(days=7)
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _between(column: str, low: datetime, high: datetime) -> str:
    """SQL: ``column`` in ``[low, high)``."""
    return (
        f"\"{column}\" >= TIMESTAMPTZ '{low.isoformat()}' "
        f"AND \"{column}\" < TIMESTAMPTZ '{high.isoformat()}'"
    )


def _scores(surveys: Any, kind: str, kpi: Callable[[Any], _S], where: str = "true") -> _S:
    """``kpi``, a score KPI's ``.frame``, on the ``kind`` answers of the rows matching ``where``.

    The other kinds are excluded as ``other_kind``, as on objects.
    """
    norm = _norm("kind")
    result = kpi(surveys.filter(f"{norm} = '{kind}' AND ({where})").project("score"))
    others = int(
        _one(surveys.filter(f"{norm} IS DISTINCT FROM '{kind}' AND ({where})"), "count(*)")
    )
    if not others:
        return result
    return attrs.evolve(result, excluded={**result.excluded, "other_kind": others})


def _score_series(
    answers: Any,
    periods: Sequence[str],
    kind: str,
    kpi: Callable[[Any], _S],
    figure: Callable[[str, _S], Figure],
) -> Series:
    """The trend of a score KPI: ``kpi`` on the ``kind`` answers of each period's rows."""
    key = f"kpi.{kind}"
    points = tuple(figure(key, _scores(answers, kind, kpi, where)) for where in periods)
    return Series(key=key, points=points)


def _live(interactions: Any) -> Any:
    """Inbound phone and chat contacts handled by people (:func:`live_contacts` in SQL)."""
    return interactions.filter(
        f"{_norm('channel')} IN ('phone', 'chat') "
        f"AND coalesce(nullif({_norm('handled_by')}, ''), 'agent') = 'agent' "
        f"AND coalesce(nullif({_norm('direction')}, ''), 'inbound') = 'inbound'"
    )


def engine_report(
    tables: ServiceTables,
    *,
    now: datetime | None = None,
    policy: SlaPolicy | None = None,
    targets: ScorecardTargets | None = None,
    period: Period = "week",
    horizon: timedelta = timedelta(hours=4),
    staffing: StaffingOptions | None = None,
    histories: bool = True,
) -> ServiceReport:
    """The report of :func:`cs8.report.build_report` computed in DuckDB (see the module doc).

    ``histories=False`` leaves out the sections that rebuild each ticket from its events (the
    SLA section), naming them in ``omitted``: what they cost is then measured against it.
    """
    with load_errors(None, tables):
        return _engine_report(tables, now, policy, targets, period, horizon, staffing, histories)


def _engine_report(
    tables: ServiceTables,
    now: datetime | None,
    policy: SlaPolicy | None,
    targets: ScorecardTargets | None,
    period: Period,
    horizon: timedelta,
    staffing: StaffingOptions | None,
    histories: bool,
) -> ServiceReport:
    targets = targets or ScorecardTargets()
    calendar = tables.calendar()
    zone = calendar.timezone
    cal = calendar if tables.business_calendar is not None else None
    policy = policy or default_policy(calendar)
    span = _span(tables)
    if now is None:
        now = span[1] if span else datetime.now().astimezone()
    now = require_aware(now, "build_report(now)")
    rel = tables.relations
    starts = _period_starts(span, zone, period)
    charted = charted_from(span, zone, starts)
    days = backlog_days(span, zone, charted)
    bounds = [_local_midnight(d, zone) for d in starts]
    if starts:
        bounds.append(_local_midnight(_next_start(starts[-1], period), zone))

    scopes: list[Scope] = [(None, None)]
    if len(starts) >= 2 and span is not None:  # the last period and the one before
        last = len(starts) - 1
        scopes += [(bounds[last], span[1]), (bounds[last - 1], bounds[last])]
    measures = TicketMeasures(_records(tables, "agents", Agent), scopes, now) if histories else None
    tally = WordsTally()
    tickets = _TicketPart()
    if "tickets" in rel:
        events = rel["events"] if "events" in rel else _no_events(tables)
        evaluate = partial(
            engine_sla,
            policy=policy,
            horizon=horizon,
            period=period,
            zone=zone,
            timezone=tables.timezone,
            now=now,
            visit=partial(_visit, (measures.add, tally.add)) if measures is not None else None,
            progress=tables.progress,
        )
        tickets = _ticket_part(
            tables, events, now, starts, days, zone, period, cal, evaluate if histories else None
        )
    sla = tickets.sla or EngineSla(report=_no_sla(policy, now, horizon, period, zone))
    trends = list(tickets.trends)
    if histories:
        trends.append(sla_series(sla.report, starts, period))
    contact: _ContactPart | None = None
    n_contacts = 0
    if "interactions" in rel:
        n_contacts = int(_one(rel["interactions"], "count(*)"))
        contact = _contact_part(tables, targets, bounds, zone, cal, staffing)
        trends.append(contact.level_trend)
    surveys: tuple[Figure, ...] = ()
    n_surveys = 0
    if "surveys" in rel:
        n_surveys = int(_one(rel["surveys"], "count(*)"))
        answers = _stored(tables, "surveys", rel["surveys"])
        surveys = (
            Figure.of_rate("kpi.csat", _scores(answers, "csat", csat_frame)),
            Figure.of_nps("kpi.nps", _scores(answers, "nps", nps_frame)),
            Figure.of_mean("kpi.ces", _scores(answers, "ces", ces_frame)),
        )
        periods = [_between("at", low, high) for low, high in pairwise(bounds)]
        trends.append(_score_series(answers, periods, "csat", csat_frame, Figure.of_rate))
        trends.append(_score_series(answers, periods, "nps", nps_frame, Figure.of_nps))
    card: tuple[PillarScore, ...] = ()
    if histories:
        labels = [period_label(day, period) for day in starts[-1:-3:-1]] if len(scopes) == 3 else []
        card = engine_scorecard(
            facts=tickets.facts,
            definition=_definition("cs8"),
            speed=[
                _sla_rate(sla.report, "all", "all"),
                *(_sla_rate(sla.report, "period", label) for label in labels),
            ],
            live=contact.live if contact else None,
            answers=answers if "surveys" in rel else None,
            contacts=contact_measures(
                tables.connection, rel.get("interactions"), tables.timezone, scopes
            ),
            tickets=measures if "tickets" in rel else None,
            scopes=scopes,
            span=span,
            targets=targets,
        )
    counts = (
        ("customers", _count(tables, "customers")),
        ("agents", _count(tables, "agents")),
        ("tickets", tickets.n),
        ("interactions", n_contacts),
        ("orders", _count(tables, "orders")),
        ("surveys", n_surveys),
    )
    return ServiceReport(
        title=tables.source,
        zone=zone,
        start=span[0] if span else None,
        end=span[1] if span else None,
        period=period,
        business=cal is not None,
        policy=policy.name,
        horizon=horizon.total_seconds(),
        answer_within=targets.answer_within.total_seconds(),
        service_level_target=targets.service_level,
        shrinkage=targets.shrinkage,
        aht=contact.aht if contact else None,
        counts=counts,
        rejected=tickets.rejected,
        scorecard=card,
        tickets=tickets.figures,
        periods=tuple(starts),
        charted_from=charted,
        trends=tuple(trends),
        breakdowns=tickets.breakdowns,
        buckets=tickets.buckets,
        heatmaps=heatmaps_of(
            _arrivals(tables, tickets.created, zone), contact.levels if contact else {}
        ),
        backlog=tickets.backlog or tuple((day, 0) for day, _ in days),
        sla=_sla_attainment(sla.report),
        breaches=sla.breaches,
        at_risk=sla.at_risk,
        contact=contact.figures if contact else (),
        staffing=contact.staffing if contact else (),
        surveys=surveys,
        staffing_plan=contact.plan if contact else None,
        journeys=tickets.journeys if "tickets" in rel else engine_journeys(tables.connection, rel),
        engine="duckdb",
        words=tally.section(),
        omitted=() if histories else LEAN,
    )


def _stored(tables: ServiceTables, name: str, rel: Any) -> Any:
    """``rel`` kept as a temporary table: read once from its file, then scanned per period.

    DuckDB keeps the table in its buffer pool and spills it to the temp directory past the
    memory limit, so memory stays bounded; a lazy relation would re-parse its file each time.
    """
    table = f"__cs8_{name}"
    # Through a view: a relation's own SQL text cannot always be read back (narwhals' plans
    # repeat their step names).
    rel.create_view(f"{table}_view", replace=True)
    tables.connection.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS FROM {table}_view")
    tables.connection.execute(f"DROP VIEW {table}_view")
    return tables.connection.table(table)


@attrs.frozen(kw_only=True)
class _TicketPart:
    """The ticket sections: figures, ticket trends, breakdowns, buckets, and the rows left out."""

    n: int = 0
    rejected: int = 0
    figures: tuple[Figure, ...] = ()
    trends: tuple[Series, ...] = ()
    breakdowns: tuple[Breakdown, ...] = ()
    buckets: tuple[Figure, ...] = ()
    created: Any = ()
    """The counted tickets' creation instants (epoch microseconds), for the arrival heatmap."""
    backlog: tuple[tuple[date, int], ...] = ()
    journeys: JourneySection | None = None
    sla: EngineSla | None = None
    facts: _Facts | None = None


def _ticket_part(
    tables: ServiceTables,
    events: Any,
    now: datetime,
    starts: Sequence[date],
    days: Sequence[tuple[date, datetime]],
    zone: str,
    period: Period,
    cal: Any,
    evaluate: Callable[[Any, Any, Any, Any], EngineSla] | None,
) -> _TicketPart:
    """The ticket sections from the facts pulled once (tickets created before ``now``).

    ``evaluate`` is :func:`cs8.report._engine_sla.engine_sla` with the report's options (it
    gets the connection, the counted ticket rows, the events and the customers), or ``None``.
    """
    np = require("numpy", "duckdb")
    d = _definition("cs8")
    now_us = _us(now)
    f, codes, stored = _pull(tables, events, d)
    loaded = f.rejected == 0
    keep = np.flatnonzero(loaded & (f.created < now_us))
    if len(keep) < len(loaded):  # a copy only when rows are left out
        f = f.take(keep)
        codes = {k: (index[keep], values) for k, (index, values) in codes.items()}
    per_period = _groups_by(f, _local_buckets(f.created, ZoneInfo(zone), period), starts, d, cal)
    breakdowns = []
    for name, (index, values) in codes.items():
        groups = sorted(
            _split(f, index, len(values)), key=lambda g: _sort_key((values[g[0]],), (name,))
        )
        table = [(values[k], _summary_group(part, d, cal)) for k, part in groups]
        breakdowns.append(group_breakdown(name, table))
    first = _frt(f, d, None, cal)
    # The backlog's exclusions, as cs8.kpi.backlog's filter counts them (merged first).
    merged = f.merged if d.exclude_merged else np.zeros(len(f.created), dtype=bool)
    by_agent = f.agent_created & ~merged if d.exclude_agent_created else merged & False
    excluded = {"merged": int(merged.sum()), "agent_created": int(by_agent.sum())}
    keeps = ["true", *(["NOT merged"] if d.exclude_merged else [])]
    keeps += ["NOT agent_created"] if d.exclude_agent_created else []
    counts, open_now = backlog_counts(
        tables.connection,
        stored,
        events,
        now=now,
        ends=[end for _, end in days],
        keep=" AND ".join(keeps),
    )
    figures = _ticket_figures(f, d, cal)
    opened = open_at_end(open_now, len(keep), {k: v for k, v in excluded.items() if v})
    return _TicketPart(
        n=len(keep),
        rejected=int((~loaded).sum()),
        figures=(*figures, opened),
        trends=ticket_series(per_period),
        breakdowns=tuple(breakdowns),
        buckets=bucket_counts([v / 1e6 for v in first.state.values]),
        created=f.created,
        backlog=tuple(zip((day for day, _ in days), counts, strict=True)),
        journeys=engine_journeys(
            tables.connection, tables.relations, stored, _loadable(tables, ("category",))[0]
        ),
        facts=f,
        sla=None
        if evaluate is None
        else evaluate(
            tables.connection,
            _loaded(tables, stored),
            events,
            tables.relations.get("customers"),
        ),
    )


def _records(tables: ServiceTables, role: str, cls: type) -> list[Any]:
    """The rows of ``role`` as records built by the loader (none without the file); the loader
    rejects every copy of a duplicate id, so those are left out too."""
    if role not in tables.relations:
        return []
    return records(unique_rows(tables.relations[role]), cls, tables.timezone)


def _loaded(tables: ServiceTables, facts: Any) -> Any:
    """The rows of the tickets the loader loads, by id."""
    rows = _loadable(tables, [c for c in SCHEMAS["tickets"] if c != "id"])[0]
    kept = facts.filter("rejected = 0")
    return rows.join(kept.project("id AS kept_id"), "id = kept_id", how="semi")


def _visit(visitors: Sequence[Callable[[list[Any]], None]], batch: list[Any]) -> None:
    """Hand one batch of the SLA section's rebuilt tickets to each of ``visitors``."""
    for visit in visitors:
        visit(batch)


def _no_sla(
    policy: SlaPolicy, now: datetime, horizon: timedelta, period: Period, zone: str
) -> SlaReport:
    """The SLA report of no tickets (the data has no tickets file)."""
    return SlaReport(
        policy=policy.name, now=now, horizon=horizon, period=period, timezone=zone, tickets=0
    )


def _contact_part(
    tables: ServiceTables,
    targets: ScorecardTargets,
    bounds: Sequence[datetime],
    zone: str,
    cal: BusinessCalendar | None,
    staffing: StaffingOptions | None,
) -> _ContactPart:
    """The contact figures, the service level by period, the Erlang lines and the staffing plan.

    Service level, abandonment, speed of answer and handle time are the KPIs' ``.frame`` forms;
    the staffing lines count the phone calls per local hour and the local days in DuckDB, the
    plan the live contacts of each planned channel per local slot.
    """
    live = _stored(tables, "live", _live(tables.relations["interactions"]))
    level = service_level.frame(live, threshold=targets.answer_within)
    phone = live.filter(f"{_norm('channel')} = 'phone'")
    handle = average_handle_time.frame(phone, quantiles=median_interval)
    figures = (
        Figure.of_rate("kpi.service_level", level),
        Figure.of_rate("kpi.abandonment", abandonment_rate.frame(live)),
        Figure.of_duration(
            "kpi.asa", average_speed_of_answer.frame(live, quantiles=median_interval)
        ),
        Figure.of_duration("kpi.aht", handle),
    )
    points = tuple(
        Figure.of_rate(
            "kpi.service_level",
            service_level.frame(
                live.filter(_between("started_at", low, high)), threshold=targets.answer_within
            ),
        )
        for low, high in pairwise(bounds)
    )
    # One grouped pass of the service level's counts, by local weekday * 24 + hour.
    local = _local(zone, "started_at")
    cells = live.project(f"*, (isodow({local}) - 1) * 24 + hour({local}) AS __cs8_cell")
    levels = {
        divmod(int(cast(int, key)), 24): rate
        for key, rate in service_level_groups(
            cells, "__cs8_cell", threshold=targets.answer_within
        ).items()
        if rate.n
    }
    rows: tuple[StaffingRow, ...] = ()
    aht: float | None = None
    # As _staffing on objects: at least ten answered phone calls (handle time counts those).
    if handle.n >= 10 and handle.mean is not None:
        per_hour = dict(phone.aggregate(f"hour({local}) AS h, count(*)", "h").fetchall())
        days = int(_one(phone, f"count(DISTINCT CAST({local} AS DATE))"))
        rows, aht = staffing_rows(per_hour, days, handle.mean, targets)
    return _ContactPart(
        figures=figures,
        level_trend=Series(key="kpi.service_level", points=points),
        staffing=rows,
        aht=aht,
        levels=levels,
        plan=plan_staffing(partial(_channel_history, live, zone, cal), cal, targets, staffing),
        live=live,
    )


@attrs.frozen(kw_only=True)
class _ContactPart:
    """The contact-centre sections: figures, the service-level trend, the staffing lines."""

    figures: tuple[Figure, ...]
    level_trend: Series
    staffing: tuple[StaffingRow, ...]
    aht: float | None
    levels: dict[tuple[int, int], Rate]
    """The service level of each (local weekday, hour) cell with live contacts (``n > 0``)."""
    plan: StaffingSection | None
    live: Any
    """The live contacts, a temporary table (the scorecard's availability reads it again)."""


def _channel_history(
    live: Any, zone: str, cal: BusinessCalendar | None, name: str
) -> ChannelHistory:
    """The staffing plan's reading of one channel's live contacts, counted in DuckDB."""
    contacts = live.filter(f"{_norm('channel')} = '{name.replace(chr(39), chr(39) * 2)}'")
    answered = contacts.filter("answered_at IS NOT NULL")
    n = int(_one(answered, "count(*)"))
    aht = average_handle_time.frame(answered).mean if n else None

    def arrivals(step: timedelta) -> Arrivals:
        # The contacts per local wall-clock slot (a counts table, as arrivals_per_interval
        # reads one); a day of the range without contacts is a row of zero, as the
        # instants' form counts every day from the first to the last.
        local = _local(zone, "started_at")
        slot = f"time_bucket(INTERVAL '{int(step.total_seconds())} seconds', {local})"
        rows: list[tuple[datetime, int]] = contacts.aggregate(
            f"{slot} AS slot, count(*) AS n", slot
        ).fetchall()
        seen = {start.date() for start, _ in rows}
        if seen:
            first, last = min(seen), max(seen)
            for k in range((last - first).days + 1):
                if (day := first + timedelta(days=k)) not in seen:
                    rows.append((datetime.combine(day, time()), 0))
        return arrivals_per_interval(rows, interval=step, calendar=cal, timezone=zone)

    return ChannelHistory(answered=n, aht=aht, arrivals=arrivals)


def _local(zone: str, column: str) -> str:
    """SQL: the instant ``column`` as the wall-clock time in ``zone`` (ICU, DST-correct)."""
    return f"timezone('{zone}', \"{column}\")"


def _arrivals(tables: ServiceTables, created: Any, zone: str) -> dict[tuple[int, int], int]:
    """Tickets and contacts without a ticket arriving per (local weekday, hour), as on objects.

    The counted tickets' creation instants go to DuckDB as an Arrow column (they are the
    tickets the report counts, rejected rows and tickets after ``now`` already left out) and
    are counted there with the contacts in one ``GROUP BY`` on the local weekday and hour.
    """
    np = require("numpy", "duckdb")
    pa = require("pyarrow", "duckdb")
    con = tables.connection
    instants = pa.array(np.asarray(created, dtype=np.int64), pa.timestamp("us", tz="UTC"))
    arrivals = con.from_arrow(pa.table({"at": instants}))
    if "interactions" in tables.relations:
        contacts = tables.relations["interactions"]
        if "ticket_id" in contacts.columns:
            contacts = contacts.filter("nullif(trim(CAST(ticket_id AS VARCHAR)), '') IS NULL")
        arrivals = arrivals.union(contacts.project("CAST(started_at AS TIMESTAMPTZ) AS at"))
    cell = f"isodow({_local(zone, 'at')}) - 1, hour({_local(zone, 'at')})"
    return {(d, h): int(n) for d, h, n in arrivals.aggregate(f"{cell}, count(*)", cell).fetchall()}


def _count(tables: ServiceTables, role: str) -> int:
    if role not in tables.relations:
        return 0
    return int(_one(tables.relations[role], "count(*)"))


def _no_events(tables: ServiceTables) -> Any:
    """An empty events relation (tickets given without events have none)."""
    return tables.connection.sql(
        "SELECT NULL::VARCHAR AS ticket_id, NULL::VARCHAR AS type, NULL::TIMESTAMPTZ AS at "
        "WHERE false"
    )


def _split(f: _Facts, index: Any, size: int) -> list[tuple[int, _Facts]]:
    """The facts of each code in ``index`` (``-1`` is code ``size - 1``), codes that occur."""
    np = require("numpy", "duckdb")
    index = np.where(index < 0, size - 1, index)
    order = np.argsort(index, kind="stable")
    edges = np.searchsorted(index[order], np.arange(size + 1))
    return [
        (k, f.take(order[edges[k] : edges[k + 1]])) for k in range(size) if edges[k + 1] > edges[k]
    ]


def _groups_by(
    f: _Facts, keys: Sequence[date], starts: Sequence[date], d: Any, cal: Any
) -> list[_Group]:
    """One ticket group per period start (empty for a period without tickets)."""
    np = require("numpy", "duckdb")
    slot = {day: k for k, day in enumerate(starts)}
    index = np.fromiter((slot.get(day, len(starts)) for day in keys), np.int64, len(keys))
    found = dict(_split(f, index, len(starts) + 1))
    empty = f.take(np.zeros(0, dtype=np.int64))
    return [_summary_group(found.get(k, empty), d, cal) for k in range(len(starts))]


def _ticket_figures(f: _Facts, d: Any, cal: Any) -> tuple[Figure, ...]:
    """The tickets section as :func:`cs8.report._gather._ticket_figures` has it, from facts."""
    n = len(f.created)
    summary = summary_of_facts(f, d, None)
    business = summary_of_facts(f, d, cal) if cal is not None else None
    figures = [Figure(key="kpi.volume", unit="count", value=float(n), n=n)]
    figures.append(Figure.of_duration("kpi.first_reply", summary.first_reply_time))
    if business is not None:
        figures.append(Figure.of_duration("kpi.first_reply_business", business.first_reply_time))
    figures.append(Figure.of_duration("kpi.resolution", summary.resolution_time))
    if business is not None:
        figures.append(Figure.of_duration("kpi.resolution_business", business.resolution_time))
    figures += [
        Figure.of_rate("kpi.reopen_rate", summary.reopen_rate),
        Figure.of_rate("kpi.one_touch_rate", summary.one_touch_rate),
        Figure.of_rate("kpi.first_contact_resolution", _fcr(f, d, None)),
    ]
    return tuple(figures)
