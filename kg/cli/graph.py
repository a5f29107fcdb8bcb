"""``kg build``, ``kg validate`` and ``kg export``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..build import build, check, documents_graphs, load_documents
from ..export import FORMATS, export, export_format, union_graph
from ..rdf.validate import describe, violations
from .common import cli_store, track


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("build", parents=[common], help="build the graph from curated annotations",
                       description="Build the store from curated annotations (YAML), articles with a NAME.yaml "
                                   "annotation beside them, or articles without one (their stances "
                                   "extracted as by kg ingest); default: the bundled sample. "
                                   "Replaces the store's content, validates it against the SHACL "
                                   "shapes first, prints a summary, writes an N-Quads export and the "
                                   "interactive viewer.")
    p.add_argument("inputs", nargs="*", metavar="ARTICLE", help="annotation .yaml files or articles (annotated or not)")
    p.add_argument("--export", default="kg-out/graph.nq", metavar="FILE",
                   help="also write the whole graph here (.nq, .trig, .ttl or .jsonld; default: %(default)s)")
    p.add_argument("--no-export", action="store_true", help="do not write an export file")
    p.add_argument("--viewer", default="kg-out/graph.html", metavar="FILE",
                   help="also write the interactive HTML viewer here (default: %(default)s; see `kg viz`)")
    p.add_argument("--no-viewer", action="store_true", help="do not write the viewer")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("validate", parents=[common], help="check annotations or the store against the SHACL shapes",
                       description="With files: check curated annotations (syntax, references, evidence "
                                   "offsets, SHACL) without touching the store. Without: validate the "
                                   "store's whole graph.")
    p.add_argument("inputs", nargs="*", metavar="ARTICLE")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("export", parents=[common], help="write the whole graph as RDF",
                       description="Write every named graph of the store as N-Quads or TriG, or "
                                   "their union as Turtle or JSON-LD.")
    p.add_argument("--format", choices=FORMATS,
                   help="default: from the --out file's suffix (.nq .trig .ttl .jsonld), else nq")
    p.add_argument("--out", "-o", metavar="FILE", help="output file (default: standard output)")
    p.set_defaults(func=cmd_export)


def _print_summary(summary) -> None:
    width = max(len(w) for w in summary.index)
    for what, row in summary.iterrows():
        print(f"  {what:<{width}}  {int(row['count']):>8,}")


def cmd_build(args: argparse.Namespace) -> int:
    if not args.no_export:
        export_format(Path(args.export))  # a bad name fails before the store is written
    result = build(args.inputs, args.store)
    track(result.store)
    print(f"Built {args.store} from {len(result.documents)} article(s):")
    _print_summary(result.summary)
    if not args.no_export:
        out = export(result.store, Path(args.export))
        print(f"Wrote {out}")
    if not args.no_viewer:
        # pyvis and templates load only when a viewer is wanted
        from ..viewer import viewer
        from .viz import report

        page = viewer(result.store, subtitle=f"{args.store}")
        report(page, page.save(Path(args.viewer)))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    if args.inputs:
        docs = load_documents(args.inputs)
        check(documents_graphs(docs), source=", ".join(args.inputs))
        print(f"OK: {len(docs)} annotation(s) are valid "
              f"({sum(len(d.stances) for d in docs)} stances, {sum(len(d.actors) for d in docs)} actors).")
        return 0
    ds = cli_store(args, read_only=True)
    found = violations(union_graph(ds))
    if found:
        for v in found:
            print(describe(v), file=sys.stderr)
        print(f"kg validate: {len(found)} SHACL violation(s) in {args.store}", file=sys.stderr)
        return 1
    print(f"OK: {args.store} conforms to the shapes.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    ds = cli_store(args, read_only=True)
    if args.out:
        print(f"Wrote {export(ds, Path(args.out), args.format)}", file=sys.stderr)
    else:
        export(ds, sys.stdout.buffer, args.format)
    return 0
