"""Network analysis of the stakeholder graph: networkx projections and pandas tables.

Every projection is built from one named SPARQL query, so the analyses work on any store,
remote ones included. Functions take a store (an rdflib ``Dataset``) or a networkx graph
and return DataFrames with named, typed columns, IRIs and labels side by side.

>>> from kg.build import build
>>> from kg import analysis
>>> ds = build(store="memory:").store
>>> G = analysis.signed_actor_graph(ds)
>>> analysis.centrality(G).iloc[0]["label"]
'Donald Trump'
"""
from .camps import balance, camps, partition, signed_adjacency, triangle_counts
from .centrality import centrality
from .change import stance_changes, stance_timeline
from .disagreement import allied_disagreements
from .export import d3_json, flat_graph, write_d3_json, write_gexf, write_graph, write_graphml, write_tables
from .projections import actor_issue_graph, signed_actor_graph, typed_multigraph
from .stance_matrix import plot_stance_matrix, stance_matrix, stance_table
from .tables import TABLES, analysis_tables

__all__ = [
    "signed_actor_graph", "actor_issue_graph", "typed_multigraph",
    "centrality", "camps", "balance", "partition", "signed_adjacency", "triangle_counts",
    "stance_table", "stance_matrix", "plot_stance_matrix", "allied_disagreements",
    "stance_timeline", "stance_changes",
    "write_graphml", "write_gexf", "d3_json", "write_d3_json", "write_graph", "flat_graph", "write_tables",
    "analysis_tables", "TABLES",
]
