"""Synthetic stakeholder graphs for scale benchmarks: many articles about one imagined world.

A seeded *world* of actors (people with offices, states, governments, alliances, media,
groups), places, recurring events and issues (the shipped SKOS scheme plus synthetic ones)
is reported on by synthetic articles. Each article is a :class:`kg.model.Document` — the
shape curated annotation and extraction produce — mapped to RDF by :mod:`kg.rdf.mapping`,
so the graph uses exactly the terms the named queries expect. Popularity is skewed (a few
actors and issues appear in most articles), as in real news.

>>> docs = list(documents(3, seed=1))
>>> len(docs), all(d.stances for d in docs)
(3, True)

``python benchmarks/synthetic.py 100000 out.nq`` writes an N-Quads file of ~100k quads.
"""
from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.model import (ACTOR_KINDS, Actor, Article, Document, Event, Evidence, Issue, Place, Post,
                      Stance)
from kg.rdf.mapping import document_graph
from kg.rdf.namespaces import ONTOLOGY_GRAPH, graph_for
from kg.rdf.vocabulary import load_issues, load_speech_acts, ontology_graph

QUADS_PER_ARTICLE = 550  # measured average; sizes the world for a requested number of quads
_GIVEN = ["Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas",
          "Kofi", "Lena", "Marek", "Nadia", "Omar", "Petra", "Rui", "Sofia", "Taras", "Ulla"]
_FAMILY = ["Abara", "Borisov", "Costa", "Dahl", "Eriksen", "Fischer", "Garcia", "Horvat", "Ivanova",
           "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrenko", "Quist",
           "Rossi", "Schmidt", "Tanaka"]
_SYLLABLES = ["var", "sol", "ken", "dor", "ma", "li", "tra", "ven", "os", "ria", "bel", "gon"]
_ORG_KINDS = [k for k in ACTOR_KINDS if k not in ("Person", "State")]
_ROLES = ["President", "Prime Minister", "Foreign Minister", "Defence Minister", "Spokesperson",
          "Ambassador", "Secretary General", "Chair", "Commander", "Editor"]
_EVENT_KINDS = ["PhoneCall", "Meeting", "Summit", "Election", "MilitaryAction", "Inauguration"]
_PUBLISHERS = ["Daily Ledger", "World Wire", "The Courier", "Global Post", "Northern Herald"]


def _name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


@dataclass
class World:
    """Everything articles can mention, with fixed facts so that articles agree with each other."""
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    posts: dict[str, Post] = field(default_factory=dict)  # by holder id
    events: list[Event] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    by_id: dict[str, Actor | Place] = field(default_factory=dict)

    def related(self, ident: str) -> list[str]:
        """Ids an entity's own triples refer to (so an article declaring it declares them too)."""
        x = self.by_id[ident]
        if isinstance(x, Actor):
            refs = [*x.speaks_for, *x.member_of, *x.part_of, *([x.seat] if x.seat else [])]
            post = self.posts.get(ident)
            return refs + ([post.organization] if post else [])
        return [r for r in (x.located_in, x.metonym_for) if r]


def world(n_articles: int, seed: int = 0) -> World:
    """A world sized for ``n_articles``: ~2 actors, 0.3 places, 0.2 events and 0.1 issues per article."""
    rng = random.Random(seed)
    w = World()
    n_states = max(5, n_articles // 40)
    for i in range(n_states):
        capital = Place(id=f"city-{i}", label=f"{_name(rng)} City", kind="City")
        w.places.append(capital)
        state = Actor(id=f"state-{i}", label=f"Republic of {_name(rng, 3)}", kind="State",
                      aliases=[f"R{i}"], wikidata=f"Q{900000 + i}" if rng.random() < 0.7 else None)
        gov = Actor(id=f"gov-{i}", label=f"Government of {state.label}", kind="Government",
                    part_of=[state.id], seat=capital.id, aliases=[capital.label])
        capital.located_in, capital.metonym_for = state.id, gov.id
        w.actors += [state, gov]
    states = [a for a in w.actors if a.kind == "State"]
    for i in range(max(4, n_articles // 10)):
        region = Place(id=f"region-{i}", label=f"{_name(rng)} Region", kind="Region",
                       located_in=rng.choice(states).id)
        w.places.append(region)
    n_orgs = max(10, n_articles // 3)
    for i in range(n_orgs):
        kind = rng.choice(_ORG_KINDS)
        parent = rng.choice(states).id if kind in ("ArmedForces", "MediaOrganization") else None
        w.actors.append(Actor(id=f"org-{i}", label=f"{_name(rng)} {kind}", kind=kind,
                              part_of=[parent] if parent else [],
                              member_of=[rng.choice(states).id] if kind == "Group" else [],
                              description=f"A synthetic {kind.lower()}." if rng.random() < 0.3 else None))
    orgs = [a for a in w.actors if a.kind not in ("Person", "State")]
    for i in range(max(20, int(n_articles * 1.5))):
        given, family = rng.choice(_GIVEN), rng.choice(_FAMILY)
        person = Actor(id=f"person-{i}", label=f"{given} {family} {i}", kind="Person",
                       aliases=[f"{family} {i}", f"Mr/Ms {family} {i}"],
                       wikidata=f"Q{100000 + i}" if rng.random() < 0.4 else None)
        org = rng.choice(orgs + states)
        start = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(5000))
        w.posts[person.id] = Post(holder=person.id, role=rng.choice(_ROLES), organization=org.id,
                                  start=start, end=start + dt.timedelta(days=rng.randrange(300, 3000))
                                  if rng.random() < 0.4 else None)
        if rng.random() < 0.1:
            person.speaks_for = [org.id]
        w.actors.append(person)
    actor_ids = [a.id for a in w.actors]
    for i in range(max(5, n_articles // 5)):
        kind = rng.choice(_EVENT_KINDS)
        participants = rng.sample(actor_ids, rng.randint(1, 4))
        w.events.append(Event(id=f"event-{i}", label=f"{_name(rng)} {kind} {i}", kind=kind,
                              participants=participants, place=rng.choice(w.places).id,
                              date=dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000)),
                              winner=participants[0] if kind == "Election" else None))
    shipped = sorted(load_issues().values(), key=lambda x: x.id)
    w.issues = shipped + [Issue(id=f"issue-{i}", label=f"{_name(rng, 3)} question {i}",
                                broader=rng.choice(shipped).id,
                                definition="A synthetic policy question." if rng.random() < 0.5 else None)
                          for i in range(max(10, n_articles // 10))]
    w.by_id = {x.id: x for x in [*w.actors, *w.places]}
    return w


def _skewed(rng: random.Random, items: list, k: int, weights: list[float]) -> list:
    """``k`` distinct items, popular ones (low index) more often."""
    picked: dict[int, None] = {}
    while len(picked) < min(k, len(items)):
        picked[rng.choices(range(len(items)), weights)[0]] = None
    return [items[i] for i in picked]


def documents(n_articles: int, seed: int = 0, *, the_world: World | None = None) -> Iterator[Document]:
    """``n_articles`` synthetic articles (deterministic for a seed), each with ~12 stances."""
    rng = random.Random(seed + 1)
    w = the_world or world(n_articles, seed)
    speech_acts = sorted(load_speech_acts())
    actor_w = [1 / (i + 1) ** 0.7 for i in range(len(w.actors))]
    event_w = [1 / (i + 1) ** 0.5 for i in range(len(w.events))]
    issue_w = [1 / (i + 1) ** 0.8 for i in range(len(w.issues))]
    people = [a for a in w.actors if a.kind == "Person"]
    for n in range(n_articles):
        art = Article(id=f"synthetic-{n:07d}", text="", title=f"Synthetic report {n}",
                      date=dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000)),
                      url=f"https://news.example.org/{n}", publisher=rng.choice(_PUBLISHERS))
        events = _skewed(rng, w.events, rng.randint(1, 2), event_w)
        core = _skewed(rng, w.actors, rng.randint(3, 6), actor_w) + rng.sample(people, 2)
        ids: dict[str, None] = {}
        todo = [*core, *(p for e in events for p in e.participants),
                *(e.place for e in events if e.place)]
        while todo:  # close over references so every id the article uses is declared in it
            x = todo.pop()
            x = x.id if not isinstance(x, str) else x
            if x not in ids:
                ids[x] = None
                todo += w.related(x)
        actors = [w.by_id[i] for i in ids if isinstance(w.by_id[i], Actor)]
        places = [w.by_id[i] for i in ids if isinstance(w.by_id[i], Place)]
        issues = _skewed(rng, w.issues, rng.randint(2, 4), issue_w)
        text: list[str] = []

        def say(sentence: str) -> Evidence:
            start = sum(len(s) + 1 for s in text)
            text.append(sentence)
            return Evidence(article=art.id, quote=sentence, start=start, end=start + len(sentence))

        say(f"{art.title}: what the main actors said this week.")
        doc_events = []
        for e in events:
            doc_events.append(Event(**{**e.__dict__, "evidence": [say(
                f"The {e.label} took place on {e.date} with {len(e.participants)} participant(s).")]}))
        stances = []
        for k in range(rng.randint(9, 15)):
            holder = rng.choice(core)
            r = rng.random()
            if r < 0.55:
                target, kind, label = (t := rng.choice(issues)).id, "issue", t.label
            elif r < 0.85:
                target, kind, label = (t := rng.choice(actors)).id, "actor", t.label
            else:
                target, kind, label = (t := rng.choice(doc_events)).id, "event", t.label
            polarity = rng.choices(["support", "oppose", "neutral"], [0.45, 0.45, 0.1])[0]
            act = rng.choice(speech_acts)
            addressee = rng.choice(actors).id if rng.random() < 0.2 else None
            score = {"support": 1, "oppose": -1, "neutral": 0}[polarity] * rng.choice([1.0, 0.7, 0.5])
            stances.append(Stance(
                holder=holder.id, target=target, target_kind=kind, polarity=polarity, speech_act=act,
                score=score, addressee=addressee, confidence=rng.choice([1.0, 0.9, 0.8]),
                date=art.date, evidence=say(f"{holder.label} spoke ({act}, {polarity}) about {label}, "
                                            f"statement {k} of report {n}.")))
        say("Officials declined to comment further.")
        art.text = "\n".join(text)
        used = {s.target for s in stances if s.target_kind == "issue"}
        doc_issues = [i for i in w.issues if i.id in used]
        doc_issues += [i for i in w.issues if i.id in {d.broader for d in doc_issues} - used]
        posts = [w.posts[a.id] for a in actors if a.id in w.posts]
        yield Document(article=art, actors=actors, places=places, issues=doc_issues, posts=posts,
                       events=doc_events, stances=stances)


def _nquads(graph, name) -> str:
    """A graph's N-Triples lines turned into N-Quads lines in graph ``name``."""
    suffix = f" <{name}> .\n"
    lines = graph.serialize(format="nt").splitlines()
    return "".join(line[:-2] + suffix for line in lines if line)


def generate(n_triples: int = 100_000, seed: int = 0, path: str | Path | None = None) -> Path:
    """Write an N-Quads file of about ``n_triples`` quads (the ontology plus one graph per article).

    Articles are added until the count reaches ``n_triples``; the file is deterministic for a
    seed. Returns its path (default: a file in the temporary directory).
    """
    path = Path(path or Path(tempfile.gettempdir()) / f"kg-synthetic-{n_triples}-s{seed}.nq")
    n_articles = max(1, n_triples // QUADS_PER_ARTICLE)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        body = _nquads(ontology_graph(), ONTOLOGY_GRAPH)
        out.write(body)
        count += body.count("\n")
        docs = documents(n_articles * 2, seed, the_world=world(n_articles, seed))  # *2: headroom
        while count < n_triples:
            doc = next(docs)
            body = _nquads(document_graph(doc), graph_for(doc.article.id))
            out.write(body)
            count += body.count("\n")
    return path


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(generate(n, path=sys.argv[2] if len(sys.argv) > 2 else None))
