"""The name a person works under in local mode, remembered between sessions on this machine.

In local mode nobody logs in: the person types their name once on Start, and the audit log
writes it as "who". It is kept in a small per-user settings file
(``<user config dir>/riskmotor/anvandare.json``) so that the next session starts with it.
A missing, unreadable or corrupt file is the same as no name: the person is asked again.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from platformdirs import user_config_dir

log = logging.getLogger(__name__)

FILE_NAME = "anvandare.json"
MAX_LENGTH = 200  # a name, not a document: longer text in the file is not a name


def settings_file() -> Path:
    return Path(user_config_dir("riskmotor", appauthor=False)) / FILE_NAME


def remembered_name() -> str | None:
    """The name saved by :func:`remember_name`, or None when there is none to trust."""
    try:
        stored = json.loads(settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = stored.get("name") if isinstance(stored, dict) else None
    if not isinstance(name, str):
        return None
    name = name.strip()
    return name if 0 < len(name) <= MAX_LENGTH else None


def remember_name(name: str) -> None:
    """Save ``name`` for the next session; a failure to write only costs the convenience."""
    path = settings_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"name": name.strip()}, ensure_ascii=False), encoding="utf-8")
    except OSError:
        log.warning("Kunde inte spara användarnamnet i %s", path, exc_info=True)
