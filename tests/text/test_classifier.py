"""TextClassifier: training offline, a model as JSON data, predictions without numpy."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cs8.exceptions import InvalidValueError, SerializationError
from cs8.text import FeatureSpec, TextClassifier, evaluate
from tests._data import shared_file

pytest.importorskip("numpy")
pytest.importorskip("scipy")

SRC = Path(__file__).resolve().parents[2] / "src"

TEXTS_VI = [
    "ko nhận được hàng",
    "giao hàng chậm quá",
    "đơn hàng giao lâu quá shop ơi",
    "sao chưa giao hàng cho mình",
    "hoàn tiền giúp mình",
    "mình muốn hoàn tiền",
    "trả hàng hoàn tiền được không",
    "bao giờ được hoàn tiền",
]
LABELS_VI = ["delivery"] * 4 + ["refund"] * 4


@pytest.fixture(scope="module")
def small() -> TextClassifier:
    return TextClassifier.train(TEXTS_VI, LABELS_VI, language="vi", min_df=1, calibrate=False)


def test_predicts_from_text_without_diacritics(small: TextClassifier) -> None:
    assert small.predict("muon hoan tien").label == "refund"
    assert small.predict("chua nhan duoc hang").label == "delivery"


def test_scores_are_probabilities(small: TextClassifier) -> None:
    p = small.predict("giao hàng chậm")
    assert sum(p.scores.values()) == pytest.approx(1.0)
    assert p.score == max(p.scores.values())


def test_evidence_names_words_of_the_text(small: TextClassifier) -> None:
    p = small.predict("mình muốn hoàn tiền ngay")
    assert p.evidence
    assert all(
        word.strip("…") in "mình muốn hoàn tiền ngay hoan tien minh muon" for word in p.evidence
    )


def test_json_round_trip_predicts_the_same(small: TextClassifier) -> None:
    again = TextClassifier.from_json(small.to_json())
    for text in [*TEXTS_VI, "ship lâu", "tiền"]:
        assert again.predict(text) == small.predict(text)
    assert again.to_json() == small.to_json()


def test_model_is_plain_json_data(small: TextClassifier) -> None:
    doc = json.loads(small.to_json())
    assert set(doc) == {
        "format",
        "version",
        "language",
        "labels",
        "features",
        "vocabulary",
        "idf",
        "weights",
        "bias",
        "temperature",
        "info",
    }
    assert doc["labels"] == ["delivery", "refund"]


def test_loads_and_predicts_without_numpy_or_scipy(small: TextClassifier, tmp_path: Path) -> None:
    model = tmp_path / "model.json"
    model.write_text(small.to_json(), encoding="utf-8")
    script = textwrap.dedent(
        f"""
        import sys
        for name in ("numpy", "scipy", "sklearn"):
            sys.modules[name] = None  # any import of them now fails
        sys.path.insert(0, {str(SRC)!r})
        from cs8.text import TextClassifier
        clf = TextClassifier.from_json(open({str(model)!r}, encoding="utf-8").read())
        print(clf.predict("hoàn tiền giúp mình").label)
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("numpy", "scipy", "sklearn")
                     and sys.modules[m] is not None))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["refund", "[]"]


def test_calibrated_training_fits_a_temperature() -> None:
    texts = TEXTS_VI * 3
    labels = LABELS_VI * 3
    clf = TextClassifier.train(texts, labels, language="vi", min_df=1)
    assert clf.temperature != 1.0


@pytest.mark.parametrize(
    ("texts", "labels", "message"),
    [
        (["a", "b"], ["x"], "2 texts but 1 labels"),
        (["a", "b"], ["x", "x"], "two distinct labels"),
        (["a", "b"], ["x", ""], r"labels\[1\]"),
    ],
)
def test_bad_training_data_is_refused(texts: list[str], labels: list[str], message: str) -> None:
    with pytest.raises(InvalidValueError, match=message):
        TextClassifier.train(texts, labels)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("not json", "invalid JSON"),
        ('{"format": "cs8.text.TextClassifier", "version": 99}', "unsupported version"),
        ('{"format": "cs8.text.TextClassifier", "version": 1}', "malformed"),
    ],
)
def test_bad_models_are_refused(doc: str, message: str) -> None:
    with pytest.raises(SerializationError, match=message):
        TextClassifier.from_json(doc)


def test_truncated_weights_are_refused(small: TextClassifier) -> None:
    doc = json.loads(small.to_json())
    doc["weights"] = doc["idf"]
    with pytest.raises(SerializationError, match="weights holds"):
        TextClassifier.from_json(json.dumps(doc))


def _banking(name: str, keep: set[str] | None = None) -> tuple[list[str], list[str]]:
    path = shared_file(f"text/banking77/{name}")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if keep is None or r["category"] in keep]
    return [r["text"] for r in rows], [r["category"] for r in rows]


def test_banking77_subset_is_learned() -> None:
    # 12 intents of banking77 (Casanueva et al. 2020, CC BY 4.0): the full run against
    # scikit-learn is benchmarks/text.py; this keeps CI at a few seconds.
    all_labels = sorted(set(_banking("train.csv")[1]))
    keep = set(all_labels[:12])
    x_train, y_train = _banking("train.csv", keep)
    x_test, y_test = _banking("test.csv", keep)
    clf = TextClassifier.train(x_train, y_train, language="en", features=FeatureSpec())
    ev = evaluate(clf, x_test, y_test)
    assert ev.n == 12 * 40
    assert ev.accuracy >= 0.9
    assert ev.calibration_error is not None
    assert ev.calibration_error < 0.1
