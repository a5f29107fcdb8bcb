"""Who is central? Degree, tie strength, PageRank and betweenness for every node of a projection.

>>> import networkx as nx
>>> star = nx.star_graph(4)  # node 0 is the hub
>>> int(centrality(star).iloc[0]["node"])
0
"""
from __future__ import annotations

import networkx as nx
import pandas as pd

from .projections import Source, signed_actor_graph

EXACT_LIMIT = 500  # exact betweenness up to this many nodes, sampled sources above


def centrality(source: Source | nx.Graph, *, betweenness_k: int | None = None, seed: int = 0) -> pd.DataFrame:
    """Centrality of each node, most central (by PageRank) first.

    ``source`` is a store (its signed actor graph is used) or any networkx projection.
    Columns: ``node``, ``label``, ``kind``, ``degree`` (number of ties), ``positiveTies`` and
    ``negativeTies`` (by edge ``sign``; 0 on unsigned graphs), ``strength`` (sum of edge
    ``weight``, default 1), ``pagerank`` (on the undirected ties, weighted by strength:
    actors tied to central actors score high) and ``betweenness`` (share of shortest paths
    through the node: brokers between camps score high). Betweenness is exact up to
    ``EXACT_LIMIT`` nodes and estimated from ``betweenness_k`` (default 100) sampled
    sources above, with ``seed`` fixing the sample.
    """
    G = signed_actor_graph(source) if not isinstance(source, nx.Graph) else source
    cols = ["node", "label", "kind", "degree", "positiveTies", "negativeTies", "strength", "pagerank",
            "betweenness"]
    if G.number_of_nodes() == 0:
        return pd.DataFrame({c: pd.Series(dtype=object if c in cols[:3] else float) for c in cols})
    U = G.to_undirected(as_view=True) if G.is_directed() else G
    pos: dict = dict.fromkeys(G, 0)
    neg: dict = dict.fromkeys(G, 0)
    for u, v, d in U.edges(data=True):
        sign = d.get("sign", 0)
        counter = pos if sign > 0 else neg if sign < 0 else None
        if counter is not None and u != v:
            counter[u] += 1
            counter[v] += 1
    strength = dict(U.degree(weight="weight"))
    pagerank = nx.pagerank(U, weight="weight")
    k = None if G.number_of_nodes() <= EXACT_LIMIT else min(betweenness_k or 100, G.number_of_nodes())
    betweenness = nx.betweenness_centrality(U, k=k, seed=seed)
    nodes = list(G)
    table = pd.DataFrame({
        "node": pd.Series(nodes, dtype=object),
        "label": [G.nodes[n].get("label", str(n)) for n in nodes],
        "kind": [G.nodes[n].get("kind") for n in nodes],
        "degree": pd.array([U.degree(n) for n in nodes], dtype="Int64"),
        "positiveTies": pd.array([pos[n] for n in nodes], dtype="Int64"),
        "negativeTies": pd.array([neg[n] for n in nodes], dtype="Int64"),
        "strength": [float(strength[n]) for n in nodes],
        "pagerank": [pagerank[n] for n in nodes],
        "betweenness": [betweenness[n] for n in nodes]})
    return table.sort_values(["pagerank", "degree", "label"], ascending=[False, False, True], ignore_index=True)
