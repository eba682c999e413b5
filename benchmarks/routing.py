"""Routing benchmark: decisions per second of cs8.routing against a plain linear scan.

Routes a backlog of tickets (100,000 by default) over 1,000 and over 10,000 agents with 20 rules
(skills with minimum levels, languages, four strategies, escalation steps), with
``Router(explain=False).assign``, and prints decisions per second. The peer, written here, is the
obvious implementation: the same rules, then every agent scanned for every ticket. It is run on a
prefix of the backlog (scanning is slow), and its decisions are checked to be the same as cs8's.

Two levels are timed: the whole decision (rules, escalation, queue order, filters, strategy, a
``RoutingDecision`` with its trace), and the agent choice alone (``AgentPool.choose`` and
``AgentPool.assign`` on precomputed rule actions) against the scan's choice alone. A decision of
``Router.assign`` builds its trace text when the trace is first read, so the whole decision is
also timed with every trace read, and with a worker's planner (``Router.planner()``: the plans
of earlier calls). ``Router.route`` one ticket at a time, with a worker's planner as a service
keeps one, is timed with ``explain=False`` and with ``explain=True`` (filter counts from the
pool's tallies, trace written when first read), the latter also with every trace read; and
without a planner (each ticket planned afresh).

Last, at 5,000 agents, a key-function plugin strategy (``KeyStrategy``, ranked on the pool's
heaps) is timed against the built-in ``least_busy`` it mirrors (their decisions are checked to be
the same), and the same ranking as a plain ``Strategy`` plugin (handed every eligible agent) on a
hundredth of the backlog.

Run:  python benchmarks/routing.py [--quick] [--tickets N] [--seed S] [--profile]
      python benchmarks/routing.py --baseline-src /path/to/other/cs8/src [--tickets N] [--rounds R]

``--baseline-src`` only compares ``Router.assign`` (30,000 tickets, 1,000 agents) with the cs8 of
another source tree, in alternating child processes, in CPU time (see ``compare_with_baseline``).

Each timed call starts after the previous result is let go and a full garbage collection (see
``best_of``); the collector runs during the call as usual.

``--profile`` also prints where the time of one ``Router.assign`` over the smallest pool goes
(cProfile, by own time; the profiler slows every call, so read it for proportions only).

The script prints figures and ratios; it never asserts timings.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _routing_workload import (
    STRATEGIES,
    T0,
    WEIGHTS,
    make_agents,
    make_customers,
    make_rules,
    make_tickets,
)

from cs8 import Agent, AgentStatus, Channel, Customer, Priority, Ticket
from cs8.routing import (
    BUILTIN_STRATEGIES,
    AgentPool,
    KeyStrategy,
    Need,
    Router,
    RoutingContext,
    RuleActions,
    RuleRegistry,
    RuleSet,
    StrategyChoice,
    load_rules,
)

# --------------------------------------------------------------------------------------------------
# The peer: the same rules, then a scan of every agent for every ticket.


class _Row:
    __slots__ = ("cap", "channels", "id", "langs", "last", "load", "skills")

    def __init__(self, agent: Agent) -> None:
        self.id = agent.id
        self.cap = round(agent.capacity * 1000)
        self.load = round(agent.active_tickets * 1000)
        self.last = float("-inf")
        self.channels = agent.channels
        self.skills = dict(agent.skills)
        self.langs = agent.languages


def plan_backlog(
    rules: RuleSet, tickets: list[Ticket], customers: dict[str, Customer], now: datetime
) -> list[tuple[Ticket, RuleActions]]:
    """Rules, escalation and priority for every ticket, in queue order (what both sides share)."""
    planned = []
    for t in tickets:
        ctx = RoutingContext(ticket=t, now=now, customer=customers.get(t.customer_id))
        _, actions = rules.select(ctx)
        steps = actions.steps_due(now - t.created_at)
        if steps:
            actions = actions.escalated(steps)
        priority: Priority = actions.priority_for(t.current_priority)
        planned.append(((-priority.rank, t.created_at.timestamp(), t.id), t, actions))
    planned.sort(key=lambda p: p[0])
    return [(t, actions) for _, t, actions in planned]


def linear_choose_all(
    planned: list[tuple[Ticket, RuleActions]], agents: list[Agent], now: datetime
) -> dict[str, str | None]:
    """For each ticket in order, scan every agent: filters, then the strategy's key."""
    rows = [_Row(a) for a in agents]
    out: dict[str, str | None] = {}
    stamp = now.timestamp()
    for t, actions in planned:
        units = round(WEIGHTS.units(t.channel, 1) * 1000)
        skills = list(actions.skills.items())
        langs = actions.languages
        strategy = actions.strategy or "least_busy"
        primary = min(skills, key=lambda s: (-s[1], s[0]))[0] if skills else None
        best = None
        best_key: tuple[object, ...] | None = None
        for r in rows:
            if t.channel not in r.channels or r.load + units > r.cap:
                continue
            if any(r.skills.get(k, -1) < v for k, v in skills):
                continue
            if langs and langs.isdisjoint(r.langs):
                continue
            if strategy == "least_busy":
                key: tuple[object, ...] = (r.load, r.id)
            elif strategy == "least_busy_share":
                key = (r.load / r.cap, r.id)
            elif strategy == "longest_idle":
                key = (r.last, r.id)
            else:
                key = (-r.skills.get(primary, 0) if primary else 0, r.load / r.cap, r.id)
            if best_key is None or key < best_key:
                best, best_key = r, key
        out[t.id] = None if best is None else best.id
        if best is not None:
            best.load += units
            best.last = stamp
    return out


def pool_choose_all(
    planned: list[tuple[Ticket, RuleActions]], pool: AgentPool, now: datetime
) -> dict[str, str | None]:
    """The same choices with cs8's indexed pool (no rules, no trace, no decision values)."""
    out: dict[str, str | None] = {}
    strategies = {name: BUILTIN_STRATEGIES[name] for name in STRATEGIES}
    online = AgentStatus.ONLINE
    needs: dict[tuple[int, Channel], Need] = {}  # one Need per kind of work, as the router keeps
    for t, actions in planned:
        need = needs.get((id(actions), t.channel))
        if need is None:
            need = Need(t.channel, skills=actions.skills, languages=actions.languages)
            needs[(id(actions), t.channel)] = need
        pick, _ = pool.choose(need, strategies[actions.strategy or "least_busy"], online)
        out[t.id] = pick
        if pick is not None:
            pool.assign(pick, t.channel, at=now)
    return out


# --------------------------------------------------------------------------------------------------


def best_of(repeat: int, fn: Callable[[], object]) -> tuple[float, object]:
    """The shortest of ``repeat`` timed calls, and the last result.

    Each call starts from the same state: the previous result is let go and a full garbage
    collection runs before the clock starts. Otherwise the time of freeing the previous result
    falls in the next call, and whether a full collection of the whole process (its 100,000
    tickets and more) lands inside a call depends on what ran before. The collector still runs
    during each call, as it would in an application.
    """
    best = float("inf")
    result: object = None
    for _ in range(repeat):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def show_profile(fn: Callable[[], object]) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(fn)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


class FewestByList:
    """The least-busy ranking as a plain Strategy plugin: the router hands it every eligible agent
    (a linear pass per decision), the way plugins were run before KeyStrategy."""

    name = "fewest_list"

    def choose(
        self, candidates: Sequence[Agent], ctx: RoutingContext, actions: RuleActions, state: Any, /
    ) -> StrategyChoice:
        best = min(candidates, key=lambda a: (a.active_tickets, a.id), default=None)
        return StrategyChoice(best, state, "fewest units of work, then agent id")


def plugin_rows(n_agents: int, n_tickets: int, seed: int, repeat: int) -> None:
    """A key-function plugin strategy (KeyStrategy) against the built-in least_busy it mirrors,
    and the same ranking as a list plugin, Router.assign over one backlog (loads change)."""
    rng = random.Random(seed)
    agents = make_agents(rng, n_agents, max(4, 3 * n_tickets // n_agents))
    tickets = make_tickets(rng, n_tickets)
    registry = RuleRegistry()
    registry.register(
        "strategy", "fewest", KeyStrategy(name="fewest", key=lambda a: (a.active_tickets,))
    )
    registry.register("strategy", "fewest_list", FewestByList())

    def router(strategy: str) -> Router:
        doc = {"rules": [], "default": {"strategy": strategy}}
        return Router(rules=load_rules(doc, registry=registry), weights=WEIGHTS, explain=False)

    pool = AgentPool(agents, weights=WEIGHTS)
    listed_tickets = tickets[: max(1, n_tickets // 100)]
    runs = [
        ("built-in least_busy", router("least_busy"), tickets),
        ("KeyStrategy key=(active_tickets,)", router("fewest"), tickets),
        ("the same ranking as a list plugin", router("fewest_list"), listed_tickets),
    ]
    results = {}
    rates = {}
    for name, r, backlog in runs:
        seconds, result = best_of(repeat, lambda r=r, b=backlog: r.assign(b, pool, now=T0))
        rates[name] = len(backlog) / seconds
        results[name] = {d.ticket_id: d.agent_id for d in result.decisions}  # type: ignore[attr-defined]
    same = results[runs[0][0]] == results[runs[1][0]]
    print(f"plugin strategies, {n_agents:,} agents, Router.assign(explain=False):")
    builtin = rates[runs[0][0]]
    for name, _, backlog in runs:
        print(
            f"{n_agents:>7,}  {name:<44} {len(backlog):>8,} {rates[name]:>12,.0f} "
            f"{builtin / rates[name]:>7.2f}x slower than the built-in"
        )
    print(f"{'':>7}  KeyStrategy decisions equal the built-in's: {'yes' if same else 'NO'}")


def run(
    n_tickets: int,
    sizes: list[int],
    peer_tickets: int,
    seed: int,
    repeat: int,
    profile: bool = False,
) -> None:
    rng = random.Random(seed)
    rules = make_rules(rng)
    tickets = make_tickets(rng, n_tickets)
    customers = make_customers(tickets)
    router = Router(rules=rules, weights=WEIGHTS, explain=False)
    planned = plan_backlog(rules, tickets, customers, T0)
    prefix_ids = {t.id for t in tickets[:peer_tickets]}
    planned_prefix = [(t, a) for t, a in planned if t.id in prefix_ids]
    print(
        f"cs8.routing benchmark: {n_tickets:,} tickets, {len(rules)} rules, seed {seed}, "
        f"best of {repeat}; the linear scan runs on the first {peer_tickets:,} tickets, which "
        f"also warm cs8's pool indexes (Router.route)"
    )
    print(f"{'agents':>7}  {'contender':<44} {'tickets':>8} {'decisions/s':>12} {'cs8/peer':>9}")
    full: dict[int, float] = {}
    routed: dict[int, float] = {}
    routed_explained: dict[int, float] = {}
    for n_agents in sizes:
        # Enough capacity that nobody fills up: every decision is a real search.
        capacity = max(4, 3 * n_tickets // n_agents)
        agents = make_agents(random.Random(seed + n_agents), n_agents, capacity)
        pool = AgentPool(agents, weights=WEIGHTS)

        # A long-lived pool is indexed by the decisions it has served: warm it by routing the
        # prefix with Router.route (which reads loads and builds indexes, never assigns), with
        # and without explanations (their filter counts are tallies built on first use).
        explained = Router(rules=rules, weights=WEIGHTS)
        # A service routes with the memory of plans its worker keeps (Router.planner()).
        plans, explained_plans = router.planner(), explained.planner()
        for t in tickets[:peer_tickets]:
            customer = customers.get(t.customer_id)
            router.route(t, pool, now=T0, customer=customer, planner=plans)
            explained.route(t, pool, now=T0, customer=customer, planner=explained_plans)

        # Agreement first: cs8 and the linear scan make the same decisions on the prefix.
        ours = router.assign(
            [t for t in tickets if t.id in prefix_ids], pool, now=T0, customers=customers
        )
        theirs = linear_choose_all(planned_prefix, agents, T0)
        agree = theirs == {d.ticket_id: d.agent_id for d in ours.decisions}
        agree_pool = theirs == pool_choose_all(planned_prefix, pool.copy(), T0)

        t_full, kept = best_of(
            repeat, lambda: router.assign(tickets, pool, now=T0, customers=customers)
        )
        del kept
        t_worker, kept = best_of(
            repeat,
            lambda: router.assign(tickets, pool, now=T0, customers=customers, planner=plans),
        )
        # What best_of leaves out: a full collection of the whole process, which CPython runs
        # once enough new objects have outlived younger collections (a backlog's decisions do).
        start = time.perf_counter()
        gc.collect()
        t_collect = time.perf_counter() - start
        del kept
        t_traced, _ = best_of(
            repeat,
            lambda: [
                d.trace for d in router.assign(tickets, pool, now=T0, customers=customers).decisions
            ],
        )
        t_peer_full, _ = best_of(
            1,
            lambda: linear_choose_all(
                plan_backlog(rules, tickets[:peer_tickets], customers, T0), agents, T0
            ),
        )
        t_choice, _ = best_of(repeat, lambda: pool_choose_all(planned, pool.copy(), T0))
        # Router.route one ticket at a time on the shared pool (a service's path), with the
        # router above (explain=False) and with the default Router (explain=True: the trace
        # counts how many agents each filter leaves, from the pool's tallies, and is written
        # when first read), also with every trace read.
        sample = tickets[: min(n_tickets, 5_000)]
        # A service's pool has served such tickets before: one untimed pass of each router builds
        # the heaps and tallies of the sample's kinds of work (the figures are per decision then).
        for t in sample:
            customer = customers.get(t.customer_id)
            router.route(t, pool, now=T0, customer=customer, planner=plans)
            explained.route(t, pool, now=T0, customer=customer, planner=explained_plans)
        t_route, _ = best_of(
            repeat,
            lambda: [
                router.route(t, pool, now=T0, customer=customers.get(t.customer_id), planner=plans)
                for t in sample
            ],
        )
        t_route_explained, _ = best_of(
            repeat,
            lambda: [
                explained.route(
                    t, pool, now=T0, customer=customers.get(t.customer_id), planner=explained_plans
                )
                for t in sample
            ],
        )
        t_route_read, _ = best_of(
            repeat,
            lambda: [
                explained.route(
                    t, pool, now=T0, customer=customers.get(t.customer_id), planner=explained_plans
                ).trace
                for t in sample
            ],
        )
        t_route_fresh, _ = best_of(
            repeat,
            lambda: [
                router.route(t, pool, now=T0, customer=customers.get(t.customer_id)) for t in sample
            ],
        )
        t_peer_choice, _ = best_of(1, lambda: linear_choose_all(planned_prefix, agents, T0))
        if profile and n_agents == min(sizes):
            show_profile(lambda: router.assign(tickets, pool, now=T0, customers=customers))
        rate_full = n_tickets / t_full
        rate_worker = n_tickets / t_worker
        rate_route_fresh = len(sample) / t_route_fresh
        rate_traced = n_tickets / t_traced
        rate_peer_full = peer_tickets / t_peer_full
        rate_choice = n_tickets / t_choice
        rate_peer_choice = peer_tickets / t_peer_choice
        rate_route = len(sample) / t_route
        rate_route_explained = len(sample) / t_route_explained
        rate_route_read = len(sample) / t_route_read
        full[n_agents] = rate_full
        routed[n_agents] = rate_route
        routed_explained[n_agents] = rate_route_explained
        rows = [
            ("cs8 Router.assign (rules, queue, decisions)", n_tickets, rate_full, None),
            ("cs8 Router.assign, a worker's planner", n_tickets, rate_worker, None),
            ("cs8 Router.assign, then every trace read", n_tickets, rate_traced, None),
            ("cs8 Router.route, one ticket at a time", len(sample), rate_route, None),
            ("cs8 Router.route, no planner (plans afresh)", len(sample), rate_route_fresh, None),
            ("cs8 Router.route, explain=True (counts)", len(sample), rate_route_explained, None),
            ("cs8 Router.route, explain=True, trace read", len(sample), rate_route_read, None),
            ("linear scan, same rules", peer_tickets, rate_peer_full, rate_full / rate_peer_full),
            ("cs8 AgentPool.choose + assign only", n_tickets, rate_choice, None),
            (
                "linear scan choice only",
                peer_tickets,
                rate_peer_choice,
                rate_choice / rate_peer_choice,
            ),
        ]
        for name, n, rate, ratio in rows:
            cell = f"{ratio:8.1f}x" if ratio is not None else ""
            print(f"{n_agents:>7,}  {name:<44} {n:>8,} {rate:>12,.0f} {cell:>9}")
        print(
            f"{'':>7}  decisions agree with the linear scan: Router {'yes' if agree else 'NO'}, "
            f"AgentPool {'yes' if agree_pool else 'NO'}"
        )
        print(
            f"{'':>7}  a full garbage collection of this process (its tickets, agents and one "
            f"backlog's decisions) takes {t_collect * 1000:,.0f} ms"
        )
    if len(full) >= 2:
        small, large = min(full), max(full)
        print(
            "Router.assign (a whole backlog, with rules and queue order): "
            f"{full[small]:,.0f} decisions/s at {small:,} agents, "
            f"{full[small] / full[large]:.2f}x slower at {large:,}"
        )
        print(
            "targets (issue 13: Router.route, one ticket at a time, >= 100,000 decisions/s at "
            "1,000 agents and <= 2x slower at 10,000):"
        )
        print(
            f"Router.route (explain=False): {routed[small]:,.0f} decisions/s at {small:,} agents, "
            f"{routed[small] / routed[large]:.2f}x slower at {large:,}"
        )
        print(
            f"Router.route (explain=True): {routed_explained[small]:,.0f} decisions/s at "
            f"{small:,} agents, {routed_explained[small] / routed_explained[large]:.2f}x slower "
            f"at {large:,}"
        )


# A child process's timing of Router.assign (1,000 agents) against the cs8 of ``src``.
_CHILD = """
import gc, random, sys, time, zlib
sys.path[:0] = [{src!r}, {bench!r}]
from cs8.routing import AgentPool, Router
from _routing_workload import T0, WEIGHTS, make_agents, make_customers, make_rules, make_tickets
rng = random.Random({seed})
rules = make_rules(rng)
tickets = make_tickets(rng, {n})
customers = make_customers(tickets)
agents = make_agents(random.Random({seed} + 1000), 1000, max(4, 3 * {n} // 1000))
pool = AgentPool(agents, weights=WEIGHTS)
router = Router(rules=rules, weights=WEIGHTS, explain=False)
result = router.assign(tickets, pool, now=T0, customers=customers)  # warm: plans, indexes
digest = zlib.crc32(repr([(d.ticket_id, d.agent_id, d.queue) for d in result.decisions]).encode())
best = read = float("inf")
for _ in range({repeat}):
    result = None
    gc.collect()
    start = time.process_time()
    result = router.assign(tickets, pool, now=T0, customers=customers)
    best = min(best, time.process_time() - start)
    result = None
    gc.collect()
    start = time.process_time()
    result = router.assign(tickets, pool, now=T0, customers=customers).decisions
    read = min(read, time.process_time() - start)
print(best, read, digest)
"""


def compare_with_baseline(baseline_src: str, n_tickets: int, seed: int, rounds: int) -> None:
    """Time ``Router.assign`` (the whole decision, 1,000 agents) against another cs8 tree.

    Each round runs one child process per tree, alternately (a change in the machine's load hits
    both), each timing the best of three calls in CPU time (``time.process_time``); the checksum
    of the decisions (ticket, agent, queue) shows both trees decide the same.
    """
    here = Path(__file__).resolve().parent
    trees = {"baseline": baseline_src, "this tree": str(here.parent / "src")}
    cpu: dict[str, list[float]] = {name: [] for name in trees}
    read: dict[str, list[float]] = {name: [] for name in trees}
    digests: dict[str, set[str]] = {name: set() for name in trees}
    for _ in range(rounds):
        for name, src in trees.items():
            code = _CHILD.format(src=src, bench=str(here), seed=seed, n=n_tickets, repeat=3)
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout.split()
            cpu[name].append(float(out[0]))
            read[name].append(float(out[1]))
            digests[name].add(out[2])
    print(
        f"Router.assign(explain=False), {n_tickets:,} tickets, 1,000 agents, seed {seed}: "
        f"{rounds} alternating rounds, each the best of 3 calls in CPU seconds ('every "
        "decision read': AssignmentResult.decisions built)"
    )
    for what, runs in (("assign alone", cpu), ("assign + every decision read", read)):
        print(f"  {what}:")
        for name, src in trees.items():
            times = sorted(runs[name])
            print(
                f"    {name:<10} best {times[0]:.3f} s  median {statistics.median(times):.3f} s  "
                f"{n_tickets / times[0]:,.0f} decisions/s  ({src})"
            )
        ratio = min(runs["this tree"]) / min(runs["baseline"])
        median = statistics.median(runs["this tree"]) / statistics.median(runs["baseline"])
        print(
            f"    this tree / baseline ({what}): {ratio:.3f} (best), {median:.3f} (median); "
            "budget 1.05"
        )
    same = digests["baseline"] == digests["this tree"] and len(digests["baseline"]) == 1
    print(f"  same decisions: {'yes' if same else 'NO'}; load average {os.getloadavg()}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few seconds: 3,000 tickets")
    parser.add_argument("--tickets", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of Router.assign")
    parser.add_argument(
        "--baseline-src",
        help="only compare Router.assign with the cs8 of this src/ folder (alternating processes)",
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds of --baseline-src")
    parser.add_argument(
        "--plugins-only", action="store_true", help="only the plugin strategies at 5,000 agents"
    )
    args = parser.parse_args(argv)
    if args.baseline_src:
        compare_with_baseline(args.baseline_src, args.tickets or 30_000, args.seed, args.rounds)
        return
    n = args.tickets or (3_000 if args.quick else 100_000)
    peer = min(n, 60 if args.quick else 2_000)
    repeat = args.repeat or (1 if args.quick else 3)
    if not args.plugins_only:
        run(n, [1_000, 10_000], peer, args.seed, repeat, args.profile)
    plugin_rows(5_000, min(n, 20_000), args.seed, repeat)


if __name__ == "__main__":
    main()
