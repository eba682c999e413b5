"""Benchmark: intent classification on banking77, cs8's TextClassifier against TF-IDF + LR.

Run ``python benchmarks/text.py`` (the full train/test split: 10,003 / 3,080 queries, 77 intents)
or ``--quick`` (the first 15 intents). ``--vi`` runs the same comparison on Vietnamese: the
three-class sentiment of UIT-VSFC (student feedback; 11,426 training and 3,166 test sentences).
That set has no licence for redistribution: it is read from ``../shared/data/text/eval_only`` to
measure only, and the models trained on it are thrown away at the end of the run. The peer is scikit-learn's ``TfidfVectorizer`` +
``LogisticRegression``, in two settings measured in the same run: scikit-learn's defaults
(unigrams, ``C=1``) and the setting closest to cs8's (unigrams and bigrams, sublinear TF,
``min_df=2``, ``C=10``). The script prints accuracy, macro-F1, training seconds and the ratio of
training times; it never asserts anything. The issue's target: cs8's accuracy at least the peer's,
training in under a minute on two cores.

The data (CC BY 4.0, Casanueva et al. 2020) is read from ``../shared/data/text/banking77``.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from cs8.text import Evaluation, TextClassifier, evaluate


def text_dir() -> Path:
    env = os.environ.get("CS8_SHARED_DATA")
    if env:
        return Path(env) / "text"
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "data").is_dir():
            return parent / "shared" / "data" / "text"
    return Path("shared") / "data" / "text"


def data_dir() -> Path:
    return text_dir() / "banking77"


def load_vsfc(split: str) -> tuple[list[str], list[str]]:
    base = text_dir() / "eval_only" / "vi_uit_vsfc" / split
    sents = (base / "sents.txt").read_text(encoding="utf-8").split("\n")
    names = {"0": "negative", "1": "neutral", "2": "positive"}
    labels = (base / "sentiments.txt").read_text(encoding="utf-8").split("\n")
    pairs = [(t, names[y]) for t, y in zip(sents, labels, strict=False) if y in names]
    return [t for t, _ in pairs], [y for _, y in pairs]


def load(name: str, keep: set[str] | None) -> tuple[list[str], list[str]]:
    with (data_dir() / name).open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if keep is None or r["category"] in keep]
    return [r["text"] for r in rows], [r["category"] for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the first 15 intents")
    parser.add_argument("--vi", action="store_true", help="Vietnamese: UIT-VSFC sentiment")
    args = parser.parse_args()
    language = "vi" if args.vi else "en"
    if args.vi:
        if not (text_dir() / "eval_only" / "vi_uit_vsfc").is_dir():
            sys.exit("UIT-VSFC not found under eval_only")
        x_train, y_train = load_vsfc("train")
        x_test, y_test = load_vsfc("test")
        print(
            f"UIT-VSFC (measurement only): {len(x_train)} training and {len(x_test)} test "
            f"sentences, 3 classes (cores: {os.cpu_count()})"
        )
    else:
        if not data_dir().is_dir():
            sys.exit(f"banking77 not found at {data_dir()}")
        keep = None
        if args.quick:
            train_labels = load("train.csv", None)[1]
            keep = set(sorted(set(train_labels))[:15])
        x_train, y_train = load("train.csv", keep)
        x_test, y_test = load("test.csv", keep)
        print(
            f"banking77: {len(x_train)} training and {len(x_test)} test queries, "
            f"{len(set(y_train))} intents (cores: {os.cpu_count()})"
        )

    results: list[tuple[str, Evaluation, float]] = []
    t0 = time.perf_counter()
    clf = TextClassifier.train(x_train, y_train, language=language)
    cs8_seconds = time.perf_counter() - t0
    ev = evaluate(clf, x_test, y_test)
    results.append(("cs8 TextClassifier (calibrated)", ev, cs8_seconds))
    document = clf.to_json()
    size = len(document.encode())
    t0 = time.perf_counter()
    TextClassifier.from_json(document)
    load_ms = (time.perf_counter() - t0) * 1000

    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
    except ImportError:
        print("scikit-learn is not installed: no peer to compare with")
    else:
        peers = {
            "sklearn TF-IDF + LR, defaults": make_pipeline(
                TfidfVectorizer(), LogisticRegression(max_iter=1000)
            ),
            "sklearn TF-IDF 1-2 grams + LR C=10": make_pipeline(
                TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
                LogisticRegression(C=10, max_iter=1000),
            ),
        }
        for name, pipe in peers.items():
            t0 = time.perf_counter()
            pipe.fit(x_train, y_train)
            seconds = time.perf_counter() - t0
            predicted = [str(v) for v in pipe.predict(x_test)]
            scores = [float(v) for v in pipe.predict_proba(x_test).max(axis=1)]
            results.append((name, Evaluation.of(y_test, predicted, scores), seconds))

    print(
        f"\n{'contender':<38} {'accuracy':>9} {'macro-F1':>9} {'ECE':>6} {'train s':>8} {'ratio':>6}"
    )
    for name, e, seconds in results:
        ece = "" if e.calibration_error is None else f"{e.calibration_error:.3f}"
        print(
            f"{name:<38} {e.accuracy:>9.4f} {e.macro_f1:>9.4f} {ece:>6} {seconds:>8.1f} "
            f"{seconds / cs8_seconds:>6.2f}"
        )
    best_peer = max((e.accuracy for name, e, _ in results[1:]), default=None)
    print(
        f"\ncs8 model: {size / 1e6:.1f} MB of JSON, loaded in {load_ms:.0f} ms; "
        f"temperature {clf.temperature:.3f}"
    )
    if best_peer is not None:
        verdict = "meets" if ev.accuracy >= best_peer else "MISSES"
        print(
            f"target: cs8 accuracy >= best peer ({best_peer:.4f}): {verdict}; "
            f"training {cs8_seconds:.1f} s (target < 60 s on two cores)"
        )


if __name__ == "__main__":
    main()
