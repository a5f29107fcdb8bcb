"""Camps: coalitions of actors from the signed graph, and how balanced the network is.

Structural balance theory says a signed network is *balanced* when its actors split into
camps with only positive ties inside a camp and only negative ties across ("the enemy of
my enemy is my friend"); every triangle then has an even number of negative edges.

Each connected part of the signed graph is split in two by signed spectral clustering: the
signs of the eigenvector for the smallest eigenvalue of the signed Laplacian
``L = D - A`` (``D`` the absolute weighted degrees, ``A`` the signed weights), which relaxes
the problem "find the split with the least weight on frustrated ties". A greedy pass then
moves single actors while that lowers the frustrated weight. A part without negative ties
is one camp; parts that are not connected at all are separate camps, since no evidence ties
them together. Actors without any tie are left out.

>>> import networkx as nx
>>> G = nx.Graph([("a", "b", {"sign": 1}), ("a", "c", {"sign": -1}), ("b", "c", {"sign": -1})])
>>> t = camps(G)
>>> camp = dict(zip(t["node"], t["camp"]))
>>> bool(camp["a"] == camp["b"] != camp["c"])
True
"""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.linalg import eigsh

from .projections import Source, as_signed_graph

DENSE_LIMIT = 300  # above this many actors in one part, use a sparse eigensolver


def signed_adjacency(G: nx.Graph, nodes: list) -> sparse.csr_matrix:
    """Symmetric sparse matrix of ``sign * weight`` (weight defaults to 1) over ``nodes``.

    >>> import networkx as nx
    >>> signed_adjacency(nx.Graph([(0, 1, {"sign": -1, "weight": 2.0})]), [0, 1]).toarray()
    array([[ 0., -2.],
           [-2.,  0.]])
    """
    index = {n: i for i, n in enumerate(nodes)}
    rows, cols, vals = [], [], []
    for u, v, d in G.edges(nodes, data=True):
        if u == v or v not in index:
            continue
        w = float(d.get("sign", 1)) * float(d.get("weight", 1.0))
        rows += (index[u], index[v])
        cols += (index[v], index[u])
        vals += (w, w)
    n = len(nodes)
    # G.edges(nodes) lists each edge inside ``nodes`` once, so no entry is doubled
    A = sparse.csr_matrix((vals, (rows, cols)), shape=(n, n))
    A.eliminate_zeros()
    return A


def _spectral_sides(A: sparse.csr_matrix) -> tuple[np.ndarray, float]:
    """Signs of the signed Laplacian's lowest eigenvector, and that eigenvalue (0 iff balanced)."""
    n = A.shape[0]
    degree = np.asarray(abs(A).sum(axis=1)).ravel()
    L = sparse.diags(degree) - A
    if n <= DENSE_LIMIT:
        values, vectors = np.linalg.eigh(L.toarray())
        value, x = values[0], vectors[:, 0]
    else:
        # the lowest eigenpair of L is the highest of (c I - L), which Lanczos finds quickly;
        # c = 2 max degree bounds L's spectrum (Gershgorin)
        c = 2.0 * degree.max()
        v0 = np.random.default_rng(0).standard_normal(n)
        values, vectors = eigsh(c * sparse.identity(n, format="csr") - L, k=1, which="LA", v0=v0, tol=1e-6)
        value, x = c - values[0], vectors[:, 0]
    x = x / (np.abs(x).max() or 1.0)
    return x, float(max(value, 0.0))


def _refine(A: sparse.csr_matrix, s: np.ndarray) -> np.ndarray:
    """Flip single actors while that lowers the weight on frustrated ties (a local optimum)."""
    s = s.copy()
    h = A @ s  # h_i s_i < 0: actor i has more weight against its camp than with it
    for _ in range(10 * len(s)):
        gain = s * h
        i = int(np.argmin(gain))
        if gain[i] >= -1e-12:
            break
        s[i] = -s[i]
        col = A.getrow(i)
        h[col.indices] += 2.0 * s[i] * col.data
    return s


@dataclass
class Partition:
    """Camp of each actor, with the details the tables report."""
    nodes: list
    camp: np.ndarray          # camp number per node
    component: np.ndarray     # connected part per node
    loading: np.ndarray       # spectral coordinate in [-1, 1] (0 in a part without negative ties)
    conflict: dict[int, float]  # lowest signed-Laplacian eigenvalue per part
    A: sparse.csr_matrix


def partition(G: nx.Graph, *, refine: bool = True) -> Partition:
    """Split the actors with at least one tie into camps (see the module docstring)."""
    nodes = [n for n in G if G.degree(n) > 0]
    A = signed_adjacency(G, nodes)
    index = {n: i for i, n in enumerate(nodes)}
    side = np.ones(len(nodes))
    loading = np.zeros(len(nodes))
    component = np.zeros(len(nodes), dtype=int)
    conflict: dict[int, float] = {}
    parts = sorted(nx.connected_components(G.subgraph(nodes)), key=lambda c: (-len(c), min(map(str, c))))
    for k, part in enumerate(parts):
        idx = np.array(sorted(index[n] for n in part))
        component[idx] = k
        sub = A[idx][:, idx]
        if sub.data.min(initial=0.0) >= 0:
            conflict[k] = 0.0
            continue
        x, conflict[k] = _spectral_sides(sub)
        s = np.where(x >= 0, 1.0, -1.0)
        if refine:
            s = _refine(sub, s)
        side[idx], loading[idx] = s, x
    # number camps by size, biggest first; ties broken by the part's order
    keys = sorted({(c, s) for c, s in zip(component, side)},
                  key=lambda cs: (-int(np.sum((component == cs[0]) & (side == cs[1]))), cs[0], -cs[1]))
    number = {cs: i for i, cs in enumerate(keys)}
    camp = np.array([number[(c, s)] for c, s in zip(component, side)], dtype=int)
    return Partition(nodes, camp, component, loading, conflict, A)


def camps(source: Source | nx.Graph, *, refine: bool = True) -> pd.DataFrame:
    """Which camp is each actor in? One row per actor with at least one tie.

    Columns: ``node`` (IRI), ``label``, ``kind``, ``camp`` (0 = biggest), ``campLabel`` (the
    label of the camp's member with the most tie weight), ``component`` (connected part),
    ``loading`` (spectral coordinate: near ±1 firmly on a side, near 0 undecided),
    ``strength`` (sum of tie weights) and ``frustratedTies`` (ties at odds with the split:
    negative inside the camp or positive across).

    >>> from kg.build import build
    >>> t = camps(build(store="memory:").store)
    >>> camp = dict(zip(t["label"], t["camp"]))
    >>> bool(camp["Volodymyr Zelensky"] != camp["Vladimir Putin"])
    True
    """
    G = as_signed_graph(source)
    p = partition(G, refine=refine)
    A = p.A.tocoo()
    frustrated = np.where(p.camp[A.row] == p.camp[A.col], A.data < 0, A.data > 0)
    per_node = np.bincount(A.row[frustrated], minlength=len(p.nodes))
    strength = np.asarray(abs(p.A).sum(axis=1)).ravel()
    table = pd.DataFrame({
        "node": pd.Series(p.nodes, dtype=object),
        "label": [G.nodes[n].get("label", str(n)) for n in p.nodes],
        "kind": [G.nodes[n].get("kind") for n in p.nodes],
        "camp": pd.Series(p.camp, dtype="Int64"), "component": pd.Series(p.component, dtype="Int64"),
        "loading": p.loading.round(6), "strength": strength.astype(float),
        "frustratedTies": pd.Series(per_node, dtype="Int64")})
    leader = table.sort_values(["strength", "label"], ascending=[False, True]).drop_duplicates("camp")
    table["campLabel"] = table["camp"].map(dict(zip(leader["camp"], leader["label"])))
    cols = ["node", "label", "kind", "camp", "campLabel", "component", "loading", "strength", "frustratedTies"]
    return table[cols].sort_values(["camp", "strength", "label"], ascending=[True, False, True],
                                   ignore_index=True)


def triangle_counts(A: sparse.csr_matrix, block: int = 2048) -> tuple[int, int]:
    """(triangles, balanced triangles) of a signed adjacency matrix, by sparse matrix algebra.

    trace(|S|³)/6 counts triangles and trace(S³)/6 is (#balanced - #unbalanced) for the sign
    matrix S; rows are processed in blocks to bound memory on large graphs.
    """
    S = A.sign().tocsr()
    S.eliminate_zeros()
    B = abs(S)
    t = p = 0.0
    for start in range(0, S.shape[0], block):
        rows = slice(start, start + block)
        t += (B[rows] @ B).multiply(B[rows]).sum()
        p += (S[rows] @ S).multiply(S[rows]).sum()
    total, signed = round(t / 6), round(p / 6)
    return int(total), int((total + signed) // 2)


def balance(source: Source | nx.Graph, *, refine: bool = True) -> pd.DataFrame:
    """How balanced is the signed network? One row of measures.

    Columns: ``actors`` and ``ties`` (with at least one tie), ``negativeTies``, ``triangles``,
    ``balancedTriangles``, ``triangleBalance`` (their share: 1 when balanced, NaN without
    triangles), ``camps``, ``frustratedTies`` and ``frustration`` (share of tie weight at
    odds with the camps: 0 when balanced), ``conflict`` (the largest lowest eigenvalue of a
    part's signed Laplacian: 0 exactly when every part is balanced) and ``balanced``.

    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b", {"sign": 1}), ("b", "c", {"sign": 1}), ("a", "c", {"sign": -1})])
    >>> row = balance(G).iloc[0]
    >>> int(row.triangles), int(row.balancedTriangles), bool(row.balanced)
    (1, 0, False)
    """
    G = as_signed_graph(source)
    p = partition(G, refine=refine)
    A = sparse.triu(p.A, k=1).tocoo()
    r, c, w = A.row, A.col, A.data
    frustrated = np.where(p.camp[r] == p.camp[c], w < 0, w > 0)
    triangles, balanced = triangle_counts(p.A)
    total = float(np.abs(w).sum())
    return pd.DataFrame({
        "actors": pd.array([len(p.nodes)], dtype="Int64"), "ties": pd.array([len(w)], dtype="Int64"),
        "negativeTies": pd.array([int((w < 0).sum())], dtype="Int64"),
        "triangles": pd.array([triangles], dtype="Int64"),
        "balancedTriangles": pd.array([balanced], dtype="Int64"),
        "triangleBalance": [balanced / triangles if triangles else np.nan],
        "camps": pd.array([len(set(p.camp.tolist()))], dtype="Int64"),
        "frustratedTies": pd.array([int(frustrated.sum())], dtype="Int64"),
        "frustration": [float(np.abs(w[frustrated]).sum() / total) if total else 0.0],
        "conflict": [max(p.conflict.values(), default=0.0)],
        "balanced": pd.array([bool(frustrated.sum() == 0)], dtype="boolean")})
