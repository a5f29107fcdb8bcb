"""Named SPARQL queries (``*.rq`` files in this folder) and a runner that returns DataFrames.

A query file starts with comment lines: the first is its title (the question it answers),
then one ``# param NAME TYPE: description`` line per parameter. TYPE is ``iri`` (an id
such as ``trump`` or ``territorial-concessions``, or a full IRI), ``string``, ``number``
or ``date``; ``string(a|b|c)`` admits only the values listed. Parameters are bound with a ``VALUES`` block at the start of the query's outer
``WHERE`` group, the values written as escaped RDF terms: user input is never pasted into
the query text as SPARQL. An omitted parameter stays unbound (matches anything).

>>> from kg.store import open_store
>>> df = run(open_store("memory:"), "stances")
>>> list(df.columns)[:3]
['stance', 'holder', 'holderLabel']
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ..errors import InputError, QueryError
from ..rdf.namespaces import ID, ISSUE, PREFIXES
from ..resources import queries_dir
from ..store import is_oxigraph

PARAM_TYPES = ("iri", "string", "number", "date")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_PARAM_LINE = re.compile(r"#\s*param\s+(\w+)\s+(\w+)(?:\(([^)]*)\))?\s*:\s*(.*)")


@dataclass
class Param:
    name: str
    type: str
    description: str
    choices: tuple[str, ...] = ()  # the only values admitted, if any


@dataclass
class NamedQuery:
    """A query file: its name (file stem), title, parameters and SPARQL text."""
    name: str
    title: str
    text: str
    params: list[Param] = field(default_factory=list)
    path: Path | None = None


def parse_query_text(text: str, name: str = "<query>", path: Path | None = None) -> NamedQuery:
    title, params = "", []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _PARAM_LINE.match(line)
        if m:
            if m.group(2) not in PARAM_TYPES:
                raise InputError(f"parameter type '{m.group(2)}' is not one of {', '.join(PARAM_TYPES)}",
                                 source=str(path or name))
            choices = tuple(c.strip() for c in m.group(3).split("|")) if m.group(3) else ()
            params.append(Param(m.group(1), m.group(2), m.group(4).strip(), choices))
        elif not title:
            title = line.lstrip("# ").strip()
    return NamedQuery(name=name, title=title, text=text, params=params, path=path)


def list_queries() -> list[NamedQuery]:
    """Every named query shipped with the package, sorted by name."""
    return [load_query(p.stem) for p in sorted(queries_dir().glob("*.rq"))]


def load_query(name_or_path: str | Path) -> NamedQuery:
    """A named query by name (``offices``) or a ``.rq`` file by path."""
    p = Path(name_or_path)
    if p.suffix != ".rq":
        p = queries_dir() / f"{name_or_path}.rq"
        if not p.is_file():
            known = ", ".join(q.stem for q in sorted(queries_dir().glob("*.rq")))
            raise InputError(f"no named query '{name_or_path}'; known queries: {known}")
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the query file: {exc}", source=str(p)) from None
    return parse_query_text(text, p.stem, p)


def to_term(param: Param | str, value: object) -> Node:
    """Turn a parameter value given by a user into an RDF term, or raise :class:`InputError`."""
    ptype = param.type if isinstance(param, Param) else param
    pname = param.name if isinstance(param, Param) else "value"
    if isinstance(value, (URIRef, Literal)):
        return value
    s = str(value)
    if ptype == "iri":
        if _IRI.match(s):
            return URIRef(s)
        if _ID.match(s):
            # ids name actors/events (id:) or issues (issue:); the query matches either
            return URIRef(ID[s])
        raise InputError(f"'{s}' is neither an id (lower-case letters, digits, dashes) nor an http(s) IRI",
                         field=pname)
    if ptype == "number":
        try:
            return Literal(Decimal(s), datatype=XSD.decimal)
        except ArithmeticError:
            raise InputError(f"'{s}' is not a number", field=pname) from None
    if ptype == "date":
        try:
            return Literal(dt.date.fromisoformat(s), datatype=XSD.date)
        except ValueError:
            raise InputError(f"'{s}' is not a date (use YYYY-MM-DD)", field=pname) from None
    if isinstance(param, Param) and param.choices and s not in param.choices:
        raise InputError(f"'{s}' is not one of {', '.join(param.choices)}", field=pname)
    return Literal(s)


def _values_block(bindings: dict[str, list[Node]]) -> str:
    blocks = []
    for name, terms in bindings.items():
        blocks.append(f"VALUES ?{name} {{ {' '.join(t.n3() for t in terms)} }}")
    return "\n  ".join(blocks)


_WHERE = re.compile(r"\bWHERE\s*\{", re.I)


def _strip_comments(text: str) -> str:
    """Blank out ``#`` comments outside IRIs and strings, keeping offsets."""
    out, i, n = [], 0, len(text)
    quote = None
    while i < n:
        c = text[i]
        if quote:
            if c == "\\":
                out.append(text[i:i + 2]); i += 2; continue
            if text.startswith(quote, i):
                out.append(quote); i += len(quote); quote = None; continue
        elif c in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else c
            out.append(quote); i += len(quote); continue
        elif c == "<":
            j = text.find(">", i)
            if j > 0 and not re.search(r"\s", text[i:j]):
                out.append(text[i:j + 1]); i = j + 1; continue
        elif c == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i)); i = j; continue
        out.append(c); i += 1
    return "".join(out)


def bind(text: str, bindings: dict[str, Node | list[Node]]) -> str:
    """Insert a VALUES block for ``bindings`` at the start of the outer WHERE group."""
    if not bindings:
        return text
    rows = {k: v if isinstance(v, list) else [v] for k, v in bindings.items()}
    m = _WHERE.search(_strip_comments(text))
    if not m:
        raise QueryError("parameters need a query with a WHERE { ... } group to bind them in")
    return text[:m.end()] + "\n  " + _values_block(rows) + "\n" + text[m.end():]


def _prologue() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def _python(term: Node | None) -> object:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, Literal):  # ill-typed or unknown datatype: keep the text
            return str(term)
        return value
    return str(term)


def _tidy(df: pd.DataFrame) -> pd.DataFrame:
    """Give each column one Python/pandas type: datetimes, floats, Int64, bools or strings."""
    for col in df.columns:
        values = df[col].dropna()
        if values.empty:
            continue
        kinds = {type(v) for v in values}
        if kinds <= {dt.date, dt.datetime, pd.Timestamp}:
            df[col] = pd.to_datetime(df[col])
        elif kinds <= {bool}:
            df[col] = df[col].astype("boolean")
        elif kinds <= {int}:
            df[col] = df[col].astype("Int64")
        elif kinds <= {int, float}:
            df[col] = df[col].astype(float)
    return df


def _execute(ds: Dataset | Graph, text: str, source: str):
    try:
        if isinstance(ds, Dataset) and is_oxigraph(ds):
            # straight to Oxigraph: rdflib's wrapper would make an rdflib term of every value
            return ds.store._inner.query(_prologue() + text, use_default_graph_as_union=ds.default_union)
        return ds.query(_prologue() + text)
    except Exception as exc:  # each engine raises its own parser errors
        msg = str(exc).replace(_prologue(), "").strip().splitlines()[0] if str(exc) else type(exc).__name__
        shift = _prologue().count("\n")  # report positions in the user's text, not ours
        msg = re.sub(r"\b(?:at|line:?) (\d+)(?=[:,])",
                     lambda m: m.group(0).replace(m.group(1), str(max(1, int(m.group(1)) - shift))), msg)
        raise QueryError(f"the SPARQL query failed: {msg}", source=source) from None


_XSD_PYTHON = {
    **{str(XSD[t]): int for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                             "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
                             "unsignedShort", "unsignedByte")},
    **{str(XSD[t]): float for t in ("decimal", "double", "float")},
    str(XSD.boolean): lambda v: v in ("true", "1"), str(XSD.date): dt.date.fromisoformat,
    str(XSD.dateTime): dt.datetime.fromisoformat,
}  # the Python types rdflib's toPython gives, decimals as floats (as _python does)


def _ox_python(term) -> object:
    """An Oxigraph term as the Python value :func:`_python` gives for the same rdflib term."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        convert = _XSD_PYTHON.get(term.datatype.value)
        if convert:
            try:
                return convert(term.value)
            except ValueError:  # ill-typed: keep the text
                return term.value
    return term.value


def _ox_rdflib(term) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    return Literal(term.value, lang=term.language, datatype=None if term.language else URIRef(term.datatype.value))


def _ox_frame(result) -> pd.DataFrame | Graph:
    if isinstance(result, ox.QueryBoolean):
        return pd.DataFrame({"ask": [bool(result)]})
    if isinstance(result, ox.QueryTriples):
        g = Graph()
        for t in result:
            g.add((_ox_rdflib(t.subject), _ox_rdflib(t.predicate), _ox_rdflib(t.object)))
        return g
    columns = [v.value for v in result.variables]
    rows = [[_ox_python(value) for value in solution] for solution in result]
    return _tidy(pd.DataFrame(rows, columns=columns, dtype=object))


def results_frame(result) -> pd.DataFrame | Graph:
    """A SELECT result as a tidy DataFrame (ASK: one ``ask`` column); CONSTRUCT as a Graph."""
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean, ox.QueryTriples)):
        return _ox_frame(result)
    if result.type == "ASK":
        return pd.DataFrame({"ask": [bool(result.askAnswer)]})
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return result.graph
    columns = [str(v) for v in result.vars]
    rows = [[_python(row.get(v) if hasattr(row, "get") else row[i]) for i, v in enumerate(result.vars)]
            for row in result]
    return _tidy(pd.DataFrame(rows, columns=columns, dtype=object))


def check_params(q: NamedQuery, params: dict[str, object]) -> dict[str, Node]:
    declared = {p.name: p for p in q.params}
    unknown = set(params) - set(declared)
    if unknown and q.params:
        raise InputError(f"query '{q.name}' has no parameter '{sorted(unknown)[0]}'; "
                         f"its parameters: {', '.join(declared)}")
    if unknown and q.path is not None and q.path.parent == queries_dir():
        raise InputError(f"query '{q.name}' takes no parameters", field=sorted(unknown)[0])
    # a query of the user's declaring none binds any variable it uses (as a string)
    unused = sorted(k for k in unknown if not re.search(rf"[?$]{re.escape(k)}\b", _strip_comments(q.text)))
    if unused:
        raise InputError(f"the query has no variable ?{unused[0]} to bind", field=unused[0])
    return {k: to_term(declared.get(k) or Param(k, "string", ""), v) for k, v in params.items()
            if v is not None}


def run(ds: Dataset | Graph, query: str | NamedQuery, **params: object) -> pd.DataFrame:
    """Run a named query (by name, ``.rq`` path or :class:`NamedQuery`) with parameters."""
    q = query if isinstance(query, NamedQuery) else load_query(query)
    terms = check_params(q, params)
    # iri parameters given as bare ids may name an issue: offer both readings
    bindings: dict[str, Node | list[Node]] = {}
    for k, t in terms.items():
        if isinstance(t, URIRef) and t.startswith(str(ID)) and isinstance(params[k], str) \
                and not params[k].startswith("http"):
            bindings[k] = [t, ISSUE[t[len(str(ID)):]]]
        else:
            bindings[k] = t
    return results_frame(_execute(ds, bind(q.text, bindings), str(q.path or q.name)))


def sparql(ds: Dataset | Graph, text: str, **params: object) -> pd.DataFrame | Graph:
    """Run ad-hoc SPARQL (our prefixes are predeclared); string parameters are bound as literals."""
    q = parse_query_text(text)
    return results_frame(_execute(ds, bind(text, check_params(q, params)), "<query>"))
