"""Ingest articles nobody has annotated: read → extract → map to RDF → check → write.

Each article becomes its own named graph (``graph:article/ID``); re-ingesting an article
replaces its graph, so ingesting twice is the same as ingesting once. A file that cannot be
read or extracted is reported and skipped; the others are still written.

>>> from kg.store import open_store
>>> from kg.resources import sample_article
>>> result = ingest([sample_article()], open_store("memory:"))
>>> result.written, result.failures
(['trump-putin-call'], [])
"""
from __future__ import annotations

import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from .errors import KgError
from .model import Article, Document
from .rdf.mapping import document_graph, document_triples
from .rdf.namespaces import ONTOLOGY_GRAPH, graph_for
from .rdf.validate import validate, violations
from .rdf.vocabulary import load_speech_acts, ontology_graph
from .sources import SUFFIXES, read_article
from .store import flush, ntriples, open_store, write_graphs

WRITE_BATCH = 32  # articles per store transaction
FLUSH_EVERY = 4  # transactions between flushes of the store's write buffers (bounds memory)


@dataclass
class Failure:
    """A file that was not ingested, and why."""
    path: str
    message: str


@dataclass
class IngestResult:
    written: list[str] = field(default_factory=list)     # article ids, in input order
    failures: list[Failure] = field(default_factory=list)
    stances: int = 0
    actors: set[str] = field(default_factory=set)
    documents: list[Document] = field(default_factory=list)  # kept only with keep_documents


def collect(inputs: Iterable[str | Path]) -> tuple[list[Path], list[Failure]]:
    """Article files named by ``inputs``; directories are searched recursively for
    ``.txt``/``.md``/``.html`` files (annotations and metadata sidecars are skipped)."""
    files, failures = [], []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES - {""}
                           and not f.name.startswith("."))
            if not found:
                failures.append(Failure(str(p), "no article files (.txt, .md, .html) in this directory"))
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            failures.append(Failure(str(p), "no such file or directory"))
    return files, failures


def check_document(doc: Document) -> list[str]:
    """Fast structural checks that hold for every valid graph (the SHACL shapes check them too):
    evidence quotes the article at its offsets, every reference is declared, speech acts exist."""
    text, problems = doc.article.text, []
    declared = {a.id for a in doc.actors}
    targets = declared | {i.id for i in doc.issues} | {e.id for e in doc.events}
    acts = load_speech_acts()
    for s in doc.stances:
        ev = s.evidence
        if text[ev.start:ev.end] != ev.quote or not ev.quote:
            problems.append(f"evidence offsets {ev.start}-{ev.end} do not select the quote")
        if s.holder not in declared or s.target not in targets or (s.addressee and s.addressee not in declared):
            problems.append(f"stance {s.holder} → {s.target} refers to an undeclared node")
        if s.speech_act not in acts:
            problems.append(f"unknown speech act '{s.speech_act}'")
    return problems


@dataclass
class _Outcome:
    """What the per-article work sends back for one input file: its triples or why not."""
    path: str
    article_id: str | None = None
    triples: str = ""                     # the article's graph as N-Triples text
    error: str | None = None
    stances: int = 0
    actors: list[str] = field(default_factory=list)
    document: Document | None = None


def _work(paths: list[str], shacl: bool, keep_documents: bool) -> list[_Outcome]:
    """Read, parse, extract, check and serialise a chunk of articles (in a worker process)."""
    from .extract import extractor

    ex = extractor()  # loaded once per process
    outcomes = [_Outcome(p) for p in paths]
    articles, owner = [], {}  # owner: id(article) -> its outcome
    for out in outcomes:
        try:
            article = read_article(Path(out.path))
        except KgError as exc:
            out.error = exc.message
            continue
        if len(article.text) > ex.nlp.max_length:
            out.error = (f"the article has {len(article.text):,} characters; "
                         f"the parser takes at most {ex.nlp.max_length:,}")
            continue
        out.article_id = article.id
        articles.append(article)
        owner[id(article)] = out

    def failed(article: Article, exc: Exception) -> None:
        owner[id(article)].error = f"extraction failed ({type(exc).__name__}: {exc})"

    to_validate: list[tuple[_Outcome, Graph]] = []
    for doc in ex.extract_many(articles, batch_size=max(1, len(articles)), on_error=failed):
        out = owner[id(doc.article)]
        problems = check_document(doc)
        if problems:
            out.error = "extraction produced an inconsistent graph: " + "; ".join(problems[:3])
            continue
        if shacl:
            g = document_graph(doc)
            to_validate.append((out, g))
            out.triples = ntriples(g)
        else:
            out.triples = ntriples(document_triples(doc))
        out.stances, out.actors = len(doc.stances), [a.id for a in doc.actors]
        out.document = doc if keep_documents else None
    if to_validate:
        _shacl(to_validate)
    return outcomes


def _shacl(pairs: list[tuple[_Outcome, Graph]]) -> None:
    """SHACL-validate the chunk's graphs together, as the store will merge them, in one pySHACL
    run (its fixed cost per run is most of the cost of one article); only if that fails, each
    article alone, to name the bad ones."""
    union = Graph()
    for _, g in pairs:
        union += g
    if not violations(union):
        return
    for out, g in pairs:
        try:
            validate(g, source=out.path)
        except KgError as exc:
            out.error = exc.message


def _outcomes(chunks: list[list[str]], n_process: int, shacl: bool,
              keep_documents: bool) -> Iterator[_Outcome]:
    """The outcomes of every chunk, in input order; with several processes at most two chunks
    per process are in flight, so results never pile up in memory."""
    n_process = min(n_process, len(chunks))  # a process per chunk at most: each loads the model
    if n_process <= 1:
        for chunk in chunks:
            yield from _work(chunk, shacl, keep_documents)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: a worker starts with whatever this process has loaded (the spaCy model, if it has it)
    with ProcessPoolExecutor(n_process, mp_context=multiprocessing.get_context("fork")) as pool:
        todo, running = iter(chunks), deque()
        for chunk in islice(todo, 2 * n_process):
            running.append(pool.submit(_work, chunk, shacl, keep_documents))
        while running:
            done = running.popleft().result()
            for chunk in islice(todo, 1):
                running.append(pool.submit(_work, chunk, shacl, keep_documents))
            yield from done


def ingest(inputs: Sequence[str | Path], store: str | Path | Dataset | None = None, *, shacl: bool = False,
           n_process: int = 1, batch_size: int = 16, progress: bool | None = None,
           keep_documents: bool = False) -> IngestResult:
    """Extract every article in ``inputs`` (files or directories) and add it to ``store``.

    Each article is read, parsed, extracted, checked and turned into N-Triples by one of
    ``n_process`` worker processes (``batch_size`` articles per task; with 1, in this process);
    this process writes, ``WRITE_BATCH`` articles per transaction. The structural checks of
    :func:`check_document` always run; ``shacl`` also validates the articles' graphs against the
    SHACL shapes before writing them (one pySHACL run per task, about 0.07 s of CPU per article).
    ``progress`` shows a bar on stderr (default: for more than ten articles on a terminal).
    """
    paths, failures = collect(inputs)
    result = IngestResult(failures=failures)
    if not paths:
        return result
    own = not isinstance(store, Dataset)
    ds = open_store(store) if own else store
    try:
        _run(ds, paths, result, shacl=shacl, n_process=n_process, batch_size=batch_size,
             progress=progress, keep_documents=keep_documents)
    finally:
        if own:
            ds.close()  # release the embedded store's lock for the next process
    return result


def _run(ds: Dataset, paths: list[Path], result: IngestResult, *, shacl: bool, n_process: int,
         batch_size: int, progress: bool | None, keep_documents: bool) -> None:
    from tqdm import tqdm

    pending: dict[URIRef, Graph | str] = {}
    if not ds.query(f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}").askAnswer:  # stops at one quad
        pending[ONTOLOGY_GRAPH] = ontology_graph()
    show = progress if progress is not None else (len(paths) > 10 and sys.stderr.isatty())
    names = [str(p) for p in paths]
    chunks = [names[i:i + batch_size] for i in range(0, len(names), batch_size)]
    seen: dict[str, str] = {}
    writes = 0
    with tqdm(total=len(paths), unit="article", file=sys.stderr, disable=not show, desc="kg ingest") as bar:
        for out in _outcomes(chunks, n_process, shacl, keep_documents):
            bar.update(1)
            if out.error is None and out.article_id in seen:
                out.error = f"article id '{out.article_id}' is also used by {seen[out.article_id]}"
            if out.error is not None:
                result.failures.append(Failure(out.path, out.error))
                continue
            seen[out.article_id] = out.path
            pending[graph_for(out.article_id)] = out.triples
            result.written.append(out.article_id)
            result.stances += out.stances
            result.actors.update(out.actors)
            if keep_documents:
                result.documents.append(out.document)
            if len(pending) >= WRITE_BATCH:
                write_graphs(ds, pending)
                pending, writes = {}, writes + 1
                if writes % FLUSH_EVERY == 0:
                    flush(ds)
        if pending:
            write_graphs(ds, pending)
