"""`.env.example` documents every environment variable the settings and the apps' conf.py files read."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_DIRS = ["office", "supervision", "duty", "documents", "research", "suggestions"]
# Read by the run command and the Procfile, not by Django.
RUN_VARIABLES = {"PORT", "OFFICE_BIND_HOST", "WEB_CONCURRENCY", "CELERY_CONCURRENCY"}
NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


def _dotted(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return _dotted(node.func) + "()"
    return ""


def _env_read_args(tree, helpers):
    """Yield (name argument, prefix) of every environment read: env("X"), env.int("X"),
    environ.Env().str("X"), os.environ.get(x), os.getenv(x), os.environ[x], "X" in env.ENVIRON,
    Env(X=(type, default)); and calls of known helpers such as office_setting("X", default)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = _dotted(node.func)
            if func.split(".")[-1] in helpers and node.args:
                yield node.args[0], helpers[func.split(".")[-1]]
            elif "env" in func.lower():
                if node.args and not func.endswith("setdefault"):
                    yield node.args[0], ""
                if func.endswith("Env"):
                    yield from ((ast.Constant(kw.arg), "") for kw in node.keywords if kw.arg)
        elif isinstance(node, ast.Subscript) and "environ" in _dotted(node.value).lower():
            yield node.slice, ""
        elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant):
            if any("environ" in _dotted(c).lower() for c in node.comparators):
                yield node.left, ""


def _prefix(arg, function) -> str | None:
    """For a helper such as ``def _get(name): os.environ.get(f"OFFICE_DUTY_{name}")`` the constant
    prefix its parameter gets ("" when it reads the parameter itself); None if not such a helper."""
    params = [a.arg for a in function.args.args]
    if not params:
        return None
    if isinstance(arg, ast.Name) and arg.id not in params:  # full = f"PREFIX{name}"; environ.get(full)
        local = arg.id
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == local for t in node.targets):
                arg = node.value
    if isinstance(arg, ast.Name) and arg.id == params[0]:
        return ""
    if isinstance(arg, ast.JoinedStr) and len(arg.values) == 2:
        head, tail = arg.values
        if isinstance(head, ast.Constant) and isinstance(tail, ast.FormattedValue):
            if getattr(tail.value, "id", None) == params[0]:
                return head.value
    return None


def find_helpers(tree, helpers) -> dict[str, str]:
    """Functions that read the environment under a name built from their first parameter, with the
    prefix they add (helpers of helpers too)."""
    found = dict(helpers)
    for _ in range(3):  # a helper may call a helper defined further down
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef):
                for arg, base in _env_read_args(function, found):
                    prefix = _prefix(arg, function)
                    if prefix is not None:
                        found[function.name] = base + prefix
    return found


def _literal_head(node) -> tuple[str, bool] | None:
    """("NAME", True) for a constant, ("HEAD_", False) for an f-string starting with a constant."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value, True
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return node.values[0].value, False
    return None


def env_reads(source: str, helpers: dict[str, str] | None = None) -> tuple[set[str], set[str]]:
    """(names, prefixes): the variables read, and the constant heads of names built at run time."""
    tree = ast.parse(source)
    given = helpers or {}
    helpers = find_helpers(tree, given)
    called = {_dotted(n.func).split(".")[-1] for n in ast.walk(tree) if isinstance(n, ast.Call)}
    inside_helpers = set()  # a helper's own read is resolved at its call sites, when it has some
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef) and function.name in helpers:
            if function.name in called or function.name in given:
                inside_helpers |= {id(node) for node in ast.walk(function)}
    names, prefixes = set(), set()
    for arg, base in _env_read_args(tree, helpers):
        head = _literal_head(arg)
        if head and head[1]:
            names.add(base + head[0])
        elif head and id(arg) not in inside_helpers:
            prefixes.add(base + head[0])
    names = {n for n in names if NAME.match(n)} - {"DJANGO_SETTINGS_MODULE"}
    return names, prefixes


def settings_sources() -> list[Path]:
    """settings.py, every conf.py, and every other module that reads a rule with office_setting."""
    files = [ROOT / "office" / "settings.py"]
    for app in APP_DIRS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path == files[0]:
                continue
            if path.name == "conf.py" or "office_setting(" in path.read_text(encoding="utf-8"):
                files.append(path)
    return files


def read_by_settings() -> tuple[set[str], set[str]]:
    sources = [path.read_text(encoding="utf-8") for path in settings_sources()]
    shared = {}  # module-level helpers such as office.conf.office_setting, usable from every app
    for source in sources:
        shared.update({k: v for k, v in find_helpers(ast.parse(source), {}).items() if not k.startswith("_")})
    names, prefixes = set(), set()
    for source in sources:
        found, heads = env_reads(source, shared)
        names |= found
        prefixes |= heads
    return names, prefixes


def env_example() -> str:
    return (ROOT / ".env.example").read_text(encoding="utf-8")


def documented() -> set[str]:
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", env_example(), flags=re.MULTILINE))


def test_the_scanner_finds_the_variables_of_every_reading_style():
    source = """
import os, environ
env = environ.Env(DEBUG=(bool, False))
VAR = environ.Env().str("OFFICE_VAR_DIR", default="var")
A = env("SECRET_KEY"); B = env.db("DATABASE_URL"); C = env.int("CONN_MAX_AGE", default=60)
D = os.environ.get("X_ONE"); E = os.getenv("X_TWO"); F = os.environ["X_THREE"]
if "X_FOUR" in env.ENVIRON: pass
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office.settings")

def _get(name, default, cast=int):
    value = os.environ.get(name)
    return default if value is None else cast(value)

def _get_app(name, default):
    full = f"OFFICE_APP_{name}"
    return os.environ.get(full, default)

def tick(): return _get("X_FIVE", 15)
def limit(level): return _get_app("LIMIT", 1) + _get_app(f"LEVEL_{level}", 2)

from office.conf import office_setting
def _rule(name, default): return office_setting(f"SUPERVISION_{name}", default)
def days(): return _rule("YELLOW_DAYS", 3) + office_setting("X_SIX", 1)
"""
    names, prefixes = env_reads(source, {"office_setting": ""})

    assert names == {
        "DEBUG", "OFFICE_VAR_DIR", "SECRET_KEY", "DATABASE_URL", "CONN_MAX_AGE",
        "X_ONE", "X_TWO", "X_THREE", "X_FOUR", "X_FIVE", "OFFICE_APP_LIMIT",
        "SUPERVISION_YELLOW_DAYS", "X_SIX",
    }  # fmt: skip
    assert prefixes == {"OFFICE_APP_LEVEL_"}


def test_env_example_documents_every_variable_the_settings_read():
    names, prefixes = read_by_settings()
    assert {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "OFFICE_VAR_DIR"} <= names

    assert sorted(names - documented()) == [], "add these to .env.example with a comment"
    assert sorted(p for p in prefixes if p not in env_example()) == [], "document these name patterns"


def test_env_example_documents_nothing_that_is_not_read():
    names, prefixes = read_by_settings()
    stale = [
        name
        for name in documented() - names - RUN_VARIABLES
        if not any(name.startswith(prefix) for prefix in prefixes)
    ]

    assert sorted(stale) == []
