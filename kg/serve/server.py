"""The HTTP side of ``kg serve``: routes, the SPARQL 1.1 Protocol, status codes.

Routes: ``/sparql`` and ``/query`` (queries; ``/sparql`` also takes updates), ``/update``,
``/store`` (Graph Store Protocol, read-only), ``/`` (query page), ``/viewer``.
"""
from __future__ import annotations

import hmac
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from . import formats
from .cache import ResponseCache, cacheable
from .engine import BadRequest, Engine, Timeout
from .page import CSP, SCRIPT, render_page

MAX_QUERY_BYTES = 1 << 20       # a query larger than 1 MiB is a mistake or an attack
MAX_UPDATE_BYTES = 512 << 20    # `kg build --store http://…` sends the whole graph in one update;
                                # only clients with the token may send that much
_FORM = "application/x-www-form-urlencoded"
_GSP_TYPES = {formats.NTRIPLES: ox.RdfFormat.N_TRIPLES, formats.TURTLE: ox.RdfFormat.TURTLE,
              "application/n-quads": ox.RdfFormat.N_QUADS, "application/trig": ox.RdfFormat.TRIG}


class HttpError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


class KgServer(ThreadingHTTPServer):
    """A threading HTTP server holding the engine and the endpoint's settings."""
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], engine: Engine, *, token: str | None = None,
                 viewer: Callable[[], str | None] | None = None, quiet: bool = True,
                 cache_size: int = 256) -> None:
        super().__init__(address, Handler)
        self.engine = engine
        self.cache = ResponseCache(cache_size)
        self.token = token  # None: updates refused
        self.viewer = viewer
        self.quiet = quiet
        self._viewer_cache: tuple[int, bytes | None] | None = None
        self._viewer_lock = threading.Lock()
        self.page = render_page(updates=token is not None, viewer=viewer is not None)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    def viewer_html(self) -> bytes | None:
        """The viewer page, rebuilt after each update."""
        if self.viewer is None:
            return None
        with self._viewer_lock:
            gen = self.engine.generation
            if self._viewer_cache is None or self._viewer_cache[0] != gen:
                html = self.viewer()
                self._viewer_cache = (gen, html.encode("utf-8") if html is not None else None)
            return self._viewer_cache[1]


class Handler(BaseHTTPRequestHandler):
    server: KgServer
    protocol_version = "HTTP/1.1"  # keep-alive: clients reuse connections
    server_version = "kg-serve"
    timeout = 60  # seconds a client may take to send a request, so idle sockets do not pile up
    # headers and body leave in two writes: with Nagle's algorithm on, the body would wait for
    # the client's delayed ACK (~40 ms) on every keep-alive request
    disable_nagle_algorithm = True

    # -- plumbing ---------------------------------------------------------------------------
    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the stdlib's name)
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def fail(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self.send(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)

    def _body(self, limit: int) -> bytes:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise HttpError(400, "Content-Length is not a number") from None
        if length > limit:
            self.close_connection = True  # the unread body would be taken for the next request
            raise HttpError(413, f"request body larger than {limit:,} bytes")
        return self.rfile.read(length) if length > 0 else b""

    def _dispatch(self, route: Callable[[], None]) -> None:
        try:
            route()
        except HttpError as exc:
            self.fail(exc.status, str(exc), exc.headers)
        except BadRequest as exc:
            self.fail(400, f"bad query: {exc}")
        except Timeout as exc:
            self.fail(503, str(exc), {"Retry-After": "1"})
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:  # one bad request must not take the server down
            self.fail(500, f"internal error: {type(exc).__name__}: {exc}")

    # -- routes -----------------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._dispatch(self._get)

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch(self._post)

    def _get(self) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/sparql", "/query"):
            if "query" not in params:
                if "update" in params:
                    raise HttpError(405, "updates must be POSTed", {"Allow": "POST"})
                raise HttpError(400, "missing the query parameter: /sparql?query=SELECT...")
            return self._query(params["query"][0], params)
        if url.path == "/":
            return self.send(200, self.server.page, "text/html; charset=utf-8",
                             {"Content-Security-Policy": CSP, "Cache-Control": "no-cache"})
        if url.path == "/query.js":
            return self.send(200, SCRIPT.encode(), "text/javascript; charset=utf-8",
                             {"Cache-Control": "no-cache"})
        if url.path == "/viewer":
            html = self.server.viewer_html()
            if html is None:
                raise HttpError(404, "viewer not available: the kg.viewer package is not installed")
            return self.send(200, html, "text/html; charset=utf-8", {"Cache-Control": "no-cache"})
        if url.path == "/store":
            return self._graph_store(params)
        if url.path == "/update":
            raise HttpError(405, "updates must be POSTed", {"Allow": "POST"})
        raise HttpError(404, f"no such page: {url.path}; try / or /sparql?query=")

    def _post(self) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if url.path not in ("/sparql", "/query", "/update"):
            self.close_connection = True  # its body stays unread
            raise HttpError(405 if url.path in ("/", "/store", "/viewer") else 404,
                            f"cannot POST to {url.path}", {"Allow": "GET"})
        if url.path == "/update" or ctype == "application/sparql-update":
            self.close_connection = True  # in case the check fails: the body stays unread
            self._check_token()  # before reading what may be a large body
            self.close_connection = False
        body = self._body(MAX_UPDATE_BYTES if self._token_ok() else MAX_QUERY_BYTES)
        if ctype == _FORM:
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError:
                raise HttpError(400, "the form is not UTF-8") from None
            params = {**params, **form}
            if "update" in form and url.path != "/query":
                return self._update(form["update"][0])
            if "query" in form and url.path != "/update":
                return self._query(form["query"][0], params)
            raise HttpError(400, "the form needs a 'query' (or, for updates, an 'update') field")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise HttpError(400, "the request body is not UTF-8") from None
        if ctype == "application/sparql-update" and url.path != "/query":
            return self._update(text)
        if ctype == "application/sparql-query" and url.path != "/update":
            return self._query(text, params)
        raise HttpError(415, "send application/sparql-query, application/sparql-update or a form "
                             f"({_FORM}) to {url.path}, not {ctype or 'no content type'}")

    # -- SPARQL -----------------------------------------------------------------------------
    def _query(self, text: str, params: dict[str, list[str]]) -> None:
        fmt = (params.get("format") or params.get("output") or [None])[0]
        accept = self.headers.get("Accept")
        default_graphs, named_graphs = params.get("default-graph-uri"), params.get("named-graph-uri")
        engine = self.server.engine
        key = (text, tuple(default_graphs or ()), tuple(named_graphs or ()), fmt, accept)
        generation = engine.generation  # read before the query: a later update makes the entry stale
        hit = self.server.cache.get(key, generation)
        if hit is not None:
            return self.send(200, hit[2], hit[0], hit[1])
        outcome = engine.query(text, default_graphs, named_graphs)
        graph = outcome.kind == "graph"
        offered = formats.GRAPH_TYPES if graph else formats.RESULT_TYPES
        mime = formats.negotiate(accept, fmt, offered, formats.GRAPH_NAMES if graph else formats.RESULT_NAMES)
        if mime is None:
            kinds = ", ".join(dict.fromkeys(offered.values()))
            raise HttpError(406, f"cannot answer this query as {fmt or accept}; available: {kinds}")
        headers = {"Vary": "Accept"}
        if outcome.truncated:  # as Virtuoso does: the result is cut, and says where
            headers["X-SPARQL-MaxRows"] = str(self.server.engine.max_rows)
        if outcome.kind == "select":
            body = formats.select_bytes(mime, outcome.variables, outcome.rows)
        elif outcome.kind == "ask":
            body = formats.ask_bytes(mime, outcome.boolean)
        else:
            body = formats.graph_bytes(mime, outcome.rows)
        ctype = mime + ("; charset=utf-8" if mime.startswith("text/") or mime.endswith(("json", "xml")) else "")
        if cacheable(text):
            self.server.cache.put(key, generation, ctype, headers, body)
        self.send(200, body, ctype, headers)

    def _token_ok(self) -> bool:
        token = self.server.token
        scheme, _, credential = (self.headers.get("Authorization") or "").partition(" ")
        return (token is not None and scheme.lower() == "bearer"
                and hmac.compare_digest(credential.strip().encode(), token.encode()))

    def _check_token(self) -> None:
        if self.server.token is None:
            raise HttpError(403, "updates are disabled; start the server with --allow-update --token TOKEN")
        if not self._token_ok():
            raise HttpError(403, "updates need the header 'Authorization: Bearer TOKEN' with the server's token")

    def _update(self, text: str) -> None:
        self._check_token()
        self.server.engine.update(text)
        self.send(204, b"", "text/plain")

    def _graph_store(self, params: dict[str, list[str]]) -> None:
        """Graph Store Protocol, reading: ``?graph=IRI``, ``?default``, or the whole dataset."""
        store = self.server.engine.store
        if "graph" in params:
            try:
                name = ox.NamedNode(params["graph"][0])
            except ValueError as exc:
                raise HttpError(400, f"graph is not an IRI: {exc}") from None
            if not store.contains_named_graph(name):
                raise HttpError(404, f"no graph {params['graph'][0]}")
            quads, offered = store.quads_for_pattern(None, None, None, name), (formats.NTRIPLES, formats.TURTLE)
        elif "default" in params:
            quads = store.quads_for_pattern(None, None, None, ox.DefaultGraph())
            offered = (formats.NTRIPLES, formats.TURTLE)
        else:
            quads, offered = store.quads_for_pattern(None, None, None), ("application/n-quads", "application/trig")
        mime = formats.negotiate(self.headers.get("Accept"), None, {m: m for m in offered})
        if mime is None:
            raise HttpError(406, f"available: {', '.join(offered)}")
        items = [q.triple for q in quads] if offered[0] == formats.NTRIPLES else list(quads)
        self.send(200, ox.serialize(items, format=_GSP_TYPES[mime]) or b"", mime)
