"""The seven competency questions of the foundation, answered by the named queries on the sample."""
from __future__ import annotations

import pandas as pd

from kg.queries import list_queries, run
from kg.rdf.namespaces import ID, ISSUE


def ids(series: pd.Series) -> set[str]:
    return {s.rsplit("/", 1)[-1] for s in series}


def test_whom_did_trump_urge_not_to_do_what(store):
    df = run(store, "urged-not-to", holder="trump")
    assert len(df) == 1
    row = df.iloc[0]
    assert row.addressee == str(ID.putin)
    assert row.target == str(ISSUE["war-escalation"])
    assert "Trump urged Putin not to escalate the war in Ukraine" in row.quote


def test_who_opposes_territorial_concessions(store):
    df = run(store, "positions-on-issue", issue="territorial-concessions", polarity="oppose")
    assert ids(df.actor) == {"zelensky", "ukraine-government", "european-allies"}
    # Kyiv is a metonym: the government speaks, not the city
    kyiv = df[df.actor == str(ID["ukraine-government"])].iloc[0]
    assert kyiv.actorClass == "Government" and "Kyiv" in kyiv.quote
    assert (df.score < 0).all()


def test_who_holds_which_office(store):
    df = run(store, "offices")
    offices = {(h.rsplit("/", 1)[-1], role, o.rsplit("/", 1)[-1])
               for h, role, o in zip(df.holder, df.role, df.organization)}
    assert {("putin", "President", "russia"), ("zelensky", "President", "ukraine"),
            ("peskov", "Spokesman", "kremlin"), ("bauer", "Chair", "nato-military-committee"),
            ("sullivan", "National Security Advisor", "white-house"),
            ("biden", "President", "united-states"),
            ("trump", "President-elect", "united-states")} == offices
    biden = df[df.holder == str(ID.biden)].iloc[0]
    assert biden.end == pd.Timestamp("2025-01-20")
    assert pd.api.types.is_datetime64_any_dtype(df["start"])


def test_which_events_involve_trump(store):
    df = run(store, "events-of-actor", actor="trump").set_index("event")
    call = df.loc[str(ID["trump-putin-call"])]
    assert call.eventType == "Phone call"
    assert call.placeLabel == "Mar-a-Lago" and call.regionLabel == "Florida"
    assert "Vladimir Putin" in call.participants
    election = df.loc[str(ID["us-presidential-election-2024"])]
    assert election.eventType == "Election" and "Kamala Harris" in election.participants
    inauguration = df.loc[str(ID["trump-inauguration-2025"])]
    assert inauguration.date == pd.Timestamp("2025-01-20")
    assert len(df) == 3


def test_where_do_stakeholders_disagree(store):
    df = run(store, "disagreements")
    pairs = {(t.rsplit("/", 1)[-1], s.rsplit("/", 1)[-1], o.rsplit("/", 1)[-1])
             for t, s, o in zip(df.target, df.supporter, df.opponent)}
    assert ("us-military-aid-to-ukraine", "biden-administration", "trump") in pairs
    # every row really is a support/oppose pair on the same target
    stances = run(store, "stances")
    pol = {(h, t): p for h, t, p in zip(stances.holder, stances.target, stances.polarity)}
    for t, s, o in zip(df.target, df.supporter, df.opponent):
        assert pol[(s, t)] == "support" and pol[(o, t)] == "oppose"


def test_evidence_and_source_for_every_stance_of_an_actor(store, sample_text):
    df = run(store, "evidence-of-actor", actor="trump")
    assert set(df.actor) == {str(ID.trump)}
    assert len(df) == 6  # six attestations: urge, express interest, promise, signal, insist, question
    for row in df.itertuples():
        assert sample_text[row.start:row.end] == row.quote
        assert row.article.endswith("/trump-putin-call") and row.method == "curated annotation"


def test_who_speaks_for_whom(store):
    df = run(store, "spokespersons")
    pairs = {(s.rsplit("/", 1)[-1], p.rsplit("/", 1)[-1]) for s, p in zip(df.speaker, df.principal)}
    assert ("peskov", "kremlin") in pairs
    assert ("sullivan", "white-house") in pairs and ("sullivan", "biden-administration") in pairs


def test_every_named_query_has_a_title_and_runs(store):
    for q in list_queries():
        assert q.title, q.name
        df = run(store, q)
        assert isinstance(df, pd.DataFrame) and len(df.columns), q.name
        if not q.params:  # the sample answers every question that needs no parameter
            assert len(df), q.name


def test_two_articles_merge_actors_and_stances_without_duplicate_rows(tmp_path, sample_annotation_path):
    """A second source repeating the sample's claims: same nodes, more evidence, no duplicate rows."""
    import shutil

    from kg.build import build

    shutil.copy(sample_annotation_path.with_suffix(".txt"), tmp_path / "copy.txt")
    text = sample_annotation_path.read_text().replace("id: trump-putin-call\n  file: trump-putin-call.txt",
                                                      "id: second-source\n  file: copy.txt", 1)
    (tmp_path / "copy.yaml").write_text(text)
    one = build(store="memory:").store
    for backend in ("memory:", str(tmp_path / "store")):
        two = build([sample_annotation_path, tmp_path / "copy.yaml"], store=backend).store
        for name in ("positions-on-issue", "offices", "spokespersons", "disagreements", "actors",
                     "urged-not-to"):
            assert len(run(two, name)) == len(run(one, name)) * (2 if name == "urged-not-to" else 1), name
        stances = run(two, "stances")
        assert len(stances) == len(run(one, "stances"))
        assert set(stances.sources) == {2}
        evidence = run(two, "evidence-of-actor", actor="zelensky")
        assert len(evidence) == 2 and evidence.article.nunique() == 2


def test_summary_rows_keep_their_order_on_every_store(store):
    what = run(store, "summary")["what"].tolist()
    assert what[0] == "articles" and what[-1] == "triples" and len(what) == len(set(what))
    assert what.index("stances: support") + 1 == what.index("stances: oppose")
