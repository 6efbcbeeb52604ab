"""Accounts sits below every feature app: nothing in it imports one of them.

The one exception is the privacy page (``accounts/views.py``), a top-layer page that shows the
leaderboard choice gamification owns.
"""

import ast
from pathlib import Path

import accounts

ABOVE = {"tenancy", "gamification", "community", "cms", "realtime", "rewards"}
ALLOWED = {"views.py": {"gamification"}}


def imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_accounts_imports_nothing_from_the_apps_above_it():
    root = Path(accounts.__file__).parent
    upward = {
        str(path.relative_to(root)): sorted(
            (imported_apps(path) & ABOVE) - ALLOWED.get(str(path.relative_to(root)), set())
        )
        for path in root.rglob("*.py")
    }
    assert {name: apps for name, apps in upward.items() if apps} == {}


def test_the_privacy_page_takes_only_the_leaderboard_choice_from_above():
    source = (Path(accounts.__file__).parent / "views.py").read_text()
    modules = {
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert {m for m in modules if m.split(".")[0] in ABOVE} == {"gamification"}
    assert "from gamification import privacy as boards" in source
