"""Extraction: entity linking (aliases, descriptors, pronouns, metonymy), stances (negation,
reported speech, issue mapping) and evidence offsets. spaCy loads once per session."""
from __future__ import annotations

import pytest

from kg.build import documents_graphs
from kg.extract import extract, extractor, method_name
from kg.model import Article
from kg.rdf.validate import violations
from kg.resources import sample_article
from kg.sources import read_article


def run(text: str, ident: str = "t"):
    return extract(Article(id=ident, text=text))


def stances(text: str) -> set[tuple[str, str, str]]:
    return {(s.holder, s.target, s.polarity) for s in run(text).stances}


def linked(text: str) -> list[str | None]:
    """The actor each token refers to."""
    ex = extractor()
    doc = ex.nlp(text)
    m = ex.linker.link(doc)
    return [m.actor_at(t, create=False) for t in doc]


@pytest.fixture(scope="module")
def sample():
    return extract(read_article(sample_article()))


@pytest.mark.parametrize("name", ["Putin", "Vladimir Putin", "the Russian leader", "the head of the Kremlin"])
def test_names_and_descriptors_of_putin_resolve_to_one_actor(name):
    text = f"{name} spoke on Friday."
    first = text.split()[0]
    assert linked(text)[0 if first != "the" else 1] == "putin"


@pytest.mark.parametrize("spelling", ["Zelensky", "Zelenskyy", "Zelenskiy", "Volodymyr Zelenskyy"])
def test_spellings_of_zelensky(spelling):
    assert {a.id for a in run(f"{spelling} thanked the allies.").actors} == {"zelensky"}


def test_pronouns_and_role_descriptors_refer_back():
    text = ("Chancellor Olaf Scholz met Kamala Harris. She praised the talks. "
            "The chancellor said he was pleased.")
    ids = linked(text)
    toks = [t.text for t in extractor().nlp(text)]
    assert ids[toks.index("She")] == "harris"          # gender picks Harris, not Scholz
    assert ids[toks.index("chancellor")] == "scholz"    # role from the title before the name
    assert ids[toks.index("he")] == "scholz"


def test_president_elect_descriptor_resolves_to_last_holder_of_the_role():
    text = "President-elect Donald Trump called Putin. The president-elect later met Biden."
    doc = run(text)
    ids = linked(text)
    toks = [t.text for t in extractor().nlp(text)]
    assert ids[toks.index("president")] == "trump"
    assert "trump" in {a.id for a in doc.actors}


@pytest.mark.parametrize("text, actor, place", [
    ("Kyiv rejected the plan.", "ukraine-government", None),
    ("Washington's support for Ukraine is waning.", "us-government", None),
    ("The plan met resistance from Moscow.", "kremlin", None),
    ("The Kremlin denied the report.", "kremlin", None),
    ("Talks were held in Kyiv on Monday.", None, "kyiv"),
    ("The delegation flew from Washington to Berlin.", None, "washington-dc"),
])
def test_capitals_are_governments_when_they_act_and_places_otherwise(text, actor, place):
    doc = run(text)
    actors, places = {a.id for a in doc.actors}, {p.id for p in doc.places}
    if actor:
        assert actor in actors
    if place:
        assert place in places and "us-government" not in actors and "ukraine-government" not in actors


def test_unknown_people_become_local_actors_and_surnames_refer_back():
    doc = run("Finnish President Alexander Stubb urged restraint. Stubb later opposed any territorial concessions.")
    stubb = next(a for a in doc.actors if a.label == "Alexander Stubb")
    assert stubb.id == "alexander-stubb" and stubb.wikidata is None
    assert ("alexander-stubb", "territorial-concessions", "oppose") in {
        (s.holder, s.target, s.polarity) for s in doc.stances}


def test_urge_not_to_is_opposition_with_addressee(sample):
    s = next(s for s in sample.stances if s.speech_act == "urge")
    assert (s.holder, s.target, s.polarity, s.addressee) == ("trump", "war-escalation", "oppose", "putin")
    assert not s.negated


def test_negated_speech_act_reverses_polarity_and_is_recorded():
    doc = run("Germany did not welcome the sanctions against Russia.")
    s = doc.stances[0]
    assert (s.holder, s.target, s.polarity, s.negated) == ("germany", "sanctions-on-russia", "oppose", True)


def test_reported_speech_is_attributed_to_the_reporter():
    found = stances("Peskov said that the Kremlin rejected any territorial concessions.")
    assert found == {("peskov", "territorial-concessions", "oppose")}


def test_reversing_words_inside_the_target():
    assert stances("Macron called for measures to prevent escalation.") == {
        ("macron", "war-escalation", "oppose")}


@pytest.mark.parametrize("text, issue", [
    ("Biden backed more military aid for Kyiv.", "us-military-aid-to-ukraine"),
    ("Scholz insisted on a quick end to the fighting.", "swift-end-of-war"),
    ("Erdogan voiced support for the territorial integrity of Ukraine.", "ukraine-territorial-integrity"),
    ("Xi opposed the sanctions against Russia.", "sanctions-on-russia"),
])
def test_targets_map_to_the_issue_scheme_through_alt_labels(text, issue):
    assert {s.target for s in run(text).stances} == {issue}


def test_unmatched_targets_become_new_issues_named_after_the_noun_phrase():
    doc = run("Modi welcomed the new trade corridor.")
    s = doc.stances[0]
    assert s.target_kind == "issue" and s.target == "new-trade-corridor"
    assert any(i.id == "new-trade-corridor" and i.label == "new trade corridor" for i in doc.issues)


def test_evidence_offsets_point_at_the_text(sample):
    text = sample.article.text
    assert sample.stances
    for s in sample.stances:
        assert text[s.evidence.start:s.evidence.end] == s.evidence.quote
        assert s.evidence.article == sample.article.id


def test_each_stance_records_method_version_and_confidence(sample):
    assert method_name().startswith("kg-extract 0.1.0 (spaCy 3.8")
    for s in sample.stances:
        assert s.method == method_name()
        assert 0 < s.confidence <= 1


def test_metonymy_and_groups_in_the_sample(sample):
    found = {(s.holder, s.target, s.polarity) for s in sample.stances}
    assert ("ukraine-government", "territorial-concessions", "oppose") in found   # "resistance from Kyiv"
    assert ("european-allies", "territorial-concessions", "oppose") in found      # "this stance is shared by"
    assert ("russian-state-media", "us-presidential-election-2024", "support") in found  # an event target


def test_extracted_sample_graph_conforms_to_the_shapes(sample):
    union = next(iter(documents_graphs([sample]).values()))
    assert violations(union) == []
