"""Every module of the package imports, and every docstring example runs and shows what it says.

The examples are run here rather than by ``pytest --doctest-modules`` so that they get this
folder's fixtures (a private cache directory) and its warning filters.
"""
import doctest
import importlib
import pkgutil

import pytest

import workbench

MODULES = ["workbench", *sorted(m.name for m in pkgutil.walk_packages(workbench.__path__, "workbench."))]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _examples(name: str) -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    return [t for t in finder.find(importlib.import_module(name)) if t.examples]


WITH_EXAMPLES = [name for name in MODULES if _examples(name)]


@pytest.mark.parametrize("name", MODULES)
def test_every_module_imports(name):
    module = importlib.import_module(name)
    assert module.__name__ == name and module.__doc__, f"{name} has no module docstring"


def test_the_modules_are_found():
    assert {"workbench.cli", "workbench.cli.common", "workbench.keyness", "workbench.viz", "workbench.widgets"} <= set(MODULES)
    assert {"workbench", "workbench.keyness", "workbench.viz", "workbench.topics"} <= set(WITH_EXAMPLES)


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples(name):
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report = []
    for test in _examples(name):
        runner.run(test, out=report.append)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0
    assert result.failed == 0, "".join(report)
