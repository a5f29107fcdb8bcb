"""One store test suite, four backends: rdflib memory, embedded Oxigraph, the Oxigraph server
(a real binary, over HTTP) and ``kg serve`` with updates allowed (over HTTP).

Every backend builds the bundled sample and must answer every named query as the memory
store does.
"""
from __future__ import annotations

import functools
import io
import itertools
import os

import pandas as pd
import pytest
from rdflib import Graph, Literal, URIRef

from conftest import require
from kg.build import build
from kg.errors import InputError, KgError
from kg.export import export
from kg.queries import list_queries, run, sparql
from kg.rdf.namespaces import GRAPH, ONTOLOGY_GRAPH, graph_for
from kg.remote import TOKEN_ENV
from kg.store import named_graphs, open_store, write_graphs
from servers import kg_serve, oxigraph_binary, oxigraph_server

pytestmark = pytest.mark.server
BACKENDS = ["memory", "oxigraph", "oxigraph-server", "kg-serve"]
TOKEN = "backend-suite-token"
_fresh = itertools.count()


@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory):
    require(oxigraph_binary() is not None, "the oxigraph server binary is missing (pip install oxigraph)")
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-server")) as server:
        yield server.url


@pytest.fixture(scope="session")
def kg_serve_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("kg-serve") / "store"
    open_store(path).close()  # kg serve serves an existing store
    with kg_serve(path, "--allow-update", env={"KG_SERVE_TOKEN": TOKEN}) as server:
        yield server.url


@pytest.fixture(params=BACKENDS)
def store_uri(request, tmp_path, monkeypatch):
    """A URI for an empty store of each kind (server stores are emptied before the test)."""
    kind = request.param
    if kind == "memory":
        return "memory:"
    if kind == "oxigraph":
        return str(tmp_path / f"store{next(_fresh)}")
    url = request.getfixturevalue("oxigraph_url" if kind == "oxigraph-server" else "kg_serve_url")
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    open_store(url).update("DROP SILENT ALL")
    return url


@pytest.fixture(scope="module")
def reference(sample_store):
    """Named query results on the memory store, the reference every backend must match."""
    return functools.cache(lambda name: run(sample_store, name))


def normalised(df: pd.DataFrame) -> list[tuple]:
    """Rows as sorted tuples of strings. GROUP_CONCAT's order is left to each engine by SPARQL,
    so concatenated values are compared as sorted parts."""
    def cell(v: object) -> str:
        if v is None or (not isinstance(v, (list, tuple)) and pd.isna(v)):
            return ""
        s = str(v)
        for sep in ("\n", "; ", ", "):
            if sep in s:
                return sep.join(sorted(s.split(sep)))
        return s
    return sorted(tuple(cell(v) for v in row) for row in df.itertuples(index=False))


def test_sample_builds_with_the_same_summary(store_uri, reference):
    result = build(store=store_uri)
    assert result.summary["count"].to_dict() == reference("summary").set_index("what")["count"].to_dict()


def test_named_queries_answer_as_the_memory_store(store_uri, reference):
    ds = build(store=store_uri).store
    differ = []
    for q in list_queries():
        got, want = run(ds, q.name), reference(q.name)
        if list(got.columns) != list(want.columns) or normalised(got) != normalised(want):
            differ.append(q.name)
    assert differ == []


def test_bound_parameters_work_on_every_backend(store_uri):
    ds = build(store=store_uri).store
    assert run(ds, "urged-not-to", holder="trump")["addresseeLabel"].tolist() == ["Vladimir Putin"]
    assert run(ds, "urged-not-to", holder="putin").empty


def test_one_named_graph_per_article_plus_ontology(store_uri):
    ds = build(store=store_uri).store
    assert set(named_graphs(ds)) == {str(ONTOLOGY_GRAPH), str(graph_for("trump-putin-call"))}


def test_write_graphs_replaces_only_the_named_graphs(store_uri):
    ds = open_store(store_uri)
    a, b = GRAPH["a"], GRAPH["b"]
    s, p = URIRef("http://x/s"), URIRef("http://x/p")
    write_graphs(ds, {a: Graph().add((s, p, Literal(1))), b: Graph().add((s, p, Literal(2)))})
    write_graphs(ds, {a: Graph().add((s, p, Literal(3)))})
    assert sorted(int(v) for v in sparql(ds, "SELECT ?o WHERE { ?s ?p ?o }")["o"]) == [2, 3]
    write_graphs(ds, {a: Graph().add((s, p, Literal(4)))}, replace_all=True)
    assert list(sparql(ds, "SELECT ?o WHERE { ?s ?p ?o }")["o"]) == [4]


def test_a_rejected_write_leaves_the_store_unchanged(store_uri):
    if store_uri == "memory:":
        pytest.skip("rdflib's memory store accepts any IRI, so nothing is rejected")
    ds = open_store(store_uri)
    s, p = URIRef("http://x/s"), URIRef("http://x/p")
    write_graphs(ds, {GRAPH["a"]: Graph().add((s, p, Literal(1)))})
    bad = Graph().add((URIRef("http://x/ bad iri"), p, Literal(2)))
    with pytest.raises(InputError, match="not a valid IRI"):
        write_graphs(ds, {GRAPH["a"]: bad, GRAPH["b"]: bad}, replace_all=True)
    assert list(sparql(ds, "SELECT ?o WHERE { ?s ?p ?o }")["o"]) == [1]


def test_export_keeps_every_quad(store_uri):
    ds = build(store=store_uri).store
    out = io.BytesIO()
    export(ds, out, "nq")
    lines = [line for line in out.getvalue().decode().splitlines() if line.strip()]
    total = int(run(ds, "summary").set_index("what").loc["triples", "count"])
    assert len(lines) == total
    assert all(line.endswith("> .") for line in lines)  # every quad names its graph


def test_remote_store_opened_read_only_refuses_writes(store_uri):
    if not store_uri.startswith("http"):
        pytest.skip("remote stores only")
    ds = open_store(store_uri, read_only=True)
    with pytest.raises(KgError, match="read-only"):
        write_graphs(ds, {GRAPH["a"]: Graph()})


def test_kg_serve_refuses_updates_without_the_token(kg_serve_url, monkeypatch):
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    assert TOKEN_ENV not in os.environ
    ds = open_store(kg_serve_url)
    with pytest.raises(KgError, match="403"):
        write_graphs(ds, {GRAPH["a"]: Graph()})
