"""Namespaces as objects, rdflib style: ours and the standard ones we reuse."""
from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

BASE = "https://w3id.org/geokg/"
KG = Namespace(BASE + "ontology#")       # our terms
ID = Namespace(BASE + "id/")              # actors, places, events
ISSUE = Namespace(BASE + "issue/")        # SKOS issue concepts
ACT = Namespace(BASE + "speech-act/")     # SKOS speech-act concepts
ART = Namespace(BASE + "article/")        # source articles
STANCE = Namespace(BASE + "stance/")
EVIDENCE = Namespace(BASE + "evidence/")
POST = Namespace(BASE + "post/")
METHOD = Namespace(BASE + "method/")
GRAPH = Namespace(BASE + "graph/")        # named graphs: one per article, plus the ontology
OA = Namespace("http://www.w3.org/ns/oa#")
WD = Namespace("http://www.wikidata.org/entity/")
SCHEMA = SDO

ONTOLOGY_GRAPH = GRAPH["ontology"]

PREFIXES: dict[str, Namespace] = {
    "kg": KG, "id": ID, "issue": ISSUE, "act": ACT, "art": ART, "stance": STANCE, "ev": EVIDENCE,
    "post": POST, "method": METHOD, "graph": GRAPH, "oa": OA, "wd": WD, "schema": SCHEMA,
    "prov": PROV, "org": ORG, "skos": SKOS, "foaf": FOAF, "dct": DCTERMS, "owl": OWL,
    "rdf": RDF, "rdfs": RDFS, "xsd": XSD,
}


def graph_for(article_id: str):
    """IRI of the named graph holding one article's contribution."""
    return GRAPH[f"article/{article_id}"]
