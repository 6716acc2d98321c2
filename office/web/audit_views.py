"""The readable audit trail (issue 14): each event a Chinese sentence from the registry of verbs
(office/audit/verbs.py), its subject linked, its data labelled in Chinese with local times; filters by
app, verb, actor, subject and date; pages read off the index by a cursor (no COUNT, no OFFSET, no
DISTINCT over the table)."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import render
from django.utils.dateparse import parse_date

from office.audit import verbs
from office.audit.selectors import audit_event_list_for_user, audit_event_page
from office.org.selectors import staff_list

PAGE_SIZE = 50


def _date(params, key):
    try:
        return parse_date(params.get(key) or "")
    except ValueError:
        return None


def _int(value):
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


@login_required
def audit_list(request):
    params = request.GET
    app = params.get("app") or None
    if app and app not in dict(verbs.app_choices()):
        app = None
    qs = audit_event_list_for_user(
        user=request.user,
        app=app,
        verb=(params.get("verb") or "").strip() or None,
        actor_id=_int(params.get("actor")),
        subject_type_id=_int(params.get("subject_type")),
        subject_id=(params.get("subject_id") or "").strip() or None,
        date_from=_date(params, "date_from"),
        date_to=_date(params, "date_to"),
    )
    events, cursor = audit_event_page(qs, before=params.get("before"), size=PAGE_SIZE)
    roles = verbs.actor_roles(e.actor_id for e in events if e.actor_id)
    rows = [
        {
            "event": e,
            "sentence": verbs.sentence(e, roles=roles),
            "data": verbs.data_rows(e.data),
            "time": verbs.local_time(e.created_at),
        }
        for e in events
    ]
    query = params.copy()
    query.pop("before", None)
    apps = {a for a, _label in verbs.app_choices()} | {"org"}
    context = {
        "rows": rows,
        "next_cursor": cursor,
        "is_first_page": not params.get("before"),
        "filters": params,
        "querystring": query.urlencode(),
        "app_choices": verbs.app_choices(),
        "verb_choices": verbs.verb_choices(),
        "actors": staff_list(active_only=False).order_by("name"),
        # the subject types of the registered apps: no DISTINCT over the trail
        "subject_types": ContentType.objects.filter(app_label__in=apps).order_by("app_label", "model"),
    }
    return render(request, "web/audit_list.html", context)
