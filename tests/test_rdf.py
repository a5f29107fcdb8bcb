"""Ontology, model → RDF mapping and SHACL validation."""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.annotation import load_annotation
from kg.errors import ValidationError
from kg.rdf import validate
from kg.rdf.mapping import document_graph, stance_iri
from kg.rdf.namespaces import ACT, ID, ISSUE, KG, OA, WD
from kg.rdf.validate import violations
from kg.rdf.vocabulary import ontology_graph
from kg.resources import ontology_file


@pytest.fixture(scope="module")
def graph(sample_annotation_path) -> Graph:
    return document_graph(load_annotation(sample_annotation_path))


def test_ontology_reuses_standard_vocabularies():
    onto = ontology_graph()
    supers = {str(o) for s in onto.subjects(RDF.type, OWL.Class) for o in onto.objects(s, RDFS.subClassOf)}
    for ns in ("http://www.w3.org/ns/prov#", "http://www.w3.org/ns/org#", "https://schema.org/",
               "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/oa#"):
        assert any(s.startswith(ns) for s in supers), ns
    for cls in ("Person", "State", "Organization", "Government", "Alliance", "Group", "Place", "Post",
                "Event", "PhoneCall", "Election", "Inauguration", "Issue", "Stance", "Evidence"):
        assert (KG[cls], RDF.type, OWL.Class) in onto, cls
    assert (KG.metonymFor, RDF.type, OWL.ObjectProperty) in onto
    assert len(set(onto.subjects(SKOS.inScheme, ISSUE.scheme))) >= 10


def test_shapes_file_parses():
    assert len(Graph().parse(ontology_file("shapes.ttl"))) > 50


def test_sample_graph_conforms(graph):
    assert violations(graph) == []


def test_stance_is_an_nary_relation_with_evidence(graph):
    s = stance_iri("trump", "war-escalation", "oppose")
    assert (s, KG.holder, ID.trump) in graph
    assert (s, KG.target, ISSUE["war-escalation"]) in graph
    assert (s, KG.polarity, KG.Oppose) in graph
    assert (s, KG.speechAct, ACT.urge) in graph
    assert (s, KG.addressee, ID.putin) in graph
    assert (ID.trump, KG.opposes, ISSUE["war-escalation"]) in graph  # derived shortcut
    ev = graph.value(s, KG.evidence)
    assert graph.value(ev, OA.hasSource).endswith("/article/trump-putin-call")
    exact = [graph.value(sel, OA.exact) for sel in graph.objects(ev, OA.hasSelector) if graph.value(sel, OA.exact)]
    assert "Trump urged Putin" in str(exact[0])


def test_metonymy_keeps_city_and_government_apart(graph):
    assert (ID.kyiv, RDF.type, KG.City) in graph
    assert (ID["ukraine-government"], RDF.type, KG.Government) in graph
    assert (ID.kyiv, KG.metonymFor, ID["ukraine-government"]) in graph
    assert (ID.kyiv, OWL.sameAs, WD.Q1899) in graph
    assert (ID["moscow-kremlin"], KG.metonymFor, ID.kremlin) in graph


def test_same_claim_from_two_sentences_is_one_stance_with_two_evidence(graph):
    s = stance_iri("trump", "swift-end-of-war", "support")
    assert len(set(graph.objects(s, KG.evidence))) == 4
    assert len(set(graph.objects(s, KG.speechAct))) == 4


def test_validation_reports_broken_offsets(sample_annotation_path):
    doc = load_annotation(sample_annotation_path)
    doc.stances[0].evidence.start += 1
    graph = document_graph(doc)
    with pytest.raises(ValidationError) as err:
        validate(graph, source="test")
    assert "offsets must select exactly the quoted text" in str(err.value)
    # the report names the article and the one piece of evidence that is off
    (bad,) = [v for v in violations(graph) if "offsets" in v["message"]]
    assert bad["focus"].endswith("/trump-putin-call")
    assert bad["value"] in str(err.value)
    exact = {str(graph.value(sel, OA.exact)) for sel in graph.objects(URIRef(bad["value"]), OA.hasSelector)}
    assert doc.stances[0].evidence.quote in exact


def test_validation_reports_a_stance_without_holder_class(graph):
    broken = Graph() + graph
    broken.remove((ID.trump, RDF.type, KG.Person))
    found = violations(broken)
    assert any(v["path"].endswith("#holder") for v in found)
    broken.add((stance_iri("trump", "war-escalation", "oppose"), KG.score, Literal(3.5)))
    assert any(v["path"].endswith("#score") for v in violations(broken))
