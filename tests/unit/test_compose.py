"""compose.yaml (README: Scaling out): checked by `docker compose config` where the Docker
client and its compose plugin are installed (no engine is needed for that); what it must
contain is checked everywhere."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.yaml"


def compose_available() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30).returncode == 0


def test_compose_has_every_part_with_health_checks() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    services = re.findall(r"^  ([a-z]+):$", text.split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0], re.MULTILINE)
    assert services == ["postgres", "redis", "migrate", "web", "worker", "proxy"]
    assert text.count("healthcheck:") == 5  # all but the one-shot migration
    assert re.search(r'command: \["birge", "web"\]\n    deploy:\n      replicas: 2', text)
    assert re.search(r'command: \["birge", "worker"\]\n    deploy:\n      replicas: 2', text)
    assert "server web:8080" in (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")


@pytest.mark.skipif(not compose_available(), reason="no `docker compose` client here: compose.yaml not checked by it")
def test_docker_compose_accepts_the_file(tmp_path: Path) -> None:
    env = {**os.environ, "BOT_TOKEN": "123456:TEST-TOKEN", "POSTGRES_PASSWORD": "secret",
           "WEBHOOK_URL": "https://bot.example.kz/webhook", "WEBHOOK_SECRET": "0123456789abcdef"}
    result = subprocess.run(["docker", "compose", "-f", str(COMPOSE), "config", "--quiet"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
