"""The import contracts of pyproject.toml ([tool.importlinter]) that `make lint` checks: the tree
keeps them, and an import that breaks them fails lint-imports."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    args = [str(LINT_IMPORTS), "--no-cache"] + [f"--contract={c}" for c in contracts]
    # The copy under cwd comes first on the path: the editable install's finder comes last.
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def copy_of_the_code(tmp_path: Path) -> Path:
    """The Python modules of borderlink/ and the contracts, in a directory of their own."""

    def not_python(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if not n.endswith(".py") and not Path(folder, n).is_dir()}

    shutil.copytree(ROOT / "borderlink", tmp_path / "borderlink", ignore=not_python)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_its_layers() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_core_importing_stats_breaks_the_layers(tmp_path: Path) -> None:
    tree = copy_of_the_code(tmp_path)
    assert lint_imports(tree, "layers").returncode == 0
    (tree / "borderlink/core/upward.py").write_text("from borderlink.stats import engine\n")
    result = lint_imports(tree, "layers")
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "borderlink.core.upward -> borderlink.stats.engine" in result.stdout


def test_a_domain_app_reaching_into_another_breaks_their_independence(tmp_path: Path) -> None:
    tree = copy_of_the_code(tmp_path)
    probe = tree / "borderlink/economy/reach.py"
    probe.write_text("from borderlink.border.models import GateFigure\n")
    # Side by side in one layer, so only the independence contract refuses it.
    assert lint_imports(tree, "layers").returncode == 0
    result = lint_imports(tree, "domain-apps")
    assert result.returncode != 0
    assert "borderlink.economy.reach -> borderlink.border.models" in result.stdout
