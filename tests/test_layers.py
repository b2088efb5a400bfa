"""Packages import downward only: a domain module never imports a package above its own.

The layers, lowest first. The interface modules (pages, forms, command line, the API, the app
factory, the demo) sit on top of every package and may call any of them; no domain module may
import them.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "enforcement"
LAYERS = (
    {"core", "extensions"},
    {"auth", "users"},
    {"holidays", "deadlines"},
    {"hosters"},
    {"notices"},
    {"metrics"},
    {"fines"},
    {"cases"},
    {"orders"},
    {"letters"},
    {"dispatch"},
    {"casework"},
    {"sanctions"},
    {"public"},
)
LAYER = {name: level for level, names in enumerate(LAYERS) for name in names}
INTERFACE_FILES = {"views.py", "step_views.py", "staff_views.py", "forms.py", "cli.py", "api.py"}
INTERFACE_MODULES = {"__init__", "cli", "demo", "jobs", "models"}  # enforcement/<name>.py


def area(module: str) -> str | None:
    """Return the area of ``enforcement.<area>...`` (a package or a top-level module)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "enforcement" else None


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def domain_modules() -> list[Path]:
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if len(relative.parts) == 1 and path.stem in INTERFACE_MODULES:
            continue
        if path.name not in INTERFACE_FILES:
            modules.append(path)
    return modules


def own_area(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else path.stem


def test_every_area_has_a_layer():
    areas = {own_area(path) for path in domain_modules()}
    assert areas <= set(LAYER), f"give these a layer: {sorted(areas - set(LAYER))}"


@pytest.mark.parametrize("path", domain_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_domain_modules_import_downward_only(path):
    mine = own_area(path)
    upward = sorted(
        module
        for module in imported_modules(path)
        if (other := area(module)) is not None
        and other != mine
        and (other not in LAYER or LAYER[other] > LAYER[mine])
    )
    assert not upward, f"{mine} (layer {LAYER[mine]}) imports above itself: {upward}"


def test_no_domain_module_imports_the_interface():
    offenders = sorted(
        f"{path.relative_to(PACKAGE)} -> {module}"
        for path in domain_modules()
        for module in imported_modules(path)
        if module.rsplit(".", 1)[-1] in {p.removesuffix(".py") for p in INTERFACE_FILES}
        and area(module) is not None
    )
    assert not offenders
