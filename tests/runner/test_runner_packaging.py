"""An installed qbwc-harness works outside a clone: the wheel carries the scenario suite
where the lookup expects it, and ``./scenarios`` still wins when present."""

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from click.testing import CliRunner

import harness
from harness.cli import EXIT_OK, cli
from harness.scenario import suite

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_wheel_puts_the_scenarios_where_the_lookup_finds_them():
    wheel = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]
    shipped_as = Path(wheel["force-include"]["scenarios"])
    assert shipped_as.parts[0] in wheel["packages"]
    installed_at = Path(harness.__file__).resolve().parents[1]  # site-packages or the clone
    assert installed_at / shipped_as == suite._SHIPPED[0]


def _imported_modules() -> set[str]:
    """Top-level modules the shipped code imports (pytest only in the pytest plugin)."""
    names = set()
    packages = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    for source in [path for package in packages for path in REPO.glob(f"{package}/**/*.py")]:
        if source.name == "pytest_plugin.py":
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - set(packages)


def test_every_imported_third_party_package_is_a_declared_dependency():
    declared = {
        re.split(r"[<>=!~;\[ ]", requirement)[0].lower()
        for requirement in PYPROJECT["project"]["dependencies"]
    }
    distributions = importlib.metadata.packages_distributions()
    for module in sorted(_imported_modules()):
        names = {d.lower() for d in distributions.get(module, [module])}
        assert names & declared, f"{module} is imported by the package but not a dependency"


def test_without_a_local_folder_the_shipped_suite_is_used(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert suite.default_scenarios() == suite.shipped_suite()
    assert suite.default_scenarios("protocol") == suite.shipped_suite() / "protocol"
    result = CliRunner().invoke(cli, ["validate"], catch_exceptions=False)
    assert result.exit_code == EXIT_OK, result.output
    assert "using the scenarios shipped with qbwc-harness" in result.output
    shipped = len(list(suite.shipped_suite().rglob("*.yaml")))
    assert f"{shipped} scenario file(s) are valid" in result.output


def test_a_local_scenarios_folder_wins(tmp_path, monkeypatch):
    (tmp_path / "scenarios" / "protocol").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert suite.default_scenarios() == Path("scenarios")
    assert suite.default_scenarios("protocol") == Path("scenarios") / "protocol"
