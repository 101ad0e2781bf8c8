"""The import rules of DESIGN.md, checked by parsing every module with ``ast``."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "xl_tdr"
FACES = {"cli", "udfs", "addin"}
PURE = {"metrics", "periods", "query"}
# Modules the data layer may use besides itself: base modules and pure facts.
LAYER = {
    "base": {"errors", "config", "partner_facts", "chapter_facts", "labels"},
    "data": {"store", "snapshot", "sector_snapshot", "observations", "registry_builder", "sources"},
    "domain": {"metrics", "periods", "registry", "hs", "query", "index", "sector_index"},
    "service": {"service", "api", "tables", "workbook", "report", "refresh", "sector_refresh"},
}
RANK = {"base": 0, "data": 1, "domain": 2, "service": 3}


def modules():
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).with_suffix("")
        yield rel.parts, ast.parse(path.read_text(), filename=str(path))


def imports_of(parts, tree):
    """(top-level library or xl_tdr submodule) for every import in a module."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {("lib", alias.name.split(".")[0]) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                top = node.module.split(".")[0]
                if top == "xl_tdr":
                    rest = node.module.split(".")[1:]
                    found |= {("own", rest[0] if rest else alias.name) for alias in node.names}
                else:
                    found.add(("lib", top))
            else:
                base = list(parts[:-1])[: len(parts) - node.level]
                target = (base + (node.module.split(".") if node.module else []))
                names = [target[0]] if target else [alias.name for alias in node.names]
                found |= {("own", name) for name in names}
    return found


def layer_of(name):
    for layer, members in LAYER.items():
        if name in members:
            return layer
    return None


def test_outside_libraries_stay_in_their_place():
    allowed = {"requests": ("sources",), "xlwings": ("udfs", "addin"),
               "openpyxl": ("workbook", "sources")}
    for parts, tree in modules():
        for kind, name in imports_of(parts, tree):
            if kind == "lib" and name in allowed:
                assert parts[0] in allowed[name], f"{'/'.join(parts)} imports {name}"


def test_pure_modules_do_no_io():
    banned = {"sqlite3", "requests", "os", "pathlib", "socket", "urllib", "pandas", "openpyxl"}
    for parts, tree in modules():
        if parts[0] in PURE:
            libs = {name for kind, name in imports_of(parts, tree) if kind == "lib"}
            own = {name for kind, name in imports_of(parts, tree) if kind == "own"}
            assert not libs & banned, parts
            assert own <= {"errors", "periods"}, parts


def test_dependencies_point_down():
    for parts, tree in modules():
        here = parts[0]
        if here == "__main__":
            continue  # `python -m xl_tdr` is the CLI
        for kind, name in imports_of(parts, tree):
            if kind != "own" or name == here or name in ("__init__", "__main__"):
                continue
            reads_face = name in FACES and here != name
            # the add-in builder writes one wrapper per function; `xl-tdr addin` runs the builder
            assert not reads_face or (here, name) in {("addin", "udfs"), ("cli", "addin")}, \
                f"{'/'.join(parts)} imports the face {name}"
            mine, theirs = layer_of(here), layer_of(name)
            if mine and theirs:
                assert RANK[theirs] <= RANK[mine], f"{'/'.join(parts)} ({mine}) imports {name} ({theirs})"


def test_every_module_is_placed_in_a_layer():
    known = set().union(*LAYER.values()) | FACES | {"__init__", "__main__"}
    assert {parts[0] for parts, _ in modules()} <= known
