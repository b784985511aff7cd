"""The import contracts of pyproject.toml ([tool.importlinter]) that `make lint` checks: the tree
keeps them, they forgive nothing but the domain apps' declared extension points (issue 19 paid
the known debts), and an import that breaks them fails lint-imports, the old debts included."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# What one domain app may import of another (CONTRIBUTING.md, "Layers"). A new extension point is
# declared here as in pyproject.toml; anything else there would be debt.
EXTENSION_POINTS = {
    "borderlink.** -> borderlink.ties.models",
    "borderlink.** -> borderlink.ties.recording",
    "borderlink.border.** -> borderlink.ledger.models",
    "borderlink.people.** -> borderlink.ledger.models",
    "borderlink.delegations.** -> borderlink.ledger.models",
    "borderlink.people.** -> borderlink.ledger.links",
    "borderlink.delegations.** -> borderlink.ledger.links",
}


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


def test_the_contracts_forgive_only_the_extension_points() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}
    assert contracts["layers"].get("ignore_imports", []) == []
    assert set(contracts["domain-apps"]["ignore_imports"]) == EXTENSION_POINTS


@pytest.mark.parametrize(
    ("module", "source", "broken"),
    [
        ("core/upward.py", "from borderlink.stats import engine\n", "borderlink.stats.engine"),
        # The debts issue 19 paid, should they come back: the gate reading accounts, border's
        # pages the stats engine, core's template filters the registers.
        ("core/gate.py", "from borderlink.accounts import reach\n", "borderlink.accounts.reach"),
        ("border/figures.py", "from borderlink.stats import engine\n", "borderlink.stats.engine"),
        ("core/filters.py", "from borderlink.registers import spec\n", "borderlink.registers.spec"),
    ],
)
def test_an_upward_import_breaks_the_layers(
    tmp_path: Path, module: str, source: str, broken: str
) -> None:
    tree = copy_of_the_code(tmp_path)
    assert lint_imports(tree, "layers").returncode == 0
    (tree / "borderlink" / module).write_text(source)
    result = lint_imports(tree, "layers")
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    importer = "borderlink." + module.removesuffix(".py").replace("/", ".")
    assert f"{importer} -> {broken}" in result.stdout


@pytest.mark.parametrize(
    ("module", "name", "broken"),
    [
        ("economy/reach.py", "GateFigure", "borderlink.border.models"),
        # The ties <-> ledger cycle and the audit that issue 19 paid, should they come back.
        ("ties/coverage.py", "AggregateReturn", "borderlink.ledger.models"),
        ("delegations/audit.py", "LabourRegistration", "borderlink.people.registers"),
    ],
)
def test_a_domain_app_reaching_into_another_breaks_their_independence(
    tmp_path: Path, module: str, name: str, broken: str
) -> None:
    tree = copy_of_the_code(tmp_path)
    (tree / "borderlink" / module).write_text(f"from {broken} import {name}\n")
    # Side by side in one layer, so only the independence contract refuses it.
    assert lint_imports(tree, "layers").returncode == 0
    result = lint_imports(tree, "domain-apps")
    assert result.returncode != 0
    importer = "borderlink." + module.removesuffix(".py").replace("/", ".")
    assert f"{importer} -> {broken}" in result.stdout
