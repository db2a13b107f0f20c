"""The layers, checked on the source: every module of the project is parsed with `ast` and
its imports (at the top, inside functions, under TYPE_CHECKING alike) become the edges of
one graph. The graph has no cycles; arrows point from handlers/ to bot/ to storage/, never
back (the composition root aside); bot/domain is pure; bot/infra serves features without
knowing them; storage/ knows nothing of Telegram; no module grows past 400 lines."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "storage", "emulator")
# The composition root: the only modules of bot/ that see handlers/ (they wire the
# routers into the dispatcher and start the application from the command line).
COMPOSITION_ROOT = frozenset({"bot.app", "bot.__main__", "bot.cli"})
IO_LIBRARIES = ("sqlalchemy", "aiogram", "aiohttp", "aiosqlite", "asyncpg", "alembic", "apscheduler", "openpyxl")
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> Iterator[Path]:
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


MODULES = {module_name(path): path for path in source_files()}


def imported_names(name: str, path: Path) -> Iterator[str]:
    """Every module `name` imports, as absolute dotted names (relative imports resolved)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                # `from package import module` is an arrow to the module, not to the package.
                submodule = f"{module}.{alias.name}"
                yield submodule if submodule in MODULES else module


def project_module(imported: str) -> str | None:
    """The project module an import refers to (the longest known prefix), if any."""
    parts = imported.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in MODULES:
            return candidate
        parts.pop()
    return None


def build_graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Edges between project modules, and every imported name (project or not) per module."""
    edges: dict[str, set[str]] = {name: set() for name in MODULES}
    imports: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for imported in imported_names(name, path):
            imports[name].add(imported)
            target = project_module(imported)
            if target is not None and target != name:
                edges[name].add(target)
    return edges, imports


EDGES, IMPORTS = build_graph()


def find_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return cycles


def in_package(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_the_graph_sees_the_project() -> None:
    # Guards the checks below against an empty or broken graph.
    assert {"bot.app", "bot.domain", "handlers", "storage.models", "emulator.server"} <= set(MODULES)
    assert "storage.models" in EDGES["storage.repositories.signups"]
    assert any(in_package(target, "handlers") for target in EDGES["bot.app"])


def test_find_cycles_finds_a_cycle_hidden_in_a_function() -> None:
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    assert find_cycles(EDGES) == []


def test_only_the_composition_root_imports_handlers() -> None:
    arrows = sorted(f"{name} -> {target}" for name, targets in EDGES.items() for target in targets
                    if in_package(target, "handlers") and not in_package(name, "handlers")
                    and name not in COMPOSITION_ROOT)
    assert arrows == []


def test_storage_knows_nothing_of_telegram_or_the_services() -> None:
    arrows = sorted(f"{name} -> {imported}" for name, imported_set in IMPORTS.items() if in_package(name, "storage")
                    for imported in imported_set
                    if in_package(imported, "aiogram")
                    or (project_module(imported) or "").split(".")[0] in {"bot", "handlers", "emulator"}
                    and not in_package(project_module(imported) or "", "bot.domain"))
    assert arrows == []


def test_the_domain_is_pure() -> None:
    arrows = sorted(f"{name} -> {imported}" for name, imported_set in IMPORTS.items() if in_package(name, "bot.domain")
                    for imported in imported_set
                    if imported.split(".")[0] in IO_LIBRARIES
                    or (project_module(imported) is not None and not in_package(project_module(imported) or "",
                                                                                "bot.domain")))
    assert arrows == []


def test_infrastructure_imports_no_feature() -> None:
    allowed = ("bot.infra", "bot.domain", "bot.config")
    arrows = sorted(f"{name} -> {target}" for name, targets in EDGES.items() if in_package(name, "bot.infra")
                    for target in targets if target.split(".")[0] in {"bot", "handlers"}
                    and not any(in_package(target, package) for package in allowed))
    assert arrows == []


def test_the_emulator_stands_alone() -> None:
    arrows = sorted(f"{name} -> {target}" for name, targets in EDGES.items() if in_package(name, "emulator")
                    for target in targets if not in_package(target, "emulator"))
    assert arrows == []


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_over_400_lines(package: str) -> None:
    too_long = {name: count for name, path in MODULES.items() if in_package(name, package)
                and (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert too_long == {}
