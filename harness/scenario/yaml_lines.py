"""Load YAML and remember where every value came from, so errors can name file:line.

PyYAML's composed node tree carries start marks; we keep a map from the path of each
value (a tuple of keys and indexes, the same shape as a pydantic error's ``loc``) to its
1-based line number.

The walk that records lines also bounds the document before it becomes Python data (a
hostile or mistaken file must end in a file:line error, never a traceback or gigabytes):
an alias that contains itself, more values than ``MAX_VALUES`` once aliases are expanded
(an alias bomb: ten aliases of ten make 10**10), nesting deeper than ``MAX_DEPTH``, and
integers longer than ``MAX_INT_DIGITS`` (Python refuses to read ones over 4300 digits).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

# libyaml's parser when PyYAML was built with it (several times faster); marks are the same.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[str | int, ...]

#: Far above any scenario, capability or seed file (the largest holds a few thousand).
MAX_VALUES = 100_000
MAX_DEPTH = 64
#: An amount, a count or a port has a few digits; QuickBooks amounts at most 15 or so.
MAX_INT_DIGITS = 100
_INT_TAG = "tag:yaml.org,2002:int"


@dataclass
class LocatedDocument:
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int:
        """The line of the deepest located value on ``path`` (the file's first line if none)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


class YamlSyntaxError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def load_located(text: str) -> LocatedDocument:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlSyntaxError(line, f"{exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, str(exc)) from None
    except RecursionError:  # the pure-Python composer, on a very deep document
        raise YamlSyntaxError(1, f"nested more than {MAX_DEPTH} levels deep") from None
    lines: dict[Path_, int] = {}
    if node is None:
        return LocatedDocument(None, lines)
    _record(node, (), lines)
    constructor = _Loader(text)
    try:
        data = constructor.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlSyntaxError(mark.line + 1 if mark else 1, str(exc.problem)) from None
    finally:
        constructor.dispose()
    return LocatedDocument(data, lines)


def _record(root: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    """Record every value's line, depth first, within the bounds of the module docstring."""
    count = 0
    # (node, its path, the nodes it sits in: an alias of one of those is a cycle)
    stack: list[tuple[yaml.Node, Path_, tuple[int, ...]]] = [(root, path, ())]
    while stack:
        node, here, outer = stack.pop()
        line = node.start_mark.line + 1
        count += 1
        if count > MAX_VALUES:
            raise YamlSyntaxError(
                line, f"more than {MAX_VALUES} values once aliases are expanded (an alias bomb?)"
            )
        if id(node) in outer:
            raise YamlSyntaxError(line, "an alias that contains itself (a recursive alias)")
        if len(outer) >= MAX_DEPTH:
            raise YamlSyntaxError(line, f"nested more than {MAX_DEPTH} levels deep")
        lines[here] = line
        inner = (*outer, id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in reversed(node.value):
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
                child = (*here, key)
                stack.append((value_node, child, inner))
        elif isinstance(node, yaml.SequenceNode):
            for index in range(len(node.value) - 1, -1, -1):
                stack.append((node.value[index], (*here, index), inner))
        elif node.tag == _INT_TAG and len(node.value) > MAX_INT_DIGITS:
            raise YamlSyntaxError(
                line, f"an integer of {len(node.value)} digits; at most {MAX_INT_DIGITS} are read"
            )
