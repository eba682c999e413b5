"""Import a Twilio TaskRouter workflow as cs8 rules (a migration path, and a semantic oracle).

The mapping (see https://www.twilio.com/docs/taskrouter/workflow-configuration and
https://www.twilio.com/docs/taskrouter/expression-syntax):

* Task attributes are read from ``ticket.attributes`` (``type == "Support"`` reads
  ``ticket.attributes.type``; a ``task.`` prefix is accepted).
* Each filter is a rule named after its ``filter_friendly_name`` (``filter-<n>`` without one);
  first match wins, as in TaskRouter.
* The first target gives the rule's queue, priority and agent filter (its ``expression``); each
  later target is an escalation step taken once the ticket has waited the sum of the earlier
  targets' timeouts (seconds). A step replaces the agent filter in force with its own expression
  (no expression: no filter); a target without ``queue`` keeps the queue in force.
* ``queues`` (optional) gives each queue's ``TargetWorkers`` expression; it joins the agent filter
  of every step in that queue.
* Worker attributes: ``worker.sid``/``worker.id`` -> ``agent.id``, ``worker.team``,
  ``worker.languages``; ``worker.skills HAS "x"`` -> the agent has skill ``x``; any other worker
  attribute compared with a number -> ``agent.skills.<name>``.
* Priorities (TaskRouter's numbers, higher first) map to cs8's four levels by ``priority``
  (default: 0 or less normal, 1 high, 2 or more urgent).
* A target's ``order_by`` (``worker.finance ASC, worker.support DESC``: integer worker
  attributes, https://www.twilio.com/docs/taskrouter/order-workers) is the ``order_by`` of its
  step, on ``agent.skills.<name>``.
* A target's ``skip_if`` (``workers.available == 0`` or ``1 == 1``: skip when nobody can take
  the task at once, https://www.twilio.com/docs/taskrouter/worker-presence) is
  ``skip_if: "no_agent"`` on its step (a first target with ``skip_if`` becomes a step after 0 s).

What cannot be expressed raises :class:`~cs8.exceptions.RuleError` naming the filter, the target
and the part: ``known_worker_sid``, ``known_worker_friendly_name``, other ``skip_if``
expressions, ``skip_if`` on a filter's last target (TaskRouter then tries the next filter),
task attributes compared with ``HAS``, comparisons of two task attributes, nested attribute keys.
TaskRouter cancels a task after its last step times out; cs8 keeps it waiting in the last step.

Example:
    >>> rules = from_taskrouter('''{"task_routing": {"filters": [
    ...   {"filter_friendly_name": "Sales", "expression": "type == 'sales'",
    ...    "targets": [{"queue": "sales", "timeout": 60}, {"queue": "everyone"}]}],
    ...   "default_filter": {"queue": "everyone"}}}''')
    >>> rule = rules.rules[0]
    >>> rule.name, rule.when.name, rule.actions.queue, rule.actions.escalation[0].queue
    ('Sales', "ticket.attributes.type equals 'sales'", 'sales', 'everyone')
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, TypeAlias

from cs8._enums import Priority
from cs8.exceptions import RuleError
from cs8.routing._rules_io import load_rules
from cs8.routing._schema import JsonValue

if TYPE_CHECKING:
    from cs8.routing._rules import RuleSet

__all__ = ["from_taskrouter"]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<num>-?\d+(?:\.\d+)?)
      | (?P<op>==|!=|>=|<=|=|>|<|\(|\)|\[|\]|,)
      | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "has", "contains", "true", "false"}
_COMPARE = {
    "==": "equals",
    "=": "equals",
    "!=": "not_equals",
    ">": "gt",
    ">=": "gte",
    "<": "lt",
    "<=": "lte",
}
_FLIP = {"gt": "lt", "gte": "lte", "lt": "gt", "lte": "gte"}
_TARGET_KEYS = {"queue", "priority", "timeout", "expression", "order_by", "skip_if"}
_UNSUPPORTED = ("known_worker_sid", "known_worker_friendly_name")
_ORDER_CLAUSE = re.compile(r"\s*worker\.([A-Za-z0-9_]{1,100})(?:\s+(ASC|DESC))?\s*", re.IGNORECASE)
_SKIP_IF = re.compile(r"\s*(?:workers\.available\s*==\s*0|1\s*==\s*1)\s*")

Json: TypeAlias = JsonValue
_Operand = tuple[str, JsonValue]  # ("const", value) | ("key", "task.x" / "worker.x" / "x")


class _Parser:
    """A recursive-descent parser of TaskRouter expressions into nested tuples."""

    def __init__(self, text: str, where: str) -> None:
        self.where = where
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        text = text.strip()
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                raise self.error(f"cannot read {text[pos : pos + 20]!r}")
            kind = match.lastgroup or ""
            value = match.group(kind)
            if kind == "word" and value.lower() in _KEYWORDS:
                kind, value = "kw", value.lower()
            self.tokens.append((kind, value))
            pos = match.end()
            while pos < len(text) and text[pos].isspace():
                pos += 1
        self.i = 0

    def error(self, problem: str) -> RuleError:
        return RuleError(f"TaskRouter {self.where}: {problem}")

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise self.error("the expression ends too early")
        self.i += 1
        return token

    def parse(self) -> tuple[object, ...]:
        tree = self.disjunction()
        if self.peek() is not None:
            raise self.error(f"unexpected {self.peek()[1]!r}")  # type: ignore[index]
        return tree

    def disjunction(self) -> tuple[object, ...]:
        parts = [self.conjunction()]
        while self.peek() == ("kw", "or"):
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else ("any", parts)

    def conjunction(self) -> tuple[object, ...]:
        parts = [self.unary()]
        while self.peek() == ("kw", "and"):
            self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else ("all", parts)

    def unary(self) -> tuple[object, ...]:
        token = self.peek()
        if token == ("kw", "not"):
            self.take()
            return ("not", self.unary())
        if token == ("op", "("):
            self.take()
            inner = self.disjunction()
            if self.take() != ("op", ")"):
                raise self.error("a '(' is not closed")
            return inner
        left = self.operand()
        kind, value = self.take()
        if (kind, value) == ("kw", "not"):
            if self.take() != ("kw", "in"):
                raise self.error("'NOT' inside a comparison must be 'NOT IN'")
            op = "not_in"
        elif kind == "kw" and value in ("in", "has", "contains"):
            op = value
        elif kind == "op" and value in _COMPARE:
            op = _COMPARE[value]
        else:
            raise self.error(f"expected a comparison operator, got {value!r}")
        return ("cmp", left, op, self.operand())

    def operand(self) -> _Operand:
        kind, value = self.take()
        if kind == "str":
            return ("const", json.loads(value) if value[0] == '"' else value[1:-1])
        if kind == "num":
            number = float(value)
            return ("const", int(number) if number.is_integer() and "." not in value else number)
        if kind == "kw" and value in ("true", "false"):
            return ("const", value == "true")
        if kind == "word":
            return ("key", value)
        if (kind, value) == ("op", "["):
            items: list[JsonValue] = []
            while True:
                item_kind, item = self.operand()
                if item_kind != "const":
                    raise self.error("a list holds constants only")
                items.append(item)
                sep = self.take()
                if sep == ("op", "]"):
                    return ("const", items)
                if sep != ("op", ","):
                    raise self.error("expected ',' or ']' in a list")
        raise self.error(f"expected a value, got {value!r}")


def _task_key(key: str, p: _Parser) -> str:
    name = key.removeprefix("task.")
    if "." in name:
        raise p.error(f"nested task attribute {key!r} cannot be expressed (cs8 reads one level)")
    return f"ticket.attributes.{name}"


def _sides(tree: tuple[object, ...]) -> tuple[_Operand, str, _Operand]:
    """The two operands and the operator of a comparison node."""
    _, left, op, right = tree
    return left, str(op), right  # type: ignore[return-value]


def _condition(tree: tuple[object, ...], p: _Parser) -> Json:
    """A filter expression (task side) as a cs8 condition document."""
    if tree[0] in ("all", "any"):
        return {str(tree[0]): [_condition(t, p) for t in tree[1]]}  # type: ignore[attr-defined]
    if tree[0] == "not":
        return {"not": _condition(tree[1], p)}  # type: ignore[arg-type]
    left, op, right = _sides(tree)
    (lk, lv), (rk, rv) = left, right
    if lk == "const" and rk == "const":
        holds = _constant(lv, str(op), rv, p)
        return {"all": []} if holds else {"not": {"all": []}}
    if lk == "key" and rk == "key":
        raise p.error(f"comparing two task attributes ({lv} {op} {rv}) cannot be expressed")
    if lk == "const":
        if op in ("in", "not_in", "has", "contains"):
            raise p.error(f"{lv!r} {op} {rv} (a constant on the left) cannot be expressed")
        op = _FLIP.get(str(op), op)
        lv, rv = rv, lv
    if op == "has":
        raise p.error(f"{lv} HAS ... (a task attribute holding a list) cannot be expressed")
    return {"field": _task_key(str(lv), p), "op": op, "value": rv}


def _constant(left: object, op: str, right: object, p: _Parser) -> bool:
    if op in ("equals", "not_equals"):
        return (left == right) is (op == "equals")
    if op in ("in", "not_in") and isinstance(right, list):
        return (left in right) is (op == "in")
    if isinstance(left, int | float) and isinstance(right, int | float):
        return {"gt": left > right, "gte": left >= right, "lt": left < right, "lte": left <= right}[
            op
        ]
    raise p.error(f"cannot evaluate {left!r} {op} {right!r}")


def _worker_field(name: str, op: str, p: _Parser) -> tuple[str, str]:
    """(cs8 agent field, operator) for a worker attribute."""
    if name in ("sid", "id", "friendly_name"):
        return "agent.id", op
    if name == "team":
        return "agent.team", op
    if name == "languages":
        if op == "has":
            return "agent.languages", "has"
        raise p.error(f"worker.languages {op} cannot be expressed (only HAS)")
    if op in ("gt", "gte", "lt", "lte", "equals", "not_equals"):
        return f"agent.skills.{name}", op
    raise p.error(f"worker.{name} {op} cannot be expressed")


def _agent_filter(tree: tuple[object, ...], p: _Parser, bare: str) -> Json | None:
    """A target (or TargetWorkers) expression as an agent filter document; None: every agent.

    ``bare`` says whose attribute a key without prefix is ("worker" or "task")."""
    if tree[0] in ("all", "any"):
        parts = [_agent_filter(t, p, bare) for t in tree[1]]  # type: ignore[attr-defined]
        kept = [x for x in parts if x is not None]
        if tree[0] == "any" and len(kept) < len(parts):
            return None  # one side always holds
        return None if not kept else kept[0] if len(kept) == 1 else {str(tree[0]): kept}
    if tree[0] == "not":
        inner = _agent_filter(tree[1], p, bare)  # type: ignore[arg-type]
        if inner is None:
            raise p.error("NOT of an expression that always holds cannot be expressed")
        return {"not": inner}
    left, op, right = _sides(tree)
    sides: list[tuple[str, JsonValue]] = []
    for kind, value in (left, right):
        if kind == "const":
            sides.append(("const", value))
            continue
        text = str(value)
        who, _, name = text.partition(".")
        if who not in ("worker", "task") or not name:
            who, name = bare, text
        sides.append((who, name))
    (lk, lv), (rk, rv) = sides
    if lk == "const" and rk == "const":
        if _constant(lv, str(op), rv, p):
            return None
        raise p.error("an expression that never holds cannot be expressed")
    if "worker" not in (lk, rk):
        raise p.error(f"{left[1]} {op} {right[1]}: a target expression needs a worker attribute")
    if rk == "worker":  # put the worker side on the left
        if op in ("in", "not_in"):
            if rv != "languages" or op != "in":
                raise p.error(f"... {op} worker.{rv} cannot be expressed")
            op = "has"
        elif op in ("has", "contains"):
            raise p.error(f"... {op} worker.{rv} cannot be expressed")
        else:
            op = _FLIP.get(str(op), op)
        (lk, lv), (rk, rv) = (rk, rv), (lk, lv)
    if op == "has" and lv == "skills":
        if rk != "const" or not isinstance(rv, str):
            raise p.error("worker.skills HAS needs a constant skill name")
        return {"field": f"agent.skills.{rv}", "op": "gte", "value": 0}
    field, cs8_op = _worker_field(str(lv), str(op), p)
    if rk == "task":
        return {"field": field, "op": cs8_op, "value_from": _task_key(str(rv), p)}
    return {"field": field, "op": cs8_op, "value": rv}


def _order_by(text: object, at: str) -> Json | None:
    """TaskRouter's ``order_by`` (``worker.finance ASC, worker.support DESC``) as cs8 keys."""
    if text is None:
        return None
    keys: list[Json] = []
    for clause in str(text).split(","):
        match = _ORDER_CLAUSE.fullmatch(clause)
        if match is None:
            raise RuleError(
                f"TaskRouter {at}: order_by clause {clause.strip()!r} cannot be expressed; "
                "expected 'worker.<integer attribute> ASC|DESC'"
            )
        desc = (match.group(2) or "ASC").upper() == "DESC"
        keys.append({"field": f"agent.skills.{match.group(1)}", "desc": desc})
    return keys


def _default_priority(value: int) -> str:
    return "normal" if value <= 0 else "high" if value == 1 else "urgent"


def _both(a: Json | None, b: Json | None) -> Json | None:
    if a is None or b is None:
        return b if a is None else a
    return {"all": [a, b]}


def from_taskrouter(
    workflow: str | Mapping[str, object],
    *,
    queues: Mapping[str, str] | None = None,
    priority: Callable[[int], Priority | str] = _default_priority,
) -> RuleSet:
    """Turn a Twilio TaskRouter workflow configuration into a :class:`~cs8.routing.RuleSet`.

    Args:
        workflow: The workflow configuration: JSON text or the parsed dict, with
            ``task_routing.filters`` and ``task_routing.default_filter``.
        queues: Each queue's ``TargetWorkers`` expression (keys without ``worker.`` are worker
            attributes), joined to the agent filter of every step in that queue.
        priority: Maps a TaskRouter priority (an integer, higher first) to a cs8 priority.

    Returns:
        The rules (see the module documentation for the mapping).

    Raises:
        RuleError: For what cannot be expressed, naming the filter, target and part.

    Example:
        >>> from_taskrouter({"task_routing": {"filters": [{"filter_friendly_name": "x",
        ...     "expression": "1 == 1", "targets": [{"queue": "q", "known_worker_sid": "WK1"}]}]}})
        Traceback (most recent call last):
        ...
        cs8.exceptions.RuleError: TaskRouter filter 'x' targets[0]: 'known_worker_sid' cannot be expressed in cs8 rules
    """
    doc = json.loads(workflow) if isinstance(workflow, str) else workflow
    routing = doc.get("task_routing") if isinstance(doc, Mapping) else None
    if not isinstance(routing, Mapping):
        raise RuleError("TaskRouter workflow: expected an object with 'task_routing'")
    filters = routing.get("filters", [])
    if not isinstance(filters, list):
        raise RuleError("TaskRouter workflow: 'task_routing.filters' must be an array")
    worker_sets: dict[str, JsonValue | None] = {}
    for queue_name, text in (queues or {}).items():
        parser = _Parser(text, f"queue {queue_name!r} TargetWorkers")
        worker_sets[queue_name] = _agent_filter(parser.parse(), parser, "worker")
    rules: list[Json] = []
    for i, raw in enumerate(filters):
        if not isinstance(raw, Mapping):
            raise RuleError(f"TaskRouter filters[{i}]: must be an object")
        name = str(raw.get("filter_friendly_name") or f"filter-{i}")
        where = f"filter {name!r}"
        expression = raw.get("expression", "1 == 1")
        parser = _Parser(str(expression), f"{where} expression")
        when = _condition(parser.parse(), parser)
        targets = raw.get("targets", [])
        if not isinstance(targets, list) or not targets:
            raise RuleError(f"TaskRouter {where}: 'targets' must be a non-empty array")
        actions = _targets(targets, where, worker_sets, priority)
        rules.append({"name": name, "when": when, "actions": actions})
    document: dict[str, Json] = {"rules": rules}
    default = routing.get("default_filter")
    if isinstance(default, Mapping):
        document["default"] = _targets([default], "default_filter", worker_sets, priority)
    return load_rules(document)


def _targets(
    targets: list[object],
    where: str,
    worker_sets: Mapping[str, Json | None],
    priority: Callable[[int], Priority | str],
) -> dict[str, Json]:
    actions: dict[str, Json] = {}
    steps: list[Json] = []
    waited = timedelta(0)
    queue: str | None = None
    for j, target in enumerate(targets):
        at = f"{where} targets[{j}]"
        if not isinstance(target, Mapping):
            raise RuleError(f"TaskRouter {at}: must be an object")
        for key in target:
            if key in _UNSUPPORTED:
                raise RuleError(f"TaskRouter {at}: {key!r} cannot be expressed in cs8 rules")
            if key not in _TARGET_KEYS:
                raise RuleError(f"TaskRouter {at}: unknown key {key!r}")
        out: dict[str, Json] = {}
        if "queue" in target:
            queue = str(target["queue"])
            out["queue"] = queue
        if "priority" in target:
            try:
                level = int(str(target["priority"]))
            except ValueError:
                raise RuleError(
                    f"TaskRouter {at}: priority must be an integer, got {target['priority']!r}"
                ) from None
            out["priority"] = Priority(priority(level)).value
        expr = target.get("expression")
        p = _Parser(str(expr) if expr is not None else "1 == 1", f"{at} expression")
        chosen = _agent_filter(p.parse(), p, "worker")
        chosen = _both(worker_sets.get(queue) if queue is not None else None, chosen)
        order = _order_by(target.get("order_by"), at)
        if "skip_if" in target:
            if j == len(targets) - 1:
                raise RuleError(
                    f"TaskRouter {at}: 'skip_if' on a filter's last target (TaskRouter then "
                    "tries the next filter) cannot be expressed in cs8 rules"
                )
            if _SKIP_IF.fullmatch(str(target["skip_if"])) is None:
                raise RuleError(
                    f"TaskRouter {at}: skip_if {target['skip_if']!r} cannot be expressed; "
                    "expected 'workers.available == 0' or '1 == 1' (skip_if: no_agent)"
                )
            out["skip_if"] = "no_agent"
        if j == 0 and "skip_if" not in out:
            actions.update(out)
            if chosen is not None:
                actions["agent_filter"] = chosen
            if order is not None:
                actions["order_by"] = order
        else:  # a later target, or a first one that may be skipped: a step
            out["after"] = int(waited.total_seconds())
            out["agent_filter"] = chosen  # None (null): no filter in this step
            out["order_by"] = order  # None (null): no order in this step
            steps.append(out)
        if "timeout" in target:
            try:
                waited += timedelta(seconds=int(str(target["timeout"])))
            except ValueError:
                raise RuleError(
                    f"TaskRouter {at}: timeout must be whole seconds, got {target['timeout']!r}"
                ) from None
        elif j < len(targets) - 1:
            raise RuleError(f"TaskRouter {at}: a target before the last needs a 'timeout'")
    if steps:
        actions["escalation"] = steps
    return actions
