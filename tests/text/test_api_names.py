"""The names ../shared/API.md promises for cs8.text exist, with the signatures it gives."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime, timedelta

import pytest

import cs8.text
from cs8 import Interaction, Message
from cs8.text import TextClassifier, bot_containment, sentiment

PROMISED = [
    "TextClassifier", "Prediction", "sentiment", "bot_containment", "normalize", "evaluate",
    "Evaluation", "flags", "annotate", "bot_deflection", "bot_handoff_rate",
    "bot_resolution_rate", "CHATWOOT_BOT_RESOLUTION", "ZENDESK_AUTOMATED_RESOLUTION",
    "repeat_contact",
]  # fmt: skip


@pytest.mark.parametrize("name", PROMISED)
def test_name_is_public(name: str) -> None:
    assert hasattr(cs8.text, name)
    assert name in cs8.text.__all__


def test_train_signature() -> None:
    params = inspect.signature(TextClassifier.train).parameters
    assert list(params)[:3] == ["texts", "labels", "language"]
    assert params["language"].default == "auto"


def test_sentiment_and_containment_defaults() -> None:
    assert inspect.signature(sentiment).parameters["language"].default == "auto"
    params = inspect.signature(bot_containment).parameters
    assert params["window"].default == timedelta(hours=72)
    assert params["denominator"].default == "bot_handled"


def test_prediction_fields() -> None:
    p = sentiment("tốt", "vi")
    assert (p.label, p.evidence) == ("positive", ("tốt",))
    assert 0 <= p.score <= 1


def test_models_carry_text() -> None:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    assert Message(at=t0, text="xin chào").text == "xin chào"
    assert Message(at=t0).text is None
    contact = Interaction(id="I", customer_id="C", channel="chat", started_at=t0, transcript="hi")
    assert contact.transcript == "hi"
