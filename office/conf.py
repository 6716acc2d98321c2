"""Reading a tunable rule of the office: Django settings first, then the environment variable of the same
name, then the default. Environment values are parsed after the default's type (int, float, bool,
comma-separated list, JSON object)."""

import json
import os

from django.conf import settings

_TRUE = {"1", "true", "yes", "on"}


def office_setting(name: str, default):
    if hasattr(settings, name):
        return getattr(settings, name)
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
