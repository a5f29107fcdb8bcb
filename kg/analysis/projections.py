"""Projections of the RDF graph to networkx graphs, each built from one named SPARQL query.

Nodes are IRIs (strings) with ``label`` and ``kind`` (the class label: ``Person``, ``Issue``...)
attributes, so every table made from a projection keeps IRIs and labels side by side. The
graph is read only through SPARQL, so the projections work on remote stores too.

>>> from kg.build import build
>>> G = signed_actor_graph(build(store="memory:").store)
>>> G.nodes["https://w3id.org/geokg/id/zelensky"]["label"]
'Volodymyr Zelensky'
"""
from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np
import pandas as pd
from rdflib import Dataset, Graph

from ..errors import InputError
from ..queries import run
from ..rdf.namespaces import KG, PREFIXES

Source = Dataset | Graph
AFFILIATION_RELATIONS = ("speaks-for", "member-of", "part-of", "holds-office")
_EMPTY_TIE = pd.DataFrame({c: pd.Series(dtype=t) for c, t in
                           [("u", object), ("v", object), ("value", float), ("relation", object),
                            ("target", object), ("stance", object), ("quote", object), ("article", object)]})


def _unique(values: Iterable) -> list:
    """Distinct non-null values in first-seen order (edge attribute lists)."""
    return list(dict.fromkeys(v for v in values if isinstance(v, str)))


def one_score_per_stance(df: pd.DataFrame) -> pd.DataFrame:
    """Rows with each stance's score replaced by the mean of its distinct scores, deduplicated.

    A stance attested by several sources carries one ``kg:score`` per distinct value, so the
    queries return a row per score; ``stances.rq`` averages them the same way.
    """
    has = df["stance"].notna()
    if not has.any():
        return df
    mean = df[has].drop_duplicates(["stance", "score"]).groupby("stance")["score"].mean()
    df = df.copy()
    df.loc[has, "score"] = df.loc[has, "stance"].map(mean)
    return df.drop_duplicates(ignore_index=True)


def _ties(rows: pd.DataFrame, value: pd.Series) -> pd.DataFrame:
    """Tie records ``u < v`` (undirected) carrying a signed value and their evidence."""
    u, v = rows["source"].to_numpy(dtype=object), rows["target"].to_numpy(dtype=object)
    swap = u > v
    return pd.DataFrame({"u": np.where(swap, v, u), "v": np.where(swap, u, v),
                         "value": value.to_numpy(dtype=float), "relation": rows["relation"].to_numpy(),
                         "target": None, "stance": rows["stance"].to_numpy(),
                         "quote": rows["quote"].to_numpy(), "article": rows["article"].to_numpy()})


def _co_stance_ties(positions: pd.DataFrame) -> pd.DataFrame:
    """Ties between actors who took a position on the same issue or event.

    ``positions`` has one row per (actor, target) with the actor's confidence-weighted score;
    the pair's value is the product of the two scores: both for or both against is agreement
    (+), one for and one against is disagreement (-). Evidence rows (value 0) carry the quotes.
    """
    pos = positions.drop_duplicates(["source", "target"])
    pairs = pos.merge(pos, on="target", suffixes=("_u", "_v"))
    pairs = pairs[pairs["source_u"] < pairs["source_v"]]
    if pairs.empty:
        return _EMPTY_TIE
    main = pd.DataFrame({"u": pairs["source_u"].to_numpy(), "v": pairs["source_v"].to_numpy(),
                         "value": (pairs["weighted_u"] * pairs["weighted_v"]).to_numpy(),
                         "relation": "co-stance", "target": pairs["target"].to_numpy(),
                         "stance": None, "quote": None, "article": None})
    # each side's evidence on the shared target, attached to the pair's edge
    ev = positions[["source", "target", "stance", "quote", "article"]]
    keys = pairs[["source_u", "source_v", "target"]]
    sides = [keys.merge(ev, left_on=[side, "target"], right_on=["source", "target"])
             for side in ("source_u", "source_v")]
    evidence = pd.concat(sides, ignore_index=True)
    evidence = pd.DataFrame({"u": evidence["source_u"], "v": evidence["source_v"], "value": 0.0,
                             "relation": None, "target": None, "stance": evidence["stance"],
                             "quote": evidence["quote"], "article": evidence["article"]})
    return pd.concat([main, evidence], ignore_index=True)


def signed_actor_graph(ds: Source, *, co_stances: bool = True, affiliations: bool = False) -> nx.Graph:
    """The signed actor–actor graph: who is for or against whom, with the evidence on each edge.

    Built from the ``signed-actor-edges`` query. An edge's signed value is the sum of its ties:

    * **stance** — the holder supports (+) or opposes (−) another actor: score × confidence;
    * **addressee** — the holder voiced an opposing stance *to* an actor ("Trump urged Putin not
      to escalate the war"): urging someone not to do something presumes they might, so the
      two are at odds: −|score| × confidence;
    * **co-stance** (``co_stances=True``) — both took a position on the same issue or event:
      the product of their scores, + when they agree, − when one supports what the other opposes;
    * **affiliation** (``affiliations=True``, off by default as it is not a stance) — speaks for,
      member of, part of, holds office in: +1 each.

    Edge attributes: ``sign`` (±1), ``weight`` (|value|), ``value``, ``positive`` / ``negative``
    (the sums of each kind), ``relations``, ``targets`` (shared issues/events), and the
    evidence: ``stances``, ``evidence`` (quotes), ``articles``. Ties whose evidence cancels
    out are left out. Node attributes: ``label``, ``kind`` and ``positions`` (target IRI →
    the actor's score on each issue or event it took a position on); the graph attribute
    ``targets`` maps those targets to their labels.

    >>> from kg.analysis.synthetic import toy_store
    >>> G = signed_actor_graph(toy_store([("a", "issue:x", 1.0), ("b", "issue:x", -1.0)]))
    >>> [d["sign"] for _, _, d in G.edges(data=True)]
    [-1]
    """
    df = run(ds, "signed-actor-edges")
    G = nx.Graph()
    if df.empty:
        return G
    df = one_score_per_stance(df)
    df["weighted"] = df["score"] * df["confidence"]
    is_affiliation = df["relation"].isin(AFFILIATION_RELATIONS)
    affiliation = df[is_affiliation].drop_duplicates(["source", "target", "relation"])
    if not affiliations:
        df = df[~is_affiliation]
    for who in ("source", "target"):
        actors = df if who == "source" else df[df["relation"] != "position"]
        nodes = actors.drop_duplicates(who)
        G.add_nodes_from((n, {"label": lab, "kind": k, "positions": {}})
                         for n, lab, k in zip(nodes[who], nodes[f"{who}Label"], nodes[f"{who}Class"]))
    positions = df[df["relation"] == "position"]
    # one score per (actor, target): the mean over the actor's stances on it
    per_stance = positions.drop_duplicates(["source", "target", "stance"])
    per_target = per_stance.groupby(["source", "target"], sort=False)["weighted"].mean()
    for (actor, target), score in per_target.items():
        G.nodes[actor]["positions"][target] = float(score)
    targets = positions.drop_duplicates("target")
    G.graph["targets"] = dict(zip(targets["target"], targets["targetLabel"]))

    direct = df[df["relation"].isin(("stance", "addressee"))]
    first = direct.drop_duplicates(["source", "target", "relation", "stance"]).index
    value = direct["weighted"].where(direct.index.isin(first), 0.0)  # count a stance once, quote each evidence
    parts = [_ties(direct, value)]
    if affiliations:
        parts.append(_ties(affiliation, affiliation["weighted"]))
    if co_stances and not positions.empty:
        pos = positions.merge(per_target.rename("weighted").reset_index(), on=["source", "target"],
                              suffixes=("_evidence", ""))
        parts.append(_co_stance_ties(pos))
    parts = [p for p in parts if not p.empty]
    _add_ties(G, pd.concat(parts, ignore_index=True) if parts else _EMPTY_TIE)
    return G


def _distinct(items: list) -> list:
    return items if len(items) < 2 else list(dict.fromkeys(items))


def _add_ties(G: nx.Graph, ties: pd.DataFrame) -> None:
    """Sum tie records into edges; one pass, as per-group pandas aggregation is far slower."""
    edges: dict[tuple, list] = {}
    for u, v, value, *items in ties[["u", "v", "value", "relation", "target", "stance", "quote",
                                      "article"]].itertuples(index=False, name=None):
        if u == v:
            continue
        e = edges.get((u, v))
        if e is None:
            e = edges[(u, v)] = [0.0, 0.0, 0.0, [], [], [], [], []]
        e[0] += value
        if value > 0:
            e[1] += value
        elif value < 0:
            e[2] += value
        for bucket, item in zip(e[3:], items):
            if item.__class__ is str:
                bucket.append(item)
    G.add_edges_from(
        (u, v, {"sign": 1 if e[0] > 0 else -1, "weight": abs(e[0]), "value": e[0], "positive": e[1],
                "negative": e[2], "relations": _distinct(e[3]), "targets": _distinct(e[4]),
                "stances": _distinct(e[5]), "evidence": _distinct(e[6]), "articles": _distinct(e[7])})
        for (u, v), e in edges.items() if abs(e[0]) > 1e-9)


def actor_issue_graph(ds: Source) -> nx.Graph:
    """The bipartite actor–issue graph: an edge for each actor's stance(s) on each issue.

    Built from the ``actor-issue-stances`` query. Actor nodes have ``bipartite=0``, issue
    nodes ``bipartite=1``. Edge attributes: ``score`` (mean stance score, in [-1, 1]), ``sign``,
    ``weight`` (|score|), ``polarity`` (``support``, ``oppose``, ``neutral`` or ``mixed``),
    ``confidence``, ``speech_acts``, ``evidence_count`` and the evidence: ``stances``,
    ``evidence`` (quotes), ``articles``, ``dates``.

    >>> from kg.analysis.synthetic import toy_store
    >>> G = actor_issue_graph(toy_store([("a", "issue:x", -0.5)]))
    >>> G.edges["https://w3id.org/geokg/id/a", "https://w3id.org/geokg/issue/x"]["score"]
    -0.5
    """
    df = run(ds, "actor-issue-stances")
    G = nx.Graph()
    if df.empty:
        return G
    df = one_score_per_stance(df)
    actors = df.drop_duplicates("actor")
    G.add_nodes_from((a, {"label": lab, "kind": k, "bipartite": 0})
                     for a, lab, k in zip(actors["actor"], actors["actorLabel"], actors["actorClass"]))
    issues = df.drop_duplicates("issue")
    G.add_nodes_from((i, {"label": lab, "kind": "Issue", "bipartite": 1})
                     for i, lab in zip(issues["issue"], issues["issueLabel"]))
    pairs: dict[tuple, dict] = {}
    for actor, issue, stance, score, polarity, confidence, act, evidence, quote, article, date in df[
            ["actor", "issue", "stance", "score", "polarity", "confidence", "speechAct", "evidence", "quote",
             "article", "date"]].itertuples(index=False, name=None):
        e = pairs.get((actor, issue))
        if e is None:
            e = pairs[(actor, issue)] = {"scores": {}, "polarities": {}, "confidence": 0.0, **{
                k: {} for k in ("speech_acts", "evidence_ids", "stances", "evidence", "articles", "dates")}}
        e["scores"][stance] = score  # a stance's score is repeated on each of its evidence rows
        e["polarities"][polarity] = None
        e["confidence"] = max(e["confidence"], confidence)
        for key, item in (("speech_acts", act), ("evidence_ids", evidence), ("stances", stance),
                          ("evidence", quote), ("articles", article)):
            e[key][item] = None
        if not pd.isna(date):
            e["dates"][date.date().isoformat()] = None
    for (actor, issue), e in pairs.items():
        score = sum(e["scores"].values()) / len(e["scores"])
        G.add_edge(actor, issue, score=score, sign=(score > 0) - (score < 0), weight=abs(score),
                   polarity=next(iter(e["polarities"])) if len(e["polarities"]) == 1 else "mixed",
                   confidence=e["confidence"], speech_acts=list(e["speech_acts"]),
                   evidence_count=len(e["evidence_ids"]), stances=list(e["stances"]),
                   evidence=list(e["evidence"]), articles=list(e["articles"]), dates=sorted(e["dates"]))
    return G


def curie(iri: str) -> str:
    """``https://w3id.org/geokg/ontology#holder`` → ``kg:holder`` (unchanged if no prefix fits)."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)) and len(iri) > len(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


def _local(iri: str | None) -> str | None:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if isinstance(iri, str) else None


def typed_multigraph(ds: Source) -> nx.MultiDiGraph:
    """The whole graph as a typed multigraph: every resource a node, every link an edge.

    Built from the ``all-typed-edges`` query. Nodes have ``label`` (``None`` for stances,
    evidence...), ``type`` (class CURIE, a ``kg:`` class preferred) and ``kind`` (its local
    name); edges are keyed by their predicate as a CURIE (``kg:holder``, ``org:heldBy``) with
    a ``graphs`` attribute listing the named graphs that state them.

    >>> from kg.analysis.synthetic import toy_store
    >>> G = typed_multigraph(toy_store([("a", "b", 1.0)]))
    >>> G.has_edge("https://w3id.org/geokg/id/a", "https://w3id.org/geokg/id/b", key="kg:supports")
    True
    """
    df = run(ds, "all-typed-edges")
    G = nx.MultiDiGraph()
    if df.empty:
        return G
    links = df[df["predicate"].notna()]
    edges = links.groupby(["source", "predicate", "target"], sort=False)["graph"].agg(_unique)
    G.add_edges_from((s, o, curie(p), {"predicate": curie(p), "graphs": graphs})
                     for (s, p, o), graphs in edges.items())
    info = df[df["predicate"].isna() & df["source"].isin(G)]
    labels = info.dropna(subset=["label"]).drop_duplicates("source")
    types = info.dropna(subset=["type"]).assign(ours=lambda t: t["type"].str.startswith(str(KG)))
    types = types.sort_values("ours", ascending=False, kind="stable").drop_duplicates("source")
    label_of = dict(zip(labels["source"], labels["label"]))
    type_of = dict(zip(types["source"], types["type"]))
    for n, d in G.nodes(data=True):
        d["label"] = label_of.get(n)
        d["type"] = curie(type_of[n]) if n in type_of else None
        d["kind"] = _local(type_of.get(n))
    return G


def as_signed_graph(source: Source | nx.Graph) -> nx.Graph:
    """A signed actor graph: ``source`` itself if it is a networkx graph, else projected from a store."""
    if isinstance(source, nx.Graph):
        if source.is_directed() or source.is_multigraph():
            raise InputError("signed analyses need an undirected simple graph with a 'sign' on each edge "
                             "(such as signed_actor_graph(store))")
        return source
    if isinstance(source, (Dataset, Graph)):
        return signed_actor_graph(source)
    raise InputError(f"expected an rdflib Dataset or a networkx graph, got {type(source).__name__}")
