"""Plain data classes: the one shape that both curated annotation and extraction produce.

Nothing here knows RDF; ``kg.rdf`` turns these into triples.

>>> a = Actor(id="putin", label="Vladimir Putin", kind="Person", wikidata="Q7747")
>>> a.kind
'Person'
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

ActorKind = Literal["Person", "State", "Organization", "Government", "Alliance",
                    "MediaOrganization", "ArmedForces", "Group"]
PlaceKind = Literal["Place", "City", "Region", "Building"]
EventKind = Literal["Event", "PhoneCall", "Election", "Inauguration", "Meeting", "Summit",
                    "MilitaryAction"]
Polarity = Literal["support", "oppose", "neutral"]
TargetKind = Literal["actor", "issue", "event"]

ACTOR_KINDS: tuple[str, ...] = ActorKind.__args__  # type: ignore[attr-defined]
PLACE_KINDS: tuple[str, ...] = PlaceKind.__args__  # type: ignore[attr-defined]
EVENT_KINDS: tuple[str, ...] = EventKind.__args__  # type: ignore[attr-defined]
POLARITIES: tuple[str, ...] = Polarity.__args__  # type: ignore[attr-defined]


@dataclass
class Article:
    """A source text with its metadata; ``id`` names its graph."""
    id: str
    text: str
    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    publisher: str | None = None
    path: str | None = None


@dataclass
class Actor:
    """A person, state, organisation or group that can hold a stance."""
    id: str
    label: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None
    description: str | None = None
    speaks_for: list[str] = field(default_factory=list)
    member_of: list[str] = field(default_factory=list)
    part_of: list[str] = field(default_factory=list)
    seat: str | None = None  # a Place id: the metonym the actor is named by


@dataclass
class Place:
    """A location; may stand for an actor by metonymy (``metonym_for``)."""
    id: str
    label: str
    kind: str = "Place"
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None
    located_in: str | None = None
    metonym_for: str | None = None


@dataclass
class Issue:
    """A policy question; ids of the shipped SKOS scheme or new ones."""
    id: str
    label: str
    aliases: list[str] = field(default_factory=list)
    broader: str | None = None
    definition: str | None = None


@dataclass
class Post:
    """An office: ``holder`` holds ``role`` in ``organization`` from ``start`` to ``end``."""
    holder: str
    role: str
    organization: str
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass
class Evidence:
    """A span of an article (``text[start:end] == quote``) that attests a claim."""
    article: str
    quote: str
    start: int
    end: int


@dataclass
class Event:
    """Something that happened, with participants, place and date."""
    id: str
    label: str
    kind: str = "Event"
    participants: list[str] = field(default_factory=list)
    place: str | None = None
    date: dt.date | None = None
    winner: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Stance:
    """``holder`` supports / opposes / is neutral toward ``target`` (actor, issue or event)."""
    holder: str
    target: str
    target_kind: str
    polarity: str
    speech_act: str
    evidence: Evidence
    score: float | None = None
    addressee: str | None = None
    negated: bool = False
    confidence: float = 1.0
    method: str = "curated"
    date: dt.date | None = None

    @property
    def signed_score(self) -> float:
        """The score, defaulting to ±1 / 0 from the polarity."""
        if self.score is not None:
            return self.score
        return {"support": 1.0, "oppose": -1.0}.get(self.polarity, 0.0)


@dataclass
class Document:
    """Everything known about one article: what a curated annotation or an extractor yields."""
    article: Article
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
