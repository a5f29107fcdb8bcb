"""``kg viz``: write the interactive HTML viewer of the store."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import InputError
from ..viewer import MAX_NODES, Viewer, viewer
from .common import cli_store
from .query import _params

DEFAULT_OUT = "kg-out/graph.html"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("viz", parents=[common], help="write the interactive HTML viewer of the graph",
                       description="Write one self-contained HTML file (no network needed to open it) "
                                   "that draws the graph: actors, issues, events and places as nodes, "
                                   "stances and relations as edges, with the evidence of every stance. "
                                   "Filters narrow what is drawn; graphs larger than --max-nodes are "
                                   "summarised.",
                       epilog="examples:\n"
                              "  kg viz\n"
                              "  kg viz --actor putin --out putin.html\n"
                              "  kg viz --issue territorial-concessions --min-confidence 0.8\n"
                              "  kg viz --query disagreements --param actor=trump",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", "-o", default=DEFAULT_OUT, metavar="FILE", help="HTML file to write (default: %(default)s)")
    p.add_argument("--query", "-q", metavar="NAME|FILE.rq",
                   help="draw only the nodes a named query or .rq file (SELECT or CONSTRUCT) returns, "
                        "and the edges between them")
    p.add_argument("--param", "-p", action="append", default=[], metavar="K=V",
                   help="bind a parameter of --query (repeatable)")
    p.add_argument("--actor", metavar="NAME", help="only this actor (id, label or alias), its stances, "
                                                   "relations and neighbours")
    p.add_argument("--issue", metavar="NAME", help="only the stances on this issue (id, label or alias)")
    p.add_argument("--min-confidence", metavar="X", help="drop stances attributed with confidence below X (0..1)")
    p.add_argument("--max-nodes", type=int, default=MAX_NODES, metavar="N",
                   help="draw a summary when the graph has more nodes than this (default: %(default)s)")
    p.add_argument("--title", default="kg stakeholder graph", help="page title")
    p.set_defaults(func=cmd_viz)


def report(page: Viewer, out: Path) -> None:
    """One line on what was written, plus the summary notice if the graph was summarised."""
    g = page.graph
    counts = {"node": len(g.nodes), "stance": g.stance_count,
              "relation": sum(e["rel"] != "stance" for e in g.edges)}
    print(f"Wrote {out} (" + ", ".join(f"{n:,} {w}{'' if n == 1 else 's'}" for w, n in counts.items()) + ")")
    if g.notice:
        print(g.notice)


def cmd_viz(args: argparse.Namespace) -> int:
    if args.param and not args.query:
        raise InputError("--param binds parameters of --query; give --query too", field="--param")
    ds = cli_store(args, read_only=True)
    filters = [f"{k} {v}" for k, v in (("actor", args.actor), ("issue", args.issue), ("query", args.query),
                                       ("min confidence", args.min_confidence)) if v]
    subtitle = f"{args.store}" + (f" · {', '.join(filters)}" if filters else "")
    page = viewer(ds, query=args.query, query_params=_params(args.param), actor=args.actor,
                  issue=args.issue, min_confidence=args.min_confidence, max_nodes=args.max_nodes,
                  title=args.title, subtitle=subtitle)
    report(page, page.save(Path(args.out)))
    return 0
