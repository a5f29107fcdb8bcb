"""SHACL validation of a graph against ``ontology/shapes.ttl`` (with the ontology's class hierarchy)."""
from __future__ import annotations

from functools import lru_cache

from rdflib import Graph
from rdflib.namespace import RDF, SH

from ..errors import ValidationError
from ..resources import SHAPES_FILE, ontology_file
from .vocabulary import ontology_graph


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(ontology_file(SHAPES_FILE), format="turtle")


def violations(data: Graph) -> list[dict[str, str]]:
    """Each violation as ``{focus, path, value, message}``; an empty list when the graph conforms."""
    from pyshacl import validate as shacl  # heavy import, only when validating

    merged = Graph()  # sh:class needs the ontology's class hierarchy and individuals in view
    merged += ontology_graph()
    merged += data
    _conforms, report, _text = shacl(merged, shacl_graph=shapes_graph(), inference="none",
                                     allow_warnings=True, advanced=True)
    out: dict[tuple[str, str, str], dict[str, str]] = {}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        v = {"focus": str(report.value(result, SH.focusNode)),
             "path": str(report.value(result, SH.resultPath) or ""),
             "value": str(report.value(result, SH.value) or "")[:80],
             "message": str(report.value(result, SH.resultMessage) or "")}
        out[(v["focus"], v["path"], v["value"], v["message"])] = v  # one shape may be reached twice
    return [out[k] for k in sorted(out)]


def describe(v: dict[str, str]) -> str:
    """One violation as a line: focus node, path, offending value (if any) and message."""
    return f"{v['focus']} {v['path']}{' ' + v['value'] if v['value'] else ''}: {v['message']}"


def validate(data: Graph, *, source: str | None = None) -> None:
    """Raise :class:`ValidationError` with a readable report if ``data`` violates the shapes."""
    found = violations(data)
    if found:
        lines = [f"  - {describe(v)}" for v in found[:20]]
        more = f"\n  ... and {len(found) - 20} more" if len(found) > 20 else ""
        raise ValidationError(f"the graph violates {len(found)} SHACL constraint(s):\n" + "\n".join(lines)
                              + more, source=source)
