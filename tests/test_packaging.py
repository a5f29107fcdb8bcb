"""`pip install .` (not editable) ships the ontology, sample data and queries inside the package."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_contains_resources_and_installed_kg_builds_outside_the_checkout(tmp_path):
    src = tmp_path / "src"
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    for f in files:
        p = ROOT / f
        if p.is_file() and not p.is_symlink():
            (src / f).parent.mkdir(parents=True, exist_ok=True)
            (src / f).write_bytes(p.read_bytes())
        elif p.is_symlink():
            (src / f).parent.mkdir(parents=True, exist_ok=True)
            (src / f).symlink_to(p.readlink())
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path / "dist"), str(src)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("kg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("kg/ontology/kg.ttl", "kg/ontology/shapes.ttl", "kg/ontology/issues.ttl",
                   "kg/data/sample/trump-putin-call.txt", "kg/data/sample/trump-putin-call.yaml",
                   "kg/queries/urged-not-to.rq"):
        assert needed in names, needed

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    py = venv / "bin" / "python"
    # --ignore-installed: the venv sees the outer site-packages, where kg may already be installed.
    subprocess.run([py, "-m", "pip", "install", "-q", "--no-deps", "--ignore-installed", str(wheel)],
                   check=True, capture_output=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = subprocess.run([py, "-c", "import kg.resources as r; print(r.ontology_file('kg.ttl').resolve())"],
                           cwd=work, capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(str(venv)), where
    out = subprocess.run([venv / "bin" / "kg", "build"], cwd=work, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "stances: oppose" in out.stdout and (work / "kg-out" / "store").is_dir()
