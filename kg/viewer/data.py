"""The viewer's graph as plain dicts, read from the store through named SPARQL queries only.

Nodes come from ``viewer-nodes``, stance edges from ``viewer-stances`` (with their evidence
from ``stance-evidence``), structural edges from ``viewer-relations``, offices from ``offices`` and
sources from ``articles``. Filtering and summarising work on those result tables, never on
triples, so the same code serves embedded and remote stores.

>>> from kg.build import build
>>> g = viewer_graph(build(store="memory:").store, actor="trump")
>>> any(e["caption"] == "urge" for e in g.edges)
True
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from rdflib import Dataset, Graph

from ..errors import InputError
from ..queries import load_query, run, sparql

KINDS = ("person", "state", "organisation", "place", "issue", "event")
ACTOR_KINDS = ("person", "state", "organisation")
PLURAL = {"person": "persons", "state": "states", "organisation": "organisations",
          "place": "places", "issue": "issues", "event": "events"}
MAX_NODES = 2000      # above this many nodes the viewer draws a summary
SUMMARY_NODES = 300   # how many of the most connected nodes a summary keeps


@dataclass
class ViewerGraph:
    """What the viewer draws: nodes, edges (stances and relations), sources and a notice."""
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    articles: list[dict] = field(default_factory=list)
    notice: str | None = None
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def stance_count(self) -> int:
        return sum(1 for e in self.edges if e["rel"] == "stance" and not e.get("aggregate"))


def _clean(value: object) -> object:
    """pandas missing values → None; timestamps → ISO dates; numpy scalars → Python."""
    if value is None or (not isinstance(value, (list, dict, str)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: _clean(v) for k, v in row.items()} for row in df.to_dict("records")]


def _check_confidence(value: object) -> float | None:
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"'{value}' is not a number", field="min-confidence") from None
    if not 0 <= x <= 1:
        raise InputError(f"{x} is outside 0..1; confidence is a belief between 0 and 1",
                         field="min-confidence")
    return x


def resolve(ds: Dataset | Graph, name: str, kinds: Iterable[str], what: str) -> str:
    """The IRI of the node of one of ``kinds`` named ``name`` (id, label or alias, any case)."""
    found = run(ds, "node-by-name", name=name)
    found = found[found["kind"].isin(list(kinds))].drop_duplicates("node") if len(found) else found
    if found.empty:
        raise InputError(f"no {what} is called '{name}' (ids, labels and aliases are matched, "
                         f"ignoring case); `kg query --name viewer-nodes` lists every node")
    if len(found) > 1:
        options = "; ".join(f"{r.label} ({r.node})" for r in found.itertuples())
        raise InputError(f"'{name}' names more than one {what}: {options}; give the id instead")
    return str(found["node"].iloc[0])


def query_nodes(ds: Dataset | Graph, query: str | Path, params: dict[str, object] | None = None) -> set[str]:
    """IRIs named by a user's SELECT (any cell) or CONSTRUCT (any subject or object)."""
    result = run(ds, load_query(query), **(params or {}))
    if isinstance(result, Graph):
        result = sparql(result, "SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } FILTER isIRI(?x) }")
    return {v for col in result.columns for v in result[col].dropna()
            if isinstance(v, str) and v.startswith(("http://", "https://", "urn:"))}


def _articles(ds: Dataset | Graph) -> tuple[list[dict], dict[str, int]]:
    rows = _records(run(ds, "articles"))
    out = [{"id": r["article"], "title": r["title"], "published": r["published"], "url": r["url"],
            "publisher": r["publisher"]} for r in rows]
    return out, {a["id"]: i for i, a in enumerate(out)}


def _evidence(ds: Dataset | Graph, index: dict[str, int], labels: dict[str, str],
              min_conf: float | None) -> dict[str, list[dict]]:
    df = run(ds, "stance-evidence")
    if min_conf is not None and len(df):
        df = df[df["confidence"] >= min_conf]
    out: dict[str, list[dict]] = defaultdict(list)
    for r in _records(df):
        out[r["stance"]].append({
            "quote": r["quote"], "act": r["speechAct"], "negated": bool(r["negated"]),
            "addressee": r["addressee"], "addresseeLabel": labels.get(r["addressee"], r["addressee"]),
            "confidence": r["confidence"], "date": r["date"], "method": r["method"],
            "article": index.get(r["article"])})
    return out


def _offices(ds: Dataset | Graph) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for r in _records(run(ds, "offices")):
        out[r["holder"]].append({"role": r["role"], "org": r["organization"],
                                 "orgLabel": r["organizationLabel"], "start": r["start"], "end": r["end"]})
    return out


def _stance_edges(ds: Dataset | Graph, evidence: dict[str, list[dict]], min_conf: float | None) -> list[dict]:
    df = run(ds, "viewer-stances")
    if min_conf is not None and len(df):
        df = df[df["confidence"] >= min_conf]
    edges = []
    for r in _records(df):
        ev = evidence.get(r["stance"], [])
        edges.append({
            "id": r["stance"], "from": r["holder"], "to": r["target"], "rel": "stance",
            "polarity": r["polarity"], "caption": r["speechActs"], "score": r["score"],
            "confidence": r["confidence"], "sources": int(r["sources"] or 1), "evidence": ev,
            "articles": sorted({e["article"] for e in ev if e["article"] is not None})})
    return edges


def _relation_edges(ds: Dataset | Graph, index: dict[str, int]) -> list[dict]:
    edges = []
    for i, r in enumerate(_records(run(ds, "viewer-relations"))):
        arts = sorted({index[a] for a in (r["articles"] or "").split() if a in index})
        edges.append({"id": f"relation:{i}", "from": r["source"], "to": r["target"], "rel": r["relation"],
                      "polarity": "neutral", "caption": r["label"], "sources": len(arts) or 1,
                      "articles": arts})
    return edges


def _touching(edges: list[dict], node: str) -> list[dict]:
    """Edges at ``node``, and stances voiced to it (Trump urged *Putin* not to escalate)."""
    return [e for e in edges if node in (e["from"], e["to"])
            or any(ev["addressee"] == node for ev in e.get("evidence", ()))]


def _degree(edges: list[dict]) -> Counter:
    deg: Counter = Counter()
    for e in edges:
        w = e.get("sources", 1) if e["rel"] == "stance" else 1
        deg[e["from"]] += w
        deg[e["to"]] += w
    return deg


def summarise(nodes: list[dict], edges: list[dict], keep: int) -> tuple[list[dict], list[dict], str]:
    """Keep the ``keep`` most connected nodes; merge the rest into one node per kind.

    Edges between kept nodes stay as they are; the others are aggregated per (source, target,
    polarity) for stances and per (source, target) for relations, with the count as width.
    """
    deg = _degree(edges)
    ranked = sorted(nodes, key=lambda n: (-deg[n["id"]], n["label"]))
    kept = {n["id"] for n in ranked[:keep]}
    rest = Counter(n["kind"] for n in ranked[keep:])
    kind_of = {n["id"]: n["kind"] for n in nodes}

    def where(node: str) -> str:
        return node if node in kept else f"urn:kg:others:{kind_of[node]}"

    out_nodes = [n for n in ranked[:keep]]
    for kind, count in rest.items():
        out_nodes.append({"id": f"urn:kg:others:{kind}",
                          "label": f"{count:,} other {PLURAL[kind] if count > 1 else kind}",
                          "kind": kind, "cls": "Summary", "aggregate": count, "offices": []})
    out_edges, merged = [], {}
    for e in edges:
        a, b = where(e["from"]), where(e["to"])
        if a == e["from"] and b == e["to"]:
            out_edges.append(e)
            continue
        if a == b:
            continue
        stance = e["rel"] == "stance"
        key = (a, b, "stance" if stance else "relation", e["polarity"] if stance else "neutral")
        m = merged.get(key)
        if m is None:
            m = merged[key] = {"id": f"aggregate:{len(merged)}", "from": a, "to": b, "rel": key[2],
                               "polarity": key[3], "sources": 0, "aggregate": 0, "articles": []}
            out_edges.append(m)
        m["aggregate"] += 1
        m["sources"] += e.get("sources", 1)
    for m in merged.values():
        noun = "stances" if m["rel"] == "stance" else "relations"
        m["caption"] = f"{m['aggregate']:,} {noun if m['aggregate'] > 1 else noun[:-1]}"
    total = len(nodes)
    notice = (f"Summarised view: the graph has {total:,} nodes, more than this viewer draws at once. "
              f"Showing the {keep:,} most connected nodes; the other {total - keep:,} are merged into "
              f"one node per class, and their edges into one edge per direction and polarity. Narrow "
              f"the graph with --actor, --issue, --min-confidence or --query to see every stance.")
    return out_nodes, out_edges, notice


def _number_parallel(edges: list[dict]) -> None:
    """Number edges sharing the same direction and ends, so each can curve differently."""
    seen: Counter = Counter()
    for e in edges:
        key = (e["from"], e["to"])
        e["parallel"] = seen[key]
        seen[key] += 1


def viewer_graph(ds: Dataset | Graph, *, query: str | Path | None = None,
                 query_params: dict[str, object] | None = None, actor: str | None = None,
                 issue: str | None = None, min_confidence: float | str | None = None,
                 max_nodes: int = MAX_NODES, summary_nodes: int = SUMMARY_NODES) -> ViewerGraph:
    """Read the graph to draw from ``ds``, narrowed by the filters, summarised if too large.

    ``query`` (a named query or ``.rq`` file, SELECT or CONSTRUCT) keeps the nodes its result
    names and the edges between them; ``actor`` keeps one actor's edges and neighbours;
    ``issue`` keeps the stances on one issue; ``min_confidence`` drops stances (and evidence)
    attributed with less confidence.
    """
    min_conf = _check_confidence(min_confidence)
    if max_nodes < 1 or summary_nodes < 1:
        raise InputError("--max-nodes and the summary size must be positive")
    focus: set[str] = set()
    actor_iri = resolve(ds, actor, ACTOR_KINDS, "actor") if actor else None
    issue_iri = resolve(ds, issue, ("issue",), "issue") if issue else None
    named = query_nodes(ds, query, query_params) if query else None

    articles, index = _articles(ds)
    offices = _offices(ds)
    nodes = []
    for r in _records(run(ds, "viewer-nodes").drop_duplicates("node")):
        nodes.append({"id": r["node"], "label": r["label"], "kind": r["kind"], "cls": r["class"],
                      "wikidata": r["wikidata"], "description": r["description"],
                      "aliases": [a for a in (r["aliases"] or "").split("\n") if a and a != r["label"]],
                      "offices": offices.get(r["node"], [])})
    labels = {n["id"]: n["label"] for n in nodes}
    edges = _stance_edges(ds, _evidence(ds, index, labels, min_conf), min_conf) + _relation_edges(ds, index)
    totals = {"nodes": len(nodes), "stances": sum(e["rel"] == "stance" for e in edges),
              "relations": sum(e["rel"] != "stance" for e in edges)}

    ids = {n["id"] for n in nodes}
    if named is not None:
        # a stance IRI in the result brings its holder and target along
        ids &= named | {x for e in edges if e["id"] in named for x in (e["from"], e["to"])}
    edges = [e for e in edges if e["from"] in ids and e["to"] in ids]
    if actor_iri:
        edges, focus = _touching(edges, actor_iri), focus | {actor_iri}
    if issue_iri:
        edges = [e for e in edges if e["rel"] == "stance" and e["to"] == issue_iri]
        focus |= {issue_iri}
    if focus:
        ids &= focus | {x for e in edges for x in (e["from"], e["to"])}
    nodes = [n for n in nodes if n["id"] in ids]

    notice = None
    if len(nodes) > max_nodes:
        nodes, edges, notice = summarise(nodes, edges, min(summary_nodes, max_nodes))
    deg = _degree(edges)
    for n in nodes:
        n["degree"] = deg[n["id"]]
    _number_parallel(edges)
    return ViewerGraph(nodes=nodes, edges=edges, articles=articles, notice=notice, totals=totals)
