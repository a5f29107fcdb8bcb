"""Store URIs, one named graph per article with a union default graph, atomic replacement."""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from kg.build import build
from kg.errors import StoreError
from kg.queries import run, sparql
from kg.rdf.namespaces import GRAPH, ONTOLOGY_GRAPH, graph_for
from kg.store import named_graphs, open_store, write_graphs


def test_one_named_graph_per_article_plus_ontology(oxigraph_store):
    ds, _ = oxigraph_store
    assert set(named_graphs(ds)) == {str(ONTOLOGY_GRAPH), str(graph_for("trump-putin-call"))}
    # the default graph is the union: labels from the ontology graph join stance data
    df = sparql(ds, "SELECT ?l WHERE { ?s kg:speechAct ?a . ?a skos:prefLabel ?l } LIMIT 1")
    assert len(df) == 1


def test_embedded_store_persists_across_reopen(tmp_path):
    path = tmp_path / "store"
    ds = build(store=str(path)).store
    before = len(run(ds, "stances"))
    ds.close()
    again = open_store(path, read_only=True)
    assert len(run(again, "stances")) == before > 0


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no store here yet"):
        open_store(tmp_path / "nothing", read_only=True)
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="directory"):
        open_store(tmp_path / "file")


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_write_graphs_replaces_only_the_named_graphs(tmp_path, kind):
    ds = open_store("memory:" if kind == "memory" else tmp_path / "s")
    a, b = GRAPH["a"], GRAPH["b"]
    s, p = URIRef("http://x/s"), URIRef("http://x/p")
    write_graphs(ds, {a: Graph().add((s, p, Literal(1))), b: Graph().add((s, p, Literal(2)))})
    write_graphs(ds, {a: Graph().add((s, p, Literal(3)))})
    values = sorted(int(v) for v in sparql(ds, "SELECT ?o WHERE { ?s ?p ?o }")["o"])
    assert values == [2, 3]
    write_graphs(ds, {a: Graph().add((s, p, Literal(4)))}, replace_all=True)
    assert list(sparql(ds, "SELECT ?o WHERE { ?s ?p ?o }")["o"]) == [4]


def test_failed_update_leaves_the_oxigraph_store_unchanged(tmp_path):
    ds = open_store(tmp_path / "s")
    s, p = URIRef("http://x/s"), URIRef("http://x/p")
    write_graphs(ds, {GRAPH["a"]: Graph().add((s, p, Literal(1)))})
    bad = Graph().add((s, p, Literal("x", datatype=URIRef("http://x/dt"))))
    bad.add((URIRef("http://x/ bad iri"), p, Literal(2)))  # not serialisable as a valid IRI
    with pytest.raises(Exception):
        write_graphs(ds, {GRAPH["a"]: bad, GRAPH["b"]: bad}, replace_all=True)
    assert list(sparql(ds, "SELECT ?o WHERE { ?s ?p ?o }")["o"]) == [1]
