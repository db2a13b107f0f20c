"""What the wheel ships: the bot's packages and the Bot API emulator, never the benchmarks
or test code (they are run from a checkout, not installed)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Left out of the copy that is built: local state, not sources.
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__",
                                     ".pytest_cache", "*.db", "*.db-*", "*.mo", ".env")


def test_the_wheel_holds_the_application_and_the_emulator_but_no_benchmarks_or_tests(tmp_path: Path) -> None:
    # Built from a copy, so the build neither writes into the checkout nor reads a stale build/.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    out = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", str(out)],
                   cwd=source, check=True, capture_output=True)
    (wheel,) = out.glob("birge-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/", 1)[0] for name in names if not name.split("/", 1)[0].endswith(".dist-info")}

    assert top_level == {"bot", "handlers", "storage", "emulator"}
    assert "emulator/__init__.py" in names and "emulator/server.py" in names
    assert "emulator/spec/bot_api.json" in names  # the field list every request is checked against
    # `birge sandbox` serves its page from the installed package.
    assert {f"emulator/sandbox/static/{name}" for name in ("index.html", "app.js", "style.css", "i18n.json")} <= set(names)
    assert "bot/__main__.py" in names and "storage/migrations/env.py" in names
    assert not [name for name in names if "bench" in name or "test" in name.lower() or "conftest" in name]
