"""The ``kg`` command: parses arguments and calls the Python API; no logic of its own.

Each module in this package adds one group of subcommands through ``register(subparsers)``.
Errors the user can fix are printed as one paragraph with exit code 2, never a traceback.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ..errors import KgError
from ..store import default_store_uri
from . import graph, ingest, load, query, serve, stats, viz
from .common import close_stores

COMMANDS = [graph, query, load, serve, viz, stats, ingest]

DESCRIPTION = """\
kg turns news about world affairs into a geopolitical stakeholder knowledge graph
(actors, offices, events and stances, each traceable to its evidence sentence) and
lets you query it with SPARQL.

The store defaults to ./kg-out/store (or $KG_STORE); every command that reads a
store takes --store URI: a directory (embedded Oxigraph), memory:, or an http(s)://
SPARQL 1.1 endpoint."""


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", default=default_store_uri(), metavar="URI",
                        help="store directory, memory:, or http(s) SPARQL endpoint "
                             "(default: %(default)s, or $KG_STORE)")
    p = argparse.ArgumentParser(prog="kg", description=DESCRIPTION,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.register(sub, common)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except KgError as exc:
        print(f"kg {args.command}: error: {exc.describe()}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (`kg export | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
        return 0
    except OSError as exc:  # a path the system refuses (too long, no permission, disk full ...)
        name = f"{str(exc.filename)[:200]}: " if exc.filename else ""
        print(f"kg {args.command}: error: {name}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"kg {args.command}: interrupted", file=sys.stderr)
        return 130
    finally:
        close_stores()
