"""The analyses on the bundled sample (a report on the first Trump–Putin call after the 2024 election),
on both the memory and the embedded Oxigraph store, and the `kg stats` command."""
from __future__ import annotations

import io
import json

import networkx as nx
import pandas as pd
import pytest

from kg import analysis
from kg.annotation import load_annotation
from kg.cli import main
from kg.rdf.namespaces import ID, ISSUE
from kg.resources import sample_annotation


def iri(name: str) -> str:
    return str(ID[name])


@pytest.fixture(scope="module")
def signed(sample_store) -> nx.Graph:
    return analysis.signed_actor_graph(sample_store)


def test_signed_graph_derives_its_ties_from_the_evidence(store):
    G = analysis.signed_actor_graph(store)
    urge = G.edges[iri("trump"), iri("putin")]
    assert urge["sign"] == -1 and urge["relations"] == ["addressee"]
    assert any("Trump urged Putin not to escalate the war in Ukraine" in q for q in urge["evidence"])
    kyiv = G.edges[iri("zelensky"), iri("ukraine-government")]
    assert kyiv["sign"] == 1 and kyiv["targets"] == [str(ISSUE["territorial-concessions"])]
    assert G.edges[iri("peskov"), iri("trump")]["sign"] == 1
    assert G.edges[iri("nato-allies"), iri("trump")]["sign"] == -1
    aid = G.edges[iri("trump"), iri("biden-administration")]
    assert aid["sign"] == -1 and aid["targets"] == [str(ISSUE["us-military-aid-to-ukraine"])]
    assert G.number_of_edges() == 8
    # affiliations are an explicit choice: they add the states and organisations
    with_aff = analysis.signed_actor_graph(store, affiliations=True)
    assert with_aff.edges[iri("putin"), iri("russia")]["relations"] == ["holds-office"]


def test_zelensky_and_putin_land_in_different_camps(store):
    camp = dict(zip(*analysis.camps(store)[["node", "camp"]].to_numpy().T))
    assert camp[iri("zelensky")] != camp[iri("putin")]
    assert camp[iri("zelensky")] == camp[iri("ukraine-government")] == camp[iri("european-allies")]
    assert camp[iri("trump")] == camp[iri("peskov")]           # Peskov called Trump's signals positive
    assert camp[iri("trump")] != camp[iri("putin")]            # Trump urged Putin not to escalate
    assert camp[iri("trump")] != camp[iri("nato-allies")]
    assert camp[iri("trump")] != camp[iri("biden-administration")]  # opposite sides on US aid


def test_sample_network_is_balanced(signed):
    row = analysis.balance(signed).iloc[0]
    assert bool(row.balanced) and row.frustratedTies == 0 and row.camps == 3
    assert (row.triangles, row.balancedTriangles) == (1, 1)  # Zelensky, Kyiv, European allies


def test_trump_is_the_most_central_actor(signed):
    c = analysis.centrality(signed)
    assert c.iloc[0]["label"] == "Donald Trump"
    top = c.set_index("node").loc[iri("trump")]
    assert top["degree"] == 5 and top["negativeTies"] == 4 and top["betweenness"] > 0
    assert list(c.columns) == ["node", "label", "kind", "degree", "positiveTies", "negativeTies", "strength",
                               "pagerank", "betweenness"]


def test_stance_matrix_has_zelensky_opposing_territorial_concessions(store):
    m = analysis.stance_matrix(store)
    assert m.loc["Volodymyr Zelensky", "Territorial concessions by Ukraine"] == -1.0
    assert m.loc["Donald Trump", "US military aid to Ukraine"] < 0 < m.loc["Biden administration",
                                                                           "US military aid to Ukraine"]
    # a stance's score: the mean of the distinct scores its attestations gave (RDF keeps a value once)
    gold = load_annotation(sample_annotation())
    scores = {s.signed_score for s in gold.stances if (s.holder, s.target) == ("trump", "swift-end-of-war")}
    assert scores and m.loc["Donald Trump", "A swift end to the war in Ukraine"] == \
        pytest.approx(sum(scores) / len(scores))
    assert m.shape == (7, 7) and m.dtypes.eq(float).all()
    opposed = m["Territorial concessions by Ukraine"].dropna()
    assert set(opposed.index) == {"Volodymyr Zelensky", "Government of Ukraine", "Ukraine's European allies"}
    assert (opposed == -1.0).all()


def test_stance_table_keeps_iris_labels_and_evidence(store):
    t = analysis.stance_table(store)
    row = t[(t["actor"] == iri("trump")) & (t["issue"] == str(ISSUE["swift-end-of-war"]))].iloc[0]
    assert row["evidenceCount"] == 4 and row["polarity"] == "support"
    assert set(row["speechActs"].split(", ")) == {"express-interest", "promise", "signal", "insist"}


def test_no_allies_disagree_and_no_stance_changes_in_one_article(signed, sample_store):
    d = analysis.allied_disagreements(signed)
    assert d.empty and list(d.columns)[:4] == ["actor", "actorLabel", "ally", "allyLabel"]
    assert analysis.allied_disagreements(signed, allies="camp").empty
    assert analysis.stance_changes(sample_store).empty
    timeline = analysis.stance_timeline(sample_store, by="date")
    assert set(timeline["targetLabel"]) == {"Escalation of the war in Ukraine", "A swift end to the war in Ukraine"}
    assert (timeline["date"] == pd.Timestamp("2024-11-07")).all()


def test_actor_issue_and_typed_multigraph_projections(store):
    B = analysis.actor_issue_graph(store)
    assert nx.is_bipartite(B) and B.number_of_edges() == 10
    assert B.edges[iri("bauer"), str(ISSUE["russian-victory"])]["speech_acts"] == ["warn"]
    M = analysis.typed_multigraph(store)
    holders = [(u, v) for u, v, k in M.edges(keys=True) if k == "kg:holder"]
    assert len(holders) == 14  # one per stance
    assert M.nodes[iri("putin")]["type"] == "kg:Person"
    assert M.has_edge(iri("kremlin"), iri("russia"), key="org:subOrganizationOf")


def test_kg_stats_prints_tables_and_writes_exports(tmp_path, capsys):
    store = str(tmp_path / "store")
    assert main(["build", "--store", store, "--no-export"]) == 0
    capsys.readouterr()
    assert main(["stats", "--store", store]) == 0
    out = capsys.readouterr().out
    for title in ("Who is central", "Camps", "How balanced", "Stance matrix", "Allies who disagree",
                  "Stance changes"):
        assert title in out
    assert "Volodymyr Zelensky" in out and "id:zelensky" in out

    assert main(["stats", "--store", store, "--table", "camps", "--format", "csv"]) == 0
    camps = pd.read_csv(io.StringIO(capsys.readouterr().out))
    camp = dict(zip(camps["label"], camps["camp"]))
    assert camp["Volodymyr Zelensky"] != camp["Vladimir Putin"]

    assert main(["stats", "--store", store, "-t", "matrix", "-t", "balance", "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    zelensky = next(r for r in data["matrix"] if r["actor"] == "Volodymyr Zelensky")
    assert zelensky["Territorial concessions by Ukraine"] == -1.0 and data["balance"][0]["balanced"] is True

    out_dir = tmp_path / "stats"
    assert main(["stats", "--store", store, "--out", str(out_dir)]) == 0
    names = {p.name for p in out_dir.iterdir()}
    assert {"camps.csv", "camps.parquet", "matrix.parquet", "signed-actor-graph.graphml",
            "signed-actor-graph.gexf", "signed-actor-graph.json", "actor-issue-graph.graphml"} <= names
    assert nx.read_graphml(out_dir / "signed-actor-graph.graphml").number_of_edges() == 8
    assert pd.read_parquet(out_dir / "centrality.parquet").iloc[0]["label"] == "Donald Trump"


def test_kg_stats_errors_exit_2_without_traceback(tmp_path, capsys):
    assert main(["stats", "--store", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert "kg stats: error:" in err and "Traceback" not in err
    store = str(tmp_path / "store")
    assert main(["build", "--store", store, "--no-export"]) == 0
    (tmp_path / "file").write_text("x")
    assert main(["stats", "--store", store, "--table", "balance", "--out", str(tmp_path / "file")]) == 2
    assert "exists and is not a folder" in capsys.readouterr().err
