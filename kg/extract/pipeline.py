"""The extraction pipeline: parsed article → linked mentions → stances → :class:`kg.model.Document`."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from spacy.tokens import Doc

from ..model import Actor, Article, Document, Event, Evidence, Place
from ..rdf.vocabulary import load_issues
from .entities import EntityLinker, Mentions
from .issues import IssueMatcher
from .nlp import load, provenance
from .stances import StanceExtractor

VERSION = "0.1.0"
BATCH_SIZE = 16


def method_name() -> str:
    """What each extracted stance records as its method, e.g.
    ``kg-extract 0.1.0 (spaCy 3.8.18, en_core_web_sm 3.8.0)``."""
    return f"kg-extract {VERSION} ({provenance()})"


class Extractor:
    """Builds the matchers once; :meth:`document` turns one parsed article into a Document.

    >>> from kg.resources import sample_article
    >>> from kg.sources import read_article
    >>> doc = Extractor().extract(read_article(sample_article()))
    >>> any(s.holder == "trump" and s.target == "war-escalation" for s in doc.stances)
    True
    """

    def __init__(self) -> None:
        self.nlp = load()
        self.linker = EntityLinker(self.nlp)
        self.issues = IssueMatcher(self.nlp)
        self.stances = StanceExtractor(self.issues, method_name())

    def extract(self, article: Article) -> Document:
        """Parse and extract one article."""
        return self.document(article, self.nlp(article.text))

    def extract_many(self, articles: Iterable[Article], *, n_process: int = 1, batch_size: int = BATCH_SIZE,
                     on_error: Callable[[Article, Exception], None] | None = None) -> Iterator[Document]:
        """Parse with ``nlp.pipe`` (``n_process`` worker processes) and extract, in input order.

        An article whose extraction fails is passed to ``on_error`` (default: raise) and skipped,
        so one odd text does not stop a batch.
        """
        pairs = ((a.text, a) for a in articles)
        for parsed, article in self.nlp.pipe(pairs, as_tuples=True, n_process=n_process,
                                              batch_size=batch_size):
            try:
                yield self.document(article, parsed)
            except Exception as exc:  # noqa: BLE001 - reported per article by the caller
                if on_error is None:
                    raise
                on_error(article, exc)

    def document(self, article: Article, parsed: Doc) -> Document:
        """Entities and stances of one parsed article, in the shape a curated annotation has."""
        mentions = self.linker.link(parsed)
        stances, new_issues = self.stances.extract(parsed, mentions, article)
        known = load_issues()
        used = sorted({s.target for s in stances if s.target_kind == "issue" and s.target in known})
        return Document(article=article, actors=_actors(mentions), places=_places(mentions),
                        issues=list(new_issues.values()) + [known[i] for i in used],
                        events=_events(mentions, stances, article), stances=stances)


def _actors(m: Mentions) -> list[Actor]:
    """Actors with relations trimmed to what this article mentions (every node it links to
    must be typed in the article's own graph)."""
    ids, places = set(m.actors) - m.provisional, set(m.places)
    out = []
    for a in (m.actors[i] for i in ids):
        out.append(Actor(id=a.id, label=a.label, kind=a.kind, aliases=list(a.aliases), wikidata=a.wikidata,
                         description=a.description, speaks_for=[x for x in a.speaks_for if x in ids],
                         member_of=[x for x in a.member_of if x in ids],
                         part_of=[x for x in a.part_of if x in ids],
                         seat=a.seat if a.seat in places else None))
    return sorted(out, key=lambda a: a.id)


def _places(m: Mentions) -> list[Place]:
    ids = set(m.places) | (set(m.actors) - m.provisional)
    return sorted((Place(id=p.id, label=p.label, kind=p.kind, aliases=list(p.aliases), wikidata=p.wikidata,
                         located_in=p.located_in if p.located_in in ids else None,
                         metonym_for=p.metonym_for if p.metonym_for in ids else None)
                   for p in m.places.values()), key=lambda p: p.id)


def _events(m: Mentions, stances, article: Article) -> list[Event]:
    ids = set(m.actors) - m.provisional
    out = []
    for e in m.events.values():
        ev = [Evidence(article=article.id, quote=s.evidence.quote, start=s.evidence.start, end=s.evidence.end)
              for s in stances if s.target == e.id][:1]
        out.append(Event(id=e.id, label=e.label, kind=e.kind, date=e.date,
                         participants=[p for p in e.participants if p in ids],
                         winner=e.winner if e.winner in ids else None,
                         place=e.place if e.place in ids or e.place in m.places else None, evidence=ev))
    return sorted(out, key=lambda e: e.id)
