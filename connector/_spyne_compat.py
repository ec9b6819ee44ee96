"""Make spyne 2.14 importable on Python 3.12 and later.

spyne bundles an old copy of ``six`` whose meta-path importer (``_SixMetaPathImporter``)
only implements the PEP 302 ``find_module``/``load_module`` pair. Python 3.12 dropped the
fallback to ``find_module``, so ``from spyne.util.six.moves import ...`` fails there and
spyne cannot be imported at all. This module loads spyne's bundled six on its own (without
running ``spyne/__init__``, which already needs the moves), gives its importer the PEP 451
methods (``find_spec``, ``create_module``, ``exec_module``), and leaves it registered so the
rest of spyne imports normally. Python 3.13 also removed the ``cgi`` module that spyne uses;
the ``legacy-cgi`` distribution (a declared dependency) puts it back.

Import this module before anything from spyne; it is idempotent.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

_SIX_NAME = "spyne.util.six"


def _find_spec(
    self: Any, fullname: str, path: Any = None, target: Any = None
) -> importlib.machinery.ModuleSpec | None:
    if fullname not in self.known_modules:
        return None
    return importlib.util.spec_from_loader(fullname, self)


def _create_module(self: Any, spec: importlib.machinery.ModuleSpec) -> ModuleType:
    # load_module resolves a moved module (e.g. six.moves.http_client -> http.client)
    # and registers it in sys.modules; the import system then uses that object.
    return self.load_module(spec.name)


def _exec_module(self: Any, module: ModuleType) -> None:
    # Everything happened in create_module: the module is an already-imported one.
    return None


def _load_bundled_six() -> ModuleType:
    """Return spyne's bundled six, executing it without running spyne/__init__ first."""
    loaded = sys.modules.get(_SIX_NAME)
    if loaded is not None:
        return loaded
    spyne_spec = importlib.util.find_spec("spyne")
    if spyne_spec is None or not spyne_spec.submodule_search_locations:
        raise ImportError("spyne is not installed (pip install spyne==2.14.0)")
    six_path = Path(next(iter(spyne_spec.submodule_search_locations))) / "util" / "six.py"
    spec = importlib.util.spec_from_file_location(_SIX_NAME, six_path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load spyne's bundled six from {six_path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[_SIX_NAME] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[_SIX_NAME]
        raise
    return module


def install() -> None:
    """Patch spyne's six importer in place; safe to call more than once."""
    six = _load_bundled_six()
    importer_cls = getattr(six, "_SixMetaPathImporter", None)
    if importer_cls is None or hasattr(importer_cls, "find_spec"):
        return
    importer_cls.find_spec = _find_spec
    importer_cls.create_module = _create_module
    importer_cls.exec_module = _exec_module


install()
