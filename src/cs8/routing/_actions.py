"""What a matching rule asks for: :class:`RuleActions` and its :class:`EscalationStep` values.

Both are frozen values checked at construction; ``RuleActions.escalated(n)`` applies the first ``n``
steps in order (see the interface note in ``_rules``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import attrs

from cs8._enums import Priority
from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError
from cs8.routing._agent_filter import AgentFilter
from cs8.routing._order_by import AgentOrder

if TYPE_CHECKING:
    pass

__all__ = ["EscalationStep", "RuleActions"]

_RANK: dict[Priority, int] = {p: p.rank for p in Priority}
_BY_RANK: tuple[Priority, ...] = tuple(sorted(Priority, key=_RANK.__getitem__))


# --------------------------------------------------------------------------------------------------
# Validators


def _name_of(instance: object) -> str:
    return type(instance).__name__


def _check_int(low: int, high: int) -> attrs._ValidatorType[int]:
    def check(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise InvalidValueError(
                f"{_name_of(instance)}.{attribute.name} must be an integer in {low}..{high}, "
                f"got {value!r}"
            )

    return check


def _opt_text(instance: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InvalidValueError(
            f"{_name_of(instance)}.{attribute.name} must be a non-empty string or None, "
            f"got {value!r}"
        )


def _opt_priority(value: Priority | str | None) -> Priority | None:
    return None if value is None else Priority(value)


def _skills(value: Mapping[str, int] | None) -> FrozenDict[str, int]:
    return value if isinstance(value, FrozenDict) else FrozenDict(value or {})


def _check_skills(
    instance: object, attribute: attrs.Attribute[FrozenDict[str, int]], value: FrozenDict[str, int]
) -> None:
    for skill, level in value.items():
        if not isinstance(skill, str) or not skill.strip():
            raise InvalidValueError(
                f"{_name_of(instance)}.{attribute.name} has an empty skill name, got {skill!r}"
            )
        if not isinstance(level, int) or isinstance(level, bool) or level < 0:
            raise InvalidValueError(
                f"{_name_of(instance)}.{attribute.name}[{skill!r}] must be a non-negative integer "
                f"level, got {level!r}"
            )


def _str_frozenset(value: Iterable[str] | str | None) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset((value,))
    return frozenset(value)


def _str_tuple(value: Iterable[str] | str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _check_strings(instance: object, attribute: attrs.Attribute[Any], value: Iterable[str]) -> None:
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise InvalidValueError(
                f"{_name_of(instance)}.{attribute.name} must hold non-empty strings, got {item!r}"
            )
        if item in seen:
            raise InvalidValueError(f"{_name_of(instance)}.{attribute.name} lists {item!r} twice")
        seen.add(item)


def _check_after(instance: object, attribute: attrs.Attribute[timedelta], value: object) -> None:
    if not isinstance(value, timedelta) or value < timedelta(0):
        raise InvalidValueError(
            f"EscalationStep.after must be a non-negative timedelta, got {value!r}"
        )


def _check_filters(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(f, AgentFilter) for f in value):
        raise InvalidValueError(
            f"{_name_of(instance)}.{attribute.name} must be AgentFilter values "
            f"(cs8.routing.compile_agent_filter), got {value!r}"
        )


def _filters(value: Iterable[AgentFilter]) -> tuple[AgentFilter, ...]:
    return tuple(value)


def _opt_filters(value: Iterable[AgentFilter] | None) -> tuple[AgentFilter, ...] | None:
    return None if value is None else tuple(value)


def _check_step_filters(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...] | None
) -> None:
    if value is not None:
        _check_filters(instance, attribute, value)


def _orders(value: Iterable[AgentOrder]) -> tuple[AgentOrder, ...]:
    return tuple(value)


def _opt_orders(value: Iterable[AgentOrder] | None) -> tuple[AgentOrder, ...] | None:
    return None if value is None else tuple(value)


def _check_orders(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not (
        isinstance(value, tuple) and all(isinstance(o, AgentOrder) for o in value)
    ):
        raise InvalidValueError(
            f"{_name_of(instance)}.order_by must hold AgentOrder values "
            f"(cs8.routing.compile_order_by), got {value!r}"
        )


def _check_skip_if(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and value != "no_agent":
        raise InvalidValueError(
            f"{_name_of(instance)}.skip_if must be 'no_agent' or None, got {value!r}"
        )


def _check_bool(instance: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidValueError(
            f"{_name_of(instance)}.{attribute.name} must be a bool, got {value!r}"
        )


# --------------------------------------------------------------------------------------------------
# Escalation steps and actions


def _opt_strategy(instance: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InvalidValueError(
            f"{_name_of(instance)}.strategy must be a name or None, got {value!r}"
        )


@attrs.frozen(kw_only=True)
class EscalationStep:
    """What changes once a ticket has waited ``after`` without being taken.

    Args:
        after: Waiting time (from the ticket's creation, or from when the rule first applied, as the
            router documents) at which this step applies.
        queue: Move the work to this queue; ``None`` keeps the queue in force.
        priority: Set this priority; ``None`` keeps the priority in force.
        raise_priority: Raise the priority in force by this many levels (0 to 3; clamped at
            ``URGENT``). Not together with ``priority``.
        relax_skills: Lower every required skill level by this many levels (never below 0).
        drop_skills: Stop requiring these skills.
        business_hours: Count ``after`` in the calendar's business hours instead of elapsed time.
        drop_languages: Stop requiring the languages in force, and drop every agent filter that
            reads ``agent.languages``.
        agent_filters: Replace the agent filters in force with these (``()``: none from this step
            on); ``None`` keeps them.
        skills: Require these skills at these minimum levels from this step on (after relaxing
            and dropping), adding to or overriding the skills in force.
        languages: Replace the languages in force (``None`` keeps them). Not together with
            ``drop_languages``.
        preferred_agents: Replace the preferred agents (``()``: none); ``None`` keeps them.
        strategy: Choose agents with this strategy from this step on; ``None`` keeps it.
        order_by: Replace the ``order_by`` keys in force (``()``: none); ``None`` keeps them.
        skip_if: ``"no_agent"``: when no agent passes the filters this step puts in force, the
            step is skipped and the next one applies at once (Twilio TaskRouter's ``skip_if``
            with ``workers.available == 0``); ``None``: always applied.

    Raises:
        InvalidValueError: If a field is out of range, or ``priority`` and ``raise_priority`` are
            both given.

    Example:
        >>> from datetime import timedelta
        >>> step = EscalationStep(after=timedelta(minutes=30), raise_priority=1, relax_skills=1)
        >>> RuleActions(priority="normal", skills={"refunds": 3}).apply(step).skills["refunds"]
        2
    """

    after: timedelta = attrs.field(validator=_check_after)
    queue: str | None = attrs.field(default=None, validator=_opt_text)
    priority: Priority | None = attrs.field(default=None, converter=_opt_priority)
    raise_priority: int = attrs.field(default=0, validator=_check_int(0, 3))
    relax_skills: int = attrs.field(default=0, validator=_check_int(0, 1_000_000))
    drop_skills: frozenset[str] = attrs.field(
        factory=frozenset, converter=_str_frozenset, validator=_check_strings
    )
    business_hours: bool = attrs.field(default=False, validator=_check_bool)
    drop_languages: bool = attrs.field(default=False, validator=_check_bool)
    agent_filters: tuple[AgentFilter, ...] | None = attrs.field(
        default=None, converter=_opt_filters, validator=_check_step_filters
    )
    skills: FrozenDict[str, int] = attrs.field(
        factory=FrozenDict, converter=_skills, validator=_check_skills
    )
    languages: frozenset[str] | None = attrs.field(
        default=None, converter=attrs.converters.optional(_str_frozenset)
    )
    preferred_agents: tuple[str, ...] | None = attrs.field(
        default=None, converter=attrs.converters.optional(_str_tuple)
    )
    strategy: str | None = attrs.field(default=None, validator=_opt_strategy)
    order_by: tuple[AgentOrder, ...] | None = attrs.field(
        default=None, converter=_opt_orders, validator=_check_orders
    )
    skip_if: str | None = attrs.field(default=None, validator=_check_skip_if)

    def __attrs_post_init__(self) -> None:
        if self.priority is not None and self.raise_priority:
            raise InvalidValueError(
                "EscalationStep takes priority or raise_priority, not both, got "
                f"priority={self.priority.value!r} and raise_priority={self.raise_priority!r}"
            )
        if self.languages is not None:
            _check_strings(self, attrs.fields(EscalationStep).languages, self.languages)
            if self.drop_languages:
                raise InvalidValueError(
                    "EscalationStep takes languages or drop_languages, not both, got "
                    f"languages={sorted(self.languages)!r}"
                )
        if self.preferred_agents is not None:
            _check_strings(
                self, attrs.fields(EscalationStep).preferred_agents, self.preferred_agents
            )


def _steps(value: Iterable[EscalationStep] | None) -> tuple[EscalationStep, ...]:
    return tuple(value or ())


def _check_steps(
    instance: object,
    attribute: attrs.Attribute[tuple[EscalationStep, ...]],
    value: tuple[EscalationStep, ...],
) -> None:
    previous: timedelta | None = None
    for i, step in enumerate(value):
        if not isinstance(step, EscalationStep):
            raise InvalidValueError(
                f"RuleActions.escalation[{i}] must be an EscalationStep, got {step!r}"
            )
        if previous is not None and step.after <= previous:
            raise InvalidValueError(
                f"RuleActions.escalation[{i}].after must be later than the step before it "
                f"({previous} then {step.after})"
            )
        previous = step.after


@attrs.frozen(kw_only=True)
class RuleActions:
    """What a matching rule asks of the router; every field is optional.

    Args:
        queue: The queue the work goes to.
        priority: The priority to set. Not together with ``priority_change``.
        priority_change: Levels to add to (or, negative, subtract from) the ticket's priority,
            clamped to ``LOW``..``URGENT``.
        skills: Required skills with minimum levels; level 0 needs the skill at any level.
        languages: Languages an agent must speak (any one of them); empty means any agent.
        preferred_agents: Agents to try first, in order.
        strategy: The assignment strategy's name (built-in or registered); ``None`` leaves the
            router's default.
        escalation: Steps applied after waiting times, sorted by strictly increasing ``after``.
        agent_filters: Conditions every eligible agent must pass (see
            :func:`~cs8.routing.compile_agent_filter`); all must hold.
        order_by: Rank the eligible agents by these keys; the strategy chooses among the
            agents ranked first (see :func:`~cs8.routing.compile_order_by`).

    Raises:
        InvalidValueError: If a field is out of range, or both priority forms are given.

    Example:
        >>> from cs8 import Priority
        >>> actions = RuleActions(queue="billing", priority_change=1, skills={"refunds": 2})
        >>> actions.priority_for(Priority.HIGH)
        Priority.URGENT
    """

    queue: str | None = attrs.field(default=None, validator=_opt_text)
    priority: Priority | None = attrs.field(default=None, converter=_opt_priority)
    priority_change: int = attrs.field(default=0, validator=_check_int(-3, 3))
    skills: FrozenDict[str, int] = attrs.field(
        factory=FrozenDict, converter=_skills, validator=_check_skills
    )
    languages: frozenset[str] = attrs.field(
        factory=frozenset, converter=_str_frozenset, validator=_check_strings
    )
    preferred_agents: tuple[str, ...] = attrs.field(
        default=(), converter=_str_tuple, validator=_check_strings
    )
    strategy: str | None = attrs.field(default=None, validator=_opt_strategy)
    escalation: tuple[EscalationStep, ...] = attrs.field(
        default=(), converter=_steps, validator=_check_steps
    )
    agent_filters: tuple[AgentFilter, ...] = attrs.field(
        default=(), converter=_filters, validator=_check_filters
    )
    order_by: tuple[AgentOrder, ...] = attrs.field(
        default=(), converter=_orders, validator=_check_orders
    )

    def __attrs_post_init__(self) -> None:
        if self.priority is not None and self.priority_change:
            raise InvalidValueError(
                "RuleActions takes priority or priority_change, not both, got "
                f"priority={self.priority.value!r} and priority_change={self.priority_change!r}"
            )

    def priority_for(self, current: Priority) -> Priority:
        """Return the priority these actions give a ticket whose priority is ``current``.

        Example:
            >>> from cs8 import Priority
            >>> RuleActions(priority_change=-1).priority_for(Priority.LOW)
            Priority.LOW
        """
        if self.priority is not None:
            return self.priority
        if self.priority_change:
            return _BY_RANK[max(0, min(3, _RANK[current] + self.priority_change))]
        return current

    def apply(self, step: EscalationStep) -> RuleActions:
        """Return the actions in force once ``step`` applies (its own ``escalation`` kept).

        The queue and priority change only when the step sets them; ``raise_priority`` adds to the
        priority in force (absolute or relative); skills are lowered, then dropped; languages
        (and agent filters reading ``agent.languages``) are dropped; a step's agent filters replace
        those in force.

        Example:
            >>> from datetime import timedelta
            >>> base = RuleActions(queue="l1", priority="high", skills={"a": 1, "b": 2})
            >>> step = EscalationStep(after=timedelta(hours=1), queue="l2", drop_skills={"a"})
            >>> after = base.apply(step)
            >>> after.queue, after.priority, dict(after.skills)
            ('l2', Priority.HIGH, {'b': 2})
        """
        priority = self.priority
        change = self.priority_change
        if step.priority is not None:
            priority, change = step.priority, 0
        elif step.raise_priority:
            if priority is not None:
                priority = Priority.from_rank(priority.rank + step.raise_priority)
            else:
                change = max(-3, min(3, change + step.raise_priority))
        skills = self.skills
        if step.relax_skills or step.drop_skills or step.skills:
            relaxed = {
                name: max(0, level - step.relax_skills)
                for name, level in self.skills.items()
                if name not in step.drop_skills
            }
            skills = FrozenDict({**relaxed, **step.skills})
        filters = self.agent_filters if step.agent_filters is None else step.agent_filters
        languages = self.languages if step.languages is None else step.languages
        if step.drop_languages:
            languages = frozenset()
            filters = tuple(f for f in filters if not f.reads_languages)
        return attrs.evolve(
            self,
            queue=step.queue if step.queue is not None else self.queue,
            priority=priority,
            priority_change=change,
            skills=skills,
            languages=languages,
            agent_filters=filters,
            preferred_agents=(
                self.preferred_agents if step.preferred_agents is None else step.preferred_agents
            ),
            strategy=self.strategy if step.strategy is None else step.strategy,
            order_by=self.order_by if step.order_by is None else step.order_by,
        )

    def escalated(self, steps: int) -> RuleActions:
        """Return the actions in force after the first ``steps`` escalation steps, in order.

        Example:
            >>> from datetime import timedelta
            >>> actions = RuleActions(priority="low", escalation=[
            ...     EscalationStep(after=timedelta(minutes=10), raise_priority=1),
            ...     EscalationStep(after=timedelta(minutes=20), raise_priority=1)])
            >>> [actions.escalated(n).priority for n in range(3)]
            [Priority.LOW, Priority.NORMAL, Priority.HIGH]
        """
        out = self
        for step in self.escalation[: max(0, steps)]:
            out = out.apply(step)
        return out

    def steps_due(self, waited: timedelta) -> int:
        """Return how many escalation steps apply after waiting ``waited`` (``after <= waited``).

        Example:
            >>> from datetime import timedelta
            >>> actions = RuleActions(escalation=[EscalationStep(after=timedelta(minutes=10),
            ...     queue="l2")])
            >>> actions.steps_due(timedelta(minutes=9)), actions.steps_due(timedelta(minutes=10))
            (0, 1)
        """
        n = 0
        for step in self.escalation:
            if step.after > waited:
                break
            n += 1
        return n
