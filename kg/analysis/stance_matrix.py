"""For each issue, who supports and who opposes it: a tidy table and an actors × issues matrix.

>>> from kg.analysis.synthetic import toy_store
>>> m = stance_matrix(toy_store([("a", "issue:x", 1.0), ("b", "issue:x", -0.5)]))
>>> float(m.loc["B", "Issue x"])
-0.5
"""
from __future__ import annotations

import networkx as nx
import pandas as pd

from .projections import Source, actor_issue_graph

TABLE_COLUMNS = ["actor", "actorLabel", "actorClass", "issue", "issueLabel", "score", "polarity",
                 "confidence", "evidenceCount", "speechActs", "quote"]


def _bipartite(source: Source | nx.Graph) -> nx.Graph:
    return source if isinstance(source, nx.Graph) else actor_issue_graph(source)


def stance_table(source: Source | nx.Graph) -> pd.DataFrame:
    """One row per (actor, issue): the score in [-1, 1], polarity, evidence count and a quote.

    ``source`` is a store or an :func:`~kg.analysis.projections.actor_issue_graph`.
    """
    G = _bipartite(source)
    rows = []
    for u, v, d in G.edges(data=True):
        actor, issue = (u, v) if G.nodes[u].get("bipartite", 0) == 0 else (v, u)
        rows.append((actor, G.nodes[actor].get("label"), G.nodes[actor].get("kind"), issue,
                     G.nodes[issue].get("label"), d.get("score", d.get("sign", 0) * d.get("weight", 1.0)),
                     d.get("polarity"), d.get("confidence"), d.get("evidence_count"),
                     ", ".join(d.get("speech_acts", [])), (d.get("evidence") or [None])[0]))
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    table = table.astype({"score": float, "confidence": float, "evidenceCount": "Int64"})
    return table.sort_values(["issueLabel", "score", "actorLabel"], ignore_index=True)


def _unique_labels(labels: pd.Series, iris: pd.Series) -> pd.Series:
    """Labels, with the IRI's last segment appended where two different IRIs share one."""
    clash = labels.map(labels.groupby(labels).transform("size").to_dict()) > 1
    clash &= labels.map(iris.groupby(labels).nunique()) > 1
    return labels.where(~clash, labels + " (" + iris.str.rsplit("/", n=1).str[-1] + ")")


def stance_matrix(source: Source | nx.Graph, *, labels: bool = True, max_actors: int | None = None,
                  max_issues: int | None = None) -> pd.DataFrame:
    """Actors × issues matrix of scores (NaN where an actor took no stance): ready for a heatmap.

    Rows and columns are labels (``labels=False``: IRIs), the busiest issues and actors first;
    ``max_issues`` / ``max_actors`` keep only that many of the busiest (a readable heatmap of a
    large store). Positive cells support the issue, negative cells oppose it.
    """
    table = stance_table(source)
    if table.empty:
        return pd.DataFrame(dtype=float)
    if max_issues is not None:
        busiest = table["issue"].value_counts(sort=True).index[:max_issues]
        table = table[table["issue"].isin(busiest)]
    if max_actors is not None:
        busiest = table["actor"].value_counts(sort=True).index[:max_actors]
        table = table[table["actor"].isin(busiest)]
    if labels:
        table["actor"] = _unique_labels(table["actorLabel"], table["actor"])
        table["issue"] = _unique_labels(table["issueLabel"], table["issue"])
    matrix = table.pivot_table(index="actor", columns="issue", values="score", aggfunc="mean")
    rows = table.groupby("actor").size().sort_values(ascending=False, kind="stable")
    cols = table.groupby("issue").size().sort_values(ascending=False, kind="stable")
    matrix = matrix.loc[rows.index, cols.index].astype(float)
    matrix.index.name, matrix.columns.name = "actor", "issue"
    return matrix


def plot_stance_matrix(matrix: pd.DataFrame, ax=None, *, annotate: bool = True):
    """Draw the stance matrix as a heatmap (blue supports, red opposes) and return the axes.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> ax = plot_stance_matrix(pd.DataFrame({"Issue": [1.0, -1.0]}, index=["A", "B"]))
    >>> ax.get_title()
    'Stances: actors × issues'
    """
    import matplotlib.pyplot as plt  # plotting is optional: imported only when drawing

    if ax is None:
        _, ax = plt.subplots(figsize=(1.2 + 0.9 * max(len(matrix.columns), 1),
                                      1.0 + 0.45 * max(len(matrix.index), 1)))
    import numpy as np

    cmap = plt.get_cmap("RdBu").with_extremes(bad="#f2f2f2")  # no stance: grey, not a neutral white
    values = np.ma.masked_invalid(matrix.to_numpy(dtype=float))
    image = ax.imshow(values, cmap=cmap, vmin=-1, vmax=1, aspect="auto")
    ax.set_xticks(range(len(matrix.columns)), [str(c) for c in matrix.columns], rotation=40, ha="right")
    ax.set_yticks(range(len(matrix.index)), [str(i) for i in matrix.index])
    if annotate:
        for (i, j), value in pd.DataFrame(matrix.to_numpy()).stack().dropna().items():
            ax.text(j, i, f"{value:+.2f}", ha="center", va="center", fontsize=8,
                    color="white" if abs(value) > 0.6 else "black")
    ax.figure.colorbar(image, ax=ax, label="score: oppose (−1) … support (+1)")
    ax.set_title("Stances: actors × issues")
    return ax
