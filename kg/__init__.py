"""kg: geopolitical stakeholder knowledge graphs from news articles.

>>> import kg
>>> store = kg.build(store="memory:").store
>>> kg.run(store, "urged-not-to", holder="trump").addresseeLabel.tolist()
['Vladimir Putin']
"""
from .annotation import load_annotation
from .build import BuildResult, build
from .errors import InputError, KgError, QueryError, StoreError, ValidationError
from .queries import list_queries, run, sparql
from .sources import read_article
from .store import open_store, write_graphs

__version__ = "0.1.0"
__all__ = ["build", "BuildResult", "open_store", "write_graphs", "run", "sparql", "list_queries",
           "load_annotation", "read_article", "KgError", "InputError", "QueryError", "StoreError",
           "ValidationError", "__version__"]
