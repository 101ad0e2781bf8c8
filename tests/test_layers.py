"""The import rules of DESIGN.md, checked by parsing every module with ``ast``."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "xl_tdr"
#: Top-level modules and packages of xl_tdr by layer, lowest first.
LAYERS = {
    "base": {"errors", "config", "labels"},
    "pure": {"metrics", "periods", "query", "scales", "provenance"},
    "reference": {"reference", "palette"},
    "data": {"data", "sources", "snapshot"},
    "service": {"service", "tables", "refresh"},
    "face": {"api", "cli", "udfs", "addin", "report", "workbook", "images"},
}
RANK = {layer: rank for rank, layer in enumerate(LAYERS)}
#: Faces that another face may use: the add-in builder writes one wrapper per worksheet function
#: and the ribbon builds and updates reports (through their layout) and exports the chart; the
#: report is written by the workbook generator; `xl-tdr addin`, `build` and `chart` run those faces;
#: the Python API builds reports and draws charts with its own service.
FACE_PAIRS = {("addin", "udfs"), ("addin", "report"), ("addin", "workbook"), ("addin", "images"), ("cli", "addin"),
              ("cli", "report"), ("cli", "images"), ("report", "workbook"), ("api", "report"), ("api", "images")}


def modules():
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).with_suffix("")
        yield rel.parts, ast.parse(path.read_text(), filename=str(path))


def imports_of(parts, tree):
    """(kind, name): ("lib", top-level library) or ("own", xl_tdr module path) for every import."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")
                found.add(("own", ".".join(top[1:])) if top[0] == "xl_tdr" else ("lib", top[0]))
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                top = node.module.split(".")
                if top[0] != "xl_tdr":
                    found.add(("lib", top[0]))
                    continue
                base = top[1:]
            else:
                package = list(parts[:-1]) if parts[-1] != "__init__" else list(parts[:-1])
                base = package[: len(package) - (node.level - 1)] + (node.module.split(".") if node.module else [])
            for alias in node.names:
                found.add(("own", ".".join(base) if base else alias.name))
    return found


def layer_of(name: str) -> str | None:
    top = name.split(".")[0]
    return next((layer for layer, members in LAYERS.items() if top in members), None)


def test_outside_libraries_stay_in_their_place():
    allowed = {"requests": ("sources",), "xlwings": ("udfs", "addin"),
               "openpyxl": ("workbook", "sources"), "matplotlib": ("images",)}
    for parts, tree in modules():
        for kind, name in imports_of(parts, tree):
            if kind == "lib" and name in allowed:
                assert parts[0] in allowed[name], f"{'/'.join(parts)} imports {name}"


def test_pure_modules_do_no_io():
    banned = {"sqlite3", "requests", "os", "pathlib", "socket", "urllib", "pandas", "openpyxl"}
    for parts, tree in modules():
        if parts[0] in LAYERS["pure"]:
            libs = {name for kind, name in imports_of(parts, tree) if kind == "lib"}
            own = {name for kind, name in imports_of(parts, tree) if kind == "own"}
            assert not libs & banned, parts
            assert {layer_of(name) for name in own} <= {"base", "pure"}, parts


def test_dependencies_point_down():
    for parts, tree in modules():
        here = parts[0]
        if here == "__main__":
            continue  # `python -m xl_tdr` is the CLI
        for kind, name in imports_of(parts, tree):
            top = name.split(".")[0]
            if kind != "own" or top in (here, "__init__", "") or here == "__init__":
                continue
            mine, theirs = layer_of(here), layer_of(name)
            assert mine and theirs, f"{'/'.join(parts)} imports {name}: place both in a layer"
            if mine == theirs == "face":
                assert (here, top) in FACE_PAIRS, f"{'/'.join(parts)} imports the face {name}"
            assert RANK[theirs] <= RANK[mine], f"{'/'.join(parts)} ({mine}) imports {name} ({theirs})"


def test_every_module_is_placed_in_a_layer():
    known = set().union(*LAYERS.values()) | {"__init__", "__main__"}
    assert {parts[0] for parts, _ in modules()} <= known


def test_faces_ask_the_service():
    """One road: a face never imports the store, the indexes or the sources, and no module reads
    another object's private attributes (``svc._store``, ``view._index``)."""
    public = {"_make", "_replace", "_asdict", "_fields",  # namedtuple methods
              "_charts"}  # openpyxl's charts of a worksheet (it has no public name for them)
    for parts, tree in modules():
        if layer_of(parts[0]) == "face":
            reached = {name for kind, name in imports_of(parts, tree)
                       if kind == "own" and name.split(".")[0] in ("data", "sources")}
            assert not reached, f"{'/'.join(parts)} reaches past the service into {reached}"
        own = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        own |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                    and node.attr not in public | own):
                assert False, f"{'/'.join(parts)} line {node.lineno} reads {ast.unparse(node)}"


def _literals(tree):
    """String constants of a module that are not docstrings."""
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and ast.get_docstring(node) is not None}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs]


def test_codes_and_census_names_are_written_once():
    """In xl_tdr, the World, USMCA, China and every group or continent code are written only in
    ``reference/partner_facts.py``; the Census column names only in ``sources/census.py`` (the
    loopback Census of the tests reads them there too)."""
    import re

    from xl_tdr.reference import partner_facts
    from xl_tdr.sources import census

    codes = re.compile(r"00\d\d|\dXXX")
    named = {partner_facts.USMCA, partner_facts.CHINA}
    names = {k: v for k, v in vars(census).items() if not k.startswith("_")}
    values = [v for v in names.values() if isinstance(v, str)]
    values += [v for table in names.values() if isinstance(table, dict) for v in table.values()]
    columns = {v for v in values if re.fullmatch(r"[A-Z]+_[A-Z_]+|CTYNAME|[a-z]+_usd", v)}
    assert {"CTY_CODE", "GEN_VAL_MO", "E_COMMODITY", "CTYNAME"} <= columns
    trees = [(parts, tree) for parts, tree in modules()]
    server = PACKAGE.parent / "tests" / "census_server.py"
    trees.append((("tests", "census_server"), ast.parse(server.read_text())))
    for parts, tree in trees:
        where = "/".join(parts)
        for line, text in _literals(tree):
            if where != "reference/partner_facts" and parts[0] != "tests":
                assert not (codes.fullmatch(text) or text in named), f"{where} line {line} writes the code {text!r}"
            if where != "sources/census":
                assert text not in columns, f"{where} line {line} writes the Census column {text!r}"
        for node in ast.walk(tree):  # the World's code compared with a partner
            if isinstance(node, ast.Compare) and where != "reference/partner_facts" and parts[0] != "tests":
                sides = [node.left, *node.comparators]
                if (any(isinstance(side, ast.Constant) and side.value == "-" for side in sides)
                        and "code" in ast.unparse(node).lower()):
                    assert False, f"{where} line {node.lineno} compares with the World's code: {ast.unparse(node)}"


def _module_graph() -> dict[str, set[str]]:
    """Module → the xl_tdr modules it imports anywhere (inside functions too), as dotted paths
    (``data.store``, ``images`` for a package's ``__init__``)."""
    known = {".".join(p for p in parts if p != "__init__") for parts, _ in modules()}

    def resolve(base: list[str], name: str | None) -> str:
        dotted = ".".join(base + ([name] if name else []))
        return dotted if dotted in known else ".".join(base)

    graph: dict[str, set[str]] = {}
    for parts, tree in modules():
        here = ".".join(p for p in parts if p != "__init__")
        package = list(parts[:-1])
        found = graph.setdefault(here, set())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {resolve(a.name.split(".")[1:], None) for a in node.names if a.name.split(".")[0] == "xl_tdr"}
            elif isinstance(node, ast.ImportFrom):
                if node.level == 0:
                    if node.module.split(".")[0] != "xl_tdr":
                        continue
                    base = node.module.split(".")[1:]
                else:
                    base = package[: len(package) - (node.level - 1)] + (node.module.split(".") if node.module else [])
                found |= {resolve(base, a.name) for a in node.names}
        found.discard(here)
        found.discard("")
    return graph


def test_no_import_circle():
    """No module reaches itself through imports, not even through an import inside a function."""
    graph = _module_graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in list(graph):
        if node not in index:
            visit(node)
    assert circles == []
    assert {"data.store", "service", "api", "images"} <= set(graph) and "service" in graph["api"]


def test_every_error_says_what_kind_it_is():
    """A caller can tell a bad argument from a bad setting, template, data or source: nothing
    raises the base ``XlTdrError`` itself."""
    for parts, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                called = node.exc.func
                name = called.id if isinstance(called, ast.Name) else getattr(called, "attr", "")
                assert name != "XlTdrError", f"{'/'.join(parts)} line {node.lineno} raises a bare XlTdrError"
