"""Time the networkx projections and the analyses on a synthetic graph of 100,000 stances.

The stances are written directly with the ontology's terms (:mod:`kg.analysis.synthetic`:
actors in two planted camps, each issue favoured by one camp, 10% of signs flipped as
noise) as N-Quads, bulk-loaded by :func:`kg.store.load_file` (Oxigraph's own parser) into an
embedded Oxigraph store opened with :func:`kg.store.open_store`, and read back only through
the named SPARQL queries, as on any store.

    python benchmarks/bench_analysis.py                 # 100,000 stances
    python benchmarks/bench_analysis.py --stances 10000 --actors 2000 --issues 500
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kg import analysis
from kg.analysis.synthetic import ontology_nquads, planted_camps, stance_nquads
from kg.rdf.namespaces import ID
from kg.store import load_file, open_store

NEWLINE = b"\n"


def timed(rows: list[tuple[str, float, str]], what: str, fn: Callable, size: Callable[[object], str] = str):
    start = time.perf_counter()
    result = fn()
    rows.append((what, time.perf_counter() - start, size(result)))
    print(f"  {what:<34} {rows[-1][1]:8.2f} s   {rows[-1][2]}", flush=True)
    return result


def graph_size(G) -> str:
    return f"{G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges"


def camp_accuracy(table, planted: dict[str, int]) -> float:
    """Share of actors in the biggest part whose camp matches the planted one (up to naming)."""
    main = table[table["component"] == 0]
    truth = main["node"].map({str(ID[a]): c for a, c in planted.items()})
    agree = (main["camp"].to_numpy() == main["camp"].iloc[0]) == (truth.to_numpy() == truth.iloc[0])
    return float(agree.mean())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stances", type=int, default=100_000)
    ap.add_argument("--actors", type=int, default=20_000)
    ap.add_argument("--issues", type=int, default=5_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--store", help="store directory (default: a temporary one)")
    args = ap.parse_args()
    rows: list[tuple[str, float, str]] = []
    print(f"Synthetic graph: {args.stances:,} stances, {args.actors:,} actors, {args.issues:,} issues "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")

    stances, planted = timed(rows, "generate stances", lambda: planted_camps(
        args.stances, n_actors=args.actors, n_issues=args.issues, articles=max(1, args.stances // 100),
        seed=args.seed), lambda r: f"{len(r[0]):,} stances")
    with tempfile.TemporaryDirectory() as tmp:
        nquads = Path(tmp) / "synthetic.nq"
        timed(rows, "write N-Quads", lambda: nquads.write_text(
            ontology_nquads() + "".join(stance_nquads(stances)), encoding="utf-8"),
            lambda _: f"{nquads.read_bytes().count(NEWLINE):,} quads")
        ds = open_store(args.store or Path(tmp) / "store")
        timed(rows, "bulk load (kg.store.load_file)", lambda: load_file(ds, nquads),
              lambda _: f"{len(ds.store._inner):,} quads in store (with the default-graph merge)")

        print("Projections (one SPARQL query each):")
        signed = timed(rows, "signed_actor_graph", lambda: analysis.signed_actor_graph(ds), graph_size)
        bipartite = timed(rows, "actor_issue_graph", lambda: analysis.actor_issue_graph(ds), graph_size)
        typed = timed(rows, "typed_multigraph", lambda: analysis.typed_multigraph(ds), graph_size)
        del typed

        print("Analyses:")
        timed(rows, "centrality (signed graph)", lambda: analysis.centrality(signed), lambda t: f"{len(t):,} rows")
        table = timed(rows, "camps", lambda: analysis.camps(signed),
                      lambda t: f"{t['camp'].nunique():,} camps")
        timed(rows, "balance (triangles, frustration)", lambda: analysis.balance(signed),
              lambda t: f"{int(t.iloc[0]['triangles']):,} triangles, "
                        f"{t.iloc[0]['triangleBalance']:.1%} balanced")
        timed(rows, "stance_matrix", lambda: analysis.stance_matrix(bipartite),
              lambda m: f"{m.shape[0]:,} x {m.shape[1]:,}")
        timed(rows, "stance_matrix (50 busiest x 30)", lambda: analysis.stance_matrix(
            bipartite, max_actors=50, max_issues=30), lambda m: f"{m.shape[0]:,} x {m.shape[1]:,}")
        timed(rows, "allied_disagreements", lambda: analysis.allied_disagreements(signed),
              lambda t: f"{len(t):,} rows")
        timed(rows, "stance_changes (by article)", lambda: analysis.stance_changes(ds),
              lambda t: f"{len(t):,} rows")
        timed(rows, "export GraphML (signed graph)", lambda: analysis.write_graphml(signed, Path(tmp) / "g.graphml"),
              lambda p: f"{p.stat().st_size / 1e6:.0f} MB")
        print(f"Planted camps recovered for {camp_accuracy(table, planted):.1%} of the actors "
              f"in the biggest part.")
        ds.close()

    print(f"\nLoad average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("\n| step | seconds | result |\n|---|---:|---|")
    for what, seconds, result in rows:
        print(f"| {what} | {seconds:.2f} | {result} |")


if __name__ == "__main__":
    main()
