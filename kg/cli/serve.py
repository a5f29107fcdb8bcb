"""``kg serve``: the SPARQL endpoint, query page and viewer over HTTP."""
from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import sys

from ..errors import InputError
from ..serve import DEFAULT_HOST, DEFAULT_PORT, make_server
from .common import cli_store

TOKEN_ENV = "KG_SERVE_TOKEN"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("serve", parents=[common], help="serve the store as a SPARQL 1.1 endpoint",
                       description="Serve the store over HTTP: a SPARQL 1.1 Protocol endpoint at /sparql "
                                   "(JSON, XML, CSV, TSV; Turtle, N-Triples), a query page at / and the "
                                   "viewer at /viewer. Read-only unless started with --allow-update and a "
                                   "token. Listens on 127.0.0.1 unless told otherwise. Holds the store "
                                   "while it runs: write to it through the server (see --allow-update).",
                       epilog="examples:\n"
                              "  kg serve\n"
                              "  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE "
                              "{ ?s a kg:Post }' http://127.0.0.1:7878/sparql\n"
                              "  KG_SERVE_TOKEN=secret-token kg serve --allow-update   # then:\n"
                              "  KG_STORE_TOKEN=secret-token kg build --store http://127.0.0.1:7878",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default: %(default)s)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="port; 0 picks a free one (default: %(default)s)")
    p.add_argument("--allow-update", action="store_true",
                   help="accept SPARQL Update at /update from clients sending the token")
    p.add_argument("--token", metavar="T", help=f"the bearer token updates need (or ${TOKEN_ENV})")
    p.add_argument("--timeout", type=float, default=10.0, metavar="S",
                   help="seconds a query may run before the answer is 503 (default: %(default)s)")
    p.add_argument("--max-rows", type=int, default=10_000, metavar="N",
                   help="cut results at N rows/triples, flagged by an X-SPARQL-MaxRows header "
                        "(default: %(default)s)")
    p.add_argument("--workers", type=int, default=max(4, os.cpu_count() or 1), metavar="N",
                   help="queries evaluated at once (default: %(default)s)")
    p.add_argument("--cache-size", type=int, default=256, metavar="N",
                   help="answers kept until the next update; 0 evaluates every query (default: %(default)s)")
    p.add_argument("--log", action="store_true", help="log every request to standard error")
    p.set_defaults(func=cmd_serve)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM ends the server as Ctrl-C does, so the store is closed cleanly."""
    raise KeyboardInterrupt


def cmd_serve(args: argparse.Namespace) -> int:
    token = args.token or os.environ.get(TOKEN_ENV)
    if args.allow_update and not token:
        raise InputError(f"--allow-update needs a token: --token T or ${TOKEN_ENV}", field="--token")
    if token and not args.allow_update:
        raise InputError("--token is only used with --allow-update", field="--token")
    if not 0 <= args.port <= 65535:
        raise InputError(f"{args.port} is not a port number (0-65535; 0 picks a free one)", field="--port")
    if args.timeout <= 0 or args.max_rows <= 0 or args.workers <= 0 or args.cache_size < 0:
        raise InputError("--timeout, --max-rows and --workers must be positive, --cache-size at least 0")
    ds = cli_store(args, create=False)
    server = make_server(ds, args.host, args.port, token=token if args.allow_update else None,
                         timeout=args.timeout, max_rows=args.max_rows, workers=args.workers,
                         cache_size=args.cache_size, quiet=not args.log)
    signal.signal(signal.SIGTERM, _interrupt)
    mode = "updates allowed with the token" if args.allow_update else "read-only"
    print(f"Serving {args.store} at {server.url} ({mode}); SPARQL endpoint {server.url}sparql", flush=True)
    if not _is_loopback(args.host):
        print(f"kg serve: warning: listening on {args.host}, reachable from other machines", file=sys.stderr)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("kg serve: stopped", file=sys.stderr)
    finally:
        server.server_close()
        server.engine.close()  # the store itself is closed by the command runner
    return 0
