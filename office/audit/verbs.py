"""The registry of audit verbs: how each event of the trail reads as a Chinese sentence.

Each app registers its verbs in its own ``audit_verbs.py`` (imported from its AppConfig.ready()):

    register_app("supervision", _("督查督办"))
    register_verbs("supervision", {
        "supervision.item_issued": _("交办督办事项"),                  # the verb phrase
        "supervision.notice_published": (_("发出督办通知"), _("发出督办通知 {number}")),  # + a sentence
    })
    register_fields({"number": _("文号")})                           # data keys' Chinese labels
    register_subject_url("supervision.item", "supervision:detail")  # where a subject is opened

A sentence is ``{actor} 于 {time} <phrase>``; the phrase is the verb's template filled from the event's
data (``{number}``, ``{unit}`` …) or, when it has none or a key is missing, its label followed by the
subject. The verb filter's choice list is read from here, never from the table (no DISTINCT over a
million rows). What is stored and hashed is never touched: this is only how a row is read.
"""

import datetime as dt
import re
import string
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Verb:
    code: str
    app: str
    label: Any  # a lazy Chinese phrase
    template: Any = None  # a lazy phrase with {data_key} placeholders


_APPS: dict[str, Any] = {}
_VERBS: dict[str, Verb] = {}
_FIELDS: dict[str, Any] = {}
_SUBJECT_URLS: dict[str, str] = {}


def register_app(app: str, label) -> None:
    _APPS[app] = label


def register_verbs(app: str, verbs: dict) -> None:
    for code, spec in verbs.items():
        label, template = spec if isinstance(spec, tuple) else (spec, None)
        _VERBS[code] = Verb(code=code, app=app, label=label, template=template)


def register_fields(fields: dict) -> None:
    _FIELDS.update(fields)


def register_subject_url(model_label: str, url_name: str) -> None:
    """``model_label`` is "app_label.model" (lower case, as ContentType names it)."""
    _SUBJECT_URLS[model_label] = url_name


def verb_of(code: str) -> Verb | None:
    return _VERBS.get(code)


def app_of(code: str) -> str:
    verb = _VERBS.get(code)
    return verb.app if verb else code.split(".", 1)[0]


def app_choices() -> list[tuple[str, str]]:
    return sorted(((app, str(label)) for app, label in _APPS.items()), key=lambda c: c[0])


def verb_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The verb filter's choices, grouped by app (for <optgroup>)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for verb in _VERBS.values():
        groups.setdefault(verb.app, []).append((verb.code, str(verb.label)))
    return [
        (str(_APPS.get(app, app)), sorted(items, key=lambda c: c[1]))
        for app, items in sorted(groups.items(), key=lambda g: g[0])
    ]


def app_verb_codes(app: str) -> list[str]:
    return [v.code for v in _VERBS.values() if v.app == app]


def subject_url(content_type, subject_id: str) -> str:
    if content_type is None or not subject_id:
        return ""
    name = _SUBJECT_URLS.get(f"{content_type.app_label}.{content_type.model}")
    if not name:
        return ""
    try:
        return reverse(name, args=[subject_id])
    except NoReverseMatch:
        return ""


# --- values ------------------------------------------------------------------------------------

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def local_time(value: dt.datetime, *, now: dt.datetime | None = None) -> str:
    """ "11月30日 10:02" this year, "2025年11月30日 10:02" another year, in the office's time zone."""
    local = timezone.localtime(value)
    now = timezone.localtime(now or timezone.now())
    if local.year == now.year:
        return f"{local.month}月{local.day}日 {local:%H:%M}"
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


BOOLEAN = {True: _("是"), False: _("否")}


def display_value(value) -> str:
    """A data value as a person reads it: times local and Chinese, yes/no, lists joined with 、."""
    if isinstance(value, bool):
        return str(BOOLEAN[value])
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        return local_time(value)
    if isinstance(value, str):
        if _ISO.match(value):
            parsed = parse_datetime(value)
            if parsed is not None:
                if timezone.is_naive(parsed):
                    parsed = timezone.make_aware(parsed, dt.UTC)
                return local_time(parsed)
        if _DATE.match(value):
            year, month, day = value.split("-")
            return f"{int(year)}年{int(month)}月{int(day)}日"
        return value
    if isinstance(value, list | tuple):
        return "、".join(display_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{field_label(k)}：{display_value(v)}" for k, v in value.items()) or "—"
    return str(value)


def field_label(key: str) -> str:
    return str(_FIELDS.get(key, key))


def data_rows(data: dict) -> list[tuple[str, str]]:
    """The event's data as (Chinese label, readable value) pairs."""
    if not isinstance(data, dict):
        return [(str(_("数据")), display_value(data))]
    return [(field_label(k), display_value(v)) for k, v in data.items()]


# --- sentences ---------------------------------------------------------------------------------


def _fields_of(template: str) -> list[str]:
    return [name for _text, name, _spec, _conv in string.Formatter().parse(template) if name]


def phrase(event) -> str:
    """The verb's phrase for this event, filled from its data; None-safe."""
    verb = _VERBS.get(event.verb)
    if verb is None:
        return event.verb
    if verb.template:
        template = str(verb.template)
        data = event.data if isinstance(event.data, dict) else {}
        names = _fields_of(template)
        if all(data.get(n) not in (None, "", []) for n in names):
            return template.format(**{n: display_value(data[n]) for n in names})
    return str(verb.label)


def actor_text(event, roles: dict[int, str] | None = None) -> str:
    """ "督查专员 李明": the actor's first office role and name; the system's label otherwise."""
    name = event.actor_display
    role = (roles or {}).get(event.actor_id) if event.actor_id else None
    return f"{role} {name}" if role else name


def sentence(event, *, roles: dict[int, str] | None = None) -> SafeString:
    """One event as a sentence, its subject linked when the registry knows where it opens."""
    head = format_html(
        "{} {} {} {}", actor_text(event, roles), _("于"), local_time(event.created_at), phrase(event)
    )
    if not event.subject_repr:
        return head
    url = subject_url(event.subject_type, event.subject_id)
    if url:
        return format_html('{} <a href="{}">{}</a>', head, url, event.subject_repr)
    return format_html("{} {}", head, event.subject_repr)


def actor_roles(user_ids) -> dict[int, str]:
    """Each actor's first office role label (the order of ``Role``), in one query for a page."""
    from django.contrib.auth.models import User

    from office.org.models import Role

    order = {code: i for i, code in enumerate(Role.values)}
    best: dict[int, str] = {}
    rows = User.groups.through.objects.filter(user_id__in=set(user_ids), group__name__in=Role.values)
    for user_id, name in rows.values_list("user_id", "group__name"):
        if user_id not in best or order[name] < order[best[user_id]]:
            best[user_id] = name
    return {user_id: str(Role(code).label) for user_id, code in best.items()}
