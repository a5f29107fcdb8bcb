"""Content negotiation and result serialisation for the SPARQL endpoint.

SELECT and ASK results: SPARQL 1.1 JSON, XML, CSV and TSV; CONSTRUCT and DESCRIBE:
Turtle, N-Triples, RDF/XML and JSON-LD. Terms are pyoxigraph terms; serialising here (rather than
with ``QuerySolutions.serialize``) lets the server cut a result at the row cap.

>>> negotiate("text/csv;q=0.5, application/sparql-results+xml", None, RESULT_TYPES)
'application/sparql-results+xml'
>>> negotiate("image/png", None, RESULT_TYPES) is None
True
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..rdf.namespaces import PREFIXES

JSON, XML = "application/sparql-results+json", "application/sparql-results+xml"
CSV, TSV = "text/csv", "text/tab-separated-values"
TURTLE, NTRIPLES, RDFXML = "text/turtle", "application/n-triples", "application/rdf+xml"

JSONLD = "application/ld+json"

# media types a client may ask for -> the one we answer with
RESULT_TYPES = {JSON: JSON, "application/json": JSON, XML: XML, "application/xml": XML, "text/xml": XML,
                CSV: CSV, TSV: TSV}
GRAPH_TYPES = {TURTLE: TURTLE, "application/x-turtle": TURTLE, "text/n3": TURTLE, NTRIPLES: NTRIPLES,
               "text/plain": NTRIPLES, RDFXML: RDFXML, JSONLD: JSONLD}
# format= (or output=) values, which SPARQLWrapper and browsers use besides media types
RESULT_NAMES = {"json": JSON, "srj": JSON, "xml": XML, "srx": XML, "csv": CSV, "tsv": TSV}
GRAPH_NAMES = {"turtle": TURTLE, "ttl": TURTLE, "n3": TURTLE, "nt": NTRIPLES, "ntriples": NTRIPLES,
               "n-triples": NTRIPLES, "xml": RDFXML, "rdfxml": RDFXML, "rdf": RDFXML, "rdf+xml": RDFXML,
               "json": JSONLD, "json-ld": JSONLD, "jsonld": JSONLD}
_OX_GRAPH_FORMATS = {TURTLE: ox.RdfFormat.TURTLE, NTRIPLES: ox.RdfFormat.N_TRIPLES, RDFXML: ox.RdfFormat.RDF_XML,
                     JSONLD: ox.RdfFormat.JSON_LD}
_PREFIXES = {p: str(ns) for p, ns in PREFIXES.items()}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _accept_ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for i, part in enumerate(accept.split(",")):
        mime, *params = (x.strip() for x in part.split(";"))
        q = 1.0
        for p in params:
            if p.lower().startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if mime:
            ranges.append((mime.lower(), q, i))
    # highest q first; among equals, the more specific range, then the client's order
    ranges.sort(key=lambda r: (-r[1], r[0].count("*"), r[2]))
    return [(m, q) for m, q, _ in ranges if q > 0]


def negotiate(accept: str | None, fmt: str | None, offered: dict[str, str],
              names: dict[str, str] | None = None) -> str | None:
    """The media type to answer with, or None (406). ``fmt`` (the ``format=`` parameter) wins."""
    if fmt:
        mime = (names or {}).get(fmt.lower(), fmt.lower())
        return offered.get(mime)
    default = next(iter(offered.values()))
    if not accept or not accept.strip():
        return default
    for mime, _ in _accept_ranges(accept):
        if mime in offered:
            return offered[mime]
        if mime == "*/*":
            return default
        if mime.endswith("/*"):
            for candidate in offered:
                if candidate.startswith(mime[:-1]):
                    return offered[candidate]
    return None


def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != XSD_STRING:
            out["datatype"] = t.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(t.subject), "predicate": _json_term(t.predicate),
                                        "object": _json_term(t.object)}}


def _xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    return (f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}</predicate>"
            f"<object>{_xml_term(t.object)}</object></triple>")


def _csv_value(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return t.value
    return str(t)


def select_bytes(mime: str, variables: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    """Serialise SELECT solutions (rows of pyoxigraph terms or None) as ``mime``."""
    if mime == JSON:
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if mime == XML:
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(variables, row) if t is not None]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode("utf-8")
    if mime == CSV:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        w.writerows([_csv_value(t) for t in row] for row in rows)
        return buf.getvalue().encode("utf-8")
    if mime == TSV:  # terms in N-Triples/Turtle syntax, whose escapes keep tabs and newlines out
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(mime)


def ask_bytes(mime: str, answer: bool) -> bytes:
    if mime == JSON:
        return json.dumps({"head": {}, "boolean": answer}).encode()
    if mime == XML:
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{str(answer).lower()}</boolean></sparql>\n").encode()
    return f"{str(answer).lower()}\n".encode()  # CSV/TSV leave ASK undefined; Jena and Oxigraph do this


def graph_bytes(mime: str, triples: Sequence) -> bytes:
    """Serialise CONSTRUCT/DESCRIBE triples; Turtle with our prefixes."""
    fmt = _OX_GRAPH_FORMATS[mime]
    prefixes = _PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD) else None
    return ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
