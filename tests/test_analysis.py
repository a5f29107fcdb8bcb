"""Each analysis on small hand-built graphs whose right answer is known.

Graphs are built either directly in networkx (a 'sign' on each edge) or as RDF stances in a
memory store (kg.analysis.synthetic), so the projections are exercised too.
"""
from __future__ import annotations

import doctest
import importlib
import itertools
import json
import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from kg import analysis
from kg.analysis.synthetic import ToyStance, planted_camps, toy_store
from kg.errors import InputError
from kg.rdf.namespaces import ID, ISSUE


def signed(*edges: tuple) -> nx.Graph:
    """An undirected signed graph from (u, v, sign) triples."""
    G = nx.Graph()
    G.add_edges_from((u, v, {"sign": s, "weight": 1.0}) for u, v, s in edges)
    return G


def camp_of(table: pd.DataFrame) -> dict:
    return dict(zip(table["node"], table["camp"]))


def frustrated(G: nx.Graph, camp: dict) -> int:
    return sum((camp[u] == camp[v]) != (d["sign"] > 0) for u, v, d in G.edges(data=True))


# --- camps and balance -------------------------------------------------------------------

BALANCED_TRIANGLE = [("a", "b", 1), ("a", "c", -1), ("b", "c", -1)]
UNBALANCED_TRIANGLE = [("a", "b", 1), ("b", "c", 1), ("a", "c", -1)]
ALL_ENEMIES = [("a", "b", -1), ("b", "c", -1), ("a", "c", -1)]


def test_balanced_triangle_splits_friends_from_their_common_enemy():
    G = signed(*BALANCED_TRIANGLE)
    camp = camp_of(analysis.camps(G))
    assert camp["a"] == camp["b"] != camp["c"]
    row = analysis.balance(G).iloc[0]
    assert (row.triangles, row.balancedTriangles, row.triangleBalance) == (1, 1, 1.0)
    assert row.frustratedTies == 0 and row.frustration == 0.0 and bool(row.balanced)
    assert row.conflict == pytest.approx(0.0, abs=1e-9)  # balanced: the signed Laplacian is singular


@pytest.mark.parametrize("edges", [UNBALANCED_TRIANGLE, ALL_ENEMIES], ids=["one-negative", "all-negative"])
def test_unbalanced_triangle_leaves_exactly_one_frustrated_tie(edges):
    G = signed(*edges)
    table = analysis.camps(G)
    assert frustrated(G, camp_of(table)) == 1  # the best any split can do
    assert table["frustratedTies"].sum() == 2  # one tie, counted at both ends
    row = analysis.balance(G).iloc[0]
    assert (row.triangles, row.balancedTriangles, row.triangleBalance) == (1, 0, 0.0)
    assert row.frustratedTies == 1 and row.frustration == pytest.approx(1 / 3) and not row.balanced
    assert row.conflict > 0.1


def test_friendly_star_is_one_camp_and_its_hub_is_most_central():
    G = signed(*[("hub", leaf, 1) for leaf in "abcd"])
    assert analysis.camps(G)["camp"].nunique() == 1
    row = analysis.balance(G).iloc[0]
    assert row.triangles == 0 and np.isnan(row.triangleBalance) and bool(row.balanced)
    c = analysis.centrality(G).set_index("node")
    assert c.index[0] == "hub"
    assert c.loc["hub", "degree"] == 4 and c.loc["hub", "positiveTies"] == 4
    assert c.loc["hub", "betweenness"] == pytest.approx(1.0)
    assert (c.drop("hub")["betweenness"] == 0).all()
    assert c.loc["hub", "pagerank"] > c.drop("hub")["pagerank"].max()
    assert c["pagerank"].sum() == pytest.approx(1.0)


def test_hostile_star_puts_the_hub_alone_against_its_leaves():
    G = signed(*[("hub", leaf, -1) for leaf in "abcd"])
    t = analysis.camps(G)
    camp = camp_of(t)
    assert len({camp[x] for x in "abcd"}) == 1 and camp["hub"] != camp["a"]
    assert t.iloc[0]["camp"] == 0 and set(t[t["camp"] == 0]["node"]) == set("abcd")  # biggest first
    assert analysis.centrality(G).set_index("node").loc["hub", "negativeTies"] == 4


def test_unconnected_groups_are_separate_camps_and_isolates_are_left_out():
    G = signed(("a", "b", 1), ("c", "d", 1))
    G.add_node("loner")
    t = analysis.camps(G)
    camp = camp_of(t)
    assert camp["a"] == camp["b"] != camp["c"] == camp["d"]
    assert "loner" not in camp and t["component"].nunique() == 2


def test_refinement_repairs_what_the_spectral_split_gets_wrong():
    # two positive cliques joined by negative ties, plus one actor whose only ties are to
    # clique A: whatever the eigenvector says, the greedy pass must put it with A
    A, B = ["a1", "a2", "a3"], ["b1", "b2", "b3"]
    edges = [(u, v, 1) for u, v in itertools.combinations(A, 2)] + \
            [(u, v, 1) for u, v in itertools.combinations(B, 2)] + \
            [(u, v, -1) for u, v in zip(A, B)] + [("x", "a1", 1), ("x", "a2", 1)]
    G = signed(*edges)
    camp = camp_of(analysis.camps(G))
    assert len({camp[n] for n in A + ["x"]}) == 1 and len({camp[n] for n in B}) == 1
    assert camp["a1"] != camp["b1"]
    assert analysis.balance(G).iloc[0]["balanced"]


def test_planted_camps_are_recovered_from_noisy_stances():
    stances, planted = planted_camps(1500, n_actors=60, n_issues=30, articles=5, noise=0.1, seed=3)
    t = analysis.camps(toy_store(stances))
    assert t["component"].nunique() == 1
    truth = t["node"].map({str(ID[a]): c for a, c in planted.items()})
    same = (t["camp"] == t["camp"].iloc[0]).to_numpy() == (truth == truth.iloc[0]).to_numpy()
    assert same.mean() >= 0.95


def test_sparse_eigensolver_agrees_with_the_dense_one(monkeypatch):
    stances, _ = planted_camps(800, n_actors=40, n_issues=20, articles=4, seed=5)
    G = analysis.signed_actor_graph(toy_store(stances))
    dense = camp_of(analysis.camps(G))
    monkeypatch.setattr(importlib.import_module("kg.analysis.camps"), "DENSE_LIMIT", 5)
    sparse = camp_of(analysis.camps(G))
    pairs = list(itertools.combinations(sorted(dense), 2))
    assert all((dense[u] == dense[v]) == (sparse[u] == sparse[v]) for u, v in pairs)


def test_triangle_counts_match_brute_force():
    rng = random.Random(7)
    G = nx.gnp_random_graph(30, 0.3, seed=7)
    for u, v in G.edges:
        G.edges[u, v]["sign"] = rng.choice((1, -1))
    nodes = list(G)
    total = balanced = 0
    for a, b, c in itertools.combinations(nodes, 3):
        if G.has_edge(a, b) and G.has_edge(b, c) and G.has_edge(a, c):
            total += 1
            balanced += G.edges[a, b]["sign"] * G.edges[b, c]["sign"] * G.edges[a, c]["sign"] > 0
    assert analysis.triangle_counts(analysis.signed_adjacency(G, nodes), block=7) == (total, balanced)


def test_signed_analyses_refuse_directed_graphs():
    with pytest.raises(InputError):
        analysis.camps(nx.DiGraph([("a", "b")]))
    with pytest.raises(InputError):
        analysis.camps("not a graph")


# --- projections from stances in a store ------------------------------------------------

def iri(name: str) -> str:
    return str(ISSUE[name.removeprefix("issue:")]) if name.startswith("issue:") else str(ID[name])


def test_signed_actor_graph_derives_signs_from_stances_co_stances_and_addressees():
    ds = toy_store([("a", "issue:x", -1.0), ("b", "issue:x", -0.5),   # agree: +0.5
                    ("c", "issue:x", 1.0),                            # disagrees with a and b
                    ("d", "a", -0.8),                                 # opposes a directly
                    ToyStance("e", "issue:y", -1.0, addressee="c")])  # urged c not to
    G = analysis.signed_actor_graph(ds)
    a, b, c, d, e = map(iri, "abcde")
    assert G.edges[a, b]["sign"] == 1 and G.edges[a, b]["value"] == pytest.approx(0.5)
    assert G.edges[a, b]["relations"] == ["co-stance"] and G.edges[a, b]["targets"] == [iri("issue:x")]
    assert G.edges[a, c]["sign"] == -1 and G.edges[b, c]["value"] == pytest.approx(-0.5)
    assert G.edges[a, d]["sign"] == -1 and G.edges[a, d]["relations"] == ["stance"]
    assert G.edges[c, e]["sign"] == -1 and G.edges[c, e]["relations"] == ["addressee"]
    # the evidence stays on the edge: both sides' quotes for a co-stance
    assert sorted(G.edges[a, b]["evidence"]) == ["a opposes issue:x.", "b opposes issue:x."]
    assert len(G.edges[a, b]["stances"]) == 2 and G.edges[a, d]["articles"] == ["https://w3id.org/geokg/article/toy"]
    assert G.nodes[a]["label"] == "A" and G.nodes[a]["kind"] == "Person"
    assert G.nodes[a]["positions"] == {iri("issue:x"): -1.0}
    assert G.graph["targets"][iri("issue:x")] == "Issue x"
    assert analysis.camps(G).pipe(camp_of)[c] != analysis.camps(G).pipe(camp_of)[a]
    no_co = analysis.signed_actor_graph(ds, co_stances=False)
    assert not no_co.has_edge(a, b) and no_co.has_edge(a, d)


def test_ties_that_cancel_out_leave_no_edge_and_affiliations_are_opt_in():
    ds = toy_store([("a", "b", 1.0), ("a", "issue:x", 1.0), ("b", "issue:x", -1.0)],
                   affiliations=[("a", "org", "member-of")])
    a, b, org = iri("a"), iri("b"), iri("org")
    assert not analysis.signed_actor_graph(ds).has_edge(a, b)  # +1 and -1
    assert not analysis.signed_actor_graph(ds).has_node(org)
    G = analysis.signed_actor_graph(ds, affiliations=True)
    assert G.edges[a, org]["sign"] == 1 and G.edges[a, org]["relations"] == ["member-of"]


def test_balanced_triangle_from_stances_on_one_issue():
    ds = toy_store([("a", "issue:x", -1.0), ("b", "issue:x", -1.0), ("c", "issue:x", 1.0)])
    camp = camp_of(analysis.camps(ds))
    assert camp[iri("a")] == camp[iri("b")] != camp[iri("c")]
    assert analysis.balance(ds).iloc[0]["triangleBalance"] == 1.0


def test_actor_issue_graph_and_stance_matrix():
    ds = toy_store([("a", "issue:x", 1.0), ("b", "issue:x", -0.5), ("b", "issue:y", 0.7),
                    ToyStance("a", "issue:x", 1.0, article="second")])
    G = analysis.actor_issue_graph(ds)
    assert nx.is_bipartite(G)
    assert {G.nodes[n]["bipartite"] for n in (iri("a"), iri("b"))} == {0}
    edge = G.edges[iri("a"), iri("issue:x")]
    assert edge["score"] == 1.0 and edge["polarity"] == "support" and edge["evidence_count"] == 2
    assert len(edge["articles"]) == 2 and edge["speech_acts"] == ["state"]
    m = analysis.stance_matrix(ds)
    assert m.loc["A", "Issue x"] == 1.0 and m.loc["B", "Issue x"] == -0.5 and m.loc["B", "Issue y"] == 0.7
    assert np.isnan(m.loc["A", "Issue y"])
    assert list(m.columns) == ["Issue x", "Issue y"]  # busiest issue first
    assert analysis.stance_matrix(G, labels=False).loc[iri("b"), iri("issue:y")] == 0.7
    assert analysis.stance_matrix(G, max_issues=1).columns.tolist() == ["Issue x"]
    assert analysis.stance_matrix(G, max_actors=1).index.tolist() == ["B"]  # two stances
    t = analysis.stance_table(ds)
    assert t["score"].dtype == float and str(t["evidenceCount"].dtype) == "Int64"
    assert t.set_index(["actorLabel", "issueLabel"]).loc[("B", "Issue x"), "polarity"] == "oppose"


def test_stance_matrix_plots_a_heatmap():
    import matplotlib

    matplotlib.use("Agg")
    m = analysis.stance_matrix(toy_store([("a", "issue:x", 1.0), ("b", "issue:x", -1.0)]))
    ax = analysis.plot_stance_matrix(m)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B"]
    assert {t.get_text() for t in ax.texts} == {"+1.00", "-1.00"}


def test_allies_who_disagree():
    ds = toy_store([("a", "b", 1.0), ("b", "a", 1.0),                  # allies
                    ("a", "issue:x", 1.0), ("b", "issue:x", -1.0),     # ... who disagree on x
                    ("a", "issue:y", 1.0), ("b", "issue:y", 1.0),      # ... and agree on y
                    ("c", "issue:x", -1.0), ("c", "a", -1.0)])         # c: not an ally of a
    t = analysis.allied_disagreements(ds)
    assert t[["actorLabel", "allyLabel", "targetLabel"]].values.tolist() == [["A", "B", "Issue x"]]
    assert t.iloc[0]["gap"] == 2.0 and t.iloc[0]["alliance"] > 0
    by_camp = analysis.allied_disagreements(ds, allies="camp")
    assert ("A", "B", "Issue x") in set(map(tuple, by_camp[["actorLabel", "allyLabel", "targetLabel"]].values))
    with pytest.raises(InputError):
        analysis.allied_disagreements(ds, allies="friends")


def test_stance_changes_between_articles_and_dates():
    ds = toy_store([ToyStance("a", "issue:x", 1.0, article="one", date="2024-01-10"),
                    ToyStance("a", "issue:x", -1.0, article="two", date="2024-06-10"),
                    ToyStance("b", "issue:x", -1.0, article="one", date="2024-01-10"),
                    ToyStance("b", "issue:x", -1.0, article="two", date="2024-06-10")],
                   published={"one": "2024-01-11", "two": "2024-06-11"})
    c = analysis.stance_changes(ds)
    assert len(c) == 1
    row = c.iloc[0]
    assert row.holderLabel == "A" and row.before.endswith("/one") and row.after.endswith("/two")
    assert (row.scoreBefore, row.scoreAfter, row.delta, bool(row.flipped)) == (1.0, -1.0, -2.0, True)
    assert row.dateBefore == pd.Timestamp("2024-01-11")
    by_date = analysis.stance_changes(ds, by="date")
    assert by_date.iloc[0]["before"] == pd.Timestamp("2024-01-10")
    assert pd.api.types.is_datetime64_any_dtype(by_date["dateAfter"])
    timeline = analysis.stance_timeline(ds)
    assert len(timeline) == 4 and pd.api.types.is_datetime64_any_dtype(timeline["date"])
    assert analysis.stance_changes(timeline).equals(c)
    with pytest.raises(InputError):
        analysis.stance_timeline(ds, by="week")


def test_typed_multigraph_keeps_every_link_with_its_predicate():
    G = analysis.typed_multigraph(toy_store([ToyStance("a", "b", 1.0, addressee="c")]))
    stance = next(n for n, d in G.nodes(data=True) if d["kind"] == "Stance")
    assert G.has_edge(stance, iri("a"), key="kg:holder") and G.has_edge(stance, iri("b"), key="kg:target")
    assert G.has_edge(stance, iri("c"), key="kg:addressee")
    assert G.nodes[iri("a")]["type"] == "kg:Person" and G.nodes[iri("a")]["label"] == "A"
    assert G.edges[stance, iri("a"), "kg:holder"]["graphs"] == ["https://w3id.org/geokg/graph/article/toy"]


# --- exports -----------------------------------------------------------------------------

def test_graph_exports_round_trip(tmp_path):
    ds = toy_store([("a", "issue:x", -1.0), ("b", "issue:x", -1.0), ("c", "a", -1.0)])
    G = analysis.signed_actor_graph(ds)
    g = nx.read_graphml(analysis.write_graphml(G, tmp_path / "g.graphml"))
    assert g.number_of_edges() == G.number_of_edges()
    edge = g.edges[iri("a"), iri("b")]
    assert edge["sign"] == 1 and "a opposes issue:x." in edge["evidence"]
    assert json.loads(g.nodes[iri("a")]["positions"]) == {iri("issue:x"): -1.0}
    x = nx.read_gexf(analysis.write_gexf(G, tmp_path / "g.gexf"))
    assert x.number_of_nodes() == G.number_of_nodes()
    d3 = json.loads(analysis.write_graph(G, tmp_path / "g.json").read_text())
    assert {n["id"] for n in d3["nodes"]} == set(G)
    link = next(e for e in d3["links"] if {e["source"], e["target"]} == {iri("a"), iri("b")})
    assert link["sign"] == 1 and isinstance(link["evidence"], list)
    multi = analysis.d3_json(analysis.typed_multigraph(ds))
    assert multi["multigraph"] and any(e["key"] == "kg:holder" for e in multi["links"])
    with pytest.raises(InputError):
        analysis.write_graph(G, tmp_path / "g.dot")


def test_tables_export_to_csv_and_parquet_with_their_types(tmp_path):
    ds = toy_store([ToyStance("a", "issue:x", 1.0, article="one", date="2024-01-10"),
                    ToyStance("a", "issue:x", -1.0, article="two", date="2024-06-10")])
    tables = {"changes": analysis.stance_changes(ds, by="date"), "matrix": analysis.stance_matrix(ds)}
    written = analysis.write_tables(tables, tmp_path)
    assert sorted(p.name for p in written) == ["changes.csv", "changes.parquet", "matrix.csv", "matrix.parquet"]
    back = pd.read_parquet(tmp_path / "changes.parquet")
    assert pd.api.types.is_datetime64_any_dtype(back["dateAfter"]) and back["flipped"].iloc[0]
    assert pd.read_csv(tmp_path / "matrix.csv").columns[0] == "actor"
    with pytest.raises(InputError):
        analysis.write_tables(tables, tmp_path, formats=["xlsx"])


def test_empty_store_gives_empty_tables():
    ds = toy_store([])
    tables = analysis.analysis_tables(ds)
    assert all(t.empty for name, t in tables.items() if name != "balance")
    assert analysis.balance(ds).iloc[0]["actors"] == 0
    assert analysis.typed_multigraph(ds).number_of_edges() > 0  # the issue hierarchy remains


@pytest.mark.parametrize("module", ["projections", "centrality", "camps", "stance_matrix", "disagreement",
                                    "change", "export", "synthetic", "tables"])
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(f"kg.analysis.{module}"))
    assert result.failed == 0 and result.attempted > 0
