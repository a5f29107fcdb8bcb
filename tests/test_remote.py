"""Remote store URIs and the errors a remote store reports (the shared store suite is in
test_store_backends.py)."""
from __future__ import annotations

import subprocess
import sys

import pytest
from rdflib import Graph, Literal, URIRef

from conftest import require
from kg.errors import KgError, StoreError
from kg.queries import run, sparql
from kg.rdf.namespaces import GRAPH
from kg.remote import TOKEN_ENV, parse_uri
from kg.store import open_store, write_graphs
from servers import free_port, oxigraph_binary, oxigraph_server


@pytest.mark.parametrize("uri,query,update,gsp", [
    ("http://127.0.0.1:7878", "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update",
     "http://127.0.0.1:7878/store"),
    ("https://db.example.org/", "https://db.example.org/query", "https://db.example.org/update",
     "https://db.example.org/store"),
    ("http://h:3030/ds/query?update=update&gsp=data", "http://h:3030/ds/query", "http://h:3030/ds/update",
     "http://h:3030/ds/data"),
    ("http://h:7200/repositories/kg?update=/repositories/kg/statements&gsp=/repositories/kg/rdf-graphs/service",
     "http://h:7200/repositories/kg", "http://h:7200/repositories/kg/statements",
     "http://h:7200/repositories/kg/rdf-graphs/service"),
    ("http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql", None),
    ("https://ro.cluster:8182/sparql?update=https://rw.cluster:8182/sparql&gsp=/sparql/gsp/",
     "https://ro.cluster:8182/sparql", "https://rw.cluster:8182/sparql", "https://ro.cluster:8182/sparql/gsp/"),
])
def test_uri_conventions(uri, query, update, gsp):
    e = parse_uri(uri)
    assert (e.query, e.update, e.gsp) == (query, update, gsp)


def test_oxigraph_layout_asks_for_the_union_default_graph_and_passes_other_options():
    assert parse_uri("http://h:7878").union_params == {"union-default-graph": ""}
    e = parse_uri("http://h/sparql?timeout=5&union-default-graph&update=/u")
    assert e.timeout == 5.0 and e.query_params == {"union-default-graph": ""} and e.update == "http://h/u"
    assert e.union_params == {}


def test_credentials_become_headers_and_leave_the_uri(monkeypatch):
    e = parse_uri("http://alice:s%40cret@h:7200/repositories/kg")
    assert e.headers["Authorization"] == "Basic YWxpY2U6c0BjcmV0"  # alice:s@cret
    assert "alice" not in e.uri and "alice" not in e.query
    monkeypatch.setenv(TOKEN_ENV, "tok")
    assert parse_uri("http://h:7878").headers["Authorization"] == "Bearer tok"


@pytest.mark.parametrize("uri", ["http://", "http://h/sparql?timeout=soon"])
def test_malformed_uris_are_store_errors(uri):
    with pytest.raises(StoreError):
        parse_uri(uri)


def test_unreachable_endpoint_names_the_uri():
    port = free_port()  # nothing listens there
    with pytest.raises(StoreError, match=rf"127\.0\.0\.1:{port}/query.*cannot reach"):
        open_store(f"http://127.0.0.1:{port}")


def test_cli_reports_an_unreachable_store_in_one_line():
    port = free_port()
    done = subprocess.run([sys.executable, "-m", "kg", "query", "--store", f"http://127.0.0.1:{port}",
                           "--name", "offices"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert f"127.0.0.1:{port}" in done.stderr and "cannot reach" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    require(oxigraph_binary() is not None, "the oxigraph server binary is missing (pip install oxigraph)")
    with oxigraph_server(tmp_path_factory.mktemp("remote")) as server:
        yield server


@pytest.mark.server
def test_endpoint_errors_name_the_uri_and_status(oxigraph):
    ds = open_store(oxigraph.url)
    with pytest.raises(KgError, match=r"/query.*400 Bad Request.*error at 1:"):
        sparql(ds, "SELECT ?x WHERE { ?x }")
    with pytest.raises(StoreError, match=r"/update: the endpoint answered 400"):
        ds.update("INSERT NONSENSE")
    with pytest.raises(StoreError, match=r"404"):
        open_store(oxigraph.url + "/no/such/endpoint")


@pytest.mark.server
def test_explicit_endpoint_urls_work_against_oxigraph(oxigraph):
    uri = f"{oxigraph.url}/query?update=update&gsp=store&union-default-graph"
    ds = open_store(uri)
    s, p = URIRef("http://x/s"), URIRef("http://x/p")
    write_graphs(ds, {GRAPH["explicit"]: Graph().add((s, p, Literal(1)))}, replace_all=True)
    assert sparql(ds, "SELECT ?o WHERE { ?s ?p ?o }")["o"].tolist() == [1]
    g = ds.graph(GRAPH["explicit"])
    assert set(g) == {(s, p, Literal(1))}  # read through the Graph Store Protocol


@pytest.mark.server
def test_kg_build_and_query_against_the_oxigraph_server(oxigraph, tmp_path):
    kg = [sys.executable, "-m", "kg"]
    built = subprocess.run(kg + ["build", "--store", oxigraph.url, "--export", str(tmp_path / "g.nq")],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    asked = subprocess.run(kg + ["query", "--store", oxigraph.url, "--name", "urged-not-to", "--param",
                                 "holder=trump", "--format", "csv"], capture_output=True, text=True, timeout=120)
    assert asked.returncode == 0, asked.stderr
    assert "Vladimir Putin" in asked.stdout
    total = int(run(open_store(oxigraph.url), "summary").set_index("what").loc["triples", "count"])
    assert len((tmp_path / "g.nq").read_text().strip().splitlines()) == total
