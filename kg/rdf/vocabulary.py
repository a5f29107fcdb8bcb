"""The shipped vocabularies (issues, speech acts) read from the ontology files."""
from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from ..model import Issue
from ..resources import ONTOLOGY_FILES, ontology_file
from .namespaces import ACT, ISSUE, KG


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The OWL ontology and the SKOS issue scheme as one graph."""
    g = Graph()
    for name in ONTOLOGY_FILES:
        g.parse(ontology_file(name), format="turtle")
    return g


def load_issues() -> dict[str, Issue]:
    """Issues of the shipped SKOS scheme by id (their ``skos:notation``)."""
    g = ontology_graph()
    out = {}
    for concept in g.subjects(SKOS.inScheme, ISSUE["scheme"]):
        i = str(g.value(concept, SKOS.notation))
        broader = g.value(concept, SKOS.broader)
        out[i] = Issue(id=i, label=str(g.value(concept, SKOS.prefLabel)),
                       aliases=sorted(str(a) for a in g.objects(concept, SKOS.altLabel)),
                       broader=str(g.value(broader, SKOS.notation)) if broader else None,
                       definition=(str(d) if (d := g.value(concept, SKOS.definition)) else None))
    return out


def load_speech_acts() -> set[str]:
    """Notations of the speech acts in the ontology (``urge``, ``warn``...)."""
    g = ontology_graph()
    return {str(g.value(c, SKOS.notation)) for c in g.subjects(SKOS.inScheme, KG.SpeechActs)}


def speech_act_iri(notation: str) -> URIRef:
    """``express-interest`` → ``act:express-interest``."""
    return ACT[notation]
