"""Score extraction against curated annotations: precision, recall and F1.

Definitions (also in the README):

* **Entity linking.** Gold = the actors of the curated annotation (every one is mentioned by
  the article); predicted = the actors the extractor links in the same article. A predicted
  actor matches a gold actor with the same id. An actor the extractor had to mint a local id
  for (not in the gazetteer) also matches a gold actor whose label or alias names it, after
  dropping leading determiners and quantifiers ("some allies and foreign policy experts" =
  "allies and foreign policy experts"). Issues the extractor mints from a noun phrase are
  aligned with gold issues the same way.
* **Stances.** A stance is the triple (holder, target, polarity), after the same id
  alignment. Several pieces of evidence for one triple count once, on either side, as they
  are one stance node in the graph. A predicted stance matches when holder, target and
  polarity are all equal.
* **Stance evidence** (stricter, reported alongside): each (triple, evidence sentence) pair;
  a predicted pair matches a gold pair with the same triple whose evidence span overlaps.

>>> from kg.annotation import load_annotation
>>> from kg.resources import sample_annotation
>>> gold = load_annotation(sample_annotation())
>>> float(evaluate(gold, gold).summary.loc["stances", "f1"])
1.0
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .annotation import load_annotation
from .model import Document
from .extract.lexicon import QUANTIFIERS

TASKS = ("entities", "stances", "stance evidence")
_DROP = QUANTIFIERS | {"of", "many", "some"}


@dataclass
class EvalResult:
    """``summary``: one row per task (tp, fp, fn, precision, recall, f1); ``details``: each
    gold or predicted item with its outcome (tp / fp / fn)."""
    article: str
    summary: pd.DataFrame
    details: pd.DataFrame


def _norm(label: str) -> str:
    words = label.lower().replace("’", "'").split()
    while words and words[0] in _DROP:
        words = words[1:]
    return " ".join(words)


def _alignment(predicted: Document, gold: Document) -> dict[str, str]:
    """Predicted id → gold id for actors and issues the extractor minted a local id for
    (not in the gazetteer or the issue scheme) that the gold annotation names."""
    from .extract.gazetteer import load_gazetteer
    from .rdf.vocabulary import load_issues

    known = set(load_gazetteer().actors) | set(load_issues())
    out = {}
    for mine, theirs in ((predicted.actors, gold.actors), (predicted.issues, gold.issues)):
        names: dict[str, str] = {}
        for x in theirs:
            for label in [x.label, *x.aliases]:
                names.setdefault(_norm(label), x.id)
        gold_ids = {x.id for x in theirs}
        for x in mine:
            if x.id in gold_ids or x.id in known:
                continue
            for label in [x.label, *x.aliases]:
                if _norm(label) in names:
                    out[x.id] = names[_norm(label)]
                    break
    return out


def _score(task: str, gold: set, pred: set) -> dict:
    tp, fp, fn = len(gold & pred), len(pred - gold), len(gold - pred)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"task": task, "gold": len(gold), "predicted": len(pred), "tp": tp, "fp": fp, "fn": fn,
            "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def evaluate(predicted: Document, gold: Document) -> EvalResult:
    """Compare an extracted document with the curated annotation of the same article."""
    align = _alignment(predicted, gold)

    def a(i: str) -> str:
        return align.get(i, i)

    g_ents = {x.id for x in gold.actors}
    p_ents = {a(x.id) for x in predicted.actors}
    g_st = {(s.holder, s.target, s.polarity) for s in gold.stances}
    p_st = {(a(s.holder), a(s.target), s.polarity) for s in predicted.stances}
    g_ev = [((s.holder, s.target, s.polarity), s.evidence.start, s.evidence.end) for s in gold.stances]
    p_ev = [((a(s.holder), a(s.target), s.polarity), s.evidence.start, s.evidence.end)
            for s in predicted.stances]

    def overlaps(x, y) -> bool:
        return x[0] == y[0] and x[1] < y[2] and y[1] < x[2]

    g_hit = [any(overlaps(g, p) for p in p_ev) for g in g_ev]  # gold pairs recovered
    p_hit = [any(overlaps(g, p) for g in g_ev) for p in p_ev]  # predicted pairs that are right
    found, correct = sum(g_hit), sum(p_hit)
    prec = correct / len(p_ev) if p_ev else 1.0
    rec = found / len(g_ev) if g_ev else 1.0
    ev_row = {"task": "stance evidence", "gold": len(g_ev), "predicted": len(p_ev), "tp": found,
              "fp": len(p_ev) - correct, "fn": len(g_ev) - found, "precision": round(prec, 3),
              "recall": round(rec, 3), "f1": round(2 * prec * rec / (prec + rec), 3) if prec + rec else 0.0}

    rows = [_score("entities", g_ents, p_ents), _score("stances", g_st, p_st), ev_row]
    summary = pd.DataFrame(rows).set_index("task")
    details = [{"task": "entities", "item": i, "outcome": o} for i, o in
               [(i, "tp") for i in sorted(g_ents & p_ents)] + [(i, "fn") for i in sorted(g_ents - p_ents)]
               + [(i, "fp") for i in sorted(p_ents - g_ents)]]
    details += [{"task": "stances", "item": " / ".join(k), "outcome": o} for k, o in
                [(k, "tp") for k in sorted(g_st & p_st)] + [(k, "fn") for k in sorted(g_st - p_st)]
                + [(k, "fp") for k in sorted(p_st - g_st)]]

    def span(x) -> str:
        return f"{' / '.join(x[0])} @ {x[1]}-{x[2]}"

    details += [{"task": "stance evidence", "item": span(g), "outcome": "fn"}
                for g, hit in sorted(zip(g_ev, g_hit)) if not hit]
    details += [{"task": "stance evidence", "item": span(p), "outcome": "fp"}
                for p, hit in sorted(zip(p_ev, p_hit)) if not hit]
    return EvalResult(gold.article.id, summary, pd.DataFrame(details, columns=["task", "item", "outcome"]))


def evaluate_annotations(paths: Sequence[str | Path]) -> tuple[list[EvalResult], pd.DataFrame]:
    """Extract each annotated article afresh and score it; also the micro-average over all."""
    from .extract import extractor

    golds = [load_annotation(p) for p in paths]
    ex = extractor()
    results = [evaluate(ex.extract(g.article), g) for g in golds]
    return results, total(results)


def total(results: Iterable[EvalResult]) -> pd.DataFrame:
    """Micro-averaged precision, recall and F1 over several articles."""
    frames = [r.summary for r in results]
    if not frames:
        return pd.DataFrame()
    counts = sum(f[["gold", "predicted", "tp", "fp", "fn"]] for f in frames)
    p = counts.tp / (counts.tp + counts.fp).where(lambda x: x > 0, 1)
    r = counts.tp / (counts.tp + counts.fn).where(lambda x: x > 0, 1)
    out = counts.copy()
    out["precision"], out["recall"] = p.round(3), r.round(3)
    out["f1"] = (2 * p * r / (p + r).where(lambda x: x > 0, 1)).round(3)
    return out
