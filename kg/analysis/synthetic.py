"""Stance graphs written directly with the ontology's terms: small ones whose right answer is
known (for tests and examples) and large random ones with planted camps (for benchmarks).

A stance is ``(holder, target, score)`` plus optional addressee, article, date and confidence.
Targets are actor ids, ``issue:ID`` for issues or ``event:ID`` for events. Every stance gets
one evidence span whose offsets select its quote in the article's text, so the output passes
the same SHACL shapes as a build.

>>> ds = toy_store([("a", "b", 1.0), ("b", "c", -1.0)])
>>> from kg.queries import run
>>> len(run(ds, "stances"))
2
"""
from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from ..rdf.mapping import stance_iri
from ..rdf.namespaces import ACT, ART, EVIDENCE, ID, ISSUE, KG, OA, ONTOLOGY_GRAPH, SCHEMA, graph_for
from ..rdf.vocabulary import ontology_graph

POLARITY = {"support": KG.Support, "oppose": KG.Oppose, "neutral": KG.Neutral}
AFFILIATIONS = {"speaks-for": KG.speaksFor, "member-of": ORG.memberOf, "part-of": ORG.subOrganizationOf}


@dataclass(frozen=True)
class ToyStance:
    """One attributed stance; ``target`` is an actor id, ``issue:ID`` or ``event:ID``."""
    holder: str
    target: str
    score: float
    addressee: str | None = None
    article: str = "toy"
    date: str | None = None  # ISO date of the evidence
    confidence: float = 1.0


def _node(ident: str) -> tuple[URIRef, str]:
    """IRI and kind (actor, issue, event) of an id written as in :class:`ToyStance`."""
    kind, _, name = ident.partition(":")
    if name and kind == "issue":
        return ISSUE[name], "issue"
    if name and kind == "event":
        return ID[name], "event"
    return ID[ident], "actor"


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _term(t: URIRef | Literal) -> str:
    """A term as N-Quads writes it (rdflib's ``n3()`` uses Turtle's long strings)."""
    if not isinstance(t, Literal):
        return f"<{t}>"
    text = f'"{str(t).translate(_ESCAPES)}"'
    if t.language:
        return f"{text}@{t.language}"
    return f"{text}^^<{t.datatype}>" if t.datatype else text


def _quad(s: URIRef, p: URIRef, o: URIRef | Literal, g: URIRef) -> str:
    return f"<{s}> <{p}> {_term(o)} <{g}> .\n"


def _decimal(x: float) -> Literal:
    return Literal(f"{x:.3f}", datatype=XSD.decimal)


def stance_nquads(stances: Iterable[ToyStance | tuple], *,
                  affiliations: Iterable[tuple[str, str, str]] = (),
                  published: dict[str, str] | None = None) -> Iterator[str]:
    """N-Quads lines for ``stances`` (one named graph per article) and ``affiliations``.

    ``affiliations`` are ``(actor, other, relation)`` with relation ``speaks-for``, ``member-of``
    or ``part-of``; ``published`` maps article ids to ISO publication dates.
    """
    by_article: dict[str, list[ToyStance]] = defaultdict(list)
    for s in stances:
        s = s if isinstance(s, ToyStance) else ToyStance(*s)
        by_article[s.article].append(s)
    declared: set[str] = set()
    published = published or {}
    for article, items in by_article.items():
        g, art = graph_for(article), ART[article]
        quotes = [f"{s.holder} {'supports' if s.score > 0 else 'opposes'} {s.target}"
                  + (f", addressing {s.addressee}" if s.addressee else "") + "." for s in items]
        yield _quad(art, RDF.type, KG.Article, g)
        yield _quad(art, RDFS.label, Literal(f"Article {article}"), g)
        yield _quad(art, SCHEMA.text, Literal("\n".join(quotes)), g)
        if article in published:
            yield _quad(art, SCHEMA.datePublished, Literal(published[article], datatype=XSD.date), g)
        offset = 0
        for s, quote in zip(items, quotes):
            for ident in filter(None, (s.holder, s.target, s.addressee)):
                if ident in declared:
                    continue
                declared.add(ident)
                node, kind = _node(ident)
                name = ident.partition(":")[2] or ident
                if kind == "issue":
                    yield _quad(node, RDF.type, KG.Issue, g)
                    yield _quad(node, SKOS.prefLabel, Literal(f"Issue {name}", lang="en"), g)
                    yield _quad(node, SKOS.inScheme, ISSUE["scheme"], g)
                    yield _quad(node, SKOS.notation, Literal(name), g)
                else:
                    yield _quad(node, RDF.type, KG.Person if kind == "actor" else KG.Meeting, g)
                    yield _quad(node, RDFS.label, Literal(name.replace("-", " ").title()), g)
            polarity = "support" if s.score > 0 else "oppose" if s.score < 0 else "neutral"
            # the same (holder, target, polarity) from several articles is one stance, as in a build
            node = stance_iri(s.holder, s.target.partition(":")[2] or s.target, polarity)
            ev = EVIDENCE[_hash(node, article, offset)]
            act = ACT.urge if s.addressee else ACT.state
            yield _quad(node, RDF.type, KG.Stance, g)
            yield _quad(node, KG.holder, ID[s.holder], g)
            yield _quad(node, KG.target, _node(s.target)[0], g)
            yield _quad(node, KG.polarity, POLARITY[polarity], g)
            yield _quad(node, KG.score, _decimal(s.score), g)
            yield _quad(node, KG.speechAct, act, g)
            yield _quad(node, KG.confidence, _decimal(s.confidence), g)
            yield _quad(node, KG.method, KG.CuratedAnnotation, g)
            yield _quad(node, PROV.wasDerivedFrom, art, g)
            yield _quad(node, KG.evidence, ev, g)
            if polarity != "neutral":  # the shortcut a build materialises
                yield _quad(ID[s.holder], KG.supports if polarity == "support" else KG.opposes,
                            _node(s.target)[0], g)
            yield _quad(ev, RDF.type, KG.Evidence, g)
            yield _quad(ev, RDF.type, OA.SpecificResource, g)
            yield _quad(ev, OA.hasSource, art, g)
            yield _quad(ev, KG.speechAct, act, g)
            yield _quad(ev, KG.confidence, _decimal(s.confidence), g)
            sel_q, sel_p = URIRef(f"{ev}#quote"), URIRef(f"{ev}#position")
            yield _quad(ev, OA.hasSelector, sel_q, g)
            yield _quad(sel_q, RDF.type, OA.TextQuoteSelector, g)
            yield _quad(sel_q, OA.exact, Literal(quote), g)
            yield _quad(ev, OA.hasSelector, sel_p, g)
            yield _quad(sel_p, RDF.type, OA.TextPositionSelector, g)
            yield _quad(sel_p, OA.start, Literal(offset, datatype=XSD.integer), g)
            yield _quad(sel_p, OA.end, Literal(offset + len(quote), datatype=XSD.integer), g)
            offset += len(quote) + 1
            if s.addressee:
                yield _quad(node, KG.addressee, ID[s.addressee], g)
                yield _quad(ev, KG.addressee, ID[s.addressee], g)
            if s.date:
                yield _quad(ev, DCTERMS.date, Literal(s.date, datatype=XSD.date), g)
                yield _quad(node, DCTERMS.date, Literal(s.date, datatype=XSD.date), g)
    g = graph_for("affiliations")
    for actor, other, relation in affiliations:
        for ident in (actor, other):
            if ident not in declared:
                declared.add(ident)
                yield _quad(ID[ident], RDF.type, KG.Organization, g)
                yield _quad(ID[ident], RDFS.label, Literal(ident.replace("-", " ").title()), g)
        yield _quad(ID[actor], AFFILIATIONS[relation], ID[other], g)


def ontology_nquads() -> str:
    """The ontology and issue scheme as N-Quads in ``graph:ontology``."""
    ds = Dataset()
    ds.graph(ONTOLOGY_GRAPH).__iadd__(ontology_graph())
    return ds.serialize(format="nquads")


def toy_store(stances: Iterable[ToyStance | tuple], *,
              affiliations: Iterable[tuple[str, str, str]] = (),
              published: dict[str, str] | None = None) -> Dataset:
    """A ``memory:`` store holding the ontology and the given stances.

    >>> ds = toy_store([("a", "issue:x", 1.0), ("b", "issue:x", -0.5)])
    >>> len(list(ds.graphs())) >= 2
    True
    """
    from ..store import open_store

    ds = open_store("memory:")
    data = ontology_nquads() + "".join(stance_nquads(stances, affiliations=affiliations,
                                                     published=published))
    ds.parse(data=data, format="nquads")
    return ds


def planted_camps(n_stances: int, *, n_actors: int = 1000, n_issues: int = 200, n_camps: int = 2,
                  actor_share: float = 0.2, addressed_share: float = 0.05, noise: float = 0.1,
                  articles: int = 100, seed: int = 0) -> tuple[list[ToyStance], dict[str, int]]:
    """Random stances among actors split into ``n_camps`` hidden camps.

    Each issue is favoured by one camp: its members support it and the others oppose it;
    stances on actors are positive inside a camp and negative across camps. A share
    ``noise`` of stances gets the wrong sign. Returns the stances and each actor's camp.

    >>> stances, camp = planted_camps(50, n_actors=10, n_issues=4)
    >>> len(stances), len(camp)
    (50, 10)
    """
    rng = random.Random(seed)
    actors = [f"actor-{i}" for i in range(n_actors)]
    camp = {a: i % n_camps for i, a in enumerate(actors)}
    favoured = [rng.randrange(n_camps) for _ in range(n_issues)]
    out: list[ToyStance] = []
    for i in range(n_stances):
        holder = rng.choice(actors)
        flip = -1.0 if rng.random() < noise else 1.0
        strength = rng.choice((0.5, 0.7, 1.0))
        article = f"synthetic-{i % articles}"
        if rng.random() < actor_share:
            other = rng.choice(actors)
            while other == holder:
                other = rng.choice(actors)
            sign = 1.0 if camp[holder] == camp[other] else -1.0
            out.append(ToyStance(holder, other, flip * sign * strength, article=article))
            continue
        issue = rng.randrange(n_issues)
        sign = 1.0 if camp[holder] == favoured[issue] else -1.0
        addressee = None
        if sign < 0 and rng.random() < addressed_share:
            # urging an actor of the other camp not to pursue the issue it favours
            addressee = rng.choice([a for a in actors[:n_camps * 4] if camp[a] == favoured[issue]])
        out.append(ToyStance(holder, f"issue:issue-{issue}", flip * sign * strength,
                             addressee=addressee, article=article))
    return out, camp

