"""Small helpers over spaCy's dependency parse shared by entity and stance extraction."""
from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from .lexicon import QUANTIFIERS

_CLAUSAL = {"relcl", "acl", "appos", "advcl", "punct"}
SUBJECTS = {"nsubj", "csubj"}
PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}


def np_tokens(head: Token) -> list[Token]:
    """The noun phrase of ``head`` without clauses, appositions and leading determiners.

    >>> from kg.extract.nlp import load
    >>> doc = load()("Some allies and foreign policy experts who worry about it spoke.")
    >>> " ".join(t.text for t in np_tokens(doc[1]))
    'allies and foreign policy experts'
    """
    cut: set[int] = set()
    for t in head.subtree:
        if t.i != head.i and t.dep_ in _CLAUSAL:
            cut.update(x.i for x in t.subtree)
    toks = [t for t in head.subtree if t.i not in cut and not t.is_space]
    while toks and toks[0].i != head.i and (toks[0].lower_ in QUANTIFIERS or toks[0].pos_ in ("DET", "ADP")):
        toks = toks[1:]
    while toks and toks[-1].pos_ in ("PUNCT", "CCONJ", "ADP"):
        toks = toks[:-1]
    return toks


def children(tok: Token, *deps: str) -> Iterator[Token]:
    return (c for c in tok.children if c.dep_ in deps)


def child(tok: Token, *deps: str) -> Token | None:
    return next(children(tok, *deps), None)


def prep_objects(tok: Token, preps: set[str] | tuple[str, ...]) -> Iterator[tuple[str, Token]]:
    """``(preposition, object)`` pairs under ``tok`` for the given prepositions ("insist on X")."""
    for p in tok.children:
        if p.dep_ in ("prep", "agent", "dative", "prt") and p.lower_ in preps:
            for o in p.children:
                if o.dep_ in ("pobj", "pcomp"):
                    yield p.lower_, o


def is_negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def subject(verb: Token) -> Token | None:
    """Who performs ``verb``: its subject, a passive agent, the noun a relative or participle
    clause hangs on, or the subject it shares with the verb it is conjoined to."""
    seen = 0
    while seen < 8:
        seen += 1
        agent = next((o for p in children(verb, "agent") for o in children(p, "pobj")), None)
        if agent is not None:
            return agent
        subj = child(verb, *SUBJECTS)
        if subj is not None:
            if subj.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                return verb.head
            return subj
        if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return verb.head
        if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.i != verb.i:
            verb = verb.head
            continue
        return None
    return None
