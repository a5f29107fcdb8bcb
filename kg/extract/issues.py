"""Map a stance target (a span of a parsed sentence) to an issue of the SKOS scheme.

Every ``skos:prefLabel`` and ``skos:altLabel`` of ``ontology/issues.ttl`` is reduced to its
content lemmas ("a quick end to the fighting" → ``quick end fighting``); a target matches a
label when those lemmas occur in order with at most one extra word in between. The longest
label wins, then the narrower concept. A target that matches nothing becomes a new issue
named after its noun phrase.

>>> from kg.extract.nlp import load
>>> nlp = load()
>>> m = IssueMatcher(nlp)
>>> doc = nlp("He insisted on the need for a quick end to the fighting.")
>>> m.best(doc[3:])[0]
'swift-end-of-war'
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from spacy.tokens import Span, Token

from ..model import Issue
from ..rdf.vocabulary import load_issues
from ..sources import slug
from .lexicon import GENERIC_NOUNS
from .syntax import np_tokens

# Words that carry no meaning for matching: determiners, prepositions, particles, punctuation.
_SKIP_POS = {"DET", "ADP", "PART", "PUNCT", "CCONJ", "SCONJ", "AUX", "SPACE", "PRON"}
MAX_GAP = 1


@dataclass(frozen=True)
class IssueMatch:
    issue: str
    tokens: tuple[int, ...]  # token indices in the doc that matched the label
    length: int              # content words in the label
    narrower: bool


def _content(tokens: Iterable[Token]) -> list[tuple[str, int]]:
    return [(t.lemma_.lower(), t.i) for t in tokens if t.pos_ not in _SKIP_POS and not t.is_space]


class IssueMatcher:
    """Finds issues of the shipped scheme (or ``issues``) in spans of parsed text."""

    def __init__(self, nlp, issues: Mapping[str, Issue] | None = None) -> None:
        self.issues = dict(load_issues() if issues is None else issues)
        labels = [(i.id, text) for i in self.issues.values() for text in [i.label, *i.aliases]]
        self.by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for (ident, _), doc in zip(labels, nlp.pipe(text for _, text in labels)):
            lemmas = tuple(lemma for lemma, _ in _content(doc))
            if lemmas:
                self.by_first.setdefault(lemmas[0], []).append((lemmas, ident))

    def find(self, tokens: Iterable[Token]) -> list[IssueMatch]:
        """Every label occurrence among ``tokens``."""
        content = _content(tokens)
        out = []
        for k, (lemma, _) in enumerate(content):
            for lemmas, ident in self.by_first.get(lemma, ()):
                hit, pos, gaps = [content[k][1]], k, 0
                for want in lemmas[1:]:
                    pos += 1
                    while pos < len(content) and content[pos][0] != want and gaps < MAX_GAP:
                        pos, gaps = pos + 1, gaps + 1
                    if pos >= len(content) or content[pos][0] != want:
                        break
                    hit.append(content[pos][1])
                else:
                    out.append(IssueMatch(ident, tuple(hit), len(lemmas),
                                          self.issues[ident].broader is not None))
        return out

    def best(self, tokens: Iterable[Token]) -> tuple[str, IssueMatch] | None:
        """The best issue among ``tokens``: longest label, then narrower concept, then first."""
        found = self.find(tokens)
        if not found:
            return None
        m = max(found, key=lambda m: (m.length, m.narrower, -m.tokens[0]))
        return m.issue, m


def new_issue(head: Token) -> Issue | None:
    """An issue named after the noun phrase headed by ``head``; ``None`` if it has no content.

    Generic heads are skipped through their complement ("the potential implications of a hasty
    resolution" → "hasty resolution"); determiners and quantifiers are dropped.
    """
    seen = set()
    while head.i not in seen:
        seen.add(head.i)
        if head.lemma_.lower() not in GENERIC_NOUNS:
            break
        nxt = next((g for p in head.children if p.dep_ == "prep" for g in p.children
                    if g.dep_ in ("pobj", "pcomp")), None)
        if nxt is None:
            return None
        head = nxt
    if head.pos_ == "VERB":  # issues are named by noun phrases: "commit to a new goal" → "new goal"
        obj = next((c for c in head.children if c.dep_ == "dobj"), None) or next(
            (g for p in head.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"), None)
        if obj is None or obj.pos_ not in ("NOUN", "PROPN"):
            return None
        return new_issue(obj)
    if head.pos_ not in ("NOUN", "PROPN") or head.lemma_.lower() in GENERIC_NOUNS:
        return None
    keep = np_tokens(head)
    while keep and keep[0].pos_ in ("PART", "AUX"):  # "to achieve ..."
        keep = keep[1:]
    if not keep or len(keep) > 8 or not any(
            t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() not in GENERIC_NOUNS for t in keep):
        return None
    label = Span(head.doc, keep[0].i, keep[-1].i + 1).text.strip()
    return Issue(id=slug(label), label=label) if label else None
