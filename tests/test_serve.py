"""``kg serve`` as clients see it: a real server process on 127.0.0.1, real SPARQL clients."""
from __future__ import annotations

import csv
import http.client
import io
import signal
import json
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from urllib.error import HTTPError

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.build import build
from kg.rdf.namespaces import GRAPH, KG
from kg.remote import TOKEN_ENV
from kg.serve.engine import BadRequest, check_no_service
from kg.store import open_store, write_graphs
from servers import kg_serve

pytestmark = pytest.mark.server
TOKEN = "test-serve-token"
POSTS = "SELECT DISTINCT ?post WHERE { ?post a kg:Post } ORDER BY ?post"  # 7 in the sample


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "store"
    build(store=str(path)).store.close()
    return path


@pytest.fixture()
def own_sample(tmp_path):
    """A sample store of the test's own (a served store is locked by its server)."""
    path = tmp_path / "store"
    build(store=str(path)).store.close()
    return path


@pytest.fixture(scope="module")
def server(sample_path):
    """A read-only server over the sample."""
    with kg_serve(sample_path) as s:
        yield s


def request(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
            method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, dict(res.headers), res.read()
    except HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def get(server, query: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    return request(f"{server.url}/sparql?" + urllib.parse.urlencode({"query": query}), headers=headers)


# -- real clients ---------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_in_every_format(server, method, fmt):
    w = SPARQLWrapper(f"{server.url}/sparql")
    w.setQuery("PREFIX kg: <https://w3id.org/geokg/ontology#>\n" + POSTS)
    w.setMethod(method)
    w.setReturnFormat(fmt)
    result = w.query()
    converted = result.convert()
    if fmt == JSON:
        assert len(converted["results"]["bindings"]) == 7
    elif fmt == XML:
        assert len(converted.getElementsByTagName("result")) == 7
    elif fmt == CSV:
        assert len(list(csv.reader(io.StringIO(converted.decode())))) == 8  # header + 7
    else:
        lines = converted.decode().splitlines()
        assert lines[0] == "?post" and len(lines) == 8  # header + 7


@pytest.mark.parametrize("fmt", [TURTLE, N3, XML, RDFXML, JSONLD])
def test_sparqlwrapper_construct(server, fmt):
    w = SPARQLWrapper(f"{server.url}/sparql")
    w.setQuery("CONSTRUCT { ?p a kg:Post } WHERE { ?p a kg:Post }")
    w.setReturnFormat(fmt)
    converted = w.query().convert()
    g = converted if isinstance(converted, Graph) else Graph().parse(
        data=converted, format={TURTLE: "turtle", N3: "turtle", JSONLD: "json-ld"}[fmt])
    assert len(g) == 7


def test_sparqlwrapper_reports_a_bad_query(server):
    w = SPARQLWrapper(f"{server.url}/sparql")
    w.setQuery("SELEC ?x WHERE { ?x ?y ?z }")
    with pytest.raises(QueryBadFormed):
        w.query()


@pytest.mark.parametrize("fmt,method", [("xml", "GET"), ("json", "POST"), ("json", "POST_FORM")])
def test_rdflib_sparqlstore_reads_the_endpoint(server, sample_store, fmt, method):
    g = Graph(store=SPARQLStore(f"{server.url}/sparql", returnFormat=fmt, method=method))
    posts = {str(r[0]) for r in g.query(POSTS, initNs={"kg": KG})}
    assert posts == {str(r[0]) for r in sample_store.query(POSTS, initNs={"kg": KG})}
    assert (URIRef(sorted(posts)[0]), None, None) in g
    if fmt == "xml":  # rdflib then also accepts RDF/XML; asking for JSON only, a graph gets 406
        assert len(g.query("CONSTRUCT { ?p a kg:Post } WHERE { ?p a kg:Post }", initNs={"kg": KG}).graph) == 7


# -- the protocol ---------------------------------------------------------------------------

@pytest.mark.parametrize("accept,expected", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("*/*", "application/sparql-results+json"),
    ("", "application/sparql-results+json"),
])
def test_select_content_negotiation(server, accept, expected):
    status, headers, _ = get(server, POSTS, Accept=accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == expected


@pytest.mark.parametrize("accept,expected", [
    ("text/turtle", "text/turtle"), ("application/n-triples", "application/n-triples"),
    ("application/rdf+xml", "application/rdf+xml"), ("*/*", "text/turtle"),
])
def test_construct_content_negotiation(server, accept, expected):
    status, headers, body = get(server, "CONSTRUCT WHERE { ?p a kg:Post }", Accept=accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == expected
    fmt = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml"}[expected]
    assert len(Graph().parse(data=body, format=fmt)) == 7


def test_format_parameter_overrides_accept(server):
    url = f"{server.url}/sparql?" + urllib.parse.urlencode({"query": POSTS, "format": "csv"})
    status, headers, body = request(url, headers={"Accept": "application/sparql-results+json"})
    assert (status, headers["Content-Type"].split(";")[0]) == (200, "text/csv")
    assert body.decode().splitlines()[0] == "post"


def test_unacceptable_types_get_406(server):
    status, _, body = get(server, POSTS, Accept="image/png")
    assert status == 406 and b"application/sparql-results+json" in body
    assert get(server, "CONSTRUCT WHERE { ?p a kg:Post }", Accept="text/csv")[0] == 406


def test_ask_and_typed_literals_in_json(server):
    status, _, body = get(server, "ASK { ?p a kg:Post }")
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}
    data = json.loads(get(server, "SELECT (COUNT(DISTINCT ?p) AS ?n) (\"x\"@en AS ?l) WHERE { ?p a kg:Post }")[2])
    row = data["results"]["bindings"][0]
    assert row["n"] == {"type": "literal", "value": "7", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert row["l"] == {"type": "literal", "value": "x", "xml:lang": "en"}


def test_post_forms_and_direct_queries(server):
    form = urllib.parse.urlencode({"query": POSTS}).encode()
    direct = request(f"{server.url}/sparql", data=POSTS.encode(),
                     headers={"Content-Type": "application/sparql-query"})
    via_form = request(f"{server.url}/query", data=form,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert direct[0] == via_form[0] == 200
    assert json.loads(direct[2]) == json.loads(via_form[2])
    assert request(f"{server.url}/sparql", data=b"x", headers={"Content-Type": "text/plain"})[0] == 415


def test_bad_query_is_400_with_the_parser_message(server):
    status, headers, body = get(server, "SELECT ?x WHERE { ?x ?y }")
    assert status == 400
    assert headers["Content-Type"].startswith("text/plain")
    assert b"bad query" in body and b"1:" in body  # line:column from the parser
    assert request(f"{server.url}/sparql")[0] == 400  # no query at all


def test_default_graph_uri_selects_a_graph(server):
    url = f"{server.url}/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "default-graph-uri": str(GRAPH["ontology"])})
    one = int(json.loads(request(url)[2])["results"]["bindings"][0]["n"]["value"])
    union = int(json.loads(get(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[2])
                ["results"]["bindings"][0]["n"]["value"])
    assert 0 < one < union


def test_service_is_refused(server):
    status, _, body = get(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }")
    assert status == 400 and b"SERVICE" in body
    check_no_service('SELECT * WHERE { ?s ex:SERVICE "SERVICE" } # SERVICE')  # names, strings, comments
    with pytest.raises(BadRequest):
        check_no_service("SELECT * { service <http://x/> { ?s ?p ?o } }")


def test_updates_are_refused_by_a_read_only_server(server):
    update = b"DROP ALL"
    for path in ("/update", "/sparql"):
        status, _, body = request(f"{server.url}{path}", data=update, headers={
            "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
        assert status == 403 and b"--allow-update" in body
    assert json.loads(get(server, "ASK { ?p a kg:Post }")[2])["boolean"] is True


@pytest.mark.parametrize("path,ctype,expected", [
    ("/sparql", "application/sparql-query", 413),   # larger than any query may be
    ("/update", "application/sparql-update", 403),  # refused before a byte of it is read
])
def test_large_bodies_are_refused_unread(server, path, ctype, expected):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.putrequest("POST", path)
    conn.putheader("Content-Type", ctype)
    conn.putheader("Content-Length", str(10**9))  # announced, never sent
    conn.endheaders()
    assert conn.getresponse().status == expected
    conn.close()


def test_graph_store_protocol_reads_graphs(server):
    url = f"{server.url}/store?" + urllib.parse.urlencode({"graph": str(GRAPH["ontology"])})
    status, headers, body = request(url, headers={"Accept": "application/n-triples"})
    assert status == 200 and len(Graph().parse(data=body, format="nt")) > 0
    missing = f"{server.url}/store?" + urllib.parse.urlencode({"graph": "http://example.org/none"})
    assert request(missing)[0] == 404
    assert request(f"{server.url}/store", data=b"", method="POST")[0] == 405


def test_remote_store_reads_through_kg_serve(server, sample_store):
    ds = open_store(server.url, read_only=True)
    from kg.queries import run

    assert run(ds, "urged-not-to", holder="trump")["addresseeLabel"].tolist() == ["Vladimir Putin"]
    assert len(run(ds, "stances")) == len(run(sample_store, "stances"))


def test_query_page_renders_text_only(server):
    status, headers, body = request(f"{server.url}/")
    page = body.decode()
    assert status == 200 and "<textarea" in page
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "<script>" not in page and "http" not in page.split("<script")[-1].split(">")[0].replace(
        'src="/query.js"', "")  # no inline script, no CDN
    script = request(f"{server.url}/query.js")[2].decode()
    assert "textContent" in script and "innerHTML" not in script


def test_viewer_page(server):
    status, headers, body = request(f"{server.url}/viewer")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"<html" in body.lower()


def test_cache_skips_volatile_queries():
    from kg.serve.cache import ResponseCache, cacheable

    assert cacheable(POSTS) and cacheable('SELECT * WHERE { ?s ?p "RAND()" } # NOW()')
    assert not cacheable("SELECT (RAND() AS ?r) WHERE {}") and not cacheable("SELECT (now () AS ?t) {}")
    cache = ResponseCache(2)
    for i in range(3):
        cache.put((i,), 0, "text/csv", {}, b"x")
    assert cache.get((0,), 0) is None and cache.get((2,), 0) == ("text/csv", {}, b"x")
    assert cache.get((2,), 1) is None  # an update happened since


def test_unknown_paths_are_404(server):
    assert request(f"{server.url}/nope")[0] == 404


# -- limits ---------------------------------------------------------------------------------

def test_row_cap_cuts_results_and_says_so(own_sample):
    with kg_serve(own_sample, "--max-rows", "5") as s:
        status, headers, body = get(s, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 200 and headers["X-SPARQL-MaxRows"] == "5"
        assert len(json.loads(body)["results"]["bindings"]) == 5
        status, headers, _ = get(s, POSTS.replace("ORDER BY ?post", "LIMIT 3"))
        assert status == 200 and "X-SPARQL-MaxRows" not in headers
        assert len(Graph().parse(data=get(s, "CONSTRUCT WHERE { ?s ?p ?o }")[2], format="turtle")) == 5


@pytest.mark.slow
@pytest.mark.parametrize("query", [
    # no solution until the end: the engine blocks inside one step
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    # solutions come slowly: the worker notices the deadline between them
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(STR(?c) = STR(?i) && ?a != ?g) }",
])
def test_queries_past_the_timeout_get_503_and_the_server_keeps_answering(own_sample, query):
    with kg_serve(own_sample, "--timeout", "1", "--workers", "4") as s:
        status, _, body = get(s, query)
        assert status == 503 and b"1 s limit" in body
        assert get(s, "ASK { ?p a kg:Post }")[0] == 200


# -- writes ---------------------------------------------------------------------------------

@pytest.fixture()
def writable(own_sample):
    with kg_serve(own_sample, "--allow-update", env={"KG_SERVE_TOKEN": TOKEN}) as s:
        yield s, own_sample


def test_update_texts_ending_in_comments_or_semicolons_work(writable):
    s, _ = writable
    headers = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
    for i, tail in enumerate([" # a comment", " ;", " ; # both", ""]):
        update = f"INSERT DATA {{ GRAPH <http://x/g> {{ <http://x/s> <http://x/p> {i} }} }}{tail}"
        assert request(f"{s.url}/update", data=update.encode(), headers=headers)[0] == 204
    status, _, body = get(s, "SELECT (COUNT(*) AS ?n) WHERE { <http://x/s> <http://x/p> ?o }")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "4"  # the default graph has them


def test_updates_need_the_bearer_token(writable):
    s, _ = writable
    insert = b"INSERT DATA { GRAPH <http://x/g> { <http://x/s> <http://x/p> 1 } }"
    for auth in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": f"Basic {TOKEN}"}):
        status, _, _ = request(f"{s.url}/update", data=insert,
                               headers={"Content-Type": "application/sparql-update", **auth})
        assert status == 403
    assert json.loads(get(s, "ASK { <http://x/s> ?p ?o }")[2])["boolean"] is False
    status, _, _ = request(f"{s.url}/update", data=insert, headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert status == 204
    assert json.loads(get(s, "ASK { <http://x/s> ?p ?o }")[2])["boolean"] is True
    bad = request(f"{s.url}/update", data=b"INSERT NONSENSE", headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert bad[0] == 400


def test_served_store_is_locked_against_other_writers(writable, monkeypatch):
    s, path = writable
    done = subprocess.run([sys.executable, "-m", "kg", "build", "--store", str(path), "--no-export"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "kg serve" in done.stderr
    # writing through the server works, and the server sees it at once
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    result = build(store=s.url)
    assert int(result.summary.loc["stances: oppose", "count"]) > 0


def test_readers_during_writes_see_a_consistent_graph(writable, monkeypatch):
    """Readers hammer a count while a writer swaps a named graph between two versions of
    different sizes: every count must be one version's, never a mix or an empty graph."""
    s, _ = writable
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    ds = open_store(s.url)
    name = GRAPH["consistency"]
    p = URIRef("http://x/p")
    versions = {n: Graph() for n in (300, 700)}
    for n, g in versions.items():
        for i in range(n):
            g.add((URIRef(f"http://x/s{i}"), p, Literal(f"v{n}-{i}")))
    write_graphs(ds, {name: versions[300]})
    # the named graph, and the default graph (the merge of the named graphs), in one query
    query = (f"SELECT ?named ?merged WHERE {{ "
             f"{{ SELECT (COUNT(*) AS ?named) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }} }} "
             f"{{ SELECT (COUNT(*) AS ?merged) WHERE {{ ?s <{p}> ?o }} }} }}")
    seen: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                status, _, body = get(s, query)
                assert status == 200
                row = json.loads(body)["results"]["bindings"][0]
                seen.append((int(row["named"]["value"]), int(row["merged"]["value"])))
            except BaseException as exc:  # reported below
                errors.append(exc)
                return

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for t in threads:
        t.start()
    try:
        for i in range(20):  # bounded: 20 swaps
            write_graphs(ds, {name: versions[700 if i % 2 == 0 else 300]})
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert not errors
    assert len(seen) > 20
    assert set(seen) <= {(300, 300), (700, 700)}, sorted(set(seen) - {(300, 300), (700, 700)})


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_stops_the_server_cleanly_and_frees_the_store(own_sample, sig):
    with kg_serve(own_sample) as s:
        s.proc.send_signal(sig)
        _, err = s.proc.communicate(timeout=30)
        assert s.proc.returncode == 0, err
        assert "kg serve: stopped" in err and "Traceback" not in err
    ds = open_store(own_sample)  # the lock is released: a writer can open it
    ds.close()


def test_port_out_of_range_is_a_clear_error(own_sample):
    done = subprocess.run([sys.executable, "-m", "kg", "serve", "--store", str(own_sample), "--port", "99999"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--port" in done.stderr and "Traceback" not in done.stderr
