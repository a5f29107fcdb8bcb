"""``kg load``: add RDF files (e.g. an N-Quads export) to the store with Oxigraph's bulk loader."""
from __future__ import annotations

import argparse
import re
import sys
import time

from rdflib import URIRef

from ..errors import InputError
from ..rdf.namespaces import GRAPH
from ..store import RDF_FILE_FORMATS, load_file
from .common import cli_store


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("load", parents=[common], help="add RDF files to the store (bulk load)",
                       description="Add RDF files to the store, parsed by Oxigraph's own parsers in one "
                                   "bulk load per file: a bad file or an interrupted load leaves the "
                                   "store as it was. Quads keep their named graphs; triples go into "
                                   f"--graph (default: graph:file/NAME). Types: {', '.join(RDF_FILE_FORMATS)}.",
                       epilog="example:\n  kg load kg-out/graph.nq --store other-store",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+", metavar="FILE", help="RDF files (.nq, .trig, .nt, .ttl, .rdf, .jsonld)")
    p.add_argument("--graph", "-g", metavar="IRI", help="named graph for triples: an http(s) IRI or a name")
    p.set_defaults(func=cmd_load)


def _graph(value: str | None) -> URIRef | None:
    if value is None:
        return None
    if re.match(r"^https?://[^\s<>\"{}|\\^`]+$", value):
        return URIRef(value)
    if re.match(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$", value):
        return GRAPH[value]
    raise InputError(f"'{value}' is neither an http(s) IRI nor a graph name (letters, digits, . _ / -)",
                     field="--graph")


def cmd_load(args: argparse.Namespace) -> int:
    graph = _graph(args.graph)
    ds = cli_store(args)
    for f in args.files:
        if sys.stderr.isatty():  # big files take a while; on a terminal, say what is going on
            print(f"Loading {f} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        quads = load_file(ds, f, graph)
        seconds = time.perf_counter() - t0
        print(f"Loaded {f}: {quads:,} quads in {seconds:.2f} s ({quads / max(seconds, 1e-9):,.0f}/s).")
    return 0
