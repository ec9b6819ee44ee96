"""Every YAML example in the README and docs/ works as written: a whole scenario runs and
passes, a capability declaration loads, and a fragment of a scenario (a `given:` or an
`expect:` block) loads inside a minimal scenario."""

import re
from pathlib import Path

import pytest
import yaml

from harness.runner.run import RunOptions, run_scenario
from harness.scenario import default_registry, load_scenario
from harness.world import WorldOptions

REPO = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.DOTALL | re.MULTILINE)
#: Wraps a fragment; its own keys replace these.
MINIMAL = {"id": "doc-fragment", "title": "a documentation fragment", "behaviors": ["WC-01"]}


def _examples() -> list[tuple[str, str]]:
    found = []
    for doc in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        for match in BLOCK.finditer(text):
            line = text.count("\n", 0, match.start()) + 2
            found.append((f"{doc.relative_to(REPO)}:{line}", match[1]))
    return found


EXAMPLES = _examples()
OPTIONS = RunOptions(WorldOptions())


def test_the_docs_have_examples_to_check():
    assert any(where.startswith("README.md") for where, _ in EXAMPLES)
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize(("where", "text"), EXAMPLES, ids=[w for w, _ in EXAMPLES])
def test_each_yaml_example_works_as_written(where, text, tmp_path):
    data = yaml.safe_load(text)
    if data is None:  # only comments (the editor's $schema line)
        return
    path = tmp_path / "example.yaml"
    if "claims" in data:
        from harness.certification import load_capabilities

        path.write_text(text, encoding="utf-8")
        load_capabilities(path)
    elif "id" in data:
        result = run_scenario(load_scenario(path, default_registry(), text), OPTIONS)
        assert result.status == "passed", (where, result.failure and result.failure.render(path))
    else:
        scenario = {**MINIMAL, "expect": {}, **data}
        load_scenario(path, default_registry(), yaml.safe_dump(scenario))
