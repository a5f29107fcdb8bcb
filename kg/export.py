"""Write a store as RDF files: N-Quads / TriG keep the named graphs, Turtle / JSON-LD the union."""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from rdflib import Dataset, Graph

from .errors import InputError
from .rdf.namespaces import PREFIXES
from .store import is_oxigraph

FORMATS = ("nq", "trig", "ttl", "jsonld")
_SUFFIX = {".nq": "nq", ".trig": "trig", ".ttl": "ttl", ".jsonld": "jsonld", ".json": "jsonld"}


def union_graph(ds: Dataset) -> Graph:
    """Every triple of every named graph, as one rdflib graph."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def export_format(out: Path | BinaryIO, fmt: str | None = None) -> str:
    """``fmt``, or the format ``out``'s suffix names (N-Quads for a stream); InputError if unknown."""
    if fmt is None:
        fmt = _SUFFIX.get(out.suffix.lower(), "") if isinstance(out, Path) else "nq"
    if fmt not in FORMATS:
        raise InputError(f"unknown export format; use one of {', '.join(FORMATS)} "
                         "(or a .nq, .trig, .ttl, .jsonld file name)", source=str(out))
    return fmt


def export(ds: Dataset, out: Path | BinaryIO, fmt: str | None = None) -> Path | BinaryIO:
    """Serialise ``ds`` to a path or binary stream; the format defaults from the file suffix."""
    fmt = export_format(out, fmt)
    if isinstance(out, Path):
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".part")
        with tmp.open("wb") as fh:
            export(ds, fh, fmt)
        tmp.replace(out)  # a reader never sees a half-written export
        return out
    if fmt in ("nq", "trig") and is_oxigraph(ds):
        import pyoxigraph as ox

        # fast path, no rdflib round trip; named graphs only (the default graph is their merge)
        inner = ds.store._inner
        quads = (q for g in inner.named_graphs() for q in inner.quads_for_pattern(None, None, None, g))
        ox.serialize(quads, out, ox.RdfFormat.N_QUADS if fmt == "nq" else ox.RdfFormat.TRIG,
                     prefixes={p: str(ns) for p, ns in PREFIXES.items()})
    elif fmt in ("nq", "trig"):
        ds.serialize(out, format="nquads" if fmt == "nq" else "trig")
    else:
        union_graph(ds).serialize(out, format="turtle" if fmt == "ttl" else "json-ld")
    return out
