"""Measuring a classifier on labelled texts: accuracy, macro-F1, the confusion matrix, calibration.

Example:
    >>> ev = Evaluation.of(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    >>> ev.accuracy, round(ev.macro_f1, 3)
    (0.75, 0.733)
    >>> ev.confusion[("a", "b")]
    1
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import attrs

from cs8._display import DictsReprMixin, record_fields
from cs8._frozen import FrozenDict
from cs8.exceptions import InvalidValueError
from cs8.kpi import Rate
from cs8.text._classifier import Prediction

__all__ = ["Evaluation", "Predictor", "evaluate"]


class Predictor(Protocol):
    """**Protocol:** anything with ``predict(text) -> Prediction`` (a classifier, a baseline).

    Example:
        >>> from cs8.text import TextClassifier
        >>> hasattr(TextClassifier, "predict")
        True
    """

    def predict(self, text: str, /) -> Prediction:
        """Return what the model reads in ``text``."""
        ...


@attrs.frozen(kw_only=True, repr=False)
class Evaluation(DictsReprMixin):
    """How well predicted labels match the true ones.

    Args:
        labels: Every label seen (true or predicted), sorted.
        n: How many texts were scored.
        accuracy: The share predicted right, with its Wilson interval.
        per_label: Label to ``(precision, recall, f1, support)``.
        confusion: ``(true, predicted)`` to count (pairs never seen are absent).
        calibration_error: The expected calibration error of the scores (10 equal-width bins;
            Naeini et al. 2015), ``None`` when no scores were given.

    Example:
        >>> print(Evaluation.of(["x", "y"], ["x", "x"]))
        Evaluation (n=2)
          accuracy           50.0%
          accuracy CI        [9.5%, 90.5%]
          macro_f1           0.3333
          calibration_error  -
        label  precision  recall  f1      support
        x      0.5        1       0.6667  1
        y      0          0       0       1
    """

    __repr__ = DictsReprMixin._short_repr

    labels: tuple[str, ...]
    n: int
    accuracy_rate: Rate
    per_label: FrozenDict[str, tuple[float, float, float, int]]
    confusion: FrozenDict[tuple[str, str], int]
    calibration_error: float | None = None

    @property
    def accuracy(self) -> float:
        """The share of texts whose label was predicted right."""
        return self.accuracy_rate.value

    @property
    def macro_f1(self) -> float:
        """The unweighted mean of the labels' F1 scores (labels with true examples only)."""
        f1s = [f1 for _, _, f1, support in self.per_label.values() if support]
        return sum(f1s) / len(f1s) if f1s else 0.0

    @classmethod
    def of(
        cls,
        truth: Sequence[str],
        predicted: Sequence[str],
        scores: Sequence[float] | None = None,
    ) -> Evaluation:
        """Compare true and predicted labels (and the predictions' scores, for calibration).

        Raises:
            InvalidValueError: If the sequences differ in length or are empty.

        Example:
            >>> Evaluation.of(["a", "b"], ["a", "b"], scores=[0.9, 0.7]).calibration_error
            0.2
        """
        if len(truth) != len(predicted) or (scores is not None and len(scores) != len(truth)):
            raise InvalidValueError(
                f"Evaluation.of: {len(truth)} true labels, {len(predicted)} predictions"
                + ("" if scores is None else f", {len(scores)} scores")
            )
        if not truth:
            raise InvalidValueError("Evaluation.of needs at least one labelled text")
        labels = tuple(sorted(set(truth) | set(predicted)))
        confusion: dict[tuple[str, str], int] = {}
        for t, p in zip(truth, predicted, strict=True):
            confusion[(t, p)] = confusion.get((t, p), 0) + 1
        per_label: dict[str, tuple[float, float, float, int]] = {}
        for label in labels:
            tp = confusion.get((label, label), 0)
            support = sum(c for (t, _), c in confusion.items() if t == label)
            guessed = sum(c for (_, p), c in confusion.items() if p == label)
            precision = tp / guessed if guessed else 0.0
            recall = tp / support if support else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            per_label[label] = (precision, recall, f1, support)
        right = sum(confusion.get((label, label), 0) for label in labels)
        ece = None
        if scores is not None:
            ece = _calibration_error(
                [t == p for t, p in zip(truth, predicted, strict=True)], scores
            )
        return cls(
            labels=labels,
            n=len(truth),
            accuracy_rate=Rate.of(right, len(truth)),
            per_label=FrozenDict(per_label),
            confusion=FrozenDict(confusion),
            calibration_error=ece,
        )

    def matrix(self) -> list[list[int]]:
        """Return the confusion matrix as rows (true label) of columns (predicted), in ``labels`` order.

        Example:
            >>> Evaluation.of(["a", "b", "b"], ["a", "a", "b"]).matrix()
            [[1, 0], [1, 1]]
        """
        return [[self.confusion.get((t, p), 0) for p in self.labels] for t in self.labels]

    def to_dict(self) -> dict[str, object]:
        """Return the figures as plain data.

        Example:
            >>> Evaluation.of(["a"], ["a"]).to_dict()["accuracy"]
            1.0
        """
        return {
            "n": self.n,
            "accuracy": self.accuracy,
            "accuracy_ci": [self.accuracy_rate.ci_low, self.accuracy_rate.ci_high],
            "macro_f1": self.macro_f1,
            "labels": list(self.labels),
            "confusion": self.matrix(),
            "per_label": {
                k: {"precision": p, "recall": r, "f1": f, "support": s}
                for k, (p, r, f, s) in self.per_label.items()
            },
            "calibration_error": self.calibration_error,
        }

    def to_dicts(self) -> list[dict[str, object]]:
        """Return one row per label: precision, recall, F1 and support (``matrix()`` has the rest).

        Example:
            >>> Evaluation.of(["a", "b", "b"], ["a", "a", "b"]).to_dicts()[1]
            {'label': 'b', 'precision': 1.0, 'recall': 0.5, 'f1': 0.6666666666666666, 'support': 2}
        """
        return [
            {"label": label, "precision": p, "recall": r, "f1": f, "support": n}
            for label, (p, r, f, n) in self.per_label.items()
        ]

    def _title(self) -> str:
        return f"Evaluation (n={self.n})"

    def _summary(self) -> list[tuple[str, str]]:
        rate = self.accuracy_rate
        summary = {
            "accuracy": rate.value,
            "accuracy_low": rate.ci_low,
            "accuracy_high": rate.ci_high,
            "macro_f1": self.macro_f1,
            "calibration_error": self.calibration_error,
        }
        return record_fields(summary, frozenset({"accuracy", "accuracy_low", "accuracy_high"}))


def _calibration_error(right: Sequence[bool], scores: Sequence[float], bins: int = 10) -> float:
    totals = [0] * bins
    hits = [0] * bins
    mass = [0.0] * bins
    for ok, score in zip(right, scores, strict=True):
        b = min(int(score * bins), bins - 1)
        totals[b] += 1
        hits[b] += ok
        mass[b] += score
    n = len(right)
    return sum(abs(hits[b] - mass[b]) for b in range(bins) if totals[b]) / n


def evaluate(model: Predictor, texts: Iterable[str], labels: Iterable[str]) -> Evaluation:
    """Predict each text with ``model`` and compare with the true labels.

    Args:
        model: A :class:`TextClassifier`, or anything with ``predict(text) -> Prediction``.
        texts: The texts.
        labels: Their true labels.

    Example:
        >>> from cs8.text import TextClassifier
        >>> clf = TextClassifier.train(["good", "bad", "great", "awful"],
        ...                            ["pos", "neg", "pos", "neg"], min_df=1, calibrate=False)
        >>> evaluate(clf, ["good", "awful"], ["pos", "neg"]).accuracy
        1.0
    """
    predictions = [model.predict(t) for t in texts]
    return Evaluation.of(
        list(labels), [p.label for p in predictions], [p.score for p in predictions]
    )
