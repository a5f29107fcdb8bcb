"""How do stances change between articles or dates, when the store holds several?

:func:`stance_timeline` gives each holder's score on each target per period (an article, or
a date); :func:`stance_changes` compares consecutive periods and reports the shifts.

>>> from kg.analysis.synthetic import ToyStance, toy_store
>>> ds = toy_store([ToyStance("a", "issue:x", 1.0, article="one", date="2024-01-01"),
...                 ToyStance("a", "issue:x", -1.0, article="two", date="2024-06-01")])
>>> stance_changes(ds)[["holderLabel", "scoreBefore", "scoreAfter"]].values.tolist()
[['A', 1.0, -1.0]]
"""
from __future__ import annotations

import pandas as pd
from rdflib import Dataset, Graph

from ..errors import InputError
from ..queries import run
from .projections import one_score_per_stance

TIMELINE_COLUMNS = ["holder", "holderLabel", "target", "targetLabel", "period", "date", "article",
                    "score", "polarity", "evidenceCount", "quote"]
CHANGE_COLUMNS = ["holder", "holderLabel", "target", "targetLabel", "before", "after", "dateBefore",
                  "dateAfter", "scoreBefore", "scoreAfter", "delta", "polarityBefore", "polarityAfter",
                  "flipped", "quoteBefore", "quoteAfter"]


def _polarity(score: float) -> str:
    return "support" if score > 0 else "oppose" if score < 0 else "neutral"


def stance_timeline(ds: Dataset | Graph, *, by: str = "article") -> pd.DataFrame:
    """Each holder's mean score on each target per period, in time order.

    ``by="article"``: a period is an article, dated by its publication date (else its
    earliest evidence date); ``by="date"``: a period is a day, the evidence's own date (else
    its article's publication date); evidence with no date at all is left out. Columns:
    ``holder``/``holderLabel``, ``target``/``targetLabel``, ``period`` (article IRI or
    datetime), ``date``, ``article`` (the first of the period), ``score``, ``polarity``,
    ``evidenceCount`` and a ``quote``.
    """
    if by not in ("article", "date"):
        raise InputError(f"by must be 'article' or 'date', not '{by}'", field="by")
    df = run(ds, "stance-timeline")
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype=float if c == "score" else object) for c in TIMELINE_COLUMNS})
    df = one_score_per_stance(df)
    published = pd.to_datetime(df["published"])
    evidence_date = pd.to_datetime(df["date"])
    if by == "article":
        first_seen = evidence_date.groupby(df["article"]).transform("min")
        df["when"] = published.fillna(first_seen)
        df["period"] = df["article"]
    else:
        df["when"] = evidence_date.fillna(published)
        df = df[df["when"].notna()]
        df["period"] = df["when"]
    grouped = df.groupby(["holder", "target", "period"], sort=False, dropna=False)
    # weight each stance by its evidence: two quotes for and one against make a net "for"
    table = grouped.agg(holderLabel=("holderLabel", "first"), targetLabel=("targetLabel", "first"),
                        date=("when", "min"), article=("article", "first"), score=("score", "mean"),
                        evidenceCount=("evidence", "nunique"), quote=("quote", "first")).reset_index()
    table["polarity"] = table["score"].map(_polarity)
    table["evidenceCount"] = table["evidenceCount"].astype("Int64")
    table["date"] = pd.to_datetime(table["date"])
    return table[TIMELINE_COLUMNS].sort_values(["holderLabel", "targetLabel", "date", "period"],
                                               na_position="first", ignore_index=True)


def stance_changes(source: Dataset | Graph | pd.DataFrame, *, by: str = "article",
                   min_delta: float = 0.5) -> pd.DataFrame:
    """Shifts between consecutive periods: polarity flips, or score moves of at least ``min_delta``.

    ``source`` is a store or a :func:`stance_timeline` table. Columns: ``holder``,
    ``target`` (with labels), ``before``/``after`` (periods), ``dateBefore``/``dateAfter``,
    ``scoreBefore``/``scoreAfter``, ``delta``, ``polarityBefore``/``polarityAfter``,
    ``flipped`` (the polarity changed) and a quote from each side.
    """
    timeline = source if isinstance(source, pd.DataFrame) else stance_timeline(source, by=by)
    cur = timeline.reset_index(drop=True)
    prev = cur.groupby(["holder", "target"], sort=False)[["period", "date", "score", "polarity", "quote"]].shift(1)
    flipped = prev["polarity"].notna() & (prev["polarity"] != cur["polarity"])
    moved = (cur["score"] - prev["score"]).abs() >= min_delta
    keep = prev["score"].notna() & (flipped | moved)
    cur, prev = cur[keep], prev[keep]
    table = pd.DataFrame({
        "holder": cur["holder"], "holderLabel": cur["holderLabel"], "target": cur["target"],
        "targetLabel": cur["targetLabel"], "before": prev["period"], "after": cur["period"],
        "dateBefore": pd.to_datetime(prev["date"]), "dateAfter": pd.to_datetime(cur["date"]),
        "scoreBefore": prev["score"].astype(float), "scoreAfter": cur["score"].astype(float),
        "delta": (cur["score"] - prev["score"]).astype(float), "polarityBefore": prev["polarity"],
        "polarityAfter": cur["polarity"], "flipped": flipped[keep].astype("boolean"),
        "quoteBefore": prev["quote"], "quoteAfter": cur["quote"]}, columns=CHANGE_COLUMNS)
    return table.sort_values(["holderLabel", "targetLabel", "dateAfter"], ignore_index=True)
