"""Every change to a device goes through the coordinator's one door, as a command."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "custom_components" / "heliotherm_podero"
# A source's methods that change a device: only the commands (sources/commands.py) call them.
WRITING = frozenset(
    {
        "async_write",
        "async_write_setting",
        "async_set_time_program",
        "async_edit_time_program",
        "async_set_clock",
        "async_set_away",
        "async_clear_away",
        "async_pause_power",
        "async_resume_power",
    }
)


def _calls(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.func.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in WRITING
    ]


def test_no_module_of_the_upper_floor_calls_a_sources_writing_method() -> None:
    upper = [p for p in PACKAGE.rglob("*.py") if "sources" not in p.relative_to(PACKAGE).parts]
    assert len(upper) > 20
    found = {
        f"{path.relative_to(PACKAGE)}:{line}": name for path in upper for line, name in _calls(path)
    }
    assert found == {}


def test_on_the_lower_floor_only_the_commands_and_the_sources_themselves_do() -> None:
    sources = PACKAGE / "sources"
    callers = {
        path.relative_to(sources).as_posix() for path in sources.rglob("*.py") if _calls(path)
    }
    # The commands, and a source passing a write on to its own client.
    assert callers <= {"commands.py", "heliotherm/source.py"}
    assert "commands.py" in callers
