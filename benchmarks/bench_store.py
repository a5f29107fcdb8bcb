"""Scale benchmark: load and named-query times of our default store against two baselines.

Backends, each measured in its own subprocesses so that memory figures do not mix:

* ``rdflib`` — plain rdflib: its in-memory store, its N-Quads parser (the usual choice of
  Python knowledge-graph toolkits);
* ``kg`` — our default store: embedded on-disk Oxigraph behind rdflib (``kg.store.open_store``),
  loaded with ``kg.store.load_file`` and queried with ``kg.queries.run`` (DataFrames);
* ``oxigraph`` — raw pyoxigraph on disk, the floor: ``Store.bulk_load`` of the file as it is,
  then (timed apart) the merge of the named graphs into the default graph, as kg keeps it; and
  ``Store.query`` of the same query text on the store ``kg`` loaded (opened read-only by plain
  pyoxigraph), results materialised as tuples of terms. Querying the same files leaves only
  our API in the difference: two stores of equal content but written differently (one bulk
  commit against a bulk load plus an update) differ by up to 1.7× on some queries, which is
  storage layout, not overhead.

The graph is ``synthetic.generate(n)``. Each query runs once to warm up, then the best of
``--repeat`` more runs (one if it took over a second) is reported; rdflib runs each query
once, stopped after ``--timeout`` s.

    python benchmarks/bench_store.py                     # 100k and 1M quads, ~10 min
    python benchmarks/bench_store.py --sizes 100000 --json out.json
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BACKENDS = ("rdflib", "kg", "oxigraph")
# parameter values for the bound variants: the most mentioned actor and issue of the synthetic world
PARAMS = {"actor": "state-0", "holder": "state-0", "principal": "state-0",
          "issue": "international-order", "polarity": "oppose"}


def _rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB."""
    status = Path("/proc/self/status").read_text()
    kb = {line.split(":")[0]: line.split()[1] for line in status.splitlines() if line.startswith("Vm")}
    return int(kb["VmRSS"]) / 1024, int(kb["VmHWM"]) / 1024


def query_plan(pattern: str = "") -> list[tuple[str, str, dict[str, str]]]:
    """(label, query name, parameters): every named query unbound, and bound where it has
    parameters; only labels matching the regular expression ``pattern`` if given."""
    from kg.queries import list_queries

    plan = []
    for q in list_queries():
        plan.append((q.name, q.name, {}))
        bound = {p.name: PARAMS[p.name] for p in q.params if p.name in PARAMS}
        if bound:
            plan.append((f"{q.name} ({', '.join(f'{k}={v}' for k, v in bound.items())})", q.name, bound))
    return [x for x in plan if re.search(pattern, x[0])]


class _Timeout(BaseException):  # not an Exception: kg.queries turns those into QueryError
    pass


def _on_alarm(signum, frame):  # rdflib evaluates in Python, so an exception stops it cleanly
    raise _Timeout


def _time(fn, repeat: int, timeout: float | None) -> tuple[float | None, int]:
    """Best wall time of ``fn`` (returning a row count) and its rows; None if over ``timeout``."""
    best, rows = None, 0
    for _ in range(repeat):
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, timeout)
        t0 = time.perf_counter()
        try:
            rows = fn()
        except _Timeout:
            return None, rows
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return best, rows


def _raw_runner(store):
    """Run a named query on raw pyoxigraph: same text and bindings as kg.queries.run."""
    from kg.queries import _prologue, bind, check_params, load_query
    from kg.rdf.namespaces import ID, ISSUE

    def run(name: str, params: dict[str, str]) -> int:
        q = load_query(name)
        terms = check_params(q, params)
        bindings = {k: [t, ISSUE[t[len(str(ID)):]]] if q_type(q, k) == "iri" else t for k, t in terms.items()}
        result = store.query(_prologue() + bind(q.text, bindings))  # the default graph: the merge
        names = [v.value for v in result.variables]
        return len([tuple(s[n] for n in names) for s in result])

    def q_type(q, name: str) -> str:
        return next(p.type for p in q.params if p.name == name)

    return run


def worker(backend: str, phase: str, nq: Path, store_dir: Path, repeat: int, timeout: float,
           pattern: str = "") -> dict:
    """One measurement in this process: ``load`` (and for rdflib also the queries) or ``query``."""
    out: dict = {"backend": backend, "phase": phase}
    if backend == "rdflib":
        from rdflib import Dataset

        from kg.queries import run

        ds = Dataset(default_union=True)
        t0 = time.perf_counter()
        ds.parse(str(nq), format="nquads")
        out["load_s"] = time.perf_counter() - t0
        out["quads"] = sum(1 for _ in ds.quads())
        out["rss_loaded_mb"] = _rss_mb()[0]
        signal.signal(signal.SIGALRM, _on_alarm)
        runner = lambda name, params: len(run(ds, name, **params))  # noqa: E731
        repeat = 1
    elif backend == "kg":
        import pyoxigraph as ox

        from kg.queries import run
        from kg.store import load_file, open_store

        if phase == "load":
            ds = open_store(store_dir)
            t0 = time.perf_counter()
            load_file(ds, nq)
            out["load_s"] = time.perf_counter() - t0
            out["merge_triples"] = sum(1 for _ in ds.store._inner.quads_for_pattern(None, None, None,
                                                                                   ox.DefaultGraph()))
            out["quads"] = len(ds.store._inner) - out["merge_triples"]
            out["rss_peak_mb"] = _rss_mb()[1]
            return out
        ds = open_store(store_dir, read_only=True)
        runner = lambda name, params: len(run(ds, name, **params))  # noqa: E731
        timeout = 0
    else:
        import pyoxigraph as ox

        if phase == "load":
            store = ox.Store(str(store_dir))
            t0 = time.perf_counter()
            store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
            out["load_s"] = time.perf_counter() - t0
            out["quads"] = len(store)
            t0 = time.perf_counter()
            store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
            out["merge_s"] = time.perf_counter() - t0
            out["merge_triples"] = len(store) - out["quads"]
            out["rss_peak_mb"] = _rss_mb()[1]
            return out
        runner = _raw_runner(ox.Store.read_only(str(store_dir.parent / "kg")))  # the same store as ours
        timeout = 0
    out["queries"] = {}
    for label, name, params in query_plan(pattern):
        seconds, rows = _time(lambda: runner(name, params), 1, timeout)  # warm-up (and rdflib's only run)
        if seconds is not None and repeat > 1:  # slow queries vary less: fewer runs keep the total short
            again, rows = _time(lambda: runner(name, params), repeat if seconds < 1 else 1, None)
            seconds = min(seconds, again)
        out["queries"][label] = {"s": seconds, "rows": rows}
    out["rss_mb"], out["rss_peak_mb"] = _rss_mb()
    return out


def _spawn(args: list[str], limit: float) -> dict:
    cmd = [sys.executable, __file__, "--worker", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=limit)
    if done.returncode != 0:
        raise SystemExit(f"worker {args[:2]} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def measure(n: int, repeat: int, timeout: float, pattern: str = "", seed: int = 0) -> dict:
    """Generate ``n`` quads and measure every backend on them."""
    sys.path.insert(0, str(HERE))
    from synthetic import generate

    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        t0 = time.perf_counter()
        nq = generate(n, seed, tmp / "synthetic.nq")
        res: dict = {"n": n, "generate_s": time.perf_counter() - t0, "bytes": nq.stat().st_size}
        budget = 3600
        for backend in ("kg", "oxigraph"):
            store = tmp / backend
            common = [str(nq), str(store), str(repeat), str(timeout), pattern]
            load = _spawn([backend, "load", *common], budget)
            res[backend] = {**load, "load_rss_peak_mb": load["rss_peak_mb"],
                            **_spawn([backend, "query", *common], budget)}
            res[backend]["disk_mb"] = sum(f.stat().st_size for f in store.rglob("*") if f.is_file()) / 2**20
        res["rdflib"] = _spawn(["rdflib", "query", str(nq), str(tmp / "unused"), "1", str(timeout), pattern],
                               budget)
        return res
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _fmt_s(s: float | None, timeout: float) -> str:
    if s is None:
        return f"> {timeout:g} s"
    return f"{s * 1000:,.1f} ms" if s < 10 else f"{s:,.1f} s"


def _ratio(a: float | None, b: float | None, timeout: float) -> str:
    if b is None:
        return "n/a"
    if a is None:  # rdflib stopped: only a lower bound, and none if ours took longer than the timeout
        return f"> {timeout / b:,.0f}×" if timeout >= b else "?"
    return f"{a / b:,.1f}×" if a / b < 100 else f"{a / b:,.0f}×"


def report(results: list[dict], timeout: float) -> str:
    """Markdown tables: load (time, rate, memory) and each query's time on each backend with ratios."""
    lines = ["### Load", "",
             "| quads | backend | load time | quads/s | peak RSS while loading | peak RSS while querying | on disk |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    names = {"rdflib": "rdflib memory store (rdflib parser)",
             "kg": "kg default store: `load_file` (Oxigraph parser, quads + their merge, one commit)",
             "oxigraph": "raw pyoxigraph `bulk_load` (quads only)"}
    for r in results:
        for b in BACKENDS:
            x = r[b]
            peak = x.get("load_rss_peak_mb", x.get("rss_loaded_mb"))
            disk = f"{x['disk_mb']:,.0f} MB" if "disk_mb" in x else "—"
            lines.append(f"| {x['quads']:,} | {names[b]} | {x['load_s']:,.2f} s | {x['quads'] / x['load_s']:,.0f} "
                         f"| {peak:,.0f} MB | {x['rss_peak_mb']:,.0f} MB | {disk} |")
        ox_ = r["oxigraph"]
        lines.append(f"| | raw pyoxigraph: merging the named graphs afterwards (SPARQL Update), "
                     f"{ox_['merge_triples']:,} triples | {ox_['merge_s']:,.2f} s | | | | |")
    for r in results:
        lines += ["", f"### Named queries at {r['kg']['quads']:,} quads", "",
                  "| query | rows | rdflib memory | kg (ours) | raw pyoxigraph | rdflib / ours | ours / raw |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for label, q in r["kg"]["queries"].items():
            rd, ox_ = r["rdflib"]["queries"][label], r["oxigraph"]["queries"][label]
            lines.append(f"| {label} | {q['rows']:,} | {_fmt_s(rd['s'], timeout)} | {_fmt_s(q['s'], timeout)} "
                         f"| {_fmt_s(ox_['s'], timeout)} | {_ratio(rd['s'], q['s'], timeout)} "
                         f"| {_ratio(q['s'], ox_['s'], timeout)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="100000,1000000", help="comma-separated quad counts")
    p.add_argument("--repeat", type=int, default=3, help="timed runs per query (best is kept)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds before an rdflib query is stopped")
    p.add_argument("--queries", default="", metavar="REGEX", help="only the queries whose label matches")
    p.add_argument("--json", metavar="FILE", help="also write the raw results here")
    p.add_argument("--worker", nargs=7, metavar=("BACKEND", "PHASE", "NQ", "STORE", "REPEAT", "TIMEOUT", "REGEX"),
                   help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        backend, phase, nq, store, repeat, timeout, pattern = args.worker
        print(json.dumps(worker(backend, phase, Path(nq), Path(store), int(repeat), float(timeout), pattern)))
        return 0
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        t0 = time.perf_counter()
        results.append(measure(n, args.repeat, args.timeout, args.queries))
        print(f"[{n:,} quads measured in {time.perf_counter() - t0:,.0f} s]", file=sys.stderr)
        print(report(results[-1:], args.timeout), file=sys.stderr)  # as soon as one size is done
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    print(report(results, args.timeout))
    return 0


if __name__ == "__main__":
    sys.exit(main())
