"""Complaint rate and a transparent churn-risk score.

Example:
    >>> ComplaintRule(tags={"complaint"}).tags
    frozenset({'complaint'})
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import ClassVar

import attrs

from cs8._display import DictReprMixin, format_value
from cs8._frozen import FrozenDict
from cs8._models import Customer, Interaction, Order, SurveyResponse, Ticket
from cs8._time import require_aware
from cs8.exceptions import InvalidValueError
from cs8.kpi._customers import (
    _count,
    _order_times,
    _period,
    _positive_window,
    _within,
)
from cs8.kpi._kpi import with_state
from cs8.kpi._stats import Rate, RateState

__all__ = ["ChurnRisk", "ChurnRiskModel", "ComplaintRule", "churn_risk", "complaint_rate"]


# --------------------------------------------------------------------------------------------------
# Complaints


def _str_set(values: Iterable[str] | str) -> frozenset[str]:
    if isinstance(values, str):
        return frozenset({values})
    return frozenset(str(v) for v in values)


@attrs.frozen(kw_only=True)
class ComplaintRule:
    """Which tickets are complaints: those whose category or any tag is in the given sets.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Ticket
        >>> rule = ComplaintRule(categories={"complaint"}, tags={"angry"})
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> rule.matches(Ticket(id="T1", customer_id="a", channel="email", created_at=t,
        ...                     tags={"angry", "vip"}))
        True
    """

    categories: frozenset[str] = attrs.field(factory=frozenset, converter=_str_set)
    tags: frozenset[str] = attrs.field(factory=frozenset, converter=_str_set)

    def __attrs_post_init__(self) -> None:
        if not self.categories and not self.tags:
            raise InvalidValueError(
                "ComplaintRule needs at least one category or tag that marks a complaint"
            )

    def matches(self, ticket: Ticket) -> bool:
        """Return whether ``ticket`` is a complaint."""
        if ticket.category is not None and ticket.category in self.categories:
            return True
        return not self.tags.isdisjoint(ticket.tags)


def _complaint_state(
    tickets: Iterable[Ticket],
    *,
    rule: ComplaintRule,
    start: datetime | None = None,
    end: datetime | None = None,
    customers: Iterable[Customer] | None = None,
) -> RateState:
    """Return the complaint state of tickets created in ``[start, end)``.

    Without ``customers``: complaints over tickets. With it: customers who complained at least once
    over the given customers.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Ticket
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> tickets = [Ticket(id=str(i), customer_id="a", channel="email", created_at=t,
        ...                   category=cat) for i, cat in enumerate(["complaint", "refund"])]
        >>> s = complaint_rate.state(tickets, rule=ComplaintRule(categories={"complaint"}))
        >>> s.successes, s.n
        (1, 2)
    """
    s, e = _period(start, end, "complaint_state")
    excluded: dict[str, int] = {}
    complaints = total = 0
    complainers: set[str] = set()
    for ticket in tickets:
        if not _within(ticket.created_at, s, e):
            _count(excluded, "outside_period")
            continue
        total += 1
        if rule.matches(ticket):
            complaints += 1
            complainers.add(ticket.customer_id)
    if customers is None:
        return RateState(successes=complaints, n=total, excluded=excluded)
    ids = {c.id for c in customers}
    return RateState(successes=len(complainers & ids), n=len(ids), excluded=excluded)


@with_state(_complaint_state)
def complaint_rate(
    tickets: Iterable[Ticket],
    *,
    rule: ComplaintRule,
    start: datetime | None = None,
    end: datetime | None = None,
    customers: Iterable[Customer] | None = None,
    confidence: float = 0.95,
) -> Rate:
    """Return the complaint rate (see ``complaint_rate.state`` for the two bases).

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Customer, Ticket
        >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
        >>> tickets = [Ticket(id="1", customer_id="a", channel="chat", created_at=t, tags={"complaint"})]
        >>> rule = ComplaintRule(tags={"complaint"})
        >>> complaint_rate(tickets, rule=rule, customers=[Customer(id=c) for c in "abcd"]).value
        0.25
    """
    state = _complaint_state(tickets, rule=rule, start=start, end=end, customers=customers)
    return state.result(confidence=confidence)


# --------------------------------------------------------------------------------------------------
# Churn risk


def _non_negative(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value < 0
    ):
        raise InvalidValueError(
            f"ChurnRiskModel.{attribute.name} must be a non-negative number, got {value!r}"
        )


def _positive_td(instance: object, attribute: attrs.Attribute[timedelta], value: object) -> None:
    _positive_window(value, f"ChurnRiskModel.{attribute.name}")


@attrs.frozen(kw_only=True)
class ChurnRiskModel:
    """The formula of the churn-risk score: its weights and the scales of its components.

    Each component is a number in [0, 1] (1 = most at risk), measured at ``as_of`` over
    ``window`` (the recent window is ``[as_of - window, as_of)``, the previous one the window
    before it):

    - ``recency = min(1, time since last order (or acquisition) / recency_horizon)``; 1 when
      the customer has neither.
    - ``frequency_decline = max(0, (previous orders - recent orders) / previous orders)``; 0
      when there were no previous orders.
    - ``complaints = min(1, max(0, recent complaints - previous complaints) /
      complaint_saturation)``, rising complaints only; ``None`` without a ``complaint_rule``.
    - ``satisfaction = 1 - mean of the recent survey answers rescaled to [0, 1]`` (each on its own
      scale; any instrument); ``None`` without recent answers.
    - ``not_alive = 1 - P(alive)``, the probability that the customer has already left according
      to a customer-base model (``BgNbd.p_alive`` or ``ParetoNbd.p_alive`` of
      :mod:`cs8.customers`), weighted by ``alive_weight``; ``None`` unless :func:`churn_risk` is
      given ``p_alive`` for the customer.
    - ``negative_sentiment = share of the customer's recent texts that read negative``: each
      recent contact counts once by its ``Interaction.sentiment`` (else the sentiment of its
      ``transcript``), each recent public customer message with ``text`` once by its sentiment
      (:func:`cs8.text.sentiment`, the shipped offline lexicons, language detected); a polarity at
      or below ``negative_threshold`` is negative; ``None`` without any recent scored text.
    - ``unresolved = min(1, tickets still open at as_of / unresolved_saturation)`` (created
      before ``as_of``, its status then new, open, pending or on hold); ``None`` when no tickets
      are given at all.

    ``score = sum(weight x component) / sum(weight)`` over the components that are not ``None``.

    Example:
        >>> ChurnRiskModel().recency_weight
        0.4
    """

    recency_weight: float = attrs.field(default=0.4, validator=_non_negative)
    frequency_weight: float = attrs.field(default=0.3, validator=_non_negative)
    complaint_weight: float = attrs.field(default=0.15, validator=_non_negative)
    satisfaction_weight: float = attrs.field(default=0.15, validator=_non_negative)
    alive_weight: float = attrs.field(default=0.3, validator=_non_negative)
    sentiment_weight: float = attrs.field(default=0.15, validator=_non_negative)
    unresolved_weight: float = attrs.field(default=0.15, validator=_non_negative)
    recency_horizon: timedelta = attrs.field(default=timedelta(days=90), validator=_positive_td)
    window: timedelta = attrs.field(default=timedelta(days=90), validator=_positive_td)
    complaint_saturation: float = attrs.field(default=2.0, validator=_non_negative)
    complaint_rule: ComplaintRule | None = None
    negative_threshold: float = -0.05
    unresolved_saturation: float = attrs.field(default=2.0, validator=_non_negative)

    def __attrs_post_init__(self) -> None:
        total = (
            self.recency_weight
            + self.frequency_weight
            + self.complaint_weight
            + self.satisfaction_weight
            + self.alive_weight
            + self.sentiment_weight
            + self.unresolved_weight
        )
        if total <= 0:
            raise InvalidValueError("ChurnRiskModel needs at least one positive weight")
        for name in ("complaint_saturation", "unresolved_saturation"):
            if getattr(self, name) <= 0:
                raise InvalidValueError(
                    f"ChurnRiskModel.{name} must be positive, got {getattr(self, name)!r}"
                )
        threshold = self.negative_threshold
        if isinstance(threshold, bool) or not isinstance(threshold, int | float):
            threshold = math.nan
        if not -1 <= threshold <= 1:
            raise InvalidValueError(
                f"ChurnRiskModel.negative_threshold must be a polarity in [-1, 1], got "
                f"{self.negative_threshold!r}"
            )


@attrs.frozen(kw_only=True)
class ChurnRisk(DictReprMixin):
    """One customer's churn-risk score with every component and the facts behind them.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Customer
        >>> now = datetime(2026, 6, 1, tzinfo=timezone.utc)
        >>> risk = churn_risk([Customer(id="a")], orders=[], as_of=now)[0]
        >>> round(risk.score, 4), risk.recency, risk.frequency_decline, risk.satisfaction
        (0.5714, 1.0, 0.0, None)
    """

    customer_id: str
    score: float
    recency: float
    frequency_decline: float
    complaints: float | None
    satisfaction: float | None
    weights: FrozenDict[str, float]
    last_activity_at: datetime | None
    orders_recent: int
    orders_previous: int
    complaints_recent: int
    complaints_previous: int
    responses_recent: int
    not_alive: float | None = None
    negative_sentiment: float | None = None
    unresolved: float | None = None
    texts_recent: int = 0
    negative_recent: int = 0
    unresolved_tickets: int = 0

    def components(self) -> dict[str, float | None]:
        """Return the components by name (``not_alive`` only when P(alive) was given).

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Customer
            >>> now = datetime(2026, 6, 1, tzinfo=timezone.utc)
            >>> sorted(churn_risk([Customer(id="a")], orders=[], as_of=now)[0].components())
            ['complaints', 'frequency_decline', 'negative_sentiment', 'recency', 'satisfaction', 'unresolved']
        """
        out = {
            "recency": self.recency,
            "frequency_decline": self.frequency_decline,
            "complaints": self.complaints,
            "satisfaction": self.satisfaction,
        }
        if self.not_alive is not None:
            out["not_alive"] = self.not_alive
        out["negative_sentiment"] = self.negative_sentiment
        out["unresolved"] = self.unresolved
        return out

    def to_dict(self) -> dict[str, object]:
        """Return the score, components and facts as a plain dict.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Customer
            >>> now = datetime(2026, 6, 1, tzinfo=timezone.utc)
            >>> churn_risk([Customer(id="a")], orders=[], as_of=now)[0].to_dict()["customer_id"]
            'a'
        """
        out = attrs.asdict(self, recurse=False)
        out["weights"] = dict(self.weights)
        return out

    def explain(self) -> str:
        """Return one line per component: its value, weight and contribution to the score.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Customer
            >>> now = datetime(2026, 6, 1, tzinfo=timezone.utc)
            >>> print(churn_risk([Customer(id="a")], orders=[], as_of=now)[0].explain())
            churn risk of 'a': 0.571
              recency             1.000 x weight 0.40 -> 0.571
              frequency_decline   0.000 x weight 0.30 -> 0.000
              complaints          n/a (not measured)
              satisfaction        n/a (not measured)
              negative_sentiment  n/a (not measured)
              unresolved          n/a (not measured)
        """
        used = sum(self.weights[k] for k, v in self.components().items() if v is not None)
        lines = [f"churn risk of {self.customer_id!r}: {self.score:.3f}"]
        for name, value in self.components().items():
            if value is None:
                lines.append(f"  {name.ljust(18)}  n/a (not measured)")
            else:
                weight = self.weights[name]
                share = weight * value / used if used else 0.0
                lines.append(
                    f"  {name.ljust(18)}  {value:.3f} x weight {weight:.2f} -> {share:.3f}"
                )
        return "\n".join(lines)

    _hidden: ClassVar[frozenset[str]] = frozenset({"customer_id", "score"})

    def _title(self) -> str:
        return f"Churn risk of {self.customer_id!r}: {format_value(self.score)}"


_MICROSECOND = timedelta(microseconds=1)


def churn_risk(
    customers: Iterable[Customer],
    *,
    orders: Iterable[Order],
    as_of: datetime,
    tickets: Iterable[Ticket] = (),
    responses: Iterable[SurveyResponse] = (),
    model: ChurnRiskModel | None = None,
    p_alive: Mapping[str, float] | None = None,
    interactions: Iterable[Interaction] = (),
) -> tuple[ChurnRisk, ...]:
    """Return the churn-risk score of each customer still with the business at ``as_of``.

    Customers whose ``churned_at`` is before ``as_of`` are left out; records at or after
    ``as_of`` are ignored. The result is sorted by descending score, then customer id. The formula
    and its defaults are those of :class:`ChurnRiskModel`.

    Args:
        customers: The customers to score.
        orders: Their orders.
        as_of: The instant of scoring.
        tickets: Their tickets (unresolved tickets; their customer messages' sentiment; rising
            complaints with ``model.complaint_rule``).
        responses: Their survey answers (``customer_id`` must be set to count).
        model: Weights and scales; ``ChurnRiskModel()`` by default.
        p_alive: Customer id to P(alive) from a fitted customer-base model, e.g.
            ``dict(zip(table.customer_ids, fit_bgnbd(table).p_alive(table)))`` with
            :mod:`cs8.customers`; customers missing from it have no ``not_alive`` component.
        interactions: Their contacts (the sentiment of what was said).

    Raises:
        InvalidValueError: If a P(alive) is not a probability.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from cs8 import Customer, Order
        >>> now = datetime(2026, 6, 1, tzinfo=timezone.utc)
        >>> d = timedelta(days=1)
        >>> orders = [Order(id=str(i), customer_id="a", at=now - k * d, amount=10)
        ...           for i, k in enumerate([100, 120, 150, 170, 45])]
        >>> risk = churn_risk([Customer(id="a")], orders=orders, as_of=now)[0]
        >>> risk.recency, risk.frequency_decline, (risk.orders_recent, risk.orders_previous)
        (0.5, 0.75, (1, 4))
    """
    chosen = model if model is not None else ChurnRiskModel()
    now = require_aware(as_of, "churn_risk: as_of")
    window = chosen.window
    recent_from, previous_from = now - window, now - 2 * window
    order_times = _order_times(o for o in orders if o.at < now)
    ticket_list = [t for t in tickets if t.created_at < now]
    complaint_times: dict[str, list[datetime]] = {}
    if chosen.complaint_rule is not None:
        for ticket in ticket_list:
            if chosen.complaint_rule.matches(ticket):
                complaint_times.setdefault(ticket.customer_id, []).append(ticket.created_at)
    before = now - _MICROSECOND  # records at as_of are not seen
    still_open = Counter(t.customer_id for t in ticket_list if t.status_at(before).is_open)
    from cs8.text._polarity import polarities  # cs8.text builds on cs8.kpi: imported here

    polarity = polarities(ticket_list, interactions, recent_from, now)
    satisfaction: dict[str, list[float]] = {}
    for response in responses:
        if response.customer_id is None or not recent_from <= response.at < now:
            continue
        low, high = response.scale
        satisfaction.setdefault(response.customer_id, []).append(
            (response.score - low) / (high - low)
        )
    weights = FrozenDict(
        {
            "recency": chosen.recency_weight,
            "frequency_decline": chosen.frequency_weight,
            "complaints": chosen.complaint_weight,
            "satisfaction": chosen.satisfaction_weight,
            "not_alive": chosen.alive_weight,
            "negative_sentiment": chosen.sentiment_weight,
            "unresolved": chosen.unresolved_weight,
        }
    )
    horizon = chosen.recency_horizon.total_seconds()
    risks: list[ChurnRisk] = []
    for customer in customers:
        if customer.churned_at is not None and customer.churned_at < now:
            continue
        times = order_times.get(customer.id, [])
        last = times[-1] if times else None
        acquired = customer.acquired_at
        if acquired is not None and acquired < now and (last is None or acquired > last):
            last = acquired
        recency = 1.0 if last is None else min(1.0, (now - last).total_seconds() / horizon)
        recent = sum(1 for t in times if t >= recent_from)
        previous = sum(1 for t in times if previous_from <= t < recent_from)
        decline = max(0.0, (previous - recent) / previous) if previous else 0.0
        complaint_component: float | None = None
        c_recent = c_previous = 0
        if chosen.complaint_rule is not None:
            marks = complaint_times.get(customer.id, [])
            c_recent = sum(1 for t in marks if t >= recent_from)
            c_previous = sum(1 for t in marks if previous_from <= t < recent_from)
            rise = max(0, c_recent - c_previous)
            complaint_component = min(1.0, rise / chosen.complaint_saturation)
        answers = satisfaction.get(customer.id, [])
        satisfaction_component = 1.0 - math.fsum(answers) / len(answers) if answers else None
        alive = None if p_alive is None else p_alive.get(customer.id)
        if alive is not None and not (
            isinstance(alive, int | float) and not isinstance(alive, bool) and 0 <= alive <= 1
        ):
            raise InvalidValueError(
                f"churn_risk: p_alive[{customer.id!r}] must be a probability in [0, 1], "
                f"got {alive!r}"
            )
        not_alive = None if alive is None else 1.0 - float(alive)
        scored = polarity.get(customer.id, [])
        negative = sum(1 for v in scored if v <= chosen.negative_threshold)
        open_now = still_open[customer.id]
        unresolved = min(1.0, open_now / chosen.unresolved_saturation) if ticket_list else None
        components = {
            "recency": recency,
            "frequency_decline": decline,
            "complaints": complaint_component,
            "satisfaction": satisfaction_component,
            "not_alive": not_alive,
            "negative_sentiment": negative / len(scored) if scored else None,
            "unresolved": unresolved,
        }
        used = [(weights[k], v) for k, v in components.items() if v is not None]
        total_weight = math.fsum(w for w, _ in used)
        score = math.fsum(w * v for w, v in used) / total_weight if total_weight else 0.0
        risks.append(
            ChurnRisk(
                customer_id=customer.id,
                score=score,
                recency=recency,
                frequency_decline=decline,
                complaints=complaint_component,
                satisfaction=satisfaction_component,
                weights=weights,
                last_activity_at=last,
                orders_recent=recent,
                orders_previous=previous,
                complaints_recent=c_recent,
                complaints_previous=c_previous,
                responses_recent=len(answers),
                not_alive=not_alive,
                negative_sentiment=components["negative_sentiment"],
                unresolved=unresolved,
                texts_recent=len(scored),
                negative_recent=negative,
                unresolved_tickets=open_now,
            )
        )
    risks.sort(key=lambda r: (-r.score, r.customer_id))
    return tuple(risks)
