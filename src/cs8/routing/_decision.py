"""Routing results: :class:`RoutingDecision` (one ticket) and :class:`AssignmentResult` (a backlog)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from itertools import chain, count, repeat
from operator import attrgetter, itemgetter
from typing import Any, TypeAlias

import attrs

from cs8._display import DictsReprMixin
from cs8._enums import Channel, Priority
from cs8._frozen import FrozenDict
from cs8._models import Customer, Ticket
from cs8._protocols import BusinessClock
from cs8._trusted import paused_collection, trusted_builder, trusted_constructor
from cs8.exceptions import InvalidValueError
from cs8.routing._context import (
    RoutingContext,
    fast_context,
)
from cs8.routing._handoff import HandoffContext
from cs8.routing._plan import _CountsLine, _Line, _line, _Plan, _Planned, _Prepared, _Why
from cs8.routing._pool_index import filter_labels
from cs8.routing._strategies import (
    RoutingState,
)

__all__ = ["AssignmentResult", "RoutingDecision"]


# --------------------------------------------------------------------------------------------------
# Results


def _check_trace(instance: object, attribute: object, value: object) -> None:
    if not isinstance(value, tuple):
        raise InvalidValueError(f"RoutingDecision.trace must be a tuple of lines, got {value!r}")


_GIVEN: Any = type("_Given", (), {"__repr__": lambda self: "<from the plan>"})()
"""A field of ``RoutingDecision(...)`` not given (internal)."""

VALUE_FIELDS = (
    "ticket_id",
    "agent_id",
    "queue",
    "priority",
    "trace",
    "rule",
    "strategy",
    "escalation_step",
    "skills",
    "languages",
    "due_at",
)
"""A decision's public fields that count for equality, in order: what its ``repr`` shows and
what serialization writes (with ``state``)."""

_Source: TypeAlias = tuple[Any, ...]
"""What a decision's lazy trace and context are built from (internal), in its first six items:
the lines (``tuple[_Line, ...]``), the prepared actions (``_Prepared``), how many agents were
looked at (-1: explained), the ticket, its customer, and the call's instant, zone and calendar
(or None). A backlog's decision keeps its ``_Run`` instead: its row (``_Row``, which begins
with the same six) is made from the run's columns, found by its ticket id, when one of its
unset fields is first read (``_expanded``)."""


@attrs.frozen(kw_only=True, init=False, repr=False)
class RoutingDecision:
    """Where one ticket goes, and why.

    Args:
        ticket_id: The ticket.
        agent_id: The chosen agent, or ``None`` when nobody eligible has room (the ticket waits
            in ``queue``).
        queue: The queue from the matched rule or the escalation step in force (``None``: the
            default queue).
        priority: The priority after the rule, escalation, adjustments and ageing.
        trace: Lines a supervisor can read: the rule that matched and why, the priority and where
            it came from, the escalation step in force, how many agents each filter left, the
            strategy and its tie-break.
        rule: The name of the matched rule, ``None`` when no rule matched.
        strategy: The name of the strategy used.
        escalation_step: The number (1-based) of the escalation step in force, ``None`` before
            the first step's timeout.
        skills: Minimum skill levels in force (after escalation relaxed them).
        languages: Languages accepted (any one of them), empty for any.
        due_at: ``now`` plus the least time left on a running SLA clock (the least-slack key of
            the queue order; with a business calendar the real due time can be later), if any.
        context: The routing context the rules read.
        handoff: The customer's history across channels, when the caller gave it.
        state: The strategies' memory after this decision (round-robin rotations, plugins).

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Agent, Ticket
        >>> from cs8.routing import Router
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> d = Router().route(Ticket(id="T1", customer_id="C1", channel="chat", created_at=t0),
        ...                    [Agent(id="a1", channels={"email"})], now=t0)
        >>> d.agent_id, d.assigned
        (None, False)
        >>> print("\\n".join(d.trace))
        no rule matched: default actions (queue default)
        priority normal (ticket)
        filters (online): agents 1 -> status online 1 -> channel chat 0 -> spare capacity 0
        strategy least_busy: nobody eligible; the ticket waits in the default queue
    """

    ticket_id: str
    agent_id: str | None
    # The eight fields the plan decides (queue to due_at), one value shared by the decisions of
    # tickets planned alike (see _Planned): read through the properties below.
    _planned: _Planned = attrs.field(alias="_planned")
    trace: tuple[str, ...] = attrs.field(validator=_check_trace)
    _context: RoutingContext | None = attrs.field(
        default=None, eq=False, repr=False, alias="context"
    )
    handoff: HandoffContext | None = attrs.field(default=None, eq=False, repr=False)
    state: RoutingState = attrs.field(factory=RoutingState, eq=False, repr=False)
    # What the router's fast paths leave to be built when first read (a _Source): the trace
    # (``trace`` is then None) from the plan's lines, the prepared actions and how many agents
    # were looked at (-1: ``explain``, every line kept, each filter-count line as the numbers
    # counted at decision time, a _CountsLine); the context (``context`` None: a backlog's
    # decisions would otherwise hold a context each that few callers read) from the ticket, the
    # customer and the call's instant, zone and calendar.
    _source: _Source | _Run | None = attrs.field(
        default=None, eq=False, repr=False, alias="_source"
    )

    def __init__(
        self,
        *,
        ticket_id: str,
        agent_id: str | None,
        queue: str | None = _GIVEN,
        priority: Priority = _GIVEN,
        trace: tuple[str, ...],
        rule: str | None = _GIVEN,
        strategy: str = _GIVEN,
        escalation_step: int | None = _GIVEN,
        skills: FrozenDict[str, int] = _GIVEN,
        languages: frozenset[str] = _GIVEN,
        due_at: datetime | None = _GIVEN,
        context: RoutingContext | None = None,
        handoff: HandoffContext | None = None,
        state: RoutingState | None = None,
        _source: _Source | _Run | None = None,
        _planned: _Planned | None = None,
    ) -> None:
        # ``queue`` and ``priority`` are required, the other fields default as documented;
        # ``attrs.evolve`` passes ``_planned`` (the plan's fields) and the fields it changes.
        given: dict[str, Any] = {
            name: value
            for name, value in (
                ("queue", queue),
                ("priority", priority),
                ("rule", rule),
                ("strategy", strategy),
                ("escalation_step", escalation_step),
                ("skills", skills),
                ("languages", languages),
                ("due_at", due_at),
            )
            if value is not _GIVEN
        }
        if _planned is not None:
            planned = attrs.evolve(_planned, **given) if given else _planned
        else:
            for name in ("queue", "priority"):
                if name not in given:
                    raise TypeError(f"RoutingDecision() missing keyword argument {name!r}")
            planned = _Planned(**given)
        self.__attrs_init__(
            ticket_id=ticket_id,
            agent_id=agent_id,
            _planned=planned,
            trace=trace,
            context=context,
            handoff=handoff,
            state=RoutingState() if state is None else state,
            # A backlog's run identifies its decision by ticket id: ``attrs.evolve`` (which may
            # change the id) passes every field the run would build, so it is not kept.
            _source=None if type(_source) is _Run else _source,
        )

    @property
    def queue(self) -> str | None:
        """The queue (``None``: the default queue)."""
        return self._planned.queue

    @property
    def priority(self) -> Priority:
        """The priority after the rule, escalation, adjustments and ageing."""
        return self._planned.priority

    @property
    def rule(self) -> str | None:
        """The name of the matched rule, ``None`` when no rule matched."""
        return self._planned.rule

    @property
    def strategy(self) -> str:
        """The name of the strategy used."""
        return self._planned.strategy

    @property
    def escalation_step(self) -> int | None:
        """The escalation step in force (1-based), ``None`` before the first step's timeout."""
        return self._planned.escalation_step

    @property
    def skills(self) -> FrozenDict[str, int]:
        """Minimum skill levels in force."""
        return self._planned.skills

    @property
    def languages(self) -> frozenset[str]:
        """Languages accepted (any one of them), empty for any."""
        return self._planned.languages

    @property
    def due_at(self) -> datetime | None:
        """``now`` plus the least time left on a running SLA clock, if any."""
        return self._planned.due_at

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in VALUE_FIELDS)
        return f"RoutingDecision({fields})"

    def __getstate__(self) -> dict[str, Any]:
        # As attrs' own (every field read, so the fields built when read are built), with a
        # backlog's decision's source as its own row rather than its whole run.
        state = {name: getattr(self, name) for name in _STATE_NAMES}
        state["_source"] = _expanded(state["_source"], self.ticket_id)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)  # the slots' own setters (frozen)

    @property
    def context(self) -> RoutingContext | None:
        """The routing context the rules read (``None`` for a decision built without one).

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Agent, Ticket
            >>> from cs8.routing import Router
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)
            >>> result = Router(explain=False).assign([ticket], [Agent(id="a1")], now=t0)
            >>> result.decisions[0].context.ticket is ticket
            True
        """
        return self._context  # built when first read from the decision's source, if any

    @property
    def assigned(self) -> bool:
        """Whether an agent was chosen."""
        return self.agent_id is not None

    def explain(self) -> str:
        """Return the trace as one text, a line per step.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Agent, Ticket
            >>> from cs8.routing import Router
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> d = Router(explain=False).route(
            ...     Ticket(id="T1", customer_id="C1", channel="email", created_at=t0),
            ...     [Agent(id="a1")], now=t0)
            >>> print(d.explain())
            no rule matched: default actions (queue default)
            priority normal (ticket)
            filters: status, channel email, spare capacity, skills none; 1 agent(s) looked at
            strategy least_busy: chose a1; tie-break: fewest units of work, then agent id
        """
        return "\n".join(self.trace)

    def __str__(self) -> str:
        who = self.agent_id or "nobody (waiting)"
        return (
            f"ticket {self.ticket_id} -> {who}, queue {self.queue or 'default'}, "
            f"priority {self.priority.value}\n" + self.explain()
        )

    def to_dict(self) -> dict[str, str | int | None]:
        """Return the decision as plain values (for JSON, logs or a dataframe row).

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Agent, Ticket
            >>> from cs8.routing import Router
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> Router().route(Ticket(id="T1", customer_id="C1", channel="email", created_at=t0),
            ...                [Agent(id="a1")], now=t0).to_dict()["agent_id"]
            'a1'
        """
        return {
            "ticket_id": self.ticket_id,
            "agent_id": self.agent_id,
            "queue": self.queue,
            "priority": self.priority.value,
            "rule": self.rule,
            "strategy": self.strategy,
            "escalation_step": self.escalation_step,
            "due_at": None if self.due_at is None else self.due_at.isoformat(),
            "trace": "\n".join(self.trace),
        }


def _simple_trace(
    lines: tuple[str, ...], prep: _Prepared, channel: Channel, pick: str | None, found: int
) -> tuple[str, ...]:
    """The trace of a decision by a built-in strategy without preferred agents or explanation:
    the plan's lines, the filters and how many agents were looked at, the choice."""
    if pick is None:
        return (*lines, prep.filters[channel], prep.waiting)
    looked = _line(
        prep.looked,
        (channel, found),
        lambda: f"{prep.filters[channel]}; {found} agent(s) looked at",
    )
    chose = _line(
        prep.chose, pick, lambda: f"strategy {prep.name}: chose {pick}; tie-break: {prep.tie_break}"
    )
    return (*lines, looked, chose)


class _BuiltWhenRead:
    """A frozen slot whose value is built when it is first read (internal).

    ``RoutingDecision.trace`` and ``AssignmentResult.decisions`` hold ``None`` in their slot when
    the router made them on its fast path, and keep instead what the value is built from
    (immutable, captured at decision time). The first read (equality, hashing, ``repr``,
    ``attrs.evolve`` and pickling all read it) calls ``build(obj)``, which sets the slot and lets
    the parts go: a backlog then makes no object, and no text, that nobody reads. Two threads
    reading at once build equal values; the loser reads the winner's.

    A backlog's decisions leave their trace, context, handoff and state slots unset (each slot
    set is a call; see ``_new_row_decisions``): the first read builds them from the row the
    decision keeps as its source, the same way.
    """

    __slots__ = ("build", "slot")

    def __init__(self, slot: Any, build: Callable[[Any], Any]) -> None:
        self.slot = slot
        self.build = build

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self
        try:
            value = self.slot.__get__(obj, owner)
        except AttributeError:  # left unset (a backlog's decision): built from its source
            return self.build(obj)
        return self.build(obj) if value is None else value

    def __set__(self, obj: object, value: object) -> None:
        self.slot.__set__(obj, value)


class _Run:
    """A run of a backlog's tickets served by one pool call on the fast path, by column
    (internal): what :meth:`Router.assign` keeps for them instead of a row each, and what their
    decisions are made from when ``AssignmentResult.decisions`` is first read.

    ``shared`` are the call's per-ticket lists (tickets, customers, contexts, plans, ids; every
    run of a call holds the same lists, indexed by position) and its instant, zone and calendar;
    ``positions`` the run's tickets in the order served, with the agent each got (``picks``,
    ``None``: waiting) and how many agents were looked at (``looked``); ``state`` the routing
    state they were decided in; ``handoffs`` each one's handoff context (``None``: none given).
    Nothing in it changes once ``assign`` returns but ``where``: each ticket id's place in the
    run, made when a decision's row is first needed (two threads at once make equal maps).
    """

    __slots__ = ("handoffs", "looked", "picks", "positions", "shared", "state", "where")

    def __init__(
        self,
        shared: tuple[
            list[Ticket],
            list[Customer | None],
            list[RoutingContext | None],
            list[_Plan],
            list[str],
            tuple[datetime, tzinfo, BusinessClock | None],
        ],
        positions: list[int],
        picks: list[str | None],
        looked: list[int],
        state: RoutingState,
        handoffs: list[HandoffContext | None] | None,
    ) -> None:
        self.shared = shared
        self.positions = positions
        self.picks = picks
        self.looked = looked
        self.state = state
        self.handoffs = handoffs
        self.where: dict[str, int] | None = None

    def row(self, ticket_id: str) -> _Row:
        """The row of the run's ticket ``ticket_id`` (see ``_Row``; ids are unique in a backlog)."""
        tickets, customers, contexts, plans, ids, basis = self.shared
        where = self.where
        if where is None:
            where = self.where = dict(zip(map(ids.__getitem__, self.positions), count()))
        index = where[ticket_id]
        position = self.positions[index]
        plan = plans[position]
        handoff = None if self.handoffs is None else self.handoffs[index]
        return (
            plan[1], plan[0], self.looked[index], tickets[position], customers[position], basis,
            plan, ids[position], self.picks[index], contexts[position], handoff, self.state,
        )  # fmt: skip


def _expanded(source: _Source | _Run | None, ticket_id: str) -> _Source | None:
    """A decision's source as the items its unset fields are built from: a backlog's decision's
    row, made from its run (see ``_Source``); any other source as it is."""
    if type(source) is _Run:
        return source.row(ticket_id)
    return source  # type: ignore[return-value]


def _build_trace(decision: RoutingDecision) -> tuple[str, ...]:
    """Write the trace of ``decision`` from its source and keep it."""
    source = _expanded(decision._source, decision.ticket_id)
    if source is None:  # nothing to build from (the constructor's validator refuses None)
        return _trace_slot.__get__(decision)  # type: ignore[no-any-return]
    lines, prep, found, ticket = source[0], source[1], source[2], source[3]
    if found < 0:  # Router(explain=True): every line; the rule's and the counts' unwritten
        trace = tuple(_written(line, decision) for line in lines)
    else:
        assert ticket is not None  # the fast path keeps it
        trace = _simple_trace(lines, prep, ticket.channel, decision.agent_id, found)
    _trace_slot.__set__(decision, trace)  # built once (two threads at once build equal texts)
    return trace


def _build_context(decision: RoutingDecision) -> RoutingContext | None:
    """The context of ``decision`` (the one its row kept, else built from the ticket, customer
    and the call's instant, zone and calendar), kept; ``None`` without a source."""
    source = _expanded(decision._source, decision.ticket_id)
    if source is None or source[5] is None:
        return None
    ctx: RoutingContext | None = source[9] if len(source) > _ROW_CONTEXT else None
    if ctx is None:
        ticket, customer, (now, timezone, calendar) = source[3], source[4], source[5]
        ctx = fast_context(ticket, now, customer, None, timezone, calendar)
    _context_slot.__set__(decision, ctx)  # built once; equal to what the rules read
    return ctx


def _from_row(slot: Any, index: int) -> Callable[[RoutingDecision], Any]:
    """A builder of ``slot`` from item ``index`` of a backlog's row (``None`` for a decision
    without one: its constructor set the slot)."""

    def build(decision: RoutingDecision) -> Any:
        source = _expanded(decision._source, decision.ticket_id)
        value = source[index] if source is not None and len(source) > index else None
        slot.__set__(decision, value)
        return value

    return build


# The frozen slots' own descriptors, for what a decision builds when first read.
_trace_slot = vars(RoutingDecision)["trace"]
_context_slot = vars(RoutingDecision)["_context"]
_handoff_slot = vars(RoutingDecision)["handoff"]
_state_slot = vars(RoutingDecision)["state"]
_ROW_CONTEXT, _ROW_HANDOFF, _ROW_STATE = 9, 10, 11  # see _Row

_new_decision: Callable[..., RoutingDecision] = trusted_constructor(RoutingDecision)
"""``RoutingDecision(...)`` from every field's value, positionally in field order, unchecked
(internal: the router's values need no checks, and keyword passing costs a third of a decision;
``_source`` is what a lazy trace and context are built from)."""

_new_row_decisions: Callable[[list[Any], int], list[RoutingDecision]] = trusted_builder(
    RoutingDecision, ("ticket_id", "agent_id", "_planned", "_source")
)
"""A backlog's decisions from their runs, by column: ticket ids, agents, the plans' ``_Planned``
and their run (internal); their trace, context, handoff and state are left unset, built from
the row when read."""
_STATE_NAMES = tuple(field.name for field in attrs.fields(RoutingDecision))

for _name, _built in (
    ("trace", _BuiltWhenRead(_trace_slot, _build_trace)),
    ("_context", _BuiltWhenRead(_context_slot, _build_context)),
    ("handoff", _BuiltWhenRead(_handoff_slot, _from_row(_handoff_slot, _ROW_HANDOFF))),
    ("state", _BuiltWhenRead(_state_slot, _from_row(_state_slot, _ROW_STATE))),
):
    type.__setattr__(RoutingDecision, _name, _built)


def _planned_decision(
    plan: _Plan,
    ticket_id: str,
    agent_id: str | None,
    trace: tuple[str, ...] | None,
    context: RoutingContext | None,
    handoff: HandoffContext | None,
    state: RoutingState,
    lines: tuple[_Line, ...] | None = None,
    found: int = -1,
    ticket: Ticket | None = None,
    customer: Customer | None = None,
    basis: tuple[datetime, tzinfo, BusinessClock | None] | None = None,
) -> RoutingDecision:
    """The decision for a ticket planned as ``plan`` (queue, priority, rule, strategy, step,
    skills, languages and due time come from the plan). With ``trace`` ``None``, the trace is
    written when first read from ``lines``: every line of an explained decision (``found``
    -1), or the plan's lines with the filters, ``found`` agents looked at and the choice
    (``ticket`` given). With ``context`` ``None``, the context is built when first read from
    ``ticket``, ``customer`` and ``basis``."""
    return _new_decision(
        ticket_id,
        agent_id,
        plan[8],
        trace,
        context,
        handoff,
        state,
        None if lines is None else (lines, plan[0], found, ticket, customer, basis),
    )


@attrs.frozen(kw_only=True, repr=False)
class AssignmentResult(DictsReprMixin):
    """What :meth:`Router.assign` did with a backlog.

    Args:
        decisions: One decision per ticket, in the order the backlog was served (queue order).
        loads: Every agent's load after the assignments, in units of work.
        state: The strategies' memory after the last decision.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Agent, Ticket
        >>> from cs8.routing import Router
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> tickets = [Ticket(id=f"T{i}", customer_id="C", channel="email", created_at=t0)
        ...            for i in range(3)]
        >>> result = Router().assign(tickets, [Agent(id="a1", capacity=2)], now=t0)
        >>> dict(result.assignments), result.waiting, dict(result.loads)
        ({'T0': 'a1', 'T1': 'a1'}, ('T2',), {'a1': 2.0})
    """

    __repr__ = DictsReprMixin._short_repr

    decisions: tuple[RoutingDecision, ...]
    loads: FrozenDict[str, float]
    state: RoutingState = attrs.field(factory=RoutingState)
    # Router.assign leaves ``decisions`` empty (None) and keeps instead, in order, the decisions
    # of its general path and the runs of its fast path (a _Run each); the decisions are made
    # when first read.
    _rows: tuple[RoutingDecision | _Run, ...] | None = attrs.field(
        default=None, eq=False, repr=False, alias="_rows"
    )

    @property
    def assignments(self) -> FrozenDict[str, str]:
        """Ticket id to agent id, for the tickets that got an agent."""
        return FrozenDict({d.ticket_id: d.agent_id for d in self.decisions if d.agent_id})

    @property
    def waiting(self) -> tuple[str, ...]:
        """Ids of the tickets nobody could take, in queue order."""
        return tuple(d.ticket_id for d in self.decisions if d.agent_id is None)

    def to_dicts(self) -> list[dict[str, str | int | None]]:
        """Return one plain dict per decision, in the order served (see ``RoutingDecision.to_dict``).

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Ticket
            >>> from cs8.routing import Router
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> rows = Router().assign([Ticket(id="T1", customer_id="C", channel="email",
            ...                               created_at=t0)], [], now=t0).to_dicts()
            >>> rows[0]["ticket_id"], rows[0]["agent_id"]
            ('T1', None)
        """
        return [d.to_dict() for d in self.decisions]

    def _title(self) -> str:
        return (
            f"{len(self.decisions)} tickets: {len(self.assignments)} assigned, "
            f"{len(self.waiting)} waiting"
        )


_Row = tuple[
    tuple[_Line, ...],
    _Prepared,
    int,
    Ticket,
    Customer | None,
    tuple[datetime, tzinfo, BusinessClock | None],
    _Plan,
    str,
    str | None,
    RoutingContext | None,
    HandoffContext | None,
    RoutingState,
]
"""One ticket of ``Router.assign``'s fast path (internal), made from its run when its
decision's trace, context, handoff or state is first read (``_Run.row``): the six items of a
``_Source`` (the plan's lines and prepared actions, how many agents were looked at, the ticket,
its customer, the call's instant, zone and calendar), then its plan, id, agent (or None),
context (or None: built when read), handoff and the routing state."""


def _assignment(
    rows: tuple[RoutingDecision | _Run, ...], loads: FrozenDict[str, float], state: RoutingState
) -> AssignmentResult:
    """The result of ``Router.assign``, its decisions made from ``rows`` (decisions and runs, in
    order) when first read."""
    return _new_assignment(None, loads, state, rows)


def _build_decisions(result: AssignmentResult) -> tuple[RoutingDecision, ...]:
    """Make the decisions of ``result`` from its rows, keep them, and let the rows go."""
    rows = result._rows
    if rows is None:  # another thread built them (it sets the slot first)
        return _decisions_slot.__get__(result)  # type: ignore[no-any-return]
    with paused_collection():  # a block of records, none of them garbage (see the function)
        runs = [row for row in rows if type(row) is _Run]
        if len(runs) == len(rows):  # every ticket on the fast path (usually one run)
            decisions = tuple(_from_runs(runs))
        else:  # the general path's decisions are made already: the runs' go between them
            made = _from_runs(runs)
            merged: list[RoutingDecision] = []
            start = 0
            for row in rows:
                if type(row) is _Run:
                    end = start + len(row.positions)
                    merged.extend(made[start:end])
                    start = end
                else:
                    merged.append(row)  # type: ignore[arg-type]
            decisions = tuple(merged)
    _decisions_slot.__set__(result, decisions)
    _set_rows(result, None)
    return decisions


def _from_runs(runs: Sequence[_Run]) -> list[RoutingDecision]:
    """The decisions of a backlog's fast-path runs, in order: slots filled a column at a time
    by C loops (``map``) over the call's per-ticket lists, with no Python frame and no row per
    decision (each keeps its run as its source)."""
    if not runs:
        return []
    _, _, _, plans, ids, _ = runs[0].shared  # the same lists for every run of a call
    if len(runs) == 1:
        positions, picks = runs[0].positions, runs[0].picks
    else:
        positions = list(chain.from_iterable(map(_POSITIONS, runs)))
        picks = list(chain.from_iterable(map(_PICKS, runs)))
    sources = chain.from_iterable(repeat(run, len(run.positions)) for run in runs)
    return _new_row_decisions(
        [
            map(ids.__getitem__, positions),
            picks,
            map(_PLANNED, map(plans.__getitem__, positions)),
            sources,
        ],
        len(positions),
    )


_POSITIONS, _PICKS = attrgetter("positions"), attrgetter("picks")
_PLANNED = itemgetter(8)  # a _Plan's decided fields
_decisions_slot = vars(AssignmentResult)["decisions"]
_set_rows = vars(AssignmentResult)["_rows"].__set__
_new_assignment: Callable[..., AssignmentResult] = trusted_constructor(AssignmentResult)
type.__setattr__(AssignmentResult, "decisions", _BuiltWhenRead(_decisions_slot, _build_decisions))


def _written(line: _Line, decision: RoutingDecision) -> str:
    """The text of one line of ``decision``'s trace."""
    if type(line) is str:
        return line
    if type(line) is _Why:
        return line.text(decision.context)
    return _counts(line)  # type: ignore[arg-type]


def _counts(line: _CountsLine) -> str:
    """The text of a filter-count line of a trace."""
    need, status, preferred, numbers = line
    labels = filter_labels(need, status, preferred)
    return f"filters ({status.value}): " + " -> ".join(
        f"{label} {n}" for label, n in zip(labels, numbers, strict=True)
    )
