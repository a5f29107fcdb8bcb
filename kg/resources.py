"""Where the installed package keeps its ontology, sample data and named queries."""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_ROOT = files("kg")


def ontology_file(name: str) -> Path:
    """Path of a file in the shipped ontology folder, e.g. ``ontology_file("kg.ttl")``."""
    return Path(str(_ROOT / "ontology" / name))


ONTOLOGY_FILES = ("kg.ttl", "issues.ttl")
SHAPES_FILE = "shapes.ttl"


def sample_article() -> Path:
    """The bundled sample article (a report on a Trump–Putin phone call)."""
    return Path(str(_ROOT / "data" / "sample" / "trump-putin-call.txt"))


def sample_annotation() -> Path:
    """The curated annotation of the bundled sample article."""
    return Path(str(_ROOT / "data" / "sample" / "trump-putin-call.yaml"))


def data_dir() -> Path:
    """Folder of data shipped with the package (sample articles and annotations)."""
    return Path(str(_ROOT / "data"))


def queries_dir() -> Path:
    """Folder of the named SPARQL queries (``*.rq``)."""
    return Path(str(_ROOT / "queries"))
