"""Store URIs, one named graph per article with a union default graph, atomic replacement."""
from __future__ import annotations

import pytest

from kg.build import build
from kg.errors import StoreError
from kg.queries import run, sparql
from kg.rdf.namespaces import ONTOLOGY_GRAPH, graph_for
from kg.store import named_graphs, open_store


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
