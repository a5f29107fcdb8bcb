"""The shipped gazetteer (``kg/data/gazetteer.yaml``): known actors, places and events with
their names, descriptors and Wikidata ids.

>>> g = load_gazetteer()
>>> g.actors["putin"].actor.wikidata, g.places["kyiv"].metonym_for
('Q7747', 'ukraine-government')
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import InputError
from ..model import Actor, Event, Place
from ..resources import data_dir


@dataclass
class KnownActor:
    """An actor with what it takes to find it in text."""
    actor: Actor
    descriptors: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    gender: str | None = None
    demonym: str | None = None


@dataclass
class KnownEvent:
    """An event that stance targets may name ("Trump's election victory")."""
    event: Event
    aliases: list[str] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)
    winner: str | None = None


@dataclass
class Gazetteer:
    actors: dict[str, KnownActor]
    places: dict[str, Place]
    events: dict[str, KnownEvent]

    @property
    def by_demonym(self) -> dict[str, str]:
        """``{"Ukrainian": "ukraine", ...}``"""
        return {a.demonym: i for i, a in self.actors.items() if a.demonym}


def _date(v: object) -> dt.date | None:
    return v if isinstance(v, dt.date) or v is None else dt.date.fromisoformat(str(v))


def read_gazetteer(path: str | Path) -> Gazetteer:
    """Parse a gazetteer file; raise :class:`InputError` on a malformed entry."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read the gazetteer: {exc}", source=str(path)) from None
    actors, places, events = {}, {}, {}
    try:
        for m in data.get("actors", []):
            a = Actor(id=m["id"], label=m["label"], kind=m["type"], aliases=list(m.get("aliases", [])),
                      wikidata=m.get("wikidata"), description=m.get("description"),
                      speaks_for=list(m.get("speaks_for", [])), member_of=list(m.get("member_of", [])),
                      part_of=list(m.get("part_of", [])), seat=m.get("seat"))
            actors[a.id] = KnownActor(a, [d.lower() for d in m.get("descriptors", [])],
                                      [r.lower() for r in m.get("roles", [])], m.get("gender"),
                                      m.get("demonym"))
        for m in data.get("places", []):
            places[m["id"]] = Place(id=m["id"], label=m["label"], kind=m.get("type", "Place"),
                                    aliases=list(m.get("aliases", [])), wikidata=m.get("wikidata"),
                                    located_in=m.get("located_in"), metonym_for=m.get("metonym_for"))
        for m in data.get("events", []):
            e = Event(id=m["id"], label=m["label"], kind=m.get("type", "Event"),
                      participants=list(m.get("participants", [])), place=m.get("place"),
                      date=_date(m.get("date")), winner=m.get("winner"))
            events[e.id] = KnownEvent(e, list(m.get("aliases", [])), list(m.get("cues", [])), m.get("winner"))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"malformed gazetteer entry ({exc!r})", source=str(path)) from None
    return Gazetteer(actors, places, events)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer shipped with the package."""
    return read_gazetteer(data_dir() / "gazetteer.yaml")
