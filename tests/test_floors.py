"""The house's floors: imports run one way,

    dealer <- (customers, parts) <- workorders <- (diary, mpi) <- warranty <- care <- reports
    <- demo

so each package stands on the ones below it and never reaches up; customers and parts stand
side by side and import neither each other, as do the diary and the inspection (mpi); the
warranty desk stands on both (a claim carries the photos of the finding its job came from). Only
the app factory (with its CLI registration, ``dealer/__init__.py``) reaches up, to put the
house together. No module imports itself in
a circle, no import hides inside a function, and the migrations import no application code.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOORS = {
    "dealer": 0,
    "customers": 1,
    "parts": 1,
    "workorders": 2,
    "diary": 3,
    "mpi": 3,
    "warranty": 4,
    "care": 5,
    "reports": 6,
}
FLOORS["demo"] = 7
FACTORY = "dealer"
"""The module that builds the app and registers every package's blueprints and commands."""


def module_of(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str, root: Path = ROOT) -> bool:
    path = root.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def application_files() -> list[Path]:
    return sorted(p for package in FLOORS for p in (ROOT / package).rglob("*.py"))


def imports(
    path: Path, *, top_level_only: bool = False, root: Path = ROOT
) -> list[tuple[int, str]]:
    """(line, module) of every application module that ``path`` imports, with the packages
    around it that ``path`` is not inside of (importing ``a.b.c`` from outside ``a.b`` runs
    ``a/b/__init__.py`` first)."""
    here = module_of(path, root)
    tree = ast.parse(path.read_text(), str(path))
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = here.split(".")
                if path.name != "__init__.py":
                    package.pop()
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            names = [
                f"{base}.{alias.name}" if is_module(f"{base}.{alias.name}", root) else base
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            if name.split(".")[0] not in FLOORS:
                continue
            parts = name.split(".")
            found.append((node.lineno, name))
            for end in range(1, len(parts)):
                package = ".".join(parts[:end])
                if not (here == package or here.startswith(package + ".")):
                    found.append((node.lineno, package))
    return sorted(set(found))


def package_of(module: str) -> str:
    return module.split(".")[0]


def test_imports_run_down_the_floors():
    wrong = []
    for path in application_files():
        here = module_of(path)
        if here == FACTORY:
            continue
        for line, target in imports(path):
            a, b = package_of(here), package_of(target)
            if a != b and FLOORS[b] >= FLOORS[a]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert wrong == [], "imports that run up or sideways:\n" + "\n".join(wrong)


def test_no_modules_import_each_other_in_a_circle():
    graph = {
        module_of(path): {target for _, target in imports(path)}
        for path in application_files()
        if module_of(path) != FACTORY
    }
    circles = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in graph:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph[node]:
                circles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert circles == []


def test_no_import_hides_inside_a_function():
    hidden = []
    for path in application_files():
        if module_of(path) == FACTORY:
            continue
        top = {line for line, _ in imports(path, top_level_only=True)}
        hidden += [
            f"{path.relative_to(ROOT)}:{line} imports {target}"
            for line, target in imports(path)
            if line not in top
        ]
    assert hidden == [], "imports inside functions:\n" + "\n".join(hidden)


def test_the_migrations_import_no_application_code():
    reached = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for path in sorted((ROOT / "migrations").rglob("*.py"))
        for line, target in imports(path)
    ]
    assert reached == []


def test_the_check_sees_what_it_looks_for(tmp_path):
    """The checker itself: an import of a module inside a package also runs the package's
    ``__init__.py``, and relative imports resolve to their modules."""
    package = tmp_path / "workorders" / "services"
    package.mkdir(parents=True)
    (tmp_path / "workorders" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("from .estimate import add_job\n")
    (package / "estimate.py").write_text("def add_job(): ...\n")
    wrong = tmp_path / "customers.py"
    wrong.write_text("from workorders.services import estimate\n")
    assert imports(wrong, root=tmp_path) == [
        (1, "workorders"),
        (1, "workorders.services"),
        (1, "workorders.services.estimate"),
    ]
    assert imports(package / "__init__.py", root=tmp_path) == [(1, "workorders.services.estimate")]
