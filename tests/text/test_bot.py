"""Bot KPIs on a hand-made set whose counts are worked out by hand under each preset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs8 import Interaction
from cs8.exceptions import InvalidValueError
from cs8.stats import wilson_interval
from cs8.text import (
    CHATWOOT_BOT_RESOLUTION,
    ZENDESK_AUTOMATED_RESOLUTION,
    BotDefinition,
    bot_containment,
    bot_deflection,
    bot_handoff_rate,
    bot_resolution_rate,
    repeat_contact,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
NOW = T0 + timedelta(days=10)
M = timedelta(minutes=1)
D = timedelta(days=1)


def bot(id: str, customer: str, start: datetime, end: datetime | None) -> Interaction:
    return Interaction(
        id=id,
        customer_id=customer,
        channel="chat",
        started_at=start,
        answered_at=start,
        ended_at=end,
        handled_by="bot",
    )


def human(id: str, customer: str, start: datetime, previous: str | None = None) -> Interaction:
    return Interaction(
        id=id,
        customer_id=customer,
        channel="phone" if previous is None else "chat",
        started_at=start,
        answered_at=start,
        ended_at=start + 10 * M,
        agent_id="a1",
        previous_id=previous,
    )


# The set, conversation by conversation (11 conversations, 8 of them started by the bot):
#   b1  C1 bot, ended, nobody comes back                       contained everywhere
#   b2  C2 bot, handed to a person (h2)                        never contained
#   b3  C3 bot, ended; C3 phones a person a day later (p3)     resolved for Chatwoot only
#   b4  C4 bot, ended; C4 talks to the bot again 2 days later  no human follow-up, but activity
#   b4b C4 that second bot session, nothing after it           contained everywhere
#   b5  C5 bot, ended; C5 phones a person 4 days later (p5)    after 72 h, within 7 days
#   b6  C6 bot, still going                                    excluded: still_open
#   b7  C7 bot, ended a day before NOW                         window_open (72 h, 7 d)
#   p3, p5, p8: contacts with a person, no bot (count only over "all")
DATA = [
    bot("b1", "C1", T0, T0 + 5 * M),
    bot("b2", "C2", T0, T0 + 3 * M),
    human("h2", "C2", T0 + 3 * M, previous="b2"),
    bot("b3", "C3", T0, T0 + 10 * M),
    human("p3", "C3", T0 + D),
    bot("b4", "C4", T0, T0),
    bot("b4b", "C4", T0 + 2 * D, T0 + 2 * D + 5 * M),
    bot("b5", "C5", T0, T0),
    human("p5", "C5", T0 + 4 * D),
    bot("b6", "C6", T0, None),
    bot("b7", "C7", NOW - D - 5 * M, NOW - D),
    human("p8", "C8", T0),
]


def counts(rate: object) -> tuple[int, int, dict[str, int]]:
    return rate.successes, rate.n, dict(rate.excluded)  # type: ignore[attr-defined]


def test_containment_default_72h_over_bot_conversations() -> None:
    # Contained: b1, b4 (its follow-up is a bot), b4b, b5 (the call is after 72 h) = 4;
    # decidable bot conversations: b1, b2, b3, b4, b4b, b5 = 6.
    assert counts(bot_containment(DATA, now=NOW)) == (4, 6, {"still_open": 1, "window_open": 1})


def test_containment_over_all_conversations() -> None:
    # The same 4 over 6 bot + 3 human-only conversations.
    rate = bot_containment(DATA, denominator="all", now=NOW)
    assert counts(rate) == (4, 9, {"still_open": 1, "window_open": 1})


def test_zendesk_automated_resolution() -> None:
    # Any activity within 72 h breaks it: b4 drops out (b4b two days later): b1, b4b, b5 = 3 of 6.
    rate = bot_containment(DATA, definition=ZENDESK_AUTOMATED_RESOLUTION, now=NOW)
    assert counts(rate) == (3, 6, {"still_open": 1, "window_open": 1})


def test_chatwoot_bot_resolution_over_all_conversations() -> None:
    # No window: every ended bot conversation without a handoff counts (b1, b3, b4, b4b, b5, b7
    # = 6) over all conversations but the open b6: 7 bot + 3 human = 10.
    rate = bot_containment(DATA, definition=CHATWOOT_BOT_RESOLUTION, now=NOW)
    assert counts(rate) == (6, 10, {"still_open": 1})
    assert counts(bot_resolution_rate(DATA, "all")) == (6, 10, {"still_open": 1})


def test_repeat_contact_within_7_days() -> None:
    # b3 (1 day), b4 (2 days) and b5 (4 days) came back within 7 days: b1, b4b = 2 of 6.
    rate = bot_containment(DATA, definition=repeat_contact(timedelta(days=7)), now=NOW)
    assert counts(rate) == (2, 6, {"still_open": 1, "window_open": 1})


def test_handoff_rate_over_all_bot_conversations() -> None:
    assert counts(bot_handoff_rate(DATA)) == (1, 8, {})


def test_bot_resolution_rate_over_bot_conversations() -> None:
    assert counts(bot_resolution_rate(DATA)) == (6, 7, {"still_open": 1})


def test_deflection_is_no_contact_at_all_over_all_conversations() -> None:
    assert counts(bot_deflection(DATA, now=NOW)) == (3, 9, {"still_open": 1, "window_open": 1})


def test_rates_carry_the_kpi_wilson_interval() -> None:
    rate = bot_containment(DATA, now=NOW)
    assert (rate.ci_low, rate.ci_high) == wilson_interval(4, 6)


def test_now_defaults_to_the_latest_instant_in_the_data() -> None:
    # The latest start or end in the data is b7's end, NOW - 1 day (T0 + 9 days): every window
    # of 72 h but b7's has elapsed by then, so the counts are those at NOW.
    assert counts(bot_containment(DATA)) == (4, 6, {"still_open": 1, "window_open": 1})


def test_order_of_the_input_does_not_matter() -> None:
    assert counts(bot_containment(DATA[::-1], now=NOW)) == counts(bot_containment(DATA, now=NOW))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"denominator": "some"}, "denominator"),
        ({"followup": "bot"}, "followup"),
        ({"window": timedelta(hours=-1)}, "window"),
    ],
)
def test_bad_definitions_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidValueError, match=message):
        BotDefinition(**kwargs)  # type: ignore[arg-type]


# ------------------------------------------------------------------ property: a brute-force oracle


@st.composite
def contact_sets(draw: st.DrawFn) -> list[Interaction]:
    out: list[Interaction] = []
    start = T0
    for k in range(draw(st.integers(0, 12))):
        start = start + timedelta(hours=draw(st.integers(1, 60)))
        by_bot = draw(st.booleans())
        length = draw(st.none() | st.integers(1, 30))
        end = None if length is None else start + timedelta(minutes=length)
        customer = draw(st.sampled_from(["C1", "C2", "C3"]))
        earlier = [i.id for i in out if i.customer_id == customer]
        previous = draw(st.none() | st.sampled_from(earlier)) if earlier else None
        out.append(
            Interaction(
                id=f"i{k}",
                customer_id=customer,
                channel="chat",
                started_at=start,
                answered_at=start,
                ended_at=end,
                handled_by="bot" if by_bot else "agent",
                previous_id=previous,
            )
        )
    return draw(st.permutations(out))


def oracle(
    data: list[Interaction], definition: BotDefinition, now: datetime
) -> tuple[int, int, dict[str, int]]:
    ids = {i.id for i in data}
    roots = [i for i in data if i.previous_id is None or i.previous_id not in ids]
    hits = n = 0
    excluded: dict[str, int] = {}
    for root in roots:
        members = [root]
        grew = True
        while grew:
            more = [
                i for i in data if i.previous_id in {m.id for m in members} and i not in members
            ]
            members += more
            grew = bool(more)
        if root.handled_by.value != "bot":
            n += definition.denominator == "all"
            continue
        if any(m.handled_by.value != "bot" for m in members[1:]):
            n += 1
            continue
        end = max(members, key=lambda m: m.started_at).ended_at
        if end is None:
            excluded["still_open"] = excluded.get("still_open", 0) + 1
            continue
        if definition.window and end + definition.window > now:
            excluded["window_open"] = excluded.get("window_open", 0) + 1
            continue
        n += 1
        back = [
            i
            for i in data
            if i.customer_id == root.customer_id
            and end < i.started_at <= end + definition.window
            and (definition.followup == "any" or i.handled_by.value != "bot")
        ]
        hits += not (definition.window and back)
    return hits, n, excluded


@given(
    contact_sets(),
    st.sampled_from(
        [
            BotDefinition(),
            BotDefinition(denominator="all"),
            ZENDESK_AUTOMATED_RESOLUTION,
            CHATWOOT_BOT_RESOLUTION,
            repeat_contact(timedelta(days=2)),
        ]
    ),
)
def test_containment_matches_a_brute_force_count(
    data: list[Interaction], definition: BotDefinition
) -> None:
    now = T0 + timedelta(days=30)
    assert counts(bot_containment(data, definition=definition, now=now)) == oracle(
        data, definition, now
    )
