"""Every analysis table at once, from one projection of the store: for ``kg stats`` and notebooks.

>>> from kg.build import build
>>> tables = analysis_tables(build(store="memory:").store, ["camps", "balance"])
>>> sorted(tables)
['balance', 'camps']
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from rdflib import Dataset, Graph

from ..errors import InputError
from .camps import balance, camps
from .centrality import centrality
from .change import stance_changes
from .disagreement import allied_disagreements
from .projections import actor_issue_graph, signed_actor_graph
from .stance_matrix import stance_matrix

TABLES = ("centrality", "camps", "balance", "matrix", "disagreements", "changes")


def analysis_tables(ds: Dataset | Graph, names: Iterable[str] = TABLES, *,
                    affiliations: bool = False) -> dict[str, pd.DataFrame]:
    """The named tables (default: all of :data:`TABLES`), sharing one signed actor graph.

    ``affiliations`` adds speaks-for / member-of / part-of / office ties to the signed graph.
    """
    names = list(dict.fromkeys(names))
    unknown = [n for n in names if n not in TABLES]
    if unknown:
        raise InputError(f"no table '{unknown[0]}'; tables: {', '.join(TABLES)}")
    signed = signed_actor_graph(ds, affiliations=affiliations) if set(names) - {"matrix", "changes"} else None
    make = {"centrality": lambda: centrality(signed), "camps": lambda: camps(signed),
            "balance": lambda: balance(signed), "matrix": lambda: stance_matrix(actor_issue_graph(ds)),
            "disagreements": lambda: allied_disagreements(signed), "changes": lambda: stance_changes(ds)}
    return {name: make[name]() for name in names}
