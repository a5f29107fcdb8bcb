"""Ingest articles nobody has annotated: read → extract → map to RDF → check → write.

Each article becomes its own named graph (``graph:article/ID``); re-ingesting an article
replaces its graph, so ingesting twice is the same as ingesting once. A file that cannot be
read or extracted is reported and skipped; the others are still written.

>>> from kg.store import open_store
>>> from kg.resources import sample_article
>>> result = ingest([sample_article()], open_store("memory:"), shacl=False)
>>> result.written, result.failures
(['trump-putin-call'], [])
"""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from .build import check
from .errors import InputError, KgError
from .model import Article, Document
from .rdf.mapping import document_graph
from .rdf.namespaces import ONTOLOGY_GRAPH, graph_for
from .rdf.vocabulary import load_speech_acts, ontology_graph
from .sources import SUFFIXES, read_article
from .store import named_graphs, open_store, write_graphs

WRITE_BATCH = 32  # articles per store transaction


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


def _articles(paths: Sequence[Path], result: IngestResult, max_chars: int) -> Iterator[Article]:
    seen: dict[str, Path] = {}
    for p in paths:
        try:
            article = read_article(p)
        except KgError as exc:
            result.failures.append(Failure(str(p), exc.message))
            continue
        if len(article.text) > max_chars:
            result.failures.append(Failure(str(p), f"the article has {len(article.text):,} characters; "
                                                  f"the parser takes at most {max_chars:,}"))
            continue
        if article.id in seen:
            result.failures.append(Failure(str(p), f"article id '{article.id}' is also used by {seen[article.id]}"))
            continue
        seen[article.id] = p
        yield article


def ingest(inputs: Sequence[str | Path], store: str | Path | Dataset | None = None, *, shacl: bool = True,
           n_process: int = 1, batch_size: int = 16, progress: bool | None = None,
           keep_documents: bool = False) -> IngestResult:
    """Extract every article in ``inputs`` (files or directories) and add it to ``store``.

    ``shacl`` validates each article's graph against the SHACL shapes before writing it (slow:
    about half a second per article); the structural checks of :func:`check_document` always run.
    ``progress`` shows a bar on stderr (default: for more than ten articles on a terminal).
    """
    from .extract import extractor

    paths, failures = collect(inputs)
    result = IngestResult(failures=failures)
    if not paths:
        return result
    ex = extractor()
    own = not isinstance(store, Dataset)
    ds = open_store(store) if own else store
    try:
        _run(ex, ds, paths, result, shacl=shacl, n_process=n_process, batch_size=batch_size,
             progress=progress, keep_documents=keep_documents)
    finally:
        if own:
            ds.close()  # release the embedded store's lock for the next process
    return result


def _run(ex, ds: Dataset, paths: list[Path], result: IngestResult, *, shacl: bool, n_process: int,
         batch_size: int, progress: bool | None, keep_documents: bool) -> None:
    from tqdm import tqdm

    pending: dict[URIRef, Graph] = {}
    if str(ONTOLOGY_GRAPH) not in named_graphs(ds):
        pending[ONTOLOGY_GRAPH] = ontology_graph()
    show = progress if progress is not None else (len(paths) > 10 and sys.stderr.isatty())
    bar = tqdm(total=len(paths), unit="article", file=sys.stderr, disable=not show, desc="kg ingest")
    failed_before = len(result.failures)
    articles = _articles(paths, result, ex.nlp.max_length)

    def failed(article: Article, exc: Exception) -> None:
        result.failures.append(Failure(str(article.path or article.id),
                                       f"extraction failed ({type(exc).__name__}: {exc})"))

    for doc in ex.extract_many(articles, n_process=n_process, batch_size=batch_size, on_error=failed):
        bar.update(1 + len(result.failures) - failed_before)
        failed_before = len(result.failures)
        art = doc.article
        try:
            problems = check_document(doc)
            if problems:
                raise InputError("extraction produced an inconsistent graph: " + "; ".join(problems[:3]))
            g = document_graph(doc)
            if shacl:
                check({graph_for(art.id): g}, source=art.path)
        except KgError as exc:
            result.failures.append(Failure(str(art.path or art.id), exc.message))
            failed_before += 1
            continue
        pending[graph_for(art.id)] = g
        result.written.append(art.id)
        result.stances += len(doc.stances)
        result.actors.update(a.id for a in doc.actors)
        if keep_documents:
            result.documents.append(doc)
        if len(pending) >= WRITE_BATCH:
            write_graphs(ds, pending)
            pending = {}
    if pending:
        write_graphs(ds, pending)
    bar.update(len(paths) - bar.n)
    bar.close()
