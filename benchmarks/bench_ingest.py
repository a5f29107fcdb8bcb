"""Ingest throughput: ``kg ingest`` against spaCy's own ``nlp.pipe`` on the same texts.

Each mode runs in its own subprocess (peak memory does not mix), on the same corpus:
the bundled sample article (~890 tokens) repeated ``--articles`` times as separate files.

* ``spacy``   — ``nlp.pipe(texts, n_process=P, batch_size=B)`` of the same pipeline, docs consumed;
* ``extract`` — the same plus entity linking and stance extraction (``Extractor.extract_many``);
* ``ingest``  — ``kg.ingest.ingest``: ``P`` worker processes read, parse, extract, map to RDF and
  check each article; the main process writes every article's named graph to an embedded
  Oxigraph store (SHACL off; its cost is measured separately on ``--shacl-sample`` articles,
  as ``ingest+shacl``).

The overhead ratio is each mode's time per article over ``spacy``'s. The load average before and
after each mode is printed too: on a shared machine, only modes measured at similar load compare.

    python benchmarks/bench_ingest.py                  # 1,000 articles, 2 processes
    python benchmarks/bench_ingest.py --articles 200 --processes 1 --corpus all
"""
from __future__ import annotations

import argparse
import json
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


def _peak_mb() -> tuple[float, float]:
    """Peak resident memory (MB) of this process and of its largest child process."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def _run(mode: str, folder: Path, processes: int, batch: int, limit: int | None) -> dict:
    """One measurement, inside its own subprocess."""
    from kg.extract import extractor
    from kg.ingest import ingest
    from kg.sources import read_article

    files = sorted(folder.glob("*.txt"))[:limit]
    ex = extractor()  # spaCy and matchers loaded before the clock starts, as in a long-running process
    texts = [f.read_text(encoding="utf-8") for f in files]
    tokens = sum(len(ex.nlp.make_doc(t)) for t in texts)
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    if mode == "spacy":
        for _ in ex.nlp.pipe(texts, n_process=processes, batch_size=batch):
            pass
    elif mode == "extract":
        for _ in ex.extract_many((read_article(f) for f in files), n_process=processes, batch_size=batch):
            pass
    else:
        with tempfile.TemporaryDirectory() as tmp:
            result = ingest(files, str(Path(tmp) / "store"), shacl=mode == "ingest+shacl", n_process=processes,
                            batch_size=batch, progress=True)
            assert len(result.written) == len(files), result.failures[:3]
    seconds = time.perf_counter() - start
    me, kids = _peak_mb()
    return {"mode": mode, "articles": len(files), "tokens": tokens, "seconds": seconds,
            "peak_main_mb": me, "peak_worker_mb": kids, "load": (load_before, os.getloadavg()[0])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--corpus", choices=("sample", "all"), default="sample",
                    help="the sample article only (~890 tokens), or all shipped articles")
    ap.add_argument("--shacl-sample", type=int, default=20, metavar="N",
                    help="articles for the ingest+shacl row (0: skip)")
    ap.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    ap.add_argument("--one", nargs=2, metavar=("MODE", "DIR"), help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(_run(args.one[0], Path(args.one[1]), args.processes, args.batch_size, args.limit)))
        return

    sources = _corpus(args.corpus)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i in range(args.articles):
            src = sources[i % len(sources)]
            (folder / f"{src.stem}-{i:05d}.txt").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
        plan = [("spacy", None), ("extract", None), ("ingest", None)]
        if args.shacl_sample:
            plan.append(("ingest+shacl", args.shacl_sample))
        for mode, limit in plan:
            cmd = [sys.executable, __file__, "--one", mode, str(folder), "--processes", str(args.processes),
                   "--batch-size", str(args.batch_size)] + (["--limit", str(limit)] if limit else [])
            out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
            rows.append(json.loads(out.strip().splitlines()[-1]))
            print(f"  measured {mode}", file=sys.stderr)
    base = rows[0]["seconds"] / rows[0]["articles"]
    print(f"\n{args.articles} articles ({args.corpus} corpus, {rows[0]['tokens'] // rows[0]['articles']} tokens "
          f"each on average), {args.processes} parser process(es), batch size {args.batch_size}\n")
    print(f"{'mode':<14}{'articles':>9}{'seconds':>9}{'articles/s':>12}{'tokens/s':>10}"
          f"{'peak MB main':>14}{'peak MB worker':>16}{'vs spaCy':>10}{'load avg':>12}")
    for r in rows:
        per = r["seconds"] / r["articles"]
        print(f"{r['mode']:<14}{r['articles']:>9}{r['seconds']:>9.1f}{r['articles'] / r['seconds']:>12.1f}"
              f"{r['tokens'] / r['seconds']:>10.0f}{r['peak_main_mb']:>14.0f}{r['peak_worker_mb']:>16.0f}"
              f"{per / base:>9.2f}x{r['load'][0]:>6.1f}-{r['load'][1]:.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
