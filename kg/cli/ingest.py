"""``kg ingest`` (extract articles into the store) and ``kg eval`` (score extraction)."""
from __future__ import annotations

import argparse
import os
import sys

import pandas as pd

from ..errors import InputError


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("ingest", parents=[common], help="extract entities and stances from articles",
                       description="Extract actors, places, events and stances from news articles "
                                   "(plain text, Markdown with front matter, or HTML; a .yaml sidecar may "
                                   "give title, date, url, publisher) and add each as its own named graph. "
                                   "Directories are searched recursively. Re-ingesting an article replaces "
                                   "its graph. Files that cannot be used are reported at the end (exit 1); "
                                   "the others are still written.")
    p.add_argument("inputs", nargs="+", metavar="ARTICLE", help="article files or directories")
    p.add_argument("--shacl", action=argparse.BooleanOptionalAction, default=False,
                   help="also validate the articles' graphs with pySHACL against ontology/shapes.ttl (about "
                        "0.07 CPU-s per article, half again the cost of the rest); the built-in consistency "
                        "checks always run, and `kg validate` checks the whole store (default: off)")
    p.add_argument("--processes", "-j", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="worker processes that read, parse, extract and map articles, each with its own "
                        "copy of the model (about 420 MB); never more than one per --batch-size articles "
                        "(default: the number of CPUs, %(default)s)")
    p.add_argument("--batch-size", type=int, default=16, metavar="N", help="articles per parser batch")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar on stderr (default: for more than 10 articles on a terminal)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("eval", help="score extraction against curated annotations",
                       description="Extract each annotated article afresh and compare with its curated "
                                   "annotation: precision, recall and F1 of entity linking and of stances "
                                   "(holder, target and polarity all equal). Default: every annotation "
                                   "shipped with the package.")
    p.add_argument("inputs", nargs="*", metavar="ANNOTATION", help="curated annotation .yaml files")
    p.add_argument("--details", action="store_true", help="also list missed (fn) and spurious (fp) items")
    p.set_defaults(func=cmd_eval)


def cmd_ingest(args: argparse.Namespace) -> int:
    from ..ingest import ingest

    if args.processes < 1 or args.batch_size < 1:
        raise InputError("--processes and --batch-size must be at least 1")
    result = ingest(args.inputs, args.store, shacl=args.shacl, n_process=args.processes,
                    batch_size=args.batch_size, progress=args.progress)
    print(f"Ingested {len(result.written)} article(s) into {args.store}: "
          f"{result.stances} stance(s), {len(result.actors)} actor(s).")
    if result.failures:
        print(f"kg ingest: {len(result.failures)} file(s) not ingested:", file=sys.stderr)
        for f in result.failures:
            print(f"  {f.path}: {f.message}", file=sys.stderr)
        return 1
    return 0


def shipped_annotations() -> list[str]:
    """The bundled sample and the articles under ``kg/data/articles``."""
    from ..resources import data_dir, sample_annotation

    return [str(sample_annotation())] + sorted(str(p) for p in (data_dir() / "articles").glob("*.yaml"))


def cmd_eval(args: argparse.Namespace) -> int:
    from ..eval import evaluate_annotations

    results, total = evaluate_annotations(args.inputs or shipped_annotations())
    cols = ["gold", "predicted", "tp", "fp", "fn", "precision", "recall", "f1"]
    with pd.option_context("display.width", 120, "display.max_colwidth", 80):
        for r in results:
            print(f"{r.article}\n{r.summary[cols].to_string()}\n")
            if args.details:
                wrong = r.details[r.details.outcome != "tp"]
                if len(wrong):
                    print(wrong.to_string(index=False) + "\n")
        if len(results) > 1:
            print(f"all {len(results)} articles (micro-average)\n{total[cols].to_string()}")
    return 0
