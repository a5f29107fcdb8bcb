"""``kg serve``: a SPARQL 1.1 Protocol endpoint over an embedded Oxigraph store.

* ``/sparql`` (also ``/query``): GET ``?query=`` or POST (form or ``application/sparql-query``);
  ``default-graph-uri`` / ``named-graph-uri`` as in the protocol, otherwise the default graph
  is the union of the named graphs; our prefixes are predeclared. Results by the ``Accept``
  header or ``format=``: SPARQL JSON (default), XML, CSV, TSV; graphs as Turtle (default),
  N-Triples or RDF/XML; 406 when none fits. A query that does not parse gets 400 with the
  parser's message; one that runs past ``timeout`` seconds, 503. Results are cut at
  ``max_rows`` rows (or triples): the answer is still 200 and carries ``X-SPARQL-MaxRows``.
  ``SERVICE`` is refused, so clients cannot make the server fetch URLs. Answers are kept in
  a small cache (:mod:`kg.serve.cache`) until the next update.
* ``/update`` (and updates POSTed to ``/sparql``): only with a token, which requests must
  send as ``Authorization: Bearer TOKEN``; 403 otherwise. Each update is one transaction.
* ``/store``: Graph Store Protocol, read-only (``?graph=IRI``, ``?default``, or everything).
* ``/``: a query page; ``/viewer``: the graph viewer, when :mod:`kg.viewer` is installed.

The store: the server opens the store directory read-write and so holds Oxigraph's lock for
as long as it runs. A ``kg build`` or ``kg ingest`` on the same directory then stops at once
with "is another kg process, such as `kg serve`, using it?" instead of writing under a
reader: pyoxigraph documents a read-only open beside a writing process as undefined
behaviour. To change a served store, write through the server (start it with
``--allow-update --token T``; run ``KG_STORE_TOKEN=T kg build --store http://127.0.0.1:7878``):
each write is one transaction, and queries running meanwhile see the graph before or after.
``kg query --store DIR`` (a read-only open) still works beside a read-only server.
"""
from __future__ import annotations

from rdflib import Dataset

from ..errors import InputError, KgError, StoreError
from ..store import is_oxigraph
from .engine import Engine
from .server import KgServer

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 7878


def _viewer(ds: Dataset):
    """A function rendering the viewer page for ``ds``, or None if kg.viewer is missing."""
    try:
        from ..viewer.data import viewer_graph
        from ..viewer.render import render_html
    except ImportError:
        return None
    return lambda: render_html(viewer_graph(ds))


def make_server(ds: Dataset, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, token: str | None = None,
                timeout: float = 10.0, max_rows: int = 10_000, workers: int = 8, cache_size: int = 256,
                quiet: bool = True) -> KgServer:
    """A server for the embedded store ``ds`` (not yet serving: call ``serve_forever()``).

    ``token`` enables updates; ``port=0`` picks a free port (see ``server.url``).
    """
    if not is_oxigraph(ds):
        raise StoreError("kg serve serves an embedded Oxigraph store (a directory); "
                         "a remote store already is a SPARQL endpoint")
    if token is not None and len(token) < 8:
        raise InputError("the update token must have at least 8 characters", field="--token")
    engine = Engine(ds.store._inner, timeout=timeout, max_rows=max_rows, workers=workers)
    try:
        return KgServer((host, port), engine, token=token, viewer=_viewer(ds), quiet=quiet,
                        cache_size=cache_size)
    except OSError as exc:
        engine.close()
        raise KgError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
