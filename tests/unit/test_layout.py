"""The layout rules of docs/architecture.md, checked on the source (imports read with ``ast``).

Lazy imports (inside functions) count: a cycle hidden by a lazy import is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PKG = SRC / "newslineage"
MAX_LINES = 600
CORE = ("text", "ingest", "extract", "store", "index", "align", "lineage", "drift", "semantic")
OUTER = ("engines", "report", "web", "cli", "api")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def _resolve(module: str, node: ast.ImportFrom | ast.Import) -> list[str]:
    """The project modules one import statement loads (a package's ``__init__`` included)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = node.module or ""
        if node.level:
            here = module.split(".")
            is_pkg = MODULES[module].name == "__init__.py"
            anchor = here if is_pkg else here[:-1]
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        names = [base, *(f"{base}.{a.name}" for a in node.names)]
    found = []
    for name in names:
        parts = name.split(".")
        # importing a.b.c loads a, a.b and a.b.c
        for i in range(1, len(parts) + 1):
            prefix = ".".join(parts[:i])
            if prefix in MODULES and prefix != "newslineage":
                found.append(prefix)
    return found


def _imports(module: str) -> set[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    deps: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            deps.update(_resolve(module, node))
    # a module's own parent packages are loaded before it anyway: not an arrow of the layout
    parents = {module.rsplit(".", i)[0] for i in range(1, module.count(".") + 1)}
    return deps - parents - {module}


GRAPH = {m: _imports(m) for m in MODULES}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_over_600_lines(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module}: {lines} lines; split it by responsibility"


def test_core_layers_import_no_outer_layer() -> None:
    bad = [
        f"{m} -> {d}"
        for m, deps in GRAPH.items()
        if _layer(m) in CORE
        for d in deps
        if _layer(d) in OUTER
    ]
    assert not bad, "core layers must not import engines/report/web/cli/api:\n" + "\n".join(bad)


def test_spark_engine_imports_no_local_engine_logic() -> None:
    bad = [
        f"{m} -> {d}"
        for m, deps in GRAPH.items()
        if m.startswith("newslineage.engines.spark")
        for d in deps
        if d.startswith("newslineage.engines")
        and not d.startswith("newslineage.engines.spark")
        # the pool's helpers, and the semantic layer's run that every engine shares (the
        # Spark engine plugs its executors into it: docs/spark.md)
        and d
        not in ("newslineage.engines", "newslineage.engines.pool", "newslineage.engines.semantic")
    ]
    assert not bad, "the Spark engine calls the layers' functions, not the local engine:\n" + (
        "\n".join(bad)
    )


def _cycle() -> list[str] | None:
    """One import cycle among the project's modules, or None (iterative DFS, colours)."""
    colour: dict[str, int] = {}
    for start in sorted(GRAPH):
        if colour.get(start):
            continue
        stack = [(start, iter(sorted(GRAPH[start])))]
        path = [start]
        colour[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                colour[node] = 2
                stack.pop()
                path.pop()
            elif colour.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            elif not colour.get(nxt):
                colour[nxt] = 1
                stack.append((nxt, iter(sorted(GRAPH[nxt]))))
                path.append(nxt)
    return None


def test_no_import_cycle() -> None:
    cycle = _cycle()
    assert cycle is None, "import cycle (lazy imports count): " + " -> ".join(cycle or [])


def test_the_checker_sees_a_cycle() -> None:
    """Guard: the cycle finder is not vacuous."""
    saved = dict(GRAPH)
    try:
        GRAPH["newslineage.model"] = {*GRAPH["newslineage.model"], "newslineage.api"}
        assert _cycle() is not None
    finally:
        GRAPH.clear()
        GRAPH.update(saved)
