"""Where do allies disagree? Pairs of allied actors who take opposite sides on an issue or event.

Allies are actors with a positive tie in the signed actor graph (``allies="tie"``: they back
each other, or agree on more than they disagree), or in the same camp (``allies="camp"``).

>>> from kg.analysis.synthetic import toy_store
>>> ds = toy_store([("a", "b", 1.0), ("b", "a", 1.0), ("a", "issue:x", 1.0), ("b", "issue:x", -1.0)])
>>> allied_disagreements(ds)[["actorLabel", "allyLabel", "targetLabel"]].values.tolist()
[['A', 'B', 'Issue x']]
"""
from __future__ import annotations

from itertools import product

import networkx as nx
import pandas as pd

from ..errors import InputError
from .camps import partition
from .projections import Source, as_signed_graph

COLUMNS = ["actor", "actorLabel", "ally", "allyLabel", "alliance", "target", "targetLabel",
           "actorScore", "allyScore", "gap"]


def _row(G: nx.Graph, a, b, alliance: float, target: str) -> tuple:
    if str(a) > str(b):
        a, b = b, a
    sa, sb = G.nodes[a]["positions"][target], G.nodes[b]["positions"][target]
    return (a, G.nodes[a].get("label"), b, G.nodes[b].get("label"), alliance, target,
            G.graph.get("targets", {}).get(target, target), sa, sb, abs(sa - sb))


def allied_disagreements(source: Source | nx.Graph, *, allies: str = "tie") -> pd.DataFrame:
    """One row per allied pair and target they disagree on, widest gap first.

    ``source`` is a store or a :func:`~kg.analysis.projections.signed_actor_graph` (its
    nodes' ``positions`` say who stands where). Columns: ``actor``/``actorLabel`` and
    ``ally``/``allyLabel``; ``alliance`` (the signed tie's value; with ``allies="camp"`` the
    camp number); ``target``/``targetLabel``; ``actorScore``, ``allyScore`` and ``gap``
    (their difference, up to 2).
    """
    if allies not in ("tie", "camp"):
        raise InputError(f"allies must be 'tie' or 'camp', not '{allies}'", field="allies")
    G = as_signed_graph(source)
    rows = []
    if allies == "tie":
        for a, b, d in G.edges(data=True):
            if d.get("sign", 0) <= 0:
                continue
            pa, pb = G.nodes[a].get("positions", {}), G.nodes[b].get("positions", {})
            for target in pa.keys() & pb.keys():
                if pa[target] * pb[target] < 0:
                    rows.append(_row(G, a, b, float(d.get("value", d.get("weight", 1.0))), target))
    else:
        p = partition(G)
        camp_of = dict(zip(p.nodes, p.camp.tolist()))
        # per target and camp, every supporter × opponent pair: linear in the stances, not in pairs
        sides: dict[tuple, tuple[list, list]] = {}
        for n in p.nodes:
            for target, score in G.nodes[n].get("positions", {}).items():
                if score:
                    sides.setdefault((target, camp_of[n]), ([], []))[score < 0].append(n)
        for (target, camp), (pro, con) in sides.items():
            rows.extend(_row(G, a, b, float(camp), target) for a, b in product(pro, con))
    table = pd.DataFrame(rows, columns=COLUMNS).astype(
        {"alliance": float, "actorScore": float, "allyScore": float, "gap": float})
    return table.sort_values(["gap", "actorLabel", "allyLabel", "targetLabel"],
                             ascending=[False, True, True, True], ignore_index=True)
