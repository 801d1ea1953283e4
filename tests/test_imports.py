"""Imports between the project's modules: no cycle, and every layer imports only what it may.

Every import counts, whether at the top of a module or inside a function (one made late to
keep the CLI quick still runs, and can still close a cycle): `import x`, `from x import y`
(y a module or a name in x) and relative imports. The layers, from the bottom:

- `agents`: a utility-AI library, importing only itself (and third-party code, never Streamlit);
- `configuration`: the scenario schema, importing `agents`, itself and the role catalogs in
  `world.cast` its schema is built from;
- `world`: the simulation, importing `agents`, `configuration` and itself;
- `experiments`: batches and reports, never the front doors (`views`, `callister`, Streamlit).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("agents", "configuration", "world", "experiments", "callister", "views", "benchmarks")
SCRIPTS = ("dashboard.py",)


@dataclass(frozen=True)
class Import:
    importer: str
    line: int
    target: str  # the module imported, dotted (a name imported from a module counts as it)


@dataclass(frozen=True)
class Rule:
    """What the modules of `layer` may import."""

    layer: str
    allowed: tuple[str, ...] | None  # the project modules it may import; None: any not forbidden
    forbidden: tuple[str, ...]  # modules it never imports, project or third-party


RULES = (
    Rule("agents", allowed=("agents",), forbidden=("streamlit",)),
    Rule(
        "configuration", allowed=("agents", "configuration", "world.cast"), forbidden=("streamlit",)
    ),
    Rule("world", allowed=("agents", "configuration", "world"), forbidden=("streamlit",)),
    Rule("experiments", allowed=None, forbidden=("views", "callister", "dashboard", "streamlit")),
)


def project_modules(root: Path = REPO) -> dict[str, Path]:
    """Every module of the project by dotted name (a package by its own name), tests aside."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    for script in SCRIPTS:
        if (root / script).is_file():
            modules[Path(script).stem] = root / script
    return modules


def imports_of(name: str, source: str, is_package: bool, known: set[str]) -> Iterator[Import]:
    """Every import in a module's source, wherever it is, resolved to the module it loads."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the importer's package, one level up per extra dot
                package = name.split(".") if is_package else name.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, *([node.module] if node.module else [])])
            for alias in node.names:
                submodule = f"{base}.{alias.name}" if base else alias.name
                yield Import(name, node.lineno, submodule if submodule in known else base)


def all_imports(root: Path = REPO) -> list[Import]:
    modules = project_modules(root)
    known = set(modules)
    found = []
    for name, path in modules.items():
        source = path.read_text(encoding="utf-8")
        found.extend(imports_of(name, source, path.name == "__init__.py", known))
    return found


def import_graph(imports: list[Import], known: set[str]) -> dict[str, set[str]]:
    """Module -> the project modules its imports run: each target and the packages above it.

    A package above the importer itself is already imported before the importer runs, so a
    sibling import (`world.cast.crew` importing `world.cast.vocabulary`) does not run it again;
    only naming that package (`from world.cast import CATALOGS`) depends on it.
    """
    graph: dict[str, set[str]] = {name: set() for name in known}
    for found in imports:
        parts = found.target.split(".")
        for end in range(1, len(parts) + 1):
            loaded = ".".join(parts[:end])
            implicit = loaded != found.target
            if implicit and within(found.importer, loaded):
                continue
            if loaded in known and loaded != found.importer:
                graph[found.importer].add(loaded)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as [a, b, ..., a], or None when the graph has none."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" once explored
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)):
            return cycle
    return None


def within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(f"{prefix}.")


def violations(rule: Rule, imports: list[Import]) -> list[str]:
    """`importer:line imports target` for each import of `rule.layer` that breaks the rule."""
    project = {*PACKAGES, *(Path(script).stem for script in SCRIPTS)}
    broken = []
    for found in imports:
        if not within(found.importer, rule.layer):
            continue
        forbidden = any(within(found.target, name) for name in rule.forbidden)
        outside = (
            rule.allowed is not None
            and found.target.split(".")[0] in project
            and not any(within(found.target, name) for name in rule.allowed)
        )
        if forbidden or outside:
            broken.append(f"{found.importer}:{found.line} imports {found.target}")
    return broken


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    return all_imports()


def test_no_import_cycle_between_project_modules(imports):
    cycle = find_cycle(import_graph(imports, set(project_modules())))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize("rule", RULES, ids=[rule.layer for rule in RULES])
def test_each_layer_imports_only_what_it_may(imports, rule):
    if not (REPO / rule.layer).is_dir():
        pytest.skip(f"no {rule.layer}/ package in this tree")
    assert violations(rule, imports) == []


# ---- the checker itself ---------------------------------------------------------------------


def test_imports_inside_functions_and_relative_ones_are_seen():
    source = (
        "import os\n"
        "from world import simulate\n"
        "from . import sibling\n"
        "from ..other import thing\n"
        "def late():\n"
        "    from experiments.store import ResultsStore\n"
    )
    known = {"world", "world.simulate", "pkg.sub.sibling", "pkg.other", "experiments.store"}
    found = [(i.line, i.target) for i in imports_of("pkg.sub.mod", source, False, known)]
    assert found == [
        (1, "os"),
        (2, "world.simulate"),
        (3, "pkg.sub.sibling"),
        (4, "pkg.other"),
        (6, "experiments.store"),
    ]


def test_a_cycle_through_a_late_import_is_found(tmp_path):
    (tmp_path / "experiments").mkdir()
    (tmp_path / "experiments" / "__init__.py").write_text("")
    (tmp_path / "experiments" / "store.py").write_text("from experiments.consolidate import x\n")
    (tmp_path / "experiments" / "consolidate.py").write_text(
        "def read():\n    from experiments import store\n"
    )
    found = all_imports(tmp_path)
    cycle = find_cycle(import_graph(found, set(project_modules(tmp_path))))
    assert cycle in (
        ["experiments.consolidate", "experiments.store", "experiments.consolidate"],
        ["experiments.store", "experiments.consolidate", "experiments.store"],
    )


def test_a_package_importing_its_modules_is_no_cycle_but_a_module_naming_it_is():
    known = {"pkg", "pkg.a", "pkg.b"}
    found = [Import("pkg", 1, "pkg.a"), Import("pkg", 1, "pkg.b"), Import("pkg.a", 2, "pkg.b")]
    assert find_cycle(import_graph(found, known)) is None
    found.append(Import("pkg.b", 3, "pkg"))  # `from pkg import NAME` inside pkg.b
    assert find_cycle(import_graph(found, known)) == ["pkg", "pkg.a", "pkg.b", "pkg"]


def test_a_layer_reaching_up_is_reported():
    found = [
        Import("world.model", 3, "experiments.store"),
        Import("world.model", 4, "agents.brain"),
        Import("agents.brain", 5, "streamlit"),
        Import("agents.brain", 6, "numpy"),
    ]
    world, agents = RULES[2], RULES[0]
    assert violations(world, found) == ["world.model:3 imports experiments.store"]
    assert violations(agents, found) == ["agents.brain:5 imports streamlit"]


def test_callister_help_does_not_build_the_schema_or_load_mesa():
    """`callister --help` stays instant: the schema (built from the cast) loads Mesa."""
    probe = (
        "import sys\n"
        "from callister.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('mesa', 'configuration.scenario') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
