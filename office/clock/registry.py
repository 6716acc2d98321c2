"""What the clock can do, registered by the apps that own it: timer handlers, ladder actions and
recipient resolvers. Apps register in their ``handlers.py``, imported from AppConfig.ready()."""

from collections.abc import Callable

_HANDLERS: dict[str, Callable] = {}
_LADDER_ACTIONS: dict[str, Callable] = {}
_RESOLVERS: dict[str, Callable] = {}


def _register(table: dict, what: str, name: str, fn: Callable) -> Callable:
    existing = table.get(name)
    if existing is not None and (existing.__module__, existing.__qualname__) != (
        fn.__module__,
        fn.__qualname__,
    ):
        raise ValueError(
            f"{what} {name!r} is already registered by {existing.__module__}.{existing.__qualname__}"
        )
    table[name] = fn
    return fn


def timer_handler(kind: str):
    """Register ``fn(timer) -> None`` for timers of ``kind``.

    It runs inside the tick's transaction, in its own savepoint: it must be idempotent, must not open
    a durable transaction, and defers anything external with ``transaction.on_commit``. Raising leaves
    the timer unfired; it is retried with backoff and shown on the clock page.
    """

    def decorator(fn):
        return _register(_HANDLERS, "timer handler", kind, fn)

    return decorator


def ladder_action(kind: str):
    """Register ``fn(subject, step, recipients) -> None``: what a ladder step does when it fires."""

    def decorator(fn):
        return _register(_LADDER_ACTIONS, "ladder action", kind, fn)

    return decorator


def recipient_resolver(name: str):
    """Register ``fn(subject) -> list[User]``, asked when a step fires (who is in charge *now*)."""

    def decorator(fn):
        return _register(_RESOLVERS, "recipient resolver", name, fn)

    return decorator


def get_handler(kind: str) -> Callable | None:
    return _HANDLERS.get(kind)


def get_ladder_action(kind: str) -> Callable:
    try:
        return _LADDER_ACTIONS[kind]
    except KeyError:
        raise LookupError(f"未登记的督促动作：{kind}") from None


def handler_kinds() -> list[str]:
    return sorted(_HANDLERS)


def ladder_action_kinds() -> list[str]:
    return sorted(_LADDER_ACTIONS)


def resolver_names() -> list[str]:
    return sorted(_RESOLVERS) + ["role:<角色代码>"]


def _resolver(name: str) -> Callable:
    if name.startswith("role:"):
        from office.org.models import Role

        role = name.removeprefix("role:")
        if role not in Role.values:
            raise LookupError(f"未知的角色：{role}")
        return lambda subject: _users_with_role(role)
    try:
        return _RESOLVERS[name]
    except KeyError:
        raise LookupError(f"未登记的接收人规则：{name}") from None


def _names(spec: str) -> list[str]:
    return [p.strip() for p in (spec or "").split(",") if p.strip()]


def check_recipients(spec: str) -> None:
    """Raise LookupError for an unknown resolver name (used when an admin edits a ladder)."""
    names = _names(spec)
    if not names:
        raise LookupError("请填写接收人规则。")
    for name in names:
        _resolver(name)


def check_ladder_action(kind: str) -> None:
    get_ladder_action(kind)


def resolve_recipients(name: str, subject) -> list:
    """The users a step goes to, resolved now. ``name`` may list several resolvers, comma-separated."""
    users: dict = {}
    for part in _names(name):
        for user in _resolver(part)(subject) or []:
            if user is not None and getattr(user, "is_active", True):
                users.setdefault(user.pk, user)
    return list(users.values())


def _users_with_role(role: str) -> list:
    from office.org.selectors import users_with_role

    return list(users_with_role(role).select_related("staff").order_by("pk"))


@recipient_resolver("director")
def _director(subject) -> list:
    from office.org.models import Role

    return _users_with_role(Role.DIRECTOR)


@recipient_resolver("deputy_directors")
def _deputy_directors(subject) -> list:
    from office.org.models import Role

    return _users_with_role(Role.DEPUTY_DIRECTOR)
