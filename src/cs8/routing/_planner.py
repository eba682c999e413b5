"""The planner: plans tickets for a router and remembers the plans (internal).

A ticket's plan (rule, actions, priority, escalation step, due time, the trace lines so far) follows
from the router's settings and what the rules read; tickets alike share one plan. The memory of
plans lives in a :class:`Planner`, owned by whoever makes the decisions: ``Router.assign`` makes
one per call unless given one; a worker routing one ticket at a time keeps one
(``router.planner()``) and passes it to every ``Router.route`` call.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from cs8._enums import Priority
from cs8._models import Customer, Ticket
from cs8.exceptions import InvalidValueError
from cs8.routing._actions import RuleActions
from cs8.routing._context import _NO_SLA, ReadView, RoutingContext, SlaInput, fast_context
from cs8.routing._plan import (
    _CACHE_SIZE,
    _duration,
    _entry_steps,
    _languages_and_filters,
    _Line,
    _line,
    _Plan,
    _plan_of,
    _Prepared,
    _priority_note,
    _Why,
    _why,
)
from cs8.routing._priority import least_slack
from cs8.routing._rules import RoutingRule, memo_key

if TYPE_CHECKING:
    from cs8.routing._router import Router

__all__ = ["Planner"]

_PLAN_CACHE_SIZE = 65536  # rule x actions x priority x minutes waited, for escalating rules
_PRIORITY = ("ticket.current_priority",)  # read with what the rules read: a plan's key


class Planner:
    """Plans tickets for one :class:`~cs8.routing.Router` and remembers the plans.

    What a planner remembers is derived from immutable values (the router's settings, rule
    actions, the values the rules read), so a remembered plan is the plan that would be made
    again: a planner changes how fast a router decides, never what it decides. Its memory is
    bounded (each table is cleared when full).

    Thread-safety: one planner may serve several threads; its tables are dicts whose entries are
    only added (or all cleared) and equal whoever computes them, so two threads may both make
    an entry and neither reads a wrong one. A worker that owns its planner avoids even that.

    Args:
        router: The router whose settings the plans follow.

    Example:
        >>> from datetime import datetime, timezone
        >>> from cs8 import Agent, Ticket
        >>> from cs8.routing import Router
        >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> router = Router(explain=False)
        >>> planner = router.planner()
        >>> ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)
        >>> router.route(ticket, [Agent(id="a1")], now=t0, planner=planner).agent_id
        'a1'
    """

    __slots__ = (
        "_cache",
        "_escalations",
        "_lines",
        "_memo_plans",
        "_plans",
        "_reader",
        "_shape",
        "_shapes",
        "_waits",
        "adjustments",
        "ageing",
        "calendar",
        "explain",
        "matrix",
        "router",
        "rules",
        "strategies",
        "strategy",
        "timezone",
    )

    def __init__(self, router: Router) -> None:
        self.router = router
        # The router's settings, read on every plan.
        self.rules = router.rules
        self._reader = router.rules.reader  # what the rules read, when that decides the match
        # A remembered plan's key: what the rules read and the ticket's priority, one read.
        self._shape = None if self._reader is None else memo_key(router.rules.rules, _PRIORITY)
        self.strategy = router.strategy
        self.strategies = router.strategies
        self.calendar = router.calendar
        self.explain = router.explain
        self.matrix = router.matrix
        self.adjustments = router.adjustments
        self.ageing = router.ageing
        self.timezone = router.timezone
        # Derived once per RuleActions value (by identity; the value is kept alive with it).
        self._cache: dict[int, _Prepared] = {}
        self._escalations: dict[tuple[int, int], tuple[RuleActions, RuleActions]] = {}
        self._lines: dict[int, tuple[RoutingRule, str]] = {}
        # No matrix, adjustments or ageing, no SLA clocks: the rule, the actions,
        # the base priority and (escalation in calendar time) the time waited decide the whole
        # plan. (id(rule), id(actions), base, waited or None) -> (rule, actions, the plan).
        self._plans: dict[
            tuple[int, int, Priority, timedelta | None],
            tuple[RoutingRule | None, RuleActions, _Plan],
        ] = {}
        self._memo_plans = (
            router.matrix is None and router.adjustments is None and router.ageing is None
        )
        # With remembered plans and a rule set that remembers its first matches: (the values its
        # rules read, the base priority) -> the plan; for actions with escalation steps counted in
        # calendar time, that shape is in _waits and the key also holds the time waited. One or
        # two lookups then plan a ticket.
        self._shapes: dict[object, _Plan] = {}
        self._waits: set[object] = set()

    @property
    def remembers(self) -> bool:
        """Whether plans are remembered by the shape of a ticket (no matrix, adjustments or
        ageing, and plain rules): then :meth:`plan` reads only what the rules read, and a
        context whose ticket and customer are the only inputs will do.

        Example:
            >>> from cs8.routing import PriorityMatrix, Router
            >>> Router().planner().remembers, Router(matrix=PriorityMatrix()).planner().remembers
            (True, False)
        """
        return self._memo_plans and self._reader is not None

    def _steps_due(self, actions: RuleActions, ticket: Ticket, now: datetime) -> tuple[int, str]:
        elapsed = now - ticket.created_at
        business: timedelta | None = None
        count = 0
        waited = elapsed
        note = ""
        for step in actions.escalation:
            waited = elapsed
            if step.business_hours:
                if self.calendar is None:
                    note = " (no calendar: counted in calendar time)"
                else:
                    if business is None:
                        business = self.calendar.business_duration(ticket.created_at, now)
                    waited = business
                    note = " (business time)"
            if waited < step.after:
                break
            count += 1
        return count, f"{_duration(waited)}{note}"

    def _prepared(self, actions: RuleActions) -> _Prepared:
        cache = self._cache
        found = cache.get(id(actions))
        if found is not None and found.actions is actions:
            return found
        if actions.strategy is not None:
            strategy = self.strategies.get(actions.strategy)
            if strategy is None:
                raise InvalidValueError(
                    f"rule actions name strategy {actions.strategy!r}, which the router does not "
                    f"know; known: {sorted(self.strategies)}"
                )
        else:
            strategy = self.strategy
        prep = _Prepared(actions, strategy)
        if len(cache) >= _CACHE_SIZE:  # a rule plugin may build new actions every time
            cache.clear()
        cache[id(actions)] = prep
        return prep

    def _escalated(self, actions: RuleActions, steps: int) -> RuleActions:
        key = (id(actions), steps)
        found = self._escalations.get(key)
        if found is not None and found[0] is actions:
            return found[1]
        out = actions.escalated(steps)
        if len(self._escalations) >= _CACHE_SIZE:
            self._escalations.clear()
        self._escalations[key] = (actions, out)
        return out

    def context_and_plan(
        self,
        ticket: Ticket,
        now: datetime,
        customer: Customer | None,
        sla: SlaInput,
    ) -> tuple[RoutingContext, _Plan]:
        """Return the routing context of ``ticket`` at ``now`` (an aware stdlib datetime, in
        the router's zone) and its plan.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Ticket
            >>> from cs8.routing import Router
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)
            >>> ctx, plan = Router().planner().context_and_plan(ticket, t0, None, None)
            >>> ctx.ticket is ticket
            True
        """
        ctx = fast_context(ticket, now, customer, sla, self.timezone, self.calendar)
        return ctx, self.plan(ctx)

    def planning(
        self, now: datetime, first: Ticket
    ) -> Callable[[Ticket, Customer | None], _Plan] | None:
        """Return a function planning one ticket of a backlog at ``now`` (with its customer and
        no SLA clocks) as :meth:`plan` does, when plans are remembered for plain rules; ``None``
        otherwise (plan each ticket's context with :meth:`plan`). ``first`` is any ticket of the
        backlog (the local time at ``now`` is read from its context once).

        The function hands the rules' reader a :class:`ReadView` of the ticket and builds a
        routing context only for a ticket shaped like none planned before.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Ticket
            >>> from cs8.routing import Router
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> planner = Router(explain=False).planner()
            >>> ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)
            >>> plan = planner.planning(t0, ticket)
            >>> plan(ticket, None) is planner.context_and_plan(ticket, t0, None, None)[1]
            True
        """
        shape_of = self._shape
        if not self._memo_plans or shape_of is None:
            return None
        shapes = self._shapes
        waits = self._waits
        timezone, calendar = self.timezone, self.calendar
        plan_context = self.plan
        at = fast_context(first, now, None, None, timezone, calendar)
        hour, weekday, date = at.local_hour, at.local_weekday, at.local_date  # the same for all
        view = partial(tuple.__new__, ReadView)  # ReadView(...) without a Python-level call

        def planned(ticket: Ticket, customer: Customer | None) -> _Plan:
            # The key reads only what a ReadView holds (RuleSet.reader's fields, the priority).
            shape = shape_of(view((ticket, customer, hour, weekday, date)))  # type: ignore[arg-type]
            found = shapes.get(shape)
            if found is None and shape in waits:
                found = shapes.get((shape, now - ticket.created_at))
            if found is not None:
                return found
            return plan_context(fast_context(ticket, now, customer, None, timezone, calendar))

        return planned

    def plan(self, ctx: RoutingContext) -> _Plan:
        """Return the plan of the ticket in ``ctx`` (shared by tickets alike when plans are
        remembered; a remembered plan does not keep ``ctx``).

        With remembered plans and plain rules, one or two lookups by the ticket's shape (the
        values the rules read and its priority, and for escalation counted in calendar time how
        long it has waited) find a plan made before.

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Ticket
            >>> from cs8.routing import RoutingContext, Router
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> planner = Router(explain=False).planner()
            >>> ctx = RoutingContext(ticket=Ticket(id="T1", customer_id="C1", channel="email",
            ...     created_at=t0), now=t0)
            >>> planner.plan(ctx) is planner.plan(ctx)
            True
        """
        ticket = ctx.ticket
        rules = self.rules
        reader = self._reader
        if reader is None:
            rule, actions = rules.select(ctx)
            if self._memo_plans and ctx.sla is _NO_SLA:
                return self._by_rule(ctx, rule, actions)
            return self._plan_slow(ctx, rule, actions)
        if not self._memo_plans or ctx.sla is not _NO_SLA:
            rule, actions = rules.select_read(reader(ctx), ctx)
            return self._plan_slow(ctx, rule, actions)
        shape = self._shape(ctx)  # type: ignore[misc]  # set with the reader
        shapes = self._shapes
        plan = shapes.get(shape)
        if plan is None and shape in self._waits:
            plan = shapes.get((shape, ctx.now - ticket.created_at))
        if plan is not None:
            return plan
        rule, actions = rules.select_read(reader(ctx), ctx)  # the values the rules read
        if actions.escalation:
            if self.calendar is not None and any(s.business_hours for s in actions.escalation):
                return self._plan_slow(ctx, rule, actions)  # business time: not remembered
            self._waits.add(shape)
            shape = (shape, ctx.now - ticket.created_at)
        plan = self._plan_slow(ctx, rule, actions)
        if len(shapes) >= _PLAN_CACHE_SIZE:
            shapes.clear()
            self._waits.clear()
        shapes[shape] = plan
        return plan

    def _by_rule(
        self, ctx: RoutingContext, rule: RoutingRule | None, actions: RuleActions
    ) -> _Plan:
        """The plan remembered by rule, actions, priority and time waited (rule sets without a
        memo of their first matches, such as rule plugins)."""
        ticket = ctx.ticket
        waited: timedelta | None = None
        if actions.escalation:
            if self.calendar is not None and any(s.business_hours for s in actions.escalation):
                return self._plan_slow(ctx, rule, actions)
            waited = ctx.now - ticket.created_at
        key = (id(rule), id(actions), ticket.current_priority, waited)
        known = self._plans.get(key)
        if known is not None and known[0] is rule and known[1] is actions:
            return known[2]
        plan = self._plan_slow(ctx, rule, actions)
        if len(self._plans) >= _PLAN_CACHE_SIZE:
            self._plans.clear()
        self._plans[key] = (rule, actions, plan)
        return plan

    def _plan_slow(
        self, ctx: RoutingContext, rule: RoutingRule | None, actions: RuleActions
    ) -> _Plan:
        """Plan one ticket: rule line, escalation, priority (with adjustments and ageing), due time."""
        ticket = ctx.ticket
        now = ctx.now
        lines: list[_Line] = []
        if rule is None:
            name = None
            lines.append(f"no rule matched: default actions (queue {actions.queue or 'default'})")
        else:
            name = rule.name
            if self.explain:
                lines.append(_Why(rule))  # written when the trace is read
            else:  # the same line for every ticket this rule matches
                line = self._lines.get(id(rule))
                if line is None or line[0] is not rule:
                    if len(self._lines) >= _CACHE_SIZE:
                        self._lines.clear()
                    line = (rule, f"rule {name!r} matched: {_why(rule, ctx, False)}")
                    self._lines[id(rule)] = line
                lines.append(line[1])

        # Escalation: every step whose timeout has passed applies, in order.
        step = 0
        waited = ""
        ruled = actions
        if actions.escalation:
            step, waited = self._steps_due(actions, ticket, now)
            if step:
                actions = self._escalated(actions, step)
        prep = self._prepared(actions)
        if step:  # escalated actions are made per (rule's actions, step): one entry each
            prep.entry = _entry_steps(ruled.queue, ruled.escalation[:step], step)
        if prep.origin is None and any(s.skip_if for s in ruled.escalation):
            prep.origin = (ruled, step)  # the router skips steps nobody can take (skip_if)
            prep.simple = False

        priority, note = self._rule_priority(ticket, prep)
        if step:
            lines.append(
                _line(
                    prep.lines,
                    (step, waited, priority),
                    lambda: (
                        f"escalation step {step} of {len(actions.escalation)} in force after "
                        f"{waited} waiting: queue {actions.queue or 'default'}, priority "
                        f"{priority.value}, skills {prep.skills_text}"
                        f"{_languages_and_filters(actions)}"
                    ),
                )
            )
        elif actions.escalation:
            first = actions.escalation[0].after
            lines.append(
                _line(
                    prep.lines,
                    (0, waited, priority),
                    lambda: (
                        f"escalation: no step yet ({waited} waited, first step after "
                        f"{_duration(first)})"
                    ),
                )
            )

        priority, note, due_at = self._adjusted(ctx, priority, note)
        lines.append(note)
        return _plan_of(prep, tuple(lines), name, priority, step or None, due_at)

    def _rule_priority(self, ticket: Ticket, prep: _Prepared) -> tuple[Priority, str]:
        """The priority ``prep``'s actions give ``ticket`` (the rule's, else impact x urgency,
        else the ticket's), and the trace line saying so."""
        if self.matrix is not None and "impact" in ticket.attributes:
            base, source = self.matrix.for_ticket(ticket), "impact x urgency"
        else:
            base, source = ticket.current_priority, "ticket"
        found = prep.notes.get((base, source))
        if found is None:
            found = prep.notes[(base, source)] = _priority_note(prep.actions, base, source)
        return found

    def _adjusted(
        self, ctx: RoutingContext, priority: Priority, note: str
    ) -> tuple[Priority, str, datetime | None]:
        """``priority`` after the adjustments and ageing, its trace line, and the due time."""
        due_at = None
        slack = least_slack(ctx.sla) if ctx.sla is not _NO_SLA else None
        if slack is not None:
            due_at = ctx.now + slack
        if self.adjustments is not None:
            adjusted, reasons = self.adjustments.apply(
                priority, ticket=ctx.ticket, customer=ctx.customer, time_left=slack
            )
            if reasons:
                note = f"{note}; {'; '.join(reasons)} -> {adjusted.value}"
            priority = adjusted
        if self.ageing is not None:
            aged = self.ageing.priority(ctx.ticket, ctx.now, base=priority)
            if aged is not priority:
                note = f"{note}; ageing -> {aged.value}"
            priority = aged
        return priority, note, due_at

    def replanned(
        self,
        ctx: RoutingContext,
        plan: _Plan,
        actions: RuleActions,
        step: int | None,
        line: str,
        entry: tuple[int, int] = (0, 0),
    ) -> _Plan:
        """``plan`` with ``actions`` in force from escalation step ``step`` instead (the router's
        ``skip_if``: TaskRouter moves a task past a skipped target as if its timeout had passed,
        so the priority is the one ``actions`` give, as for a step reached by waiting); ``line``
        says why, before the priority line; ``entry``: how the ticket came into the queue of
        ``actions`` (see ``_entry_steps``).

        Example:
            >>> from datetime import datetime, timezone
            >>> from cs8 import Ticket
            >>> from cs8.routing import RuleActions, Router
            >>> t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
            >>> planner = Router(explain=False).planner()
            >>> ticket = Ticket(id="T1", customer_id="C1", channel="email", created_at=t0)
            >>> ctx, plan = planner.context_and_plan(ticket, t0, None, None)
            >>> new = planner.replanned(ctx, plan, RuleActions(priority="urgent"), 1, "why")
            >>> new[3].value, new[1][-2:]
            ('urgent', ('why', 'priority urgent (rule)'))
        """
        name = actions.strategy
        strategy = self.strategy if name is None else self.strategies[name]
        prep = _Prepared(actions, strategy)
        prep.entry = entry
        priority, note = self._rule_priority(ctx.ticket, prep)
        priority, note, due_at = self._adjusted(ctx, priority, note)
        lines = (*plan[1][:-1], line, note)  # the planned priority line was the last
        return _plan_of(prep, lines, plan[2], priority, step, due_at)
