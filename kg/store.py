"""Open a store by URI and write named graphs to it atomically.

Store URIs:

* ``memory:`` — rdflib's in-memory dataset (tests, notebooks);
* ``oxigraph:PATH`` or a plain ``PATH`` — an embedded on-disk Oxigraph store (the default);
* ``http(s)://…`` — a remote SPARQL 1.1 endpoint (see :mod:`kg.remote`).

Every store is an rdflib :class:`~rdflib.Dataset` whose default graph is the union of the
named graphs (one per article, plus ``graph:ontology``), so one query sees everything.
Oxigraph's own union default graph is a bag (a triple held by k article graphs matches k
times, and joins multiply that), so an Oxigraph store keeps the RDF merge of its named graphs
in its real default graph, maintained by :func:`write_graphs` and :func:`load_file`.

>>> ds = open_store("memory:")
>>> len(ds)
0
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .errors import InputError, StoreError

DEFAULT_STORE = "kg-out/store"


def default_store_uri() -> str:
    """``$KG_STORE`` if set, else ``kg-out/store`` under the working directory."""
    return os.environ.get("KG_STORE", DEFAULT_STORE)


def is_oxigraph(ds: Dataset) -> bool:
    return type(ds.store).__name__ == "OxigraphStore"


def is_remote(uri: str) -> bool:
    return uri.startswith(("http://", "https://"))


def open_store(uri: str | Path | None = None, *, create: bool = True, read_only: bool = False) -> Dataset:
    """Open (or create) the store at ``uri``; see the module docstring for the URI forms."""
    uri = str(uri if uri is not None else default_store_uri())
    if uri in ("memory", "memory:"):
        return Dataset(default_union=True)
    if is_remote(uri):
        from .remote import open_remote  # only remote users need HTTP machinery

        return open_remote(uri, read_only=read_only)
    path = Path(uri.removeprefix("oxigraph:")).expanduser().absolute()
    if not path.exists() and (read_only or not create):
        raise StoreError("no store here yet; run `kg build` (or pass --store) first", source=str(path))
    if path.exists() and not path.is_dir():
        raise StoreError("a store is a directory, but this is a file", source=str(path))
    import pyoxigraph as ox
    from oxrdflib import OxigraphStore

    if not read_only:
        path.mkdir(parents=True, exist_ok=True)
    try:
        inner = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        hint = " (is another kg process, such as `kg serve`, using it?)" if "lock" in str(exc).lower() else ""
        raise StoreError(f"cannot open the store: {exc}{hint}", source=str(path)) from None
    has_merge = next(iter(inner.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None
    if not has_merge and next(iter(inner.named_graphs()), None) is not None:
        if read_only:  # a store written before the merge was kept: read the bag union
            return Dataset(store=OxigraphStore(store=inner), default_union=True)
        refresh_merge(inner)
    return Dataset(store=OxigraphStore(store=inner), default_union=False)


# appended to a raw SPARQL Update on the named graphs (as ``kg serve`` accepts), in the same request
REFRESH_MERGE = "DROP SILENT DEFAULT ; INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def refresh_merge(inner) -> None:
    """Recompute an Oxigraph store's default graph as the merge of its named graphs.

    :func:`write_graphs` and :func:`load_file` keep it up to date.
    """
    inner.update(REFRESH_MERGE)


def _quote(text: str) -> str:
    """An N-Triples string: the four characters N-Triples forbids raw are escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')  # what an N-Triples IRIREF cannot hold


def _nt_term(term) -> str:
    if isinstance(term, Literal):
        if term.language:
            return f"{_quote(term)}@{term.language}"
        return f"{_quote(term)}^^<{term.datatype}>" if term.datatype else _quote(term)
    if isinstance(term, URIRef) and _BAD_IRI.search(term):
        raise InputError(f"not a valid IRI (spaces, quotes, <>{{}}|^` and backslashes are not allowed): {str(term)!r}")
    return term.n3()  # IRIs and blank nodes


def ntriples(triples: Iterable[tuple]) -> str:
    """The triples as an N-Triples document, one ``S P O .`` line each, without an rdflib Graph."""
    return "".join(f"{_nt_term(s)} {_nt_term(p)} {_nt_term(o)} .\n" for s, p, o in triples)


def _body(g: Graph | str) -> str:
    return g if isinstance(g, str) else ntriples(g)


def _insert_data(graphs: Mapping[URIRef, Graph | str], *, merge: bool = False) -> str:
    """INSERT DATA for the named graphs (with ``merge``, their triples in the default graph too)."""
    parts = []
    for name, g in graphs.items():
        body = _body(g)
        parts.append(f"GRAPH <{name}> {{\n{body}}}")
        if merge:
            parts.append(body)
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}"


def _nquads_with_merge(graphs: Mapping[URIRef, Graph | str]) -> str:
    """One N-Quads document: every triple in its named graph and again in the default graph."""
    parts = []
    for name, g in graphs.items():
        body = _body(g)
        # lines end in " .\n" and N-Triples escapes line breaks inside literals: only ends match
        parts += [body.replace(" .\n", f" <{name}> .\n"), body]
    return "".join(parts)


def _oxigraph_update(graphs: Mapping[URIRef, Graph | str], replace_all: bool) -> str:
    """One update replacing ``graphs`` and keeping the default graph the merge of all named graphs."""
    if replace_all:
        return f"DROP SILENT ALL ;\n{_insert_data(graphs, merge=True)}"
    names = ", ".join(f"<{n}>" for n in graphs)
    # triples only the replaced graphs hold leave the merge; the new content re-enters it
    unmerge = (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g IN ({names})) "
               f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER (?h NOT IN ({names})) }} }}")
    drops = [f"DROP SILENT GRAPH <{n}>" for n in graphs]
    return " ;\n".join([unmerge, *drops, _insert_data(graphs, merge=True)])


def write_graphs(ds: Dataset, graphs: Mapping[URIRef, Graph | str], *, replace_all: bool = False) -> None:
    """Replace the named graphs in ``graphs`` (and, with ``replace_all``, drop every other one).

    Each graph is an rdflib Graph or its N-Triples text as :func:`ntriples` writes it. On
    Oxigraph and remote stores this is one transaction: a crash or a kill leaves the store as it
    was before or as it is after, never half-written. On Oxigraph, graphs that are all new are
    added by one native N-Quads load (each triple in its graph and in the default graph, the
    merge); replacing existing graphs takes one SPARQL Update that also keeps the merge right.
    """
    if is_oxigraph(ds):
        import pyoxigraph as ox

        inner = ds.store._inner
        # the embedded store is locked to this process, so nothing can add these graphs meanwhile
        if not replace_all and not any(inner.contains_named_graph(ox.NamedNode(n)) for n in graphs):
            inner.load(_nquads_with_merge(graphs).encode(), format=ox.RdfFormat.N_QUADS)
        else:
            inner.update(_oxigraph_update(graphs, replace_all))
        return
    drops = ["DROP SILENT ALL"] if replace_all else [f"DROP SILENT GRAPH <{n}>" for n in graphs]
    if any(c.__name__ == "SPARQLUpdateStore" for c in type(ds.store).__mro__):  # incl. kg.remote's
        ds.update(" ;\n".join(drops + [_insert_data(graphs)]))
        return
    # rdflib memory store: build aside, then swap in, so a failure leaves it unchanged
    aside = {name: g if isinstance(g, Graph) else Graph().parse(data=g, format="nt") for name, g in graphs.items()}
    if replace_all:
        for ctx in list(ds.graphs()):
            ds.remove_graph(ctx)
    for name, g in aside.items():
        ds.remove_graph(ds.graph(name))
        target = ds.graph(name)
        for triple in g:
            target.add(triple)


def flush(ds: Dataset) -> None:
    """Write an Oxigraph store's in-memory write buffers to disk, which frees them: a long run of
    writes otherwise grows the process by about 0.8 GB per million quads (other stores: no-op)."""
    if is_oxigraph(ds):
        ds.store._inner.flush()


# file suffix -> (Oxigraph format, rdflib format); quad formats keep their graphs
RDF_FILE_FORMATS = {".nq": ("N_QUADS", "nquads"), ".trig": ("TRIG", "trig"), ".nt": ("N_TRIPLES", "nt"),
                    ".ttl": ("TURTLE", "turtle"), ".rdf": ("RDF_XML", "xml"), ".owl": ("RDF_XML", "xml"),
                    ".jsonld": ("JSON_LD", "json-ld")}


def load_file(ds: Dataset, path: str | Path, graph: URIRef | None = None) -> int:
    """Add the RDF file at ``path`` to the store and return how many quads it held; quads keep
    their graphs, triples go into the named graph ``graph`` (default: ``graph:file/NAME``, as
    the default graph is the union).

    On Oxigraph the file is parsed by Oxigraph itself and written, with its merge, in one bulk
    load (about 93,000 triples a second on 2 cores; all or nothing: a parse error or a kill
    leaves the store unchanged); other stores parse with rdflib aside and then add the quads.
    """
    from .rdf.namespaces import GRAPH
    from .sources import slug

    path = Path(path)
    fmt = RDF_FILE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"unknown RDF file type; use one of {', '.join(RDF_FILE_FORMATS)}", source=str(path))
    if not path.is_file():
        raise InputError("no such file", source=str(path))
    graph = graph or GRAPH[f"file/{slug(path.stem)}"]
    if is_oxigraph(ds):
        import pyoxigraph as ox

        try:
            ox_fmt = getattr(ox.RdfFormat, fmt[0])
            # a first pass reports syntax errors before the bulk loader writes anything (1 s per
            # million N-Quads) and counts the quads
            count = sum(1 for _ in ox.parse(path=str(path), format=ox_fmt))
            ds.store._inner.bulk_extend(_with_merge(path, ox_fmt, ox.NamedNode(graph)))
        except SyntaxError as exc:
            raise InputError(f"not valid {fmt[1]}: {exc.msg}", source=str(path), line=exc.lineno) from None
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot load the file: {exc}", source=str(path)) from None
        return count
    aside = Dataset()
    try:
        aside.parse(str(path), format=fmt[1])
    except Exception as exc:  # rdflib's parsers raise many kinds
        raise InputError(f"not valid {fmt[1]}: {' '.join(str(exc).split())}", source=str(path)) from None
    quads = list(aside.quads())
    ds.addN((s, p, o, ds.graph(graph if c == DATASET_DEFAULT_GRAPH_ID else c)) for s, p, o, c in quads)
    return len(quads)


def _with_merge(path: Path, fmt, graph) -> Iterator:
    """The quads of an RDF file for one bulk load, default-graph triples moved into ``graph``,
    followed by its distinct triples again in the default graph: the merge.

    One bulk load is one commit (a kill leaves the store as it was) and keeps each blank node one
    node, renamed apart from the store's. Streamed rather than serialized whole first: a
    million-quad file peaks at 1.4 GB instead of 1.8."""
    import pyoxigraph as ox

    triples: dict = {}  # an insertion-ordered set: the merge holds each triple once
    keep, default, quad = triples.setdefault, ox.DefaultGraph, ox.Quad
    for q in ox.parse(path=str(path), format=fmt, rename_blank_nodes=True):
        t = q.triple
        keep(t)
        yield quad(t.subject, t.predicate, t.object, graph) if isinstance(q.graph_name, default) else q
    merge = ox.DefaultGraph()
    for t in triples:
        yield quad(t.subject, t.predicate, t.object, merge)


def named_graphs(ds: Dataset) -> list[str]:
    """IRIs of the named graphs in the store."""
    rows = ds.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    return [str(r[0]) for r in rows]
