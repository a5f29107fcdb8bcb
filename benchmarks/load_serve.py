"""Load test of ``kg serve``: concurrent clients on loopback for a fixed time, then a report.

Builds the bundled sample into a temporary store, starts ``kg serve`` on 127.0.0.1 (a free
port), and runs ``--clients`` threads, each with its own keep-alive connection, cycling
through every named query (unbound, plus bound variants such as holder=trump) for
``--duration`` seconds after a short warm-up. Reports throughput, p50/p99/max latency and
errors per query and overall; stops the server at the end. Everything is bounded: at most
256 clients and 600 s, and nothing leaves 127.0.0.1.

    python benchmarks/load_serve.py                        # 32 clients, 30 s
    python benchmarks/load_serve.py --clients 64 --duration 10 --json load.json
    python benchmarks/load_serve.py --serve-arg=--cache-size=0   # every query evaluated
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

from kg.build import build
from kg.queries import bind, check_params, list_queries
from kg.rdf.namespaces import ID, ISSUE

HOST = "127.0.0.1"
MAX_CLIENTS, MAX_DURATION = 256, 600.0
# sample values for parameters, by name (full IRIs, so no id/issue guessing is needed)
SAMPLE_PARAMS = {"actor": str(ID["trump"]), "holder": str(ID["trump"]), "node": str(ID["putin"]),
                 "principal": str(ID["trump"]), "issue": str(ISSUE["territorial-concessions"]),
                 "target": str(ISSUE["territorial-concessions"]), "polarity": "oppose", "name": "Putin"}


def workload() -> list[tuple[str, str]]:
    """(label, query text) for each named query, unbound and with its parameters bound."""
    items = []
    for q in list_queries():
        items.append((q.name, q.text))
        params = {p.name: SAMPLE_PARAMS[p.name] for p in q.params if p.name in SAMPLE_PARAMS}
        if params:
            label = q.name + "(" + ",".join(f"{k}" for k in params) + ")"
            items.append((label, bind(q.text, check_params(q, params))))
    return items


def start_server(store: Path, extra: list[str]) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--host", HOST,
                             "--port", "0", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()  # "Serving … at http://127.0.0.1:PORT/ …"
    if not line:
        raise SystemExit(f"kg serve did not start: {proc.stderr.read().strip()}")
    port = int(line.split(f"http://{HOST}:", 1)[1].split("/", 1)[0])
    return proc, port


def client(port: int, items: list[tuple[str, str]], offset: int, start_at: float, stop_at: float,
           results: list[tuple[str, float, bool]], errors: dict[str, int], lock: threading.Lock) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    mine: list[tuple[str, float, bool]] = []
    i = offset
    while True:
        now = time.perf_counter()
        if now >= stop_at:
            break
        label, text = items[i % len(items)]
        i += 1
        body = urllib.parse.urlencode({"query": text})
        ok = False
        try:
            conn.request("POST", "/sparql", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                  "Accept": "application/sparql-results+json"})
            res = conn.getresponse()
            res.read()
            ok = res.status == 200
            if not ok:
                with lock:
                    errors[f"HTTP {res.status}"] += 1
        except (OSError, http.client.HTTPException) as exc:
            with lock:
                errors[type(exc).__name__] += 1
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
        took = time.perf_counter() - now
        if now >= start_at:  # warm-up requests are not counted
            mine.append((label, took, ok))
    conn.close()
    with lock:
        results.extend(mine)


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))]


def summarise(results: list[tuple[str, float, bool]], duration: float) -> dict:
    by_label: dict[str, list[float]] = defaultdict(list)
    failed: dict[str, int] = defaultdict(int)
    for label, took, ok in results:
        by_label[label].append(took)
        failed[label] += not ok

    def stats(values: list[float], errors: int) -> dict:
        v = sorted(values)
        return {"requests": len(v), "per_s": len(v) / duration, "p50_ms": percentile(v, 50) * 1000,
                "p99_ms": percentile(v, 99) * 1000, "max_ms": (v[-1] if v else float("nan")) * 1000,
                "errors": errors}

    return {"overall": stats([t for _, t, _ in results], sum(failed.values())),
            "queries": {k: stats(by_label[k], failed[k]) for k in sorted(by_label)}}


def print_table(report: dict) -> None:
    head = f"{'query':<34} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}"
    print(head)
    print("-" * len(head))
    rows = [*report["queries"].items(), ("ALL", report["overall"])]
    for name, s in rows:
        if name == "ALL":
            print("-" * len(head))
        print(f"{name:<34} {s['requests']:>9,} {s['per_s']:>8.1f} {s['p50_ms']:>8.1f} {s['p99_ms']:>8.1f} "
              f"{s['max_ms']:>8.1f} {s['errors']:>7}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=32, help="concurrent clients (1-256; default 32)")
    ap.add_argument("--duration", type=float, default=30.0, help="measured seconds (max 600; default 30)")
    ap.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring (default 2)")
    ap.add_argument("--serve-arg", action="append", default=[], metavar="ARG",
                    help="extra argument for kg serve, e.g. --serve-arg=--cache-size=0 (repeatable)")
    ap.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    args = ap.parse_args(argv)
    if not 1 <= args.clients <= MAX_CLIENTS or not 0 < args.duration <= MAX_DURATION or args.warmup < 0:
        ap.error(f"--clients must be 1-{MAX_CLIENTS}, --duration 0-{MAX_DURATION:g} s, --warmup >= 0")

    items = workload()
    with tempfile.TemporaryDirectory(prefix="kg-load-") as tmp:
        store = Path(tmp) / "store"
        build(store=str(store)).store.close()
        proc, port = start_server(store, args.serve_arg)
        try:
            results: list[tuple[str, float, bool]] = []
            errors: dict[str, int] = defaultdict(int)
            lock = threading.Lock()
            start_at = time.perf_counter() + args.warmup
            stop_at = start_at + args.duration
            threads = [threading.Thread(target=client, args=(port, items, i * 7, start_at, stop_at, results,
                                                              errors, lock), daemon=True)
                       for i in range(args.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=args.warmup + args.duration + 60)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    report = summarise(results, args.duration)
    report["setup"] = {"clients": args.clients, "duration_s": args.duration, "serve_args": args.serve_arg,
                       "queries": len(items), "cpus": os.cpu_count(), "python": sys.version.split()[0]}
    report["error_kinds"] = dict(errors)
    print(f"kg serve load test: {args.clients} clients, {args.duration:g} s on {HOST}, "
          f"{len(items)} query variants, {os.cpu_count()} CPUs")
    print_table(report)
    if errors:
        print("errors:", ", ".join(f"{k}: {v}" for k, v in errors.items()))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    return 1 if report["overall"]["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
