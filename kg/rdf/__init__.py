"""Model objects → RDF triples with the ontology's terms, and SHACL validation."""
from .mapping import document_graph, stance_iri
from .namespaces import ART, GRAPH, ID, ISSUE, KG, WD
from .validate import validate

__all__ = ["document_graph", "stance_iri", "validate", "KG", "ID", "ISSUE", "ART", "GRAPH", "WD"]
