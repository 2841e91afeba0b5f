"""Le premier lancement écrit .env avec SECRET_KEY et FIELD_ENCRYPTION_KEY neuves ; un .env existant n'est
jamais réécrit, il reçoit seulement la clé de chiffrement qui lui manque."""

import base64
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[4] / "scripts"
sys.path.insert(0, str(SCRIPTS))
from dotenv_file import ensure_dotenv  # noqa: E402

EXAMPLE = SCRIPTS.parent / ".env.example"


def _value(path: Path, name: str) -> str:
    return next(line.split("=", 1)[1] for line in path.read_text().splitlines() if line.startswith(f"{name}="))


def test_first_run_generates_both_keys(tmp_path):
    env = tmp_path / ".env"
    assert ensure_dotenv(env, EXAMPLE) is True
    assert len(_value(env, "SECRET_KEY")) >= 50
    assert len(base64.urlsafe_b64decode(_value(env, "FIELD_ENCRYPTION_KEY"))) == 32
    assert env.stat().st_mode & 0o777 == 0o600


def test_existing_file_only_gets_the_missing_key(tmp_path):
    env = tmp_path / ".env"
    env.write_text("SECRET_KEY=garde-moi\nDEBUG=False\n")
    assert ensure_dotenv(env, EXAMPLE) is False
    lines = env.read_text().splitlines()
    assert lines[:2] == ["SECRET_KEY=garde-moi", "DEBUG=False"]
    key = _value(env, "FIELD_ENCRYPTION_KEY")
    ensure_dotenv(env, EXAMPLE)
    assert _value(env, "FIELD_ENCRYPTION_KEY") == key  # jamais remplacée


def test_empty_key_copied_from_the_example_is_filled_in_place(tmp_path):
    env = tmp_path / ".env"
    env.write_text("SECRET_KEY=x\nFIELD_ENCRYPTION_KEY=\nDEBUG=True\n")
    ensure_dotenv(env, EXAMPLE)
    lines = env.read_text().splitlines()
    assert lines[0] == "SECRET_KEY=x" and lines[2] == "DEBUG=True" and len(lines) == 3
    assert len(base64.urlsafe_b64decode(lines[1].split("=", 1)[1])) == 32
