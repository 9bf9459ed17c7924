"""The apps' layers: each imports only those below it, and nothing imports the demo.

Read from the source with ast, so an upward import anywhere in an app's code
(a function-level import included) fails here before it knots the house again.
Migrations are left out: they name other apps' migrations by design.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Bottom first. An app may import the ground floor and any app on a lower layer.
LAYERS = [
    {"programs"},
    {"jobs"},
    {"participants"},
    {"sessions", "checklists", "surveys"},
    {"reports"},
    {"certificates"},
    {"demo"},
]
GROUND = "pkk_training"
APPS = set().union(*LAYERS)
# The ground floor's root URLconf and settings wire the apps together.
WIRING = {ROOT / GROUND / "urls.py", ROOT / GROUND / "settings.py"}


def layer_of(app):
    return next(i for i, layer in enumerate(LAYERS) if app in layer)


def imported_apps(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in APPS or top == GROUND:
                yield top, node.lineno


def app_sources(app):
    return [
        path
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and path not in WIRING
    ]


def import_edges():
    edges = []
    for app in sorted(APPS | {GROUND}):
        for path in app_sources(app):
            for target, line in imported_apps(path):
                if target != app:
                    edges.append((app, target, f"{path.relative_to(ROOT)}:{line}"))
    return edges


@pytest.mark.parametrize("app", sorted(APPS))
def test_app_imports_only_lower_layers(app):
    upward = [
        where
        for source, target, where in import_edges()
        if source == app and target != GROUND and layer_of(target) >= layer_of(app)
    ]

    assert upward == []


def test_ground_floor_imports_no_app():
    assert [where for source, _target, where in import_edges() if source == GROUND] == []


def test_app_import_graph_has_no_cycle():
    graph = {app: set() for app in APPS | {GROUND}}
    for source, target, _where in import_edges():
        graph[source].add(target)
    done, on_path = set(), []

    def visit(node):
        if node in on_path:
            raise AssertionError(" -> ".join([*on_path[on_path.index(node) :], node]))
        if node not in done:
            on_path.append(node)
            for target in sorted(graph[node]):
                visit(target)
            on_path.pop()
            done.add(node)

    for app in sorted(graph):
        visit(app)


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The checker itself: an upward import planted in a copy of an app is found."""
    fake = tmp_path / "participants"
    fake.mkdir()
    (fake / "views.py").write_text("from checklists.services import track_assign\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)

    edges = [(s, t) for s, t, _ in import_edges()]

    assert edges == [("participants", "checklists")]
