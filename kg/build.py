"""Build a store from curated annotations: load → map to RDF → validate → write atomically.

Nothing is written unless every input loads and the whole graph passes the SHACL shapes,
so bad input leaves an existing store exactly as it was.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from rdflib import Dataset, Graph, URIRef

from .annotation import load_annotation
from .errors import InputError
from .model import Document
from .rdf.mapping import document_graph
from .rdf.namespaces import ONTOLOGY_GRAPH, graph_for
from .rdf.validate import validate
from .rdf.vocabulary import ontology_graph
from .resources import sample_annotation
from .sources import read_article
from .store import open_store, write_graphs
from .queries import run

ANNOTATION_SUFFIXES = (".yaml", ".yml")
SUMMARY_ORDER = ("articles", "actors", "places", "issues", "posts", "events", "stances: support",
                 "stances: oppose", "stances: neutral", "evidence spans", "triples")


@dataclass
class BuildResult:
    """What a build wrote: the store, its documents and a summary table."""
    store: Dataset
    documents: list[Document]
    summary: pd.DataFrame = field(default_factory=pd.DataFrame)


def annotation_for(path: Path) -> Path:
    """The curated annotation for an input: the file itself, or ``NAME.yaml`` beside an article."""
    if path.suffix.lower() in ANNOTATION_SUFFIXES:
        return path
    for suffix in ANNOTATION_SUFFIXES:
        candidate = path.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    if not path.exists():
        raise InputError("no such file", source=str(path))
    raise InputError("no curated annotation (NAME.yaml) beside this article; `kg ingest` extracts "
                     "stances from articles nobody has annotated", source=str(path))


def _document(path: Path) -> Document:
    """The curated annotation of an input, or, for an article nobody annotated, its extraction."""
    if path.suffix.lower() not in ANNOTATION_SUFFIXES and path.is_file() and \
            not any(path.with_suffix(s).is_file() for s in ANNOTATION_SUFFIXES):
        from .extract import extract  # spaCy loads only when extraction is needed

        return extract(read_article(path))
    return load_annotation(annotation_for(path))


def load_documents(inputs: Sequence[str | Path] | None = None) -> list[Document]:
    """Load and check every input (default: the bundled sample); raise on the first bad one.

    An article without a ``NAME.yaml`` annotation beside it is extracted automatically."""
    paths = [Path(p) for p in inputs] if inputs else [sample_annotation()]
    docs = [_document(p) for p in paths]
    seen: dict[str, Path] = {}
    for p, d in zip(paths, docs):
        if d.article.id in seen:
            raise InputError(f"article id '{d.article.id}' is also used by {seen[d.article.id]}",
                             source=str(p), field="article.id")
        seen[d.article.id] = p
    return docs


def documents_graphs(docs: Iterable[Document]) -> dict[URIRef, Graph]:
    """One named graph per article."""
    return {graph_for(d.article.id): document_graph(d) for d in docs}


def check(graphs: dict[URIRef, Graph], source: str | None = None) -> None:
    """SHACL-validate the union of ``graphs`` (graphs may refer to each other's actors)."""
    union = Graph()
    for g in graphs.values():
        union += g
    validate(union, source=source)


def summary(ds: Dataset) -> pd.DataFrame:
    """Counts by kind: articles, actors, stances by polarity, events, triples..."""
    table = run(ds, "summary").set_index("what")
    return table.loc[[w for w in SUMMARY_ORDER if w in table.index]]


def build(inputs: Sequence[str | Path] | None = None, store: str | Path | Dataset | None = None,
          *, replace: bool = True) -> BuildResult:
    """Build (or with ``replace=False`` add to) a store from curated annotations.

    >>> result = build(store="memory:")
    >>> int(result.summary.loc["stances: oppose", "count"]) > 0
    True
    """
    docs = load_documents(inputs)
    graphs = documents_graphs(docs)
    check(graphs, source=", ".join(str(p) for p in inputs or [sample_annotation()]))
    ds = store if isinstance(store, Dataset) else open_store(store)
    write_graphs(ds, {ONTOLOGY_GRAPH: ontology_graph(), **graphs}, replace_all=replace)
    return BuildResult(store=ds, documents=docs, summary=summary(ds))
