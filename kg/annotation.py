"""Load and check a curated annotation file (YAML) into a :class:`kg.model.Document`.

An annotation names one article and lists its actors, places, issues, posts, events and
stances; every stance quotes its evidence, which must occur in the article. Errors name
the file, line and field. The format is documented in the README ("Annotation format").

>>> from kg.resources import sample_annotation
>>> doc = load_annotation(sample_annotation())
>>> any(s.speech_act == "urge" for s in doc.stances)
True
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError
from .model import (ACTOR_KINDS, EVENT_KINDS, PLACE_KINDS, POLARITIES, Actor, Document, Event,
                    Evidence, Issue, Place, Post, Stance)
from .sources import read_article

_QID = re.compile(r"^Q[1-9][0-9]*$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class _Map(dict):
    """A YAML mapping that remembers the line of each of its keys."""
    line: int = 0
    key_lines: dict[str, int]


class _Loader(yaml.SafeLoader):
    pass


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> _Map:
    m = _Map(loader.construct_mapping(node, deep=True))
    m.line = node.start_mark.line + 1
    m.key_lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    return m


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)


class _Reader:
    """Typed field access that reports file, line and field on every failure."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, msg: str, m: Mapping | None = None, field: str | None = None) -> InputError:
        line = None
        if isinstance(m, _Map):
            line = m.key_lines.get(field, m.line) if field else m.line
        return InputError(msg, source=str(self.path), line=line, field=field)

    def check_keys(self, m: Any, allowed: set[str], what: str) -> None:
        if not isinstance(m, dict):
            raise InputError(f"each {what} must be a mapping of field: value", source=str(self.path))
        unknown = set(m) - allowed
        if unknown:
            f = sorted(unknown)[0]
            raise self.error(f"unknown field in {what}; allowed fields: {', '.join(sorted(allowed))}", m, f)

    def str(self, m: Mapping, field: str, *, required: bool = True, pattern: re.Pattern | None = None,
            hint: str = "") -> str | None:
        v = m.get(field)
        if v is None:
            if required:
                raise self.error("required field is missing", m, field)
            return None
        if not isinstance(v, (str, int, float)) or isinstance(v, bool):
            raise self.error(f"expected text, got {type(v).__name__}", m, field)
        v = str(v)
        if not v.strip():
            raise self.error("must not be empty", m, field)
        if pattern and not pattern.match(v):
            raise self.error(f"'{v}' is not valid{hint}", m, field)
        return v

    def strs(self, m: Mapping, field: str) -> list[str]:
        v = m.get(field) or []
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise self.error("expected a list of text values", m, field)
        return v

    def date(self, m: Mapping, field: str) -> dt.date | None:
        v = m.get(field)
        if v is None or (isinstance(v, dt.date) and not isinstance(v, dt.datetime)):
            return v
        try:
            return dt.date.fromisoformat(str(v))
        except ValueError:
            raise self.error(f"'{v}' is not a date (use YYYY-MM-DD)", m, field) from None

    def number(self, m: Mapping, field: str, lo: float, hi: float) -> float | None:
        v = m.get(field)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
            raise self.error(f"expected a number from {lo} to {hi}, got {v!r}", m, field)
        return float(v)

    def choice(self, m: Mapping, field: str, options: tuple[str, ...] | set[str], default: str | None = None) -> str:
        v = m.get(field, default)
        if v not in options:
            raise self.error(f"'{v}' is not one of: {', '.join(sorted(options))}", m, field)
        return v

    def items(self, data: Mapping, key: str) -> list[_Map]:
        v = data.get(key) or []
        if not isinstance(v, list):
            raise self.error(f"'{key}' must be a list", data, key)
        return v


_ID_HINT = " (ids are lower-case letters, digits and dashes)"
_TOP = {"article", "actors", "places", "issues", "posts", "events", "stances"}


def _evidence(r: _Reader, m: Mapping, text: str, article_id: str, field: str = "evidence") -> Evidence:
    """Find the quoted evidence in the article; ``start`` disambiguates repeated quotes."""
    quote = r.str(m, field)
    start = m.get(f"{field}_start")
    if start is not None:
        if not isinstance(start, int) or isinstance(start, bool) or text[start:start + len(quote)] != quote:
            raise r.error(f"the article does not contain the quoted evidence at offset {start}", m,
                          f"{field}_start")
    else:
        start = text.find(quote)
        if start < 0:
            raise r.error(f"the evidence is not in the article: {quote[:80]!r}", m, field)
        if text.find(quote, start + 1) >= 0:
            raise r.error(f"the evidence occurs more than once in the article; add {field}_start "
                          "with the character offset of the one meant", m, field)
    return Evidence(article=article_id, quote=quote, start=start, end=start + len(quote))


def load_annotation(path: str | Path, *, issues: Mapping[str, Issue] | None = None,
                    speech_acts: set[str] | None = None) -> Document:
    """Parse and check an annotation file; raise :class:`InputError` naming what is wrong.

    ``issues`` and ``speech_acts`` are the shipped vocabularies (default: the ontology's).
    """
    from .rdf.vocabulary import load_issues, load_speech_acts  # vocab lives with the ontology

    issues = dict(load_issues() if issues is None else issues)
    speech_acts = load_speech_acts() if speech_acts is None else speech_acts
    path = Path(path)
    r = _Reader(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such annotation file", source=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the annotation file: {exc}", source=str(path)) from None
    try:
        data = yaml.load(raw, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"not valid YAML: {problem}", source=str(path),
                         line=mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise InputError("an annotation file must be a mapping with at least 'article' and 'actors'",
                         source=str(path))
    r.check_keys(data, _TOP, "annotation file")

    art = data.get("article")
    if not isinstance(art, dict):
        raise r.error("required section 'article' is missing or not a mapping", data, "article")
    r.check_keys(art, {"id", "file", "title", "date", "url", "publisher"}, "article")
    file = path.parent / r.str(art, "file")
    try:
        article = read_article(file)
    except InputError as exc:  # name the annotation line that points at the article, too
        raise r.error(f"cannot use the article: {exc.describe()}", art, "file") from None
    article.id = r.str(art, "id", required=False, pattern=_ID, hint=_ID_HINT) or article.id
    article.title = r.str(art, "title", required=False) or article.title
    article.date = r.date(art, "date") or article.date
    article.url = r.str(art, "url", required=False) or article.url
    article.publisher = r.str(art, "publisher", required=False) or article.publisher
    text = article.text

    ids: dict[str, str] = {}  # id -> kind of thing ("actor", "place", "event", "issue")

    def declare(m: Mapping, kind: str) -> str:
        i = r.str(m, "id", pattern=_ID, hint=_ID_HINT)
        if i in ids:
            raise r.error(f"id '{i}' is declared twice", m, "id")
        ids[i] = kind
        return i

    actors, places, new_issues, posts, events, stances = [], [], [], [], [], []
    for m in r.items(data, "actors"):
        r.check_keys(m, {"id", "label", "type", "aliases", "wikidata", "description", "speaks_for",
                         "member_of", "part_of", "seat"}, "actor")
        actors.append(Actor(id=declare(m, "actor"), label=r.str(m, "label"),
                            kind=r.choice(m, "type", ACTOR_KINDS), aliases=r.strs(m, "aliases"),
                            wikidata=r.str(m, "wikidata", required=False, pattern=_QID,
                                           hint=" (a Wikidata id looks like Q7747)"),
                            description=r.str(m, "description", required=False),
                            speaks_for=r.strs(m, "speaks_for"), member_of=r.strs(m, "member_of"),
                            part_of=r.strs(m, "part_of"), seat=r.str(m, "seat", required=False)))
    for m in r.items(data, "places"):
        r.check_keys(m, {"id", "label", "type", "aliases", "wikidata", "located_in", "metonym_for"}, "place")
        places.append(Place(id=declare(m, "place"), label=r.str(m, "label"),
                            kind=r.choice(m, "type", PLACE_KINDS, "Place"), aliases=r.strs(m, "aliases"),
                            wikidata=r.str(m, "wikidata", required=False, pattern=_QID,
                                           hint=" (a Wikidata id looks like Q7747)"),
                            located_in=r.str(m, "located_in", required=False),
                            metonym_for=r.str(m, "metonym_for", required=False)))
    for m in r.items(data, "issues"):
        r.check_keys(m, {"id", "label", "aliases", "broader", "definition"}, "issue")
        i = r.str(m, "id", pattern=_ID, hint=_ID_HINT)
        if i in issues:
            raise r.error(f"issue '{i}' is already in the shipped issue scheme; refer to it by id", m, "id")
        issue = Issue(id=i, label=r.str(m, "label"), aliases=r.strs(m, "aliases"),
                      broader=r.str(m, "broader", required=False),
                      definition=r.str(m, "definition", required=False))
        issues[i] = issue
        new_issues.append(issue)
    for i in issues:
        if ids.get(i):
            raise InputError(f"id '{i}' names both an issue and an {ids[i]}", source=str(path))
        ids.setdefault(i, "issue")
    for m in r.items(data, "events"):
        r.check_keys(m, {"id", "label", "type", "participants", "place", "date", "winner", "evidence",
                         "evidence_start"}, "event")
        ev = Event(id=declare(m, "event"), label=r.str(m, "label"),
                   kind=r.choice(m, "type", EVENT_KINDS, "Event"), participants=r.strs(m, "participants"),
                   place=r.str(m, "place", required=False), date=r.date(m, "date"),
                   winner=r.str(m, "winner", required=False))
        if m.get("evidence") is not None:
            ev.evidence.append(_evidence(r, m, text, article.id))
        events.append(ev)
    for m in r.items(data, "posts"):
        r.check_keys(m, {"holder", "role", "organization", "start", "end"}, "post")
        posts.append(Post(holder=r.str(m, "holder"), role=r.str(m, "role"),
                          organization=r.str(m, "organization"), start=r.date(m, "start"),
                          end=r.date(m, "end")))
    for m in r.items(data, "stances"):
        r.check_keys(m, {"holder", "target", "polarity", "score", "speech_act", "addressee", "negated",
                         "confidence", "date", "evidence", "evidence_start"}, "stance")
        target = r.str(m, "target")
        polarity = r.choice(m, "polarity", POLARITIES)
        score = r.number(m, "score", -1.0, 1.0)
        if score is not None and ((polarity == "support" and score <= 0) or
                                  (polarity == "oppose" and score >= 0)):
            raise r.error(f"score {score} contradicts polarity '{polarity}'", m, "score")
        stances.append(Stance(holder=r.str(m, "holder"), target=target,
                              target_kind=ids.get(target, "actor"), polarity=polarity,
                              speech_act=r.choice(m, "speech_act", speech_acts), score=score,
                              addressee=r.str(m, "addressee", required=False),
                              negated=bool(m.get("negated", False)),
                              confidence=r.number(m, "confidence", 0.0, 1.0) or 1.0,
                              date=r.date(m, "date"), evidence=_evidence(r, m, text, article.id)))

    _check_references(r, data, ids)
    # shipped issues live in the ontology graph; an article graph declares only new ones
    return Document(article=article, actors=actors, places=places, issues=new_issues,
                    posts=posts, events=events, stances=stances)


# field -> kinds of thing it may refer to, per section
_REFS: dict[str, dict[str, tuple[str, ...]]] = {
    "actors": {"speaks_for": ("actor",), "member_of": ("actor",), "part_of": ("actor",), "seat": ("place",)},
    "places": {"located_in": ("place", "actor"), "metonym_for": ("actor",)},
    "issues": {"broader": ("issue",)},
    "events": {"participants": ("actor",), "place": ("place", "actor"), "winner": ("actor",)},
    "posts": {"holder": ("actor",), "organization": ("actor",)},
    "stances": {"holder": ("actor",), "target": ("actor", "issue", "event"), "addressee": ("actor",)},
}


def _check_references(r: _Reader, data: Mapping, ids: Mapping[str, str]) -> None:
    for section, fields in _REFS.items():
        for m in r.items(data, section):
            for field, kinds in fields.items():
                refs = m.get(field)
                # a number is a (bad) id too: the typed readers above accept numbers as text
                for ref in map(str, refs if isinstance(refs, list) else [] if refs is None else [refs]):
                    if ids.get(ref) not in kinds:
                        what = f"is a {ids[ref]}, not " if ref in ids else "is not declared as "
                        raise r.error(f"'{ref}' {what}{' or '.join('an ' + k if k[0] in 'aeiou' else 'a ' + k for k in kinds)}"
                                      f" in this file", m, field)
