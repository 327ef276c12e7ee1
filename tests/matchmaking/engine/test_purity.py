"""The engine must stay pure: importing it loads no Django (house style rule 6)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CHECK = """
import sys
import matchmaking.engine, matchmaking.engine.core, matchmaking.engine.embeddings
heavy = ("django", "torch", "sentence_transformers")
loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy)
print(",".join(loaded))
"""


def test_engine_imports_no_django_nor_torch() -> None:
    # A fresh interpreter, so modules other tests loaded do not hide an import.
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT)},
    )
    assert result.stdout.strip() == ""
