"""notebooks/explore.ipynb runs top to bottom on the sample, and its results are the right ones."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest
from conftest import require

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "explore.ipynb"


def _outputs(nb, mime: str) -> list[str]:
    return [o["data"][mime] for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if mime in o.get("data", {})]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook executed with nbclient, and the folder it exported its tables to."""
    for module in ("nbclient", "nbformat", "ipykernel", "matplotlib", "pyarrow"):
        require(importlib.util.find_spec(module) is not None, f"{module} is not installed (pip install '.[test]')")
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from nbclient import NotebookClient

    require("python3" in KernelSpecManager().find_kernel_specs(),
            "no python3 Jupyter kernel (python -m ipykernel install --user)")
    work = tmp_path_factory.mktemp("notebook")
    out = work / "out"
    mp = pytest.MonkeyPatch()
    mp.setenv("KG_NOTEBOOK_OUT", str(out))  # the kernel inherits it
    mp.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    try:
        nb = nbformat.read(NOTEBOOK, as_version=4)
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(work)}}).execute()
    finally:
        mp.undo()
    return nb, out


@pytest.mark.notebook
def test_notebook_answers_the_competency_questions(executed):
    nb, _ = executed
    html = "\n".join(_outputs(nb, "text/html"))
    assert "Vladimir Putin" in html and "Escalation of the war in Ukraine" in html  # urged not to
    assert "resist" in html and "Government of Ukraine" in html                    # Kyiv's stance


@pytest.mark.notebook
def test_notebook_puts_zelensky_and_putin_in_different_camps(executed):
    _, out = executed
    camps = pd.read_parquet(out / "camps.parquet")
    camp = dict(zip(camps["label"], camps["camp"]))
    assert camp["Volodymyr Zelensky"] != camp["Vladimir Putin"]
    assert camp["Volodymyr Zelensky"] == camp["Government of Ukraine"] == camp["Ukraine's European allies"]
    assert camp["Donald Trump"] == camp["Dmitry Peskov"] != camp["Vladimir Putin"]
    assert bool(pd.read_parquet(out / "balance.parquet").iloc[0]["balanced"])
    assert pd.read_parquet(out / "centrality.parquet").iloc[0]["label"] == "Donald Trump"


@pytest.mark.notebook
def test_notebook_stance_matrix_has_zelensky_opposing_territorial_concessions(executed):
    _, out = executed
    matrix = pd.read_parquet(out / "matrix.parquet").set_index("actor")
    assert matrix.loc["Volodymyr Zelensky", "Territorial concessions by Ukraine"] == -1.0
    assert matrix.loc["Biden administration", "US military aid to Ukraine"] == 1.0


@pytest.mark.notebook
def test_notebook_draws_pictures_shows_the_viewer_and_exports_graphs(executed):
    nb, out = executed
    assert len(_outputs(nb, "image/png")) == 2  # the camps drawing and the stance heatmap
    assert any("<iframe" in h and "srcdoc" in h for h in _outputs(nb, "text/html"))
    for name in ("signed-actor-graph.graphml", "signed-actor-graph.gexf", "signed-actor-graph.json",
                 "actor-issue-graph.graphml", "camps.csv"):
        assert (out / name).stat().st_size > 0, name
