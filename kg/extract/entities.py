"""Find the actors and places an article mentions and link them to ids.

Linking, in order:

1. gazetteer names (case-sensitive) and descriptors (any case), longest match first;
   a name that is both an actor and a place ("the Kremlin", "Washington") is the place when
   it is used as a location ("in Washington") and the actor it stands for otherwise
   ("Washington's support", "resistance from Kyiv");
2. "the administration of X" / "X's administration" → ``X-administration``;
3. people the NER finds that the gazetteer does not know, under a local id (their slugged
   name; a later bare surname refers back to them);
4. in reading order, pronouns and role descriptors ("he", "the president-elect", "the
   leader") refer back to the last person mentioned who fits (gender, role), and "it" /
   "its" / "they" to the last organisation, state or group.

Organisations and places the NER finds, and groups such as "some allies and foreign policy
experts", become actors only when they hold, receive or are the target of a stance
(:meth:`Mentions.actor_at` creates them on demand).

>>> from kg.extract.nlp import load
>>> nlp = load()
>>> linker = EntityLinker(nlp)
>>> doc = nlp("Putin spoke. The Russian leader said he would not back down. Kyiv rejected it.")
>>> m = linker.link(doc)
>>> [m.actor_at(doc[i]) for i in (0, 3, 7, 13)]
['putin', 'putin', 'putin', 'ukraine-government']
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from ..model import Actor, Event, Place
from ..sources import slug
from .gazetteer import Gazetteer, load_gazetteer
from .lexicon import GROUP_NOUNS, PRONOUNS_GROUP, PRONOUNS_PERSON, QUANTIFIERS
from .syntax import np_tokens

# Generic descriptors that refer back to the last person holding the role ("the president-elect").
ROLE_DESCRIPTORS = ("president", "president-elect", "leader", "chancellor", "prime minister", "premier",
                    "spokesman", "spokeswoman", "spokesperson", "secretary-general", "secretary general",
                    "foreign minister", "minister", "vice president", "former president", "admiral",
                    "general", "senator", "envoy", "ambassador", "chairman", "national security advisor")
HEAD_ROLES = {"president", "prime minister", "chancellor", "premier", "leader", "king", "emir"}
LOCATIVE_PREPS = {"in", "at", "near", "to", "into", "outside", "inside", "across", "around", "toward",
                  "towards", "through", "throughout", "within", "via", "across", "beyond", "visit"}
_NER_KINDS = {"PERSON": "Person", "ORG": "Organization", "GPE": "State", "NORP": "Group"}


@dataclass
class Mention:
    """A span linked to an actor or place; ``how`` records the linking rule (for confidence)."""
    id: str
    kind: str        # "actor" | "place" | "event"
    start: int
    end: int
    how: str = "name"  # name | descriptor | metonym | administration | ner | group | pronoun | role


@dataclass
class Mentions:
    """The linked mentions of one parsed article, and the actors, places and events they name."""
    doc: Doc
    gazetteer: Gazetteer
    by_token: dict[int, Mention] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    roles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    candidates: dict[int, Span] = field(default_factory=dict)  # unknown NER entities by token
    provisional: set[str] = field(default_factory=set)  # created on demand, kept if a stance uses them

    def add(self, m: Mention, tokens: range | None = None) -> None:
        for i in tokens if tokens is not None else range(m.start, m.end):
            self.by_token[i] = m

    def actor_at(self, tok: Token, *, create: bool = True) -> str | None:
        """The actor ``tok`` refers to; unknown organisations and groups are created when
        ``create`` (they are actors only because they take part in a stance)."""
        m = self.by_token.get(tok.i)
        if m is not None:
            return m.id if m.kind == "actor" else None
        if tok.lower_ in QUANTIFIERS and tok.pos_ in ("ADJ", "DET", "PRON", "NUM"):
            of = next((o for p in tok.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"), None)
            return self.actor_at(of, create=create) if of is not None else None
        if not create:
            return None
        span = self.candidates.get(tok.i)
        if span is not None:
            return self._new_actor(span.text, _NER_KINDS[span.label_], range(span.start, span.end), "ner",
                                   provisional=True)
        if tok.dep_ == "conj" and tok.head.pos_ == "NOUN" and tok.head.lemma_.lower() in GROUP_NOUNS:
            return self.actor_at(tok.head, create=create)  # "allies and experts": one group
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in GROUP_NOUNS:
            inner = [self.by_token[t.i] for t in np_tokens(tok) if t.i in self.by_token]
            if any(m.kind == "actor" and m.how not in ("pronoun", "role") for m in inner) and \
                    tok.lemma_.lower() not in ("ally", "official", "leader", "member", "partner"):
                return None  # "Trump's supporters" is not a group of its own kind we can name
            toks = np_tokens(tok)
            label = Span(tok.doc, toks[0].i, toks[-1].i + 1).text if toks else tok.text
            if len(toks) > 8:
                return None
            return self._new_actor(label, "Group", range(tok.i, tok.i + 1), "group", provisional=True)
        return None

    def _new_actor(self, label: str, kind: str, tokens: range, how: str, *, provisional: bool = False) -> str:
        label = label.strip().removeprefix("the ").removeprefix("The ")
        ident = slug(label)
        if provisional and ident not in self.actors:
            self.provisional.add(ident)
        if ident in self.gazetteer.actors:
            self.actors.setdefault(ident, self.gazetteer.actors[ident].actor)
        else:
            self.actors.setdefault(ident, Actor(id=ident, label=label, kind=kind))
        self.add(Mention(ident, "actor", tokens.start, tokens.stop, how), tokens)
        return ident

    def state_of_demonym(self, tok: Token) -> str | None:
        """The state a demonym adjective names ("Turkish" → ``turkey``), added as an actor."""
        state = self.gazetteer.by_demonym.get(tok.text)
        if state and state not in self.actors:
            self.actors[state] = self.gazetteer.actors[state].actor
            self.provisional.add(state)
        return state

    def nearest_actor_before(self, tok: Token, exclude: set[str]) -> str | None:
        """The closest actor named earlier in ``tok``'s sentence, other than ``exclude``."""
        for i in range(tok.i - 1, tok.sent.start - 1, -1):
            m = self.by_token.get(i)
            if m is not None and m.kind == "actor" and m.id not in exclude:
                return m.id
        return None

    def event_at(self, tok: Token) -> str | None:
        """A known event named by ``tok``'s phrase: an alias, or a cue noun with a participant
        ("Trump's election victory"); the latest such event before the article's date wins."""
        m = self.by_token.get(tok.i)
        if m is not None and m.kind == "event":
            return m.id
        lemma = tok.lemma_.lower()
        who = {self.actor_at(c, create=False) for c in tok.subtree if c.dep_ in ("poss", "compound", "pobj")}
        found = [k for k in self.gazetteer.events.values() if lemma in k.cues
                 and (who & set(k.event.participants))
                 and (lemma not in ("victory", "win", "triumph") or k.winner in who)]
        if not found:
            return None
        k = max(found, key=lambda k: k.event.date or dt.date.min)
        self.events.setdefault(k.event.id, k.event)
        return k.event.id


class EntityLinker:
    """Matchers built once from the gazetteer; :meth:`link` runs them over a parsed article."""

    def __init__(self, nlp, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = g = gazetteer or load_gazetteer()
        self.names = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.descriptors = PhraseMatcher(nlp.vocab, attr="LOWER")
        make = nlp.make_doc
        for ident, known in g.actors.items():
            names = {n for a in known.actor.aliases for n in (a, a.upper())} | {known.actor.label}
            self.names.add(f"A:{ident}", [make(n) for n in sorted(names)])
            if known.descriptors:
                self.descriptors.add(f"A:{ident}", [make(d) for d in known.descriptors])
        for ident, place in g.places.items():
            names = {n for a in place.aliases for n in (a, a.upper())} | {place.label}
            self.names.add(f"P:{ident}", [make(n) for n in sorted(names)])
        for ident, known in g.events.items():
            if known.aliases:
                self.descriptors.add(f"E:{ident}", [make(a) for a in known.aliases])
        for role in ROLE_DESCRIPTORS:
            self.descriptors.add(f"R:{role}", [make(f"the {role}")])
        self.roles = {i: set(k.roles) for i, k in g.actors.items()}
        self.gender = {i: k.gender for i, k in g.actors.items()}

    def link(self, doc: Doc) -> Mentions:
        g = self.gazetteer
        out = Mentions(doc, g)
        vocab = doc.vocab.strings
        keys: dict[tuple[int, int], list[str]] = defaultdict(list)
        for match_id, s, e in [*self.names(doc), *self.descriptors(doc)]:
            keys[(s, e)].append(vocab[match_id])
        spans = filter_spans([Span(doc, s, e) for s, e in keys])
        roles: list[tuple[int, str]] = []
        for span in spans:
            ks = keys[(span.start, span.end)]
            actors = [k[2:] for k in ks if k.startswith("A:")]
            places = [k[2:] for k in ks if k.startswith("P:")]
            events = [k[2:] for k in ks if k.startswith("E:")]
            if any(k.startswith("R:") for k in ks):
                roles.append((span.start, next(k[2:] for k in ks if k.startswith("R:"))))
                continue
            if events:
                out.add(Mention(events[0], "event", span.start, span.end, "name"))
                out.events.setdefault(events[0], g.events[events[0]].event)
                continue
            how = "descriptor" if any(span.text.lower() in g.actors[a].descriptors for a in actors) else "name"
            place = places[0] if places else None
            if place and _locative(span.root):
                out.add(Mention(place, "place", span.start, span.end, how))
                out.places.setdefault(place, g.places[place])
            elif actors:
                out.add(Mention(actors[0], "actor", span.start, span.end, how))
                out.actors.setdefault(actors[0], g.actors[actors[0]].actor)
                self._titles(out, actors[0], span)
            elif place and g.places[place].metonym_for:
                actor = g.places[place].metonym_for
                out.add(Mention(actor, "actor", span.start, span.end, "metonym"))
                out.actors.setdefault(actor, g.actors[actor].actor)
            elif place:
                out.add(Mention(place, "place", span.start, span.end, how))
                out.places.setdefault(place, g.places[place])
        self._administrations(out)
        self._ner(out)
        self._coreference(out, roles)
        return out

    def _titles(self, out: Mentions, actor: str, span: Span) -> None:
        """Titles before a name ("President-elect Donald Trump") become roles for coreference."""
        before = [t for t in span.root.children if t.dep_ in ("compound", "amod") and t.i < span.start]
        if before:
            title = span.doc[before[0].i:span.start].text.lower().strip()
            words = title.split()
            out.roles[actor].update(" ".join(words[k:]) for k in range(len(words)))

    def _administrations(self, out: Mentions) -> None:
        for tok in out.doc:
            if tok.lemma_.lower() != "administration" or tok.i in out.by_token:
                continue
            owners = [c for c in tok.children if c.dep_ in ("poss", "compound")]
            owners += [o for p in tok.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
            for o in owners:
                m = out.by_token.get(o.i)
                if m is not None and m.kind == "actor" and out.actors[m.id].kind == "Person":
                    ident = f"{m.id}-administration"
                    known = self.gazetteer.actors.get(ident)
                    person = out.actors[m.id]
                    out.actors.setdefault(ident, known.actor if known else Actor(
                        id=ident, label=f"{person.label.split()[-1]} administration", kind="Government"))
                    out.add(Mention(ident, "actor", tok.i, tok.i + 1, "administration"))
                    break

    def _ner(self, out: Mentions) -> None:
        surnames: dict[str, str] = {}
        for ent in out.doc.ents:
            if ent.label_ not in _NER_KINDS or any(i in out.by_token for i in range(ent.start, ent.end)):
                continue
            toks = [t for t in ent if not t.is_punct]
            while toks and (toks[0].lower_ in ROLE_DESCRIPTORS or toks[0].lower_ in QUANTIFIERS
                            or not toks[0].text[:1].isupper()):
                toks = toks[1:]
            if not toks or toks[-1].text in ("'s", "’s"):
                toks = toks[:-1]
            if not toks or not any(t.pos_ == "PROPN" for t in toks):
                continue
            span = Span(out.doc, toks[0].i, toks[-1].i + 1, label=ent.label_)
            if ent.label_ != "PERSON":
                for t in span:
                    out.candidates[t.i] = span
                continue
            if len(span) == 1 and span.text in surnames:
                ident = surnames[span.text]
                out.add(Mention(ident, "actor", span.start, span.end, "ner"))
            else:
                ident = out._new_actor(span.text, "Person", range(span.start, span.end), "ner")
                surnames.setdefault(span[-1].text, ident)
                self._titles(out, ident, span)
        for tok in out.doc:  # a bare surname the NER missed ("Stubb later opposed ...")
            if tok.pos_ == "PROPN" and tok.text in surnames and tok.i not in out.by_token:
                out.add(Mention(surnames[tok.text], "actor", tok.i, tok.i + 1, "ner"))

    def _coreference(self, out: Mentions, roles: list[tuple[int, str]]) -> None:
        """Resolve pronouns and role descriptors to the last fitting actor, in reading order."""
        role_at = dict(roles)
        people: list[str] = []
        others: list[str] = []
        last_end = -1
        for tok in out.doc:
            m = out.by_token.get(tok.i)
            if m is not None and tok.i >= last_end:
                last_end = m.end
                if m.kind == "actor":
                    (people if out.actors[m.id].kind == "Person" else others).append(m.id)
                continue
            if tok.i in role_at:
                role = role_at[tok.i]
                for pid in reversed(people):
                    have = self.roles.get(pid, set()) | out.roles[pid]
                    if role in have or (role == "leader" and have & HEAD_ROLES):
                        width = 1 + len(role.replace("-", " - ").split())
                        out.add(Mention(pid, "actor", tok.i, tok.i + width, "role"))
                        people.append(pid)
                        last_end = tok.i + width
                        break
                continue
            low = tok.lower_
            first = _coordinated_subject(tok, out)
            if first and (low in PRONOUNS_PERSON or low in PRONOUNS_GROUP) and tok.pos_ == "PRON":
                out.add(Mention(first, "actor", tok.i, tok.i + 1, "pronoun"))  # "X said ..., and it warned"
            elif low in PRONOUNS_PERSON and tok.pos_ == "PRON":
                gender = PRONOUNS_PERSON[low]
                pid = next((p for p in reversed(people) if self.gender.get(p) in (None, gender)), None)
                if pid:
                    out.add(Mention(pid, "actor", tok.i, tok.i + 1, "pronoun"))
            elif low in PRONOUNS_GROUP and tok.pos_ == "PRON" and others:
                out.add(Mention(others[-1], "actor", tok.i, tok.i + 1, "pronoun"))


def _locative(tok: Token) -> bool:
    """Is this place name used as a location ("in Kyiv", "flew from Moscow") rather than as an actor?"""
    if tok.dep_ in ("compound", "npadvmod"):
        return tok.head.pos_ in ("NOUN", "PROPN") and tok.head.lemma_.lower() not in GROUP_NOUNS
    if tok.dep_ != "pobj":
        return False
    prep = tok.head
    if prep.lower_ in LOCATIVE_PREPS:
        return True
    return prep.lower_ == "from" and prep.head.pos_ in ("VERB", "AUX")


def _coordinated_subject(tok: Token, out: Mentions) -> str | None:
    """For a pronoun subject of the second of two coordinated clauses, the first one's subject."""
    if tok.dep_ not in ("nsubj", "nsubjpass") or tok.head.dep_ != "conj":
        return None
    first = next((c for c in tok.head.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    m = out.by_token.get(first.i) if first is not None else None
    if m is None or m.kind != "actor":
        return None
    is_person = out.actors[m.id].kind == "Person"
    return m.id if is_person == (tok.lower_ in PRONOUNS_PERSON) else None
