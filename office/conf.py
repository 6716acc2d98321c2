"""Reading a tunable rule of the office: Django settings first, then the environment variable of the same
name, then the default. Environment values are parsed after the default's type (int, float, bool,
comma-separated list, JSON object).

This is the only way an app reads a rule of its own: no private ``_get`` helpers, no ``getattr(settings,
...)`` and no values frozen at import time (tests/office/test_settings_reads.py holds the line)."""

import json
import os
from typing import Any

from django.conf import settings

_TRUE = {"1", "true", "yes", "on"}


def office_setting(name: str, default: Any) -> Any:
    # A setting set to None counts as not set, so the environment and the default still apply.
    value = getattr(settings, name, None)
    if value is not None:
        return value
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if isinstance(default, bool):
        return raw.strip().lower() in _TRUE
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, list | tuple):
        return [part.strip() for part in raw.split(",") if part.strip()]
    if isinstance(default, dict):
        return {**default, **json.loads(raw)}
    return raw
