"""``kg query`` and ``kg queries``."""
from __future__ import annotations

import argparse
import sys

import pandas as pd

from ..errors import InputError
from ..queries import list_queries, load_query, run, sparql
from ..rdf.namespaces import PREFIXES
from .common import cli_store

OUTPUT_FORMATS = ("table", "csv", "tsv", "json")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("query", parents=[common], help="run a SPARQL query and print the result",
                       description="Run a named query (--name, see `kg queries`), a .rq file, or "
                                   "SPARQL given with -e. Prefixes kg:, id:, issue:, act:, oa:, prov:, "
                                   "org:, schema:, skos:, rdfs: ... are predeclared. Parameters "
                                   "(--param k=v) are bound as RDF terms with VALUES, never pasted into "
                                   "the query text.",
                       epilog="examples:\n"
                              "  kg query --name urged-not-to --param holder=trump\n"
                              "  kg query --name positions-on-issue --param issue=territorial-concessions "
                              "--format csv\n"
                              "  kg query -e 'SELECT ?a WHERE { ?a kg:opposes issue:territorial-concessions }'",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("file", nargs="?", metavar="FILE.rq", help="a SPARQL query file")
    src.add_argument("-e", "--expr", metavar="SPARQL", help="the query text itself")
    src.add_argument("--name", "-n", metavar="NAME", help="a named query (see `kg queries`)")
    p.add_argument("--param", "-p", action="append", default=[], metavar="K=V",
                   help="bind a query parameter (repeatable)")
    p.add_argument("--format", "-f", choices=OUTPUT_FORMATS, default="table")
    p.add_argument("--full-iris", action="store_true", help="do not shorten IRIs with prefixes in tables")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("queries", help="list the named queries and their parameters")
    p.set_defaults(func=cmd_queries)


def _params(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InputError(f"--param needs the form name=value, got '{pair}'", field="--param")
        out[key.strip()] = value
    return out


def _shorten(value: object) -> object:
    if isinstance(value, str) and value.startswith("http"):
        for prefix, ns in PREFIXES.items():
            if value.startswith(str(ns)) and len(value) > len(str(ns)):
                return f"{prefix}:{value[len(str(ns)):]}"
    return value


def cmd_query(args: argparse.Namespace) -> int:
    params = _params(args.param)
    ds = cli_store(args, read_only=True)
    if args.expr is not None:
        result = sparql(ds, args.expr, **params)
    elif args.name:
        result = run(ds, args.name, **params)
    else:
        q = load_query(args.file)
        result = run(ds, q, **params)  # errors name the file
    if not isinstance(result, pd.DataFrame):  # CONSTRUCT / DESCRIBE
        fmt = {"json": "json-ld", "csv": "nt", "tsv": "nt"}.get(args.format, "turtle")
        sys.stdout.write(result.serialize(format=fmt))
        return 0
    if args.format == "csv":
        result.to_csv(sys.stdout, index=False)
    elif args.format == "tsv":
        result.to_csv(sys.stdout, index=False, sep="\t")
    elif args.format == "json":
        sys.stdout.write(result.to_json(orient="records", date_format="iso", force_ascii=False, indent=1) + "\n")
    else:
        shown = result if args.full_iris else result.map(_shorten)
        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.width", 200, "display.max_colwidth", 60):
            print(shown.to_string(index=False) if len(shown) else "(no results)")
        print(f"\n{len(result)} row(s)", file=sys.stderr)
    return 0


def cmd_queries(args: argparse.Namespace) -> int:
    for q in list_queries():
        print(f"{q.name}\n    {q.title}")
        for p in q.params:
            print(f"    --param {p.name}=<{'|'.join(p.choices) or p.type}>  {p.description}")
    return 0
