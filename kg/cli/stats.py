"""``kg stats``: the network-analysis tables (centrality, camps, stance matrix...) and exports."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from ..analysis import TABLES, analysis_tables
from ..analysis.export import plain, write_graph, write_tables
from ..analysis.projections import actor_issue_graph, curie, signed_actor_graph
from ..errors import InputError
from .common import cli_store

FORMATS = ("table", "csv", "json")
TITLES = {"centrality": "Who is central (signed actor graph)",
          "camps": "Camps (signed spectral clustering)",
          "balance": "How balanced is the network",
          "matrix": "Stance matrix: actors x issues (score -1 oppose .. +1 support)",
          "disagreements": "Allies who disagree",
          "changes": "Stance changes between articles"}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("stats", parents=[common], help="print network-analysis tables and export graphs",
                       description="Project the store to networkx graphs and print analysis tables: "
                                   "centrality, camps, balance, the stance matrix, allies who disagree "
                                   "and stance changes between articles. With --out, also write every "
                                   "printed table as CSV and Parquet, and the signed actor graph and the "
                                   "actor-issue graph as GraphML, GEXF and D3 JSON.",
                       epilog="examples:\n"
                              "  kg stats\n"
                              "  kg stats --table camps --format csv\n"
                              "  kg stats --table all --out kg-out/stats",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--table", "-t", choices=TABLES + ("all",), action="append", metavar="NAME",
                   help=f"table to print (repeatable): {', '.join(TABLES)} or all (default: all)")
    p.add_argument("--format", "-f", choices=FORMATS, default="table")
    p.add_argument("--affiliations", action="store_true",
                   help="also tie actors by affiliation (speaks for, member of, part of, holds office)")
    p.add_argument("--out", "-o", metavar="DIR",
                   help="also write the tables (.csv, .parquet) and graphs (.graphml, .gexf, .json) here")
    p.add_argument("--full-iris", action="store_true", help="do not shorten IRIs with prefixes in tables")
    p.set_defaults(func=cmd_stats)


def _print_table(name: str, df: pd.DataFrame, full_iris: bool) -> None:
    shown = df if full_iris else df.map(lambda v: curie(v) if isinstance(v, str) else v)
    print(f"== {TITLES[name]} ({len(df)} row(s))")
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                           "display.max_colwidth", 48, "display.float_format", "{:.3f}".format):
        if df.empty:
            print("(no rows)")
        elif name == "matrix":
            print(shown.to_string(na_rep=""))
        else:
            print(shown.to_string(index=False))
    print()


def cmd_stats(args: argparse.Namespace) -> int:
    names = list(TABLES) if not args.table or "all" in args.table else args.table
    out = Path(args.out) if args.out else None
    if out:  # a folder that cannot be written fails before the analysis runs
        if out.exists() and not out.is_dir():
            raise InputError("exists and is not a folder; --out names a folder for the exports", source=args.out)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create the folder: {exc.strerror or exc}", source=args.out) from None
    ds = cli_store(args, read_only=True)
    tables = analysis_tables(ds, names, affiliations=args.affiliations)
    if args.format == "table":
        for name, df in tables.items():
            _print_table(name, df, args.full_iris)
    elif args.format == "csv":
        for i, (name, df) in enumerate(tables.items()):
            if len(tables) > 1:
                print(("\n" if i else "") + f"# {name}")
            (df.reset_index() if name == "matrix" else df).to_csv(sys.stdout, index=False)
    else:
        records = {name: [{k: plain(v) for k, v in row.items()}
                          for row in (df.reset_index() if name == "matrix" else df).to_dict("records")]
                   for name, df in tables.items()}
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        print()
    if out:
        graphs = {"signed-actor-graph": signed_actor_graph(ds, affiliations=args.affiliations),
                  "actor-issue-graph": actor_issue_graph(ds)}
        try:
            written = write_tables(tables, out)
            for stem, G in graphs.items():
                written += [write_graph(G, out / f"{stem}{suffix}") for suffix in (".graphml", ".gexf", ".json")]
        except OSError as exc:
            raise InputError(f"cannot write the exports: {exc.strerror or exc}", source=str(out)) from None
        print(f"Wrote {len(written)} file(s) to {out}", file=sys.stderr)
    return 0
