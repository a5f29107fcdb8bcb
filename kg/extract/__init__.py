"""Automatic extraction: any news article in, entities and stances out.

Returns :class:`kg.model.Document` objects, the same shape a curated annotation yields;
nothing here knows RDF or stores.

>>> from kg.extract import extract
>>> from kg.model import Article
>>> doc = extract(Article(id="a", text="Zelenskiy rejected any territorial concessions."))
>>> [(s.holder, s.target, s.polarity) for s in doc.stances]
[('zelensky', 'territorial-concessions', 'oppose')]
"""
from __future__ import annotations

from functools import lru_cache

from ..model import Article, Document
from .pipeline import VERSION, Extractor, method_name

__all__ = ["VERSION", "Extractor", "extract", "extractor", "method_name"]


@lru_cache(maxsize=1)
def extractor() -> Extractor:
    """The process-wide extractor (spaCy and the matchers are loaded once)."""
    return Extractor()


def extract(article: Article) -> Document:
    """Extract entities and stances from one article."""
    return extractor().extract(article)
