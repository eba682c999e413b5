"""Every result class of cs8 keeps the one display contract (cs8._display).

The classes are discovered by walking cs8's modules; each needs an example here, so a new result
class without one fails ``test_every_result_class_has_an_example``. For each example: the rows
come from ``to_dicts()``/``to_dict()``, pandas, polars and Arrow give the same rows and columns
(durations as duration dtypes), HTML, Markdown and text show at most 20 rows and say how many
more, and ``to_json_ready()`` goes through ``json.dumps`` without NaN.
"""

from __future__ import annotations

import importlib
import inspect
import json
import math
import pkgutil
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

import pytest

import cs8
from cs8 import Agent, Customer, Interaction, Message, Order, StatusChange, Ticket, TicketEvent
from cs8._display import DictReprMixin, DictsReprMixin, _frame_rows

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
DAY = timedelta(days=1)

# ServiceReport's notebook repr is the report page (cs8.report's own renderer, bounded by
# max_rows); it is the one class with an HTML repr outside the layer.
OUTSIDE_THE_LAYER = {"cs8.report._report.ServiceReport"}


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


@cache
def _classes() -> tuple[type, ...]:
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(cs8.__path__, "cs8."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if not inspect.isclass(obj) or obj.__module__ != module.__name__:
                continue
            if inspect.isabstract(obj):
                continue
            if issubclass(obj, DictsReprMixin) or hasattr(obj, "_repr_html_"):
                found[_name(obj)] = obj
    return tuple(found.values())


# --------------------------------------------------------------------------------------------------
# One example of each result class (several with more than 20 rows)


def _tickets(n: int) -> list[Ticket]:
    out = []
    for i in range(n):
        at = T0 + timedelta(hours=i)
        events: list[TicketEvent] = [Message(at=at, author="customer")]
        if i % 3:
            events.append(Message(at=at + timedelta(minutes=10 + i), author="agent"))
        if i % 2:
            events.append(StatusChange(at=at + timedelta(hours=2), status="solved"))
        channel = ("email", "chat", "phone")[i % 3]
        out.append(
            Ticket(
                id=f"T{i:03d}",
                customer_id=f"C{i % 7}",
                channel=channel,
                created_at=at,
                events=events,
            )
        )
    return out


def _calls(n: int) -> list[Interaction]:
    return [
        Interaction(
            id=f"c{i}",
            customer_id="C",
            channel="phone",
            started_at=T0 + timedelta(minutes=3 * i),
            answered_at=T0 + timedelta(minutes=3 * i, seconds=i % 40),
            talk_time=timedelta(seconds=200 + i),
        )
        for i in range(n)
    ]


def _kpi() -> dict[str, Callable[[], object]]:
    from cs8 import kpi
    from cs8.kpi import customers as kc

    orders = [
        Order(id=str(i), customer_id=f"c{i % 3}", at=T0 - i * DAY, amount=f"{10 + i}.50")
        for i in range(12)
    ]
    return {
        "cs8.kpi._stats.Rate": lambda: kpi.Rate.of(9, 12),
        "cs8.kpi._stats.Mean": lambda: kpi.MeanState.of([1, 2, 4]).result(),
        "cs8.kpi._stats.Count": lambda: kpi.CountState.of(3).exclude("merged").result(),
        "cs8.kpi._durations.DurationStats": lambda: kpi.first_reply_time(_tickets(30)),
        "cs8.kpi._metrics.TicketMetrics": lambda: kpi.ticket_metrics(_tickets(45)),
        "cs8.kpi._summary.TicketSummary": lambda: kpi.ticket_summary(_tickets(30)),
        "cs8.kpi._contact.Ratio": lambda: kpi.occupancy(_calls(5), staffed_time=timedelta(hours=1)),
        "cs8.kpi._contact.ChannelMix": lambda: kpi.channel_mix(
            [
                Interaction(id=str(i), customer_id="C", channel=ch, started_at=T0)
                for i, ch in enumerate(["phone", "chat", "chat", "email"])
            ]
        ),
        "cs8.kpi._surveys.NpsResult": lambda: kpi.nps([10] * 40 + [8] * 30 + [5] * 30),
        "cs8.kpi._surveys.NpsComparison": lambda: kpi.compare_nps([10] * 6 + [3] * 4, [9, 2]),
        "cs8.kpi._tables.KpiTable": lambda: kpi.breakdown(
            kpi.first_reply_time, _tickets(90), by=("channel", "period"), period="day"
        ),
        "cs8.kpi._revenue.MoneyStats": lambda: kc.average_order_value(orders),
        "cs8.kpi._revenue.PredictiveLtv": lambda: kc.simple_ltv(
            average_order_value=Decimal("50"),
            purchase_frequency=4,
            expected_lifespan=timedelta(days=3 * 365),
        ),
        "cs8.kpi._churn.ChurnRisk": lambda: kc.churn_risk(
            [Customer(id="c0")], orders=orders, as_of=T0
        )[0],
    }


def _staffing() -> dict[str, Callable[[], object]]:
    from cs8 import staffing as st

    days = tuple(date(2026, 1, 5) + k * DAY for k in range(56))
    history = st.Arrivals(
        interval=timedelta(hours=12),
        timezone="UTC",
        days=days,
        counts=[[10.0 + (k % 7), 20.0] for k in range(56)],
    )
    forecast = st.ArrivalForecast(
        interval=timedelta(hours=12),
        timezone="UTC",
        days=(date(2026, 1, 5),),
        expected=(0, 240),
        low=(0, 200),
        high=(0, 280),
    )
    actual = st.Arrivals(
        interval=timedelta(hours=12),
        timezone="UTC",
        days=(date(2026, 1, 5),),
        counts=((0, 300),),
    )

    def plan() -> st.StaffingPlan:
        return st.staffing_plan(
            forecast, aht=timedelta(minutes=6), target_answer_time=timedelta(seconds=30)
        )

    def shifts() -> object:
        early = st.ShiftTemplate(name="early", start=time(6), length=timedelta(hours=8))
        late = st.ShiftTemplate(name="late", start=time(14), length=timedelta(hours=8))
        need = [[0] * 6 + [3] * 8 + [5] * 8 + [0] * 2]
        return st.plan_shifts(need, shifts=[early, late], interval=timedelta(hours=1))

    def aht() -> object:
        calls = [
            Interaction(
                id=f"{d}-{k}",
                customer_id="c",
                channel="phone",
                started_at=T0 + timedelta(days=d, minutes=k),
                answered_at=T0 + timedelta(days=d, minutes=k),
                talk_time=timedelta(seconds=200),
            )
            for d in range(28)
            for k in range(3)
        ]
        return st.forecast_aht(calls, interval=timedelta(hours=1), horizon=timedelta(days=2))

    return {
        "cs8.staffing._arrivals.Arrivals": lambda: history,
        "cs8.staffing._forecast.ArrivalForecast": lambda: st.forecast_arrivals(
            history, interval=timedelta(hours=12), horizon=timedelta(days=14)
        ),
        "cs8.staffing._accuracy.Accuracy": lambda: st.forecast_accuracy(forecast, actual),
        "cs8.staffing._plan.StaffingPlan": plan,
        "cs8._heatmap.Heatmap": lambda: plan().heatmap(),
        "cs8.staffing._actual.PlanReview": lambda: st.plan_vs_actual(
            plan(), actual, forecast=forecast
        ),
        "cs8.staffing._shifts.ShiftPlan": shifts,
        "cs8.staffing._aht.AhtForecast": aht,
        "cs8.staffing._erlang.Staffing": lambda: st.erlang_c(
            calls=100,
            period=timedelta(minutes=30),
            aht=timedelta(seconds=180),
            agents=14,
            target_answer_time=timedelta(seconds=20),
        ),
        "cs8.staffing._erlang.ErlangA": lambda: st.erlang_a(
            calls=100,
            period=timedelta(minutes=30),
            aht=timedelta(seconds=180),
            agents=10,
            patience=timedelta(seconds=180),
            target_answer_time=timedelta(seconds=20),
        ),
    }


def _surveys() -> dict[str, Callable[[], object]]:
    from cs8 import surveys as sv

    responses = [
        sv.ServqualResponse(
            expectations=[7] * 22,
            perceptions=[(i + k) % 7 + 1 for k in range(22)],
            segment=("vip", "new")[i % 2],
        )
        for i in range(8)
    ]
    three = [
        sv.ServqualResponse(
            instrument=sv.SERVQUAL_THREE_COLUMN,
            minimum=[5] * 22,
            desired=[8] * 22,
            perceptions=[(i + k) % 7 + 1 for k in range(22)],
        )
        for i in range(4)
    ]
    managers = [sv.ServqualResponse(expectations=[6] * 22, perceptions=[5] * 22)]
    points = {
        "tangibles": 10,
        "reliability": 35,
        "responsiveness": 25,
        "assurance": 15,
        "empathy": 15,
    }
    return {
        "cs8.surveys._servqual_results.ServqualReport": lambda: sv.servqual_scores(responses),
        "cs8.surveys._servqual_results.ZoneReport": lambda: sv.servqual_scores(three).zone,
        "cs8.surveys._servqual_results.Gap1Report": lambda: (
            sv.servqual_scores(responses, managers=managers).gap1
        ),
        "cs8.surveys._servqual_breakdown.ServqualBreakdown": lambda: sv.servqual_breakdown(
            responses, by="segment"
        ),
        "cs8.surveys._ipa.IpaResult": lambda: sv.servqual_ipa(
            sv.servqual_scores(responses), points
        ),
        "cs8.surveys._questions.SurveyTally": lambda: sv.NPS_QUESTION.collect(
            [10, 9, None, 3] * 10, at=T0
        ),
        "cs8.surveys._reliability.ReliabilityReport": lambda: sv.reliability(
            [[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 5]]
        ),
    }


def _others() -> dict[str, Callable[[], object]]:
    from cs8 import customers as cu
    from cs8._frozen import FrozenDict
    from cs8.customers._table import FittedModel
    from cs8.io import Dataset, LoadResult, RejectedRow, reconcile
    from cs8.kpi import Rate
    from cs8.routing import Router, simulate
    from cs8.sla import SlaPolicy, SlaTarget, sla_report
    from cs8.stats import paired_t_test, wilcoxon_signed_rank
    from cs8.text import Evaluation

    policy = SlaPolicy(
        name="std",
        targets=[
            SlaTarget(metric="first_reply", within=timedelta(minutes=20), business_hours=False)
        ],
    )
    rejected = tuple(
        RejectedRow(source="x.csv", line=i, column="channel", value="fax", reason="bad channel")
        for i in range(30)
    )
    orders = [
        Order(id=str(i), customer_id=f"c{i % 5}", at=T0 + timedelta(days=i % 9), amount=1)
        for i in range(20)
    ]
    return {
        "cs8.io._common.LoadResult": lambda: LoadResult(
            records=tuple(range(5000)), rejected=rejected, rows_read=5030, source="big.csv"
        ),
        "cs8.io._dataset.Dataset": lambda: Dataset(source="export/", tickets=tuple(_tickets(40))),
        "cs8.io._reconcile.Reconciliation": lambda: reconcile(
            Dataset(
                tickets=tuple(_tickets(12)),
                vendor_metrics={
                    f"T{i:03d}": {"first_reply": timedelta(minutes=10 + i), "reopens": i % 2}
                    for i in range(12)
                },
            )
        ),
        "cs8.sla._report.SlaReport": lambda: sla_report(
            _tickets(60), policy, now=T0 + 3 * DAY, period="day"
        ),
        "cs8.routing._decision.AssignmentResult": lambda: Router().assign(
            _tickets(50), [Agent(id="a1", capacity=5)], now=T0
        ),
        "cs8.routing._simulate.SimulationResult": lambda: simulate(
            _calls(200),
            router=Router(),
            agents=[Agent(id="a1"), Agent(id="a2")],
            interval=timedelta(minutes=15),
        ),
        "cs8.customers._journey.Funnel": lambda: cu.journey_funnel(
            tickets=_tickets(20), orders=orders
        ),
        "cs8.customers._table.SummaryTable": lambda: cu.SummaryTable.from_arrays(
            x=[i % 4 for i in range(30)],
            t_x=[float(i % 4) for i in range(30)],
            T=[5.0] * 30,
            mean_spend=[math.nan if i % 4 == 0 else 10.0 + i for i in range(30)],
            unit="week",
            customer_ids=[f"c{i}" for i in range(30)],
        ),
        "cs8.customers._table.FittedModel": lambda: FittedModel(n_customers=3, log_likelihood=-1.5),
        # CDNOW parameters (Fader, Hardie and Lee 2005, "Counting your customers" the easy way,
        # and "RFM and CLV", Table 1; Gamma-Gamma from Fader and Hardie's note on the model):
        "cs8.customers._gamma_gamma.GammaGamma": lambda: cu.GammaGamma(
            p=6.25, q=3.74, v=15.44, standard_errors=FrozenDict({"p": 0.1, "q": 0.2, "v": 0.3})
        ),
        "cs8.customers._bgnbd.BgNbd": lambda: cu.BgNbd(
            r=0.243, alpha=4.414, a=0.793, b=2.426, unit="week", n_customers=2357
        ),
        "cs8.customers._pareto.ParetoNbd": lambda: cu.ParetoNbd(
            r=0.55, alpha=10.58, s=0.61, beta=11.67, unit="week"
        ),
        "cs8.customers._proactive.ProactiveFollowUp": lambda: cu.ProactiveFollowUp(
            contacted=Rate.of(1, 4),
            not_contacted=Rate.of(1, 2),
            difference=-0.25,
            difference_low=-0.6,
            difference_high=0.3,
            issue_rate=Rate.of(0, 0),
        ),
        "cs8.stats._tests.PairedTest": lambda: paired_t_test([3, 4, 5, 6], [1, 3, 3, 6]),
        "cs8.stats._tests.WilcoxonTest": lambda: wilcoxon_signed_rank([1, 2, 3, 5], [0, 0, 0, 6]),
        "cs8.text._evaluate.Evaluation": lambda: Evaluation.of(
            [str(i % 25) for i in range(60)], [str(i % 23) for i in range(60)]
        ),
    }


@cache
def _examples() -> dict[str, Callable[[], object]]:
    return {**_kpi(), **_staffing(), **_surveys(), **_others()}


def _layered() -> list[str]:
    return sorted(_name(c) for c in _classes() if _name(c) not in OUTSIDE_THE_LAYER)


# --------------------------------------------------------------------------------------------------
# The contract


def test_every_class_with_an_html_repr_is_in_the_layer() -> None:
    outside = {_name(c) for c in _classes() if not issubclass(c, DictsReprMixin)}
    assert outside == OUTSIDE_THE_LAYER
    assert len(_classes()) > 35


def test_every_result_class_has_an_example() -> None:
    assert sorted(set(_layered()) - set(_examples())) == []
    assert sorted(set(_examples()) - set(_layered())) == []


@cache
def _example(name: str) -> Any:
    result = _examples()[name]()
    assert _name(type(result)) == name
    return result


def _rows(result: Any) -> list[Mapping[str, object]]:
    rows = list(result.to_dicts())
    if isinstance(result, DictReprMixin):
        assert rows == [result.to_dict()]
    return rows


@pytest.mark.parametrize("name", _layered())
def test_text_html_and_markdown_show_at_most_twenty_rows(name: str) -> None:
    result = _example(name)
    n = len(_rows(result))
    html, markdown, text = result._repr_html_(), result._repr_markdown_(), str(result)
    if isinstance(result, DictReprMixin):
        return  # one record: bounded by its fields
    shown = min(n, 20)
    summary = len(result._summary())
    assert html.count("<tr><td>") == shown
    header = 1 if n else 0
    lines = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert len(lines) == shown + header + (summary + 1 if summary else 0)
    more = f"... and {n - 20:,} more rows"
    assert (more in html, more in markdown, text.endswith(more)) == ((n > 20,) * 3)


@pytest.mark.parametrize("name", _layered())
def test_a_table_repr_is_one_line_never_the_records(name: str) -> None:
    result = _example(name)
    if isinstance(result, DictReprMixin):
        return  # a record's attrs repr has a fixed number of fields
    assert repr(result) == result._short_repr()
    assert repr(result).endswith(f"; {len(_rows(result)):,} rows>")


def test_several_examples_have_more_than_twenty_rows() -> None:
    big = [n for n in _layered() if len(_rows(_example(n))) > 20]
    assert len(big) >= 6, big


@pytest.mark.parametrize("name", _layered())
def test_json_ready_numbers_go_through_json(name: str) -> None:
    data = _example(name).to_json_ready()
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data


def _engine_rows(name: str, engine: str) -> tuple[list[str], list[dict[str, object]]]:
    result = _example(name)
    if engine == "pandas":
        frame = result.to_pandas()
        return list(frame.columns), frame.to_dict("records")
    if engine == "polars":
        frame = result.to_polars()
        return list(frame.columns), frame.to_dicts()
    table = result.to_arrow()
    return list(table.column_names), table.to_pylist()


def _same(a: object, b: object) -> bool:
    missing = (None, "NaT")
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b)) or str(b) in missing
    if isinstance(a, timedelta):
        return bool(a == (b.to_pytimedelta() if hasattr(b, "to_pytimedelta") else b))
    if isinstance(a, datetime):
        other = b.to_pydatetime() if hasattr(b, "to_pydatetime") else b
        return bool(a == other)
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)
    if isinstance(a, list):
        return list(b) == a if b is not None else False  # type: ignore[call-overload]
    return bool(a == b)


@pytest.mark.parametrize("engine", ["pandas", "polars", "pyarrow"])
@pytest.mark.parametrize("name", _layered())
def test_dataframes_have_the_rows_and_columns_of_to_dicts(name: str, engine: str) -> None:
    pytest.importorskip(engine)
    expected = _frame_rows(_rows(_example(name)))
    columns, got = _engine_rows(name, engine)
    assert len(got) == len(expected)
    if not expected:
        return
    assert columns == list(expected[0])
    for want, row in zip(expected, got, strict=True):
        bad = {c: (want[c], row[c]) for c in want if not _same(want[c], row[c])}
        assert bad == {}


@pytest.mark.parametrize("engine", ["pandas", "polars", "pyarrow"])
def test_duration_columns_are_duration_dtypes(engine: str) -> None:
    pytest.importorskip(engine)
    for name in ("cs8.kpi._metrics.TicketMetrics", "cs8.customers._journey.Funnel"):
        result = _example(name)
        column = "first_reply" if "Metrics" in name else "median_time"
        if engine == "pandas":
            assert str(result.to_pandas()[column].dtype).startswith("timedelta64")
        elif engine == "polars":
            assert str(result.to_polars().schema[column]).startswith("Duration")
        else:
            assert str(result.to_arrow().schema.field(column).type).startswith("duration")
