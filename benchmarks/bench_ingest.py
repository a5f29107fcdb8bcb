"""Ingest throughput: ``kg ingest`` against spaCy's own ``nlp.pipe`` on the same texts.

Each mode runs in its own subprocess (peak memory does not mix), on the same corpus:
the bundled sample article (~890 tokens) repeated ``--articles`` times as separate files.

* ``spacy``   — ``nlp.pipe(texts, n_process=P, batch_size=B)`` of the same pipeline, docs consumed;
* ``extract`` — the same plus entity linking and stance extraction (``Extractor.extract_many``);
* ``ingest``  — ``kg.ingest.ingest``: ``P`` worker processes read, parse, extract, map to RDF and
  check each article; the main process writes every article's named graph to an embedded
  Oxigraph store (SHACL off; its cost is measured separately on ``--shacl-sample`` articles,
  as ``ingest+shacl``).

The overhead ratios are each mode's wall time and CPU time (all its processes) per article over
``spacy``'s. On a shared machine the load drifts, so ``--rounds R`` splits the corpus into R
slices and measures every mode on each slice in turn (ingest adds to one store across rounds);
the load average seen by each mode is printed.

    python benchmarks/bench_ingest.py                  # 1,000 articles, 2 processes
    python benchmarks/bench_ingest.py --rounds 4       # modes interleaved, for a busy machine
    python benchmarks/bench_ingest.py --articles 200 --processes 1 --corpus all
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _corpus(kind: str) -> list[Path]:
    from kg.resources import data_dir, sample_article

    if kind == "sample":
        return [sample_article()]
    return [sample_article(), *sorted((data_dir() / "articles").glob("*.txt"))]


def _usage() -> tuple[float, float, float]:
    """CPU seconds of this process and its finished children, and this process's peak RSS (MB)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime, me.ru_maxrss / 1024


def _run(mode: str, files: list[Path], store: Path, processes: int, batch: int) -> dict:
    """One measurement, inside its own subprocess."""
    from kg.extract import extractor
    from kg.ingest import ingest
    from kg.sources import read_article

    ex = extractor()  # spaCy and matchers loaded before the clock starts, as in a long-running process
    texts = [f.read_text(encoding="utf-8") for f in files]
    tokens = sum(len(ex.nlp.make_doc(t)) for t in texts)
    load_before = os.getloadavg()[0]
    cpu_me, cpu_kids, _ = _usage()
    start = time.perf_counter()
    if mode == "spacy":
        for _ in ex.nlp.pipe(texts, n_process=processes, batch_size=batch):
            pass
    elif mode == "extract":
        for _ in ex.extract_many((read_article(f) for f in files), n_process=processes, batch_size=batch):
            pass
    else:
        result = ingest(files, str(store), shacl=mode == "ingest+shacl", n_process=processes,
                        batch_size=batch, progress=True)
        assert len(result.written) == len(files), result.failures[:3]
    seconds = time.perf_counter() - start
    for child in multiprocessing.active_children():  # reap the parser processes: their CPU counts
        child.join()
    me, kids, peak = _usage()
    return {"mode": mode, "articles": len(files), "tokens": tokens, "seconds": seconds,
            "cpu_seconds": me - cpu_me + kids - cpu_kids, "peak_main_mb": peak,
            "peak_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "load": [load_before, os.getloadavg()[0]]}


def _merge(rows: list[dict]) -> dict:
    """One mode's rounds as one row: times and counts add up, peaks and load span."""
    out = dict(rows[0])
    for key in ("articles", "tokens", "seconds", "cpu_seconds"):
        out[key] = sum(r[key] for r in rows)
    for key in ("peak_main_mb", "peak_worker_mb"):
        out[key] = max(r[key] for r in rows)
    loads = [x for r in rows for x in r["load"]]
    out["load"] = [min(loads), max(loads)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=1, help="measure the modes in turn on this many slices")
    ap.add_argument("--corpus", choices=("sample", "all"), default="sample",
                    help="the sample article only (~890 tokens), or all shipped articles")
    ap.add_argument("--shacl-sample", type=int, default=20, metavar="N",
                    help="articles for the ingest+shacl row, measured once (0: skip)")
    ap.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    ap.add_argument("--one", nargs=3, metavar=("MODE", "DIR", "STORE"), help=argparse.SUPPRESS)
    ap.add_argument("--slice", nargs=2, type=int, default=(0, 1), metavar=("I", "N"), help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        mode, folder, store = args.one
        files = sorted(Path(folder).glob("*.txt"))[:args.limit]
        i, n = args.slice
        part = files[len(files) * i // n:len(files) * (i + 1) // n]
        print(json.dumps(_run(mode, part, Path(store), args.processes, args.batch_size)))
        return

    sources = _corpus(args.corpus)
    measured: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for i in range(args.articles):
            src = sources[i % len(sources)]
            (folder / f"{src.stem}-{i:05d}.txt").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
        plan = [(mode, None, r, args.rounds) for r in range(args.rounds) for mode in ("spacy", "extract", "ingest")]
        if args.shacl_sample:
            plan.append(("ingest+shacl", args.shacl_sample, 0, 1))
        for mode, limit, r, n in plan:
            cmd = [sys.executable, __file__, "--one", mode, str(folder), str(Path(tmp) / f"store-{mode}"),
                   "--processes", str(args.processes), "--batch-size", str(args.batch_size),
                   "--slice", str(r), str(n)] + (["--limit", str(limit)] if limit else [])
            out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
            measured.setdefault(mode, []).append(json.loads(out.strip().splitlines()[-1]))
            print(f"  measured {mode} (round {r + 1} of {n})", file=sys.stderr)
    rows = [_merge(found) for found in measured.values()]
    base, base_cpu = (rows[0][k] / rows[0]["articles"] for k in ("seconds", "cpu_seconds"))
    print(f"\n{args.articles} articles ({args.corpus} corpus, {rows[0]['tokens'] // rows[0]['articles']} tokens "
          f"each on average), {args.processes} parser process(es), batch size {args.batch_size}, "
          f"{args.rounds} round(s)\n")
    print(f"{'mode':<14}{'articles':>9}{'seconds':>9}{'art/s':>7}{'tokens/s':>10}{'CPU s/art':>10}"
          f"{'MB main':>9}{'MB worker':>10}{'vs spaCy':>10}{'CPU vs':>8}{'load avg':>11}")
    for r in rows:
        per, cpu = r["seconds"] / r["articles"], r["cpu_seconds"] / r["articles"]
        print(f"{r['mode']:<14}{r['articles']:>9}{r['seconds']:>9.1f}{1 / per:>7.2f}{r['tokens'] / r['seconds']:>10.0f}"
              f"{cpu:>10.3f}{r['peak_main_mb']:>9.0f}{r['peak_worker_mb']:>10.0f}{per / base:>9.2f}x"
              f"{cpu / base_cpu:>7.2f}x{r['load'][0]:>6.1f}-{r['load'][1]:.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
