"""Remote stores: a SPARQL 1.1 endpoint (query + update + Graph Store Protocol) as an rdflib Dataset.

Store URIs (``--store``, ``$KG_STORE``, :func:`kg.store.open_store`):

``http(s)://HOST[:PORT]`` (no path)
    The Oxigraph server layout, which ``kg serve`` also answers: queries at ``/query``,
    updates at ``/update``, Graph Store Protocol at ``/store``. Queries are sent with
    Oxigraph's ``union-default-graph`` parameter, so the server needs no start-up flag.
``http(s)://HOST[:PORT]/PATH``
    ``PATH`` is the SPARQL endpoint for queries *and* updates (Virtuoso and Neptune
    ``/sparql``, a Fuseki dataset ``/ds``), unless an option below says otherwise.

Options in the query string, removed before any request is sent:

``update=URL``
    a separate update endpoint; a path (``/repositories/kg/statements``) or a name
    relative to the endpoint (``update`` beside ``/ds/query``) is resolved against it;
``gsp=URL``
    the Graph Store Protocol endpoint, resolved the same way (whole graphs are read with it,
    e.g. by ``kg export``);
``timeout=SECONDS``
    how long to wait for an answer (default 60).

Any other query-string parameter is sent with every query (for example Oxigraph's
``union-default-graph`` when the path is given explicitly). Credentials: ``user:password@``
in the URI is sent as HTTP Basic authentication, ``$KG_STORE_TOKEN`` as a Bearer token
(``kg serve --allow-update --token T`` expects one).

Our queries assume the default graph is the union of the named graphs. Oxigraph: see
above; GraphDB, Virtuoso and Neptune do this by default; Fuseki/TDB2 needs
``tdb2:unionDefaultGraph true`` in the dataset configuration.

>>> e = parse_uri("http://127.0.0.1:7878")
>>> e.query, e.update, e.gsp
('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
>>> parse_uri("http://h:3030/ds/query?update=update&gsp=data").update
'http://h:3030/ds/update'
"""
from __future__ import annotations

import base64
import os
import socket
from dataclasses import dataclass, field
from io import BytesIO
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit
from urllib.request import Request, urlopen

from rdflib import Dataset, Graph, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from rdflib.query import Result

from .errors import StoreError

DEFAULT_TIMEOUT = 60.0
TOKEN_ENV = "KG_STORE_TOKEN"
_OPTIONS = ("update", "gsp", "timeout")
_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
           "application/sparql-results+xml;q=0.5")
_GRAPH_TYPES = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle",
                "application/rdf+xml": "xml", "application/n-quads": "nquads"}


@dataclass(frozen=True)
class Endpoints:
    """Where to send queries, updates and Graph Store Protocol requests, and how."""
    uri: str  # as the user gave it, credentials removed, for messages
    query: str
    update: str
    gsp: str | None
    query_params: dict[str, str] = field(default_factory=dict)
    union_params: dict[str, str] = field(default_factory=dict)  # dropped if a query names graphs
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float = DEFAULT_TIMEOUT


def parse_uri(uri: str) -> Endpoints:
    """Split a remote store URI into its endpoints; see the module docstring."""
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError("a remote store URI looks like http(s)://HOST[:PORT][/PATH]", source=uri)
    headers: dict[str, str] = {}
    if parts.username:
        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    elif os.environ.get(TOKEN_ENV):
        headers["Authorization"] = f"Bearer {os.environ[TOKEN_ENV]}"
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    if ":" in parts.hostname:  # IPv6 literal
        netloc = f"[{parts.hostname}]" + (f":{parts.port}" if parts.port else "")
    options = dict(parse_qsl(parts.query, keep_blank_values=True))
    extra = {k: v for k, v in options.items() if k not in _OPTIONS}
    try:
        timeout = float(options.get("timeout", DEFAULT_TIMEOUT))
    except ValueError:
        raise StoreError(f"timeout={options['timeout']!r} is not a number of seconds", source=uri) from None
    shown = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    base = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    if parts.path in ("", "/"):  # Oxigraph server layout
        root = base.rstrip("/")
        return Endpoints(shown, root + "/query", urljoin(base, options.get("update", root + "/update")),
                         urljoin(base, options.get("gsp", root + "/store")), extra,
                         {"union-default-graph": ""}, headers, timeout)
    update = urljoin(base, options["update"]) if "update" in options else base
    gsp = urljoin(base, options["gsp"]) if "gsp" in options else None
    return Endpoints(shown, base, update, gsp, extra, {}, headers, timeout)


def _request(ep: Endpoints, url: str, *, data: bytes | None = None, content_type: str | None = None,
             accept: str = "*/*", method: str | None = None) -> tuple[str, bytes]:
    """One HTTP request; any failure becomes a :class:`StoreError` naming the URL and status."""
    headers = {**ep.headers, "Accept": accept}
    if content_type:
        headers["Content-Type"] = content_type
    try:
        with urlopen(Request(url, data=data, headers=headers, method=method), timeout=ep.timeout) as res:
            return res.headers.get("Content-Type", ""), res.read()
    except HTTPError as exc:
        body = exc.read().decode("utf-8", "replace").strip()
        detail = " ".join(body.split())[:500]
        raise StoreError(f"the endpoint answered {exc.code} {exc.reason}" + (f": {detail}" if detail else ""),
                         source=url.split("?")[0]) from None
    except (URLError, socket.timeout, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise StoreError(f"cannot reach the SPARQL endpoint ({reason})", source=url.split("?")[0]) from None


class RemoteStore(SPARQLUpdateStore):
    """rdflib's SPARQLUpdateStore with timeouts, authentication and errors that say what failed."""

    def __init__(self, endpoints: Endpoints, read_only: bool = False) -> None:
        super().__init__(endpoints.query, endpoints.update, autocommit=True)
        self.endpoints = endpoints
        self.read_only = read_only

    def _query(self, query: str, default_graph: str | None = None, named_graph: str | None = None) -> Result:
        ep = self.endpoints
        params = dict(ep.query_params)
        if default_graph is not None:
            params["default-graph-uri"] = str(default_graph)
        else:
            params.update(ep.union_params)
        url = ep.query + ("?" + urlencode(params) if params else "")
        ctype, body = _request(ep, url, data=query.encode("utf-8"),
                               content_type="application/sparql-query; charset=utf-8", accept=_ACCEPT)
        mime = ctype.split(";")[0].strip().lower()
        if mime in _GRAPH_TYPES:
            result = Result("CONSTRUCT")
            result.graph = Graph().parse(BytesIO(body), format=_GRAPH_TYPES[mime])
            return result
        try:
            return Result.parse(BytesIO(body), content_type=mime or "application/sparql-results+json")
        except Exception as exc:  # a proxy's HTML error page, say
            raise StoreError(f"the endpoint's answer ({mime or 'no content type'}) is not a SPARQL "
                             f"result: {exc}", source=ep.query) from None

    def _inject_prefixes(self, query: str, extra_bindings) -> str:
        """Prepend rdflib's prefixes on the query's first line, so parser line numbers stay right."""
        bindings = {**self.nsBindings, **dict(extra_bindings)}
        return " ".join(f"PREFIX {k}: <{v}>" for k, v in bindings.items()) + " " + query if bindings else query

    def triples(self, spo, context=None):  # type: ignore[override]
        """Triples with the graphs that hold them (rdflib's SPARQLStore names no graph).

        kg keeps everything in named graphs, so the endpoint's own default graph reads as
        empty (rather than as the union, which would export every triple twice).
        """
        if getattr(context, "identifier", None) == DATASET_DEFAULT_GRAPH_ID:
            return
        if self._is_contextual(context):
            if spo == (None, None, None) and self.endpoints.gsp:  # a whole graph: GSP is cheapest
                found = ((t, None) for t in fetch_graph(self.endpoints, context.identifier))
            else:
                found = super().triples(spo, context)
            for triple, _ in found:
                yield triple, iter([context])
            return
        terms = [t if t is not None else Variable(v) for t, v in zip(spo, "spo")]
        rows = self._query("SELECT DISTINCT ?s ?p ?o ?g WHERE { GRAPH ?g { %s } }"
                           % " ".join(self.node_to_sparql(t) for t in terms))
        graphs: dict[tuple, list[Graph]] = {}
        for row in rows:
            triple = tuple(row.get(Variable(v), t) for t, v in zip(terms, "spo"))
            graphs.setdefault(triple, []).append(Graph(store=self, identifier=row.get(Variable("g"))))
        for triple, gs in graphs.items():
            yield triple, iter(gs)

    def add_graph(self, graph: Graph) -> None:
        """No request: ``Dataset.graph(name)`` only names a graph, which exists by its triples
        (rdflib would send CREATE GRAPH, an error when the graph exists or the store is read-only)."""

    def _update(self, update: str) -> None:
        if self.read_only:
            raise StoreError("this store was opened read-only", source=self.endpoints.uri)
        self._updates += 1
        _request(self.endpoints, self.endpoints.update, data=update.encode("utf-8"),
                 content_type="application/sparql-update; charset=utf-8")


def open_remote(uri: str, read_only: bool = False) -> Dataset:
    """A Dataset over the endpoint at ``uri`` (default graph = union); checks that it answers."""
    store = RemoteStore(parse_uri(uri), read_only=read_only)
    store._query("ASK { }")  # fail now, with the URI, rather than on first use
    return Dataset(store=store, default_union=True)


def fetch_graph(ep: Endpoints, name: URIRef | str) -> Graph:
    """One named graph through the Graph Store Protocol (``GET gsp?graph=IRI``)."""
    if not ep.gsp:
        raise StoreError("no Graph Store Protocol endpoint; add ?gsp=URL to the store URI", source=ep.uri)
    ctype, body = _request(ep, ep.gsp + "?" + urlencode({"graph": str(name)}),
                           accept="application/n-triples, text/turtle;q=0.9")
    fmt = _GRAPH_TYPES.get(ctype.split(";")[0].strip().lower(), "turtle")
    return Graph(identifier=URIRef(str(name))).parse(BytesIO(body), format=fmt)
