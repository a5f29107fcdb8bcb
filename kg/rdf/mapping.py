"""The one place that knows which ontology term each model field becomes.

>>> from kg.annotation import load_annotation
>>> from kg.resources import sample_annotation
>>> g = document_graph(load_annotation(sample_annotation()))
>>> (None, KG.holder, ID["trump"]) in g
True
"""
from __future__ import annotations

import hashlib
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

from ..model import Document, Evidence, Stance
from ..sources import slug
from .namespaces import ART, EVIDENCE, ID, ISSUE, KG, METHOD, OA, POST, PREFIXES, SCHEMA, STANCE, WD
from .vocabulary import speech_act_iri

_POLARITY = {"support": KG.Support, "oppose": KG.Oppose, "neutral": KG.Neutral}
_DERIVED = {"support": KG.supports, "oppose": KG.opposes}
CURATED = "curated"


class _Triples(dict):
    """An ordered set of triples with Graph's ``add``: the mapping without an rdflib store."""

    def add(self, triple: tuple) -> None:
        self[triple] = None


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def _decimal(x: float) -> Literal:
    return Literal(Decimal(str(round(x, 3))), datatype=XSD.decimal)


def stance_iri(holder: str, target: str, polarity: str) -> URIRef:
    """One stance per (holder, target, polarity): the same claim from many sources merges."""
    return STANCE[_hash(holder, target, polarity)]


def method_iri(method: str) -> URIRef:
    """``curated`` → ``kg:CuratedAnnotation``; an extractor name/version → a ``method:`` IRI."""
    return KG.CuratedAnnotation if method == CURATED else METHOD[slug(method)]


def target_iri(kind: str, ident: str) -> URIRef:
    return ISSUE[ident] if kind == "issue" else ID[ident]


def _add_evidence(g: Graph | _Triples, node: URIRef, ev: Evidence, text: str) -> None:
    src = ART[ev.article]
    g.add((node, RDF.type, KG.Evidence))
    g.add((node, RDF.type, OA.SpecificResource))
    g.add((node, OA.hasSource, src))
    quote, pos = URIRef(f"{node}#quote"), URIRef(f"{node}#position")
    g.add((node, OA.hasSelector, quote))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(ev.quote)))
    g.add((quote, OA.prefix, Literal(text[max(0, ev.start - 32):ev.start])))
    g.add((quote, OA.suffix, Literal(text[ev.end:ev.end + 32])))
    g.add((node, OA.hasSelector, pos))
    g.add((pos, RDF.type, OA.TextPositionSelector))
    g.add((pos, OA.start, Literal(ev.start, datatype=XSD.integer)))
    g.add((pos, OA.end, Literal(ev.end, datatype=XSD.integer)))


def _add_stance(g: Graph | _Triples, s: Stance, text: str) -> None:
    node = stance_iri(s.holder, s.target, s.polarity)
    holder, target = ID[s.holder], target_iri(s.target_kind, s.target)
    act, method = speech_act_iri(s.speech_act), method_iri(s.method)
    g.add((node, RDF.type, KG.Stance))
    g.add((node, KG.holder, holder))
    g.add((node, KG.target, target))
    g.add((node, KG.polarity, _POLARITY[s.polarity]))
    g.add((node, KG.score, _decimal(s.signed_score)))
    g.add((node, KG.speechAct, act))
    g.add((node, KG.confidence, _decimal(s.confidence)))
    g.add((node, KG.method, method))
    if method != KG.CuratedAnnotation:
        g.add((method, RDF.type, KG.Method))
        g.add((method, RDFS.label, Literal(s.method)))
    g.add((node, PROV.wasDerivedFrom, ART[s.evidence.article]))
    if s.addressee:
        g.add((node, KG.addressee, ID[s.addressee]))
    if s.polarity in _DERIVED:
        g.add((holder, _DERIVED[s.polarity], target))
    ev = EVIDENCE[_hash(node, s.evidence.article, s.evidence.start, s.evidence.end)]
    g.add((node, KG.evidence, ev))
    _add_evidence(g, ev, s.evidence, text)
    g.add((ev, KG.speechAct, act))
    g.add((ev, KG.confidence, _decimal(s.confidence)))
    g.add((ev, KG.method, method))
    if s.negated:
        g.add((ev, KG.negated, Literal(True)))
    if s.addressee:
        g.add((ev, KG.addressee, ID[s.addressee]))
    if s.date:
        g.add((ev, DCTERMS.date, Literal(s.date, datatype=XSD.date)))
        g.add((node, DCTERMS.date, Literal(s.date, datatype=XSD.date)))


def new_graph() -> Graph:
    """An empty graph with our prefixes bound."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


def document_graph(doc: Document) -> Graph:
    """All triples one article contributes: article, actors, places, issues, posts, events, stances."""
    g = new_graph()
    _map_document(g, doc)
    return g


def document_triples(doc: Document) -> list[tuple]:
    """The triples of :func:`document_graph`, each once, without building a Graph (bulk ingest)."""
    out = _Triples()
    _map_document(out, doc)
    return list(out)


def _map_document(g: Graph | _Triples, doc: Document) -> None:
    a = doc.article
    art = ART[a.id]
    g.add((art, RDF.type, KG.Article))
    g.add((art, RDFS.label, Literal(a.title or a.id)))
    g.add((art, SCHEMA.text, Literal(a.text)))
    if a.title:
        g.add((art, DCTERMS.title, Literal(a.title)))
    if a.date:
        g.add((art, SCHEMA.datePublished, Literal(a.date, datatype=XSD.date)))
    if a.url:
        g.add((art, SCHEMA.url, Literal(a.url, datatype=XSD.anyURI)))
    if a.publisher:
        g.add((art, SCHEMA.publisher, Literal(a.publisher)))

    def entity(ident: str, kind: str, label: str, aliases: list[str], qid: str | None) -> URIRef:
        node = ID[ident]
        g.add((node, RDF.type, KG[kind]))
        g.add((node, RDFS.label, Literal(label)))
        for alias in aliases:
            g.add((node, SKOS.altLabel, Literal(alias)))
        if qid:
            g.add((node, OWL.sameAs, WD[qid]))
        g.add((art, SCHEMA.mentions, node))
        return node

    for actor in doc.actors:
        node = entity(actor.id, actor.kind, actor.label, actor.aliases, actor.wikidata)
        if actor.description:
            g.add((node, SCHEMA.description, Literal(actor.description)))
        for other in actor.speaks_for:
            g.add((node, KG.speaksFor, ID[other]))
        for other in actor.member_of:
            g.add((node, ORG.memberOf, ID[other]))
        for other in actor.part_of:
            g.add((node, ORG.subOrganizationOf, ID[other]))
        if actor.seat:
            g.add((node, ORG.hasPrimarySite, ID[actor.seat]))
    for place in doc.places:
        node = entity(place.id, place.kind, place.label, place.aliases, place.wikidata)
        if place.located_in:
            g.add((node, SCHEMA.containedInPlace, ID[place.located_in]))
        if place.metonym_for:
            g.add((node, KG.metonymFor, ID[place.metonym_for]))
    for issue in doc.issues:
        node = ISSUE[issue.id]
        g.add((node, RDF.type, KG.Issue))
        g.add((node, SKOS.prefLabel, Literal(issue.label, lang="en")))
        g.add((node, SKOS.inScheme, ISSUE["scheme"]))
        g.add((node, SKOS.notation, Literal(issue.id)))
        for alias in issue.aliases:
            g.add((node, SKOS.altLabel, Literal(alias, lang="en")))
        if issue.broader:
            g.add((node, SKOS.broader, ISSUE[issue.broader]))
        if issue.definition:
            g.add((node, SKOS.definition, Literal(issue.definition, lang="en")))
        g.add((art, SCHEMA.mentions, node))
    for post in doc.posts:
        node = POST[_hash(post.holder, post.role, post.organization, post.start)]
        role = ID[f"role/{slug(post.role)}"]
        g.add((node, RDF.type, KG.Post))
        g.add((node, RDFS.label, Literal(post.role)))
        g.add((node, ORG.heldBy, ID[post.holder]))
        g.add((node, ORG.postIn, ID[post.organization]))
        g.add((node, ORG.role, role))
        g.add((role, RDF.type, ORG.Role))
        g.add((role, RDFS.label, Literal(post.role)))
        g.add((ID[post.holder], ORG.holds, node))
        g.add((node, PROV.wasDerivedFrom, art))
        if post.start:
            g.add((node, SCHEMA.startDate, Literal(post.start, datatype=XSD.date)))
        if post.end:
            g.add((node, SCHEMA.endDate, Literal(post.end, datatype=XSD.date)))
    for event in doc.events:
        node = ID[event.id]
        g.add((node, RDF.type, KG[event.kind]))
        g.add((node, RDFS.label, Literal(event.label)))
        g.add((node, PROV.wasDerivedFrom, art))
        g.add((art, SCHEMA.mentions, node))
        for p in event.participants:
            g.add((node, KG.participant, ID[p]))
        if event.winner:
            g.add((node, KG.winner, ID[event.winner]))
            g.add((node, KG.participant, ID[event.winner]))
        if event.place:
            g.add((node, SCHEMA.location, ID[event.place]))
        if event.date:
            g.add((node, SCHEMA.startDate, Literal(event.date, datatype=XSD.date)))
        for ev in event.evidence:
            ev_node = EVIDENCE[_hash(node, ev.article, ev.start, ev.end)]
            g.add((node, KG.evidence, ev_node))
            _add_evidence(g, ev_node, ev, a.text)
    for stance in doc.stances:
        _add_stance(g, stance, a.text)
