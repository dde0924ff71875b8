"""``langgraph dockerfile`` builds a server image definition from langgraph.json."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_dockerfile_installs_the_project_and_serves_its_graph(tmp_path):
    cli = Path(sys.executable).with_name("langgraph")
    target = tmp_path / "Dockerfile"
    done = subprocess.run(
        [str(cli), "dockerfile", "-c", "langgraph.json", str(target)],
        cwd=ROOT,
        env={**os.environ, "LANGGRAPH_CLI_NO_ANALYTICS": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = target.read_text()

    assert text.startswith("FROM langchain/langgraph-api:3.11")
    # The sandbox generated code runs in comes from the system, not pip.
    assert "apt-get install -y --no-install-recommends bubblewrap" in text
    # The repository is added whole and installed from its pyproject.toml,
    # which brings every dependency the project declares.
    (added,) = re.findall(r"^ADD \. (/deps/\S+)$", text, re.MULTILINE)
    assert "uv pip install --system --no-cache-dir -c /api/constraints.txt -e ." in text
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = " ".join(declared["dependencies"])
    for needed in ("langgraph", "langgraph-checkpoint-postgres", "xllamacpp"):
        assert needed in names
    graphs = re.search(r"^ENV LANGSERVE_GRAPHS='(.*)'$", text, re.MULTILINE)
    assert json.loads(graphs.group(1)) == {
        "archedit": f"{added}/graph/builder.py:graph",
        "file": f"{added}/graph/files.py:file_graph",
    }
