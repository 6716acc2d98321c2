"""The authorization matrix: for every URL of the office, what each demo role gets for GET and for
the unsafe methods. test_matrix.py sends every request and compares; a URL without a row here, or a
row whose URL is gone, fails the suite.

How to read a row. ``MATRIX["supervision:detail"]`` is a list of cases (usually one; more where one
URL serves objects of different owners or states, e.g. a published and a draft item). Each case gives
the URL kwargs from the fixture world and, per method, one status per role. The role groups below are
expanded into explicit per-role outcomes by ``outcome()``, which refuses a row that leaves a role out.

The outcomes are the INTENDED rules (issue 8, docs/, ../shared/DOMAIN.md and each app's access.py), not
a recording of today's code:
- pages: an anonymous visitor and an API key (a key means nothing on the portal) are sent to sign in
  (302); a role without the right gets 403; an object outside the actor's scope gets 404 (another
  unit's item, report, document or file: existence is need-to-know), even where a coarser 403 would
  leak nothing, because the access module answers "not yours" before "not allowed".
- API: anonymous 401 (the API-key authenticator comes first and names its scheme), a session user
  is served like on the pages, a unit's key like its unit's users.
- POSTs carry an empty body: an allowed role gets past the permission check (200 form re-render,
  302 redirect with the message, 400 validation error, 409 state conflict); only the status matters.
- Methods a view does not serve answer 405 ("as the framework answers"); where the sign-in check
  wraps the method check, an anonymous visitor is sent to sign in first. A function view without a
  method restriction answers PUT/PATCH/DELETE like GET (it reads no body), which is harmless.

Content checks (``Sees``): on list/export/API list URLs a 200 is not enough: the row of unit A (or a
draft, or a 秘密 title) must appear for the roles that may know it and must not appear for the others.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from .conftest import ROLES

INTERNAL = (
    "director",
    "deputy",
    "section_chief",
    "staff",
    "duty_officer",
    "duty_leader",
    "commissioner",
    "researcher",
)
GROUPS: dict[str, tuple[str, ...]] = {
    "ALL": ROLES,
    "INTERNAL": INTERNAL,
    "LEADERS": ("director", "deputy"),  # LEADERSHIP_ROLES, AUDIT_READER_ROLES
    "MANAGERS": ("director", "deputy", "commissioner"),  # SUPERVISION_MANAGER_ROLES
    "DUTY_ROOM": ("director", "deputy", "duty_leader", "duty_officer"),  # DUTY_ROOM_ROLES
    "DUTY_EDITORS": ("director", "deputy", "duty_leader"),  # DUTY_EDITOR_ROLES
    "UNITS": ("unit_own", "unit_other"),
    "KEYS": ("key_own", "key_other"),
    "OWN": ("unit_own", "key_own"),
    "OTHER": ("unit_other", "key_other"),
    "SIGNED_IN": (*INTERNAL, "unit_own", "unit_other"),
    "AUTHENTICATED": (*INTERNAL, "unit_own", "unit_other", "key_own", "key_other"),
    "STRANGERS": ("key_own", "key_other", "anon"),  # nobody, as far as the portal is concerned
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
UNSAFE_OTHER = ("PUT", "PATCH", "DELETE")


def outcome(**spec: int) -> dict[str, int]:
    """Per-role statuses from groups and roles, applied in order (later entries win)."""
    result: dict[str, int] = {}
    for name, status in spec.items():
        roles = GROUPS.get(name) or ((name,) if name in ROLES else None)
        if roles is None:
            raise ValueError(f"unknown role or group {name!r}")
        for role in roles:
            result[role] = status
    missing = [r for r in ROLES if r not in result]
    if missing:
        raise ValueError(f"outcome leaves out {missing}")
    return result


def page_out(**spec: int) -> dict[str, int]:
    """A portal answer: strangers are sent to sign in unless said otherwise."""
    return outcome(STRANGERS=302, **spec)


def api_out(**spec: int) -> dict[str, int]:
    return outcome(anon=401, **spec)


@dataclass(frozen=True)
class Sees:
    """``text(world)`` must be in the 200 answer for ``must`` and absent for ``must_not``."""

    what: str
    text: Callable
    must: tuple[str, ...] = ()
    must_not: tuple[str, ...] = ()


@dataclass
class Case:
    kwargs: Callable = field(default=lambda w: {})
    expect: dict[str, dict[str, int]] = field(default_factory=dict)
    label: str = ""
    sees: tuple[Sees, ...] = ()


def _roles(*names: str) -> tuple[str, ...]:
    out: list[str] = []
    for n in names:
        out.extend(GROUPS.get(n, (n,)))
    return tuple(out)


# --- the shapes of views -------------------------------------------------------------------------


def public_get(get: int = 200, **kw) -> dict:
    """``require_GET`` without sign-in (health, metrics)."""
    return {"GET": outcome(ALL=get), **{m: outcome(ALL=405) for m in ("POST", *UNSAFE_OTHER)}}


def page_any(get: dict, post: dict | None = None) -> dict:
    """A function page without a method restriction: PUT/PATCH/DELETE are answered like GET."""
    return {"GET": get, "POST": post or get, **{m: get for m in UNSAFE_OTHER}}


def _not_allowed(login_first: bool) -> dict[str, int]:
    if login_first:
        return page_out(SIGNED_IN=405)
    return outcome(ALL=405)


def page_post(post: dict, *, login_first: bool = True) -> dict:
    """``@require_POST``: other methods 405; with the sign-in check outermost strangers sign in first."""
    na = _not_allowed(login_first)
    return {"GET": na, "POST": post, **{m: na for m in UNSAFE_OTHER}}


def page_get(get: dict, *, login_first: bool = True) -> dict:
    na = _not_allowed(login_first)
    return {"GET": get, "POST": na, **{m: na for m in UNSAFE_OTHER}}


def page_get_post(get: dict, post: dict, *, login_first: bool = True) -> dict:
    na = _not_allowed(login_first)
    return {"GET": get, "POST": post, **{m: na for m in UNSAFE_OTHER}}


def api(passes: tuple[str, ...], **by_method: dict) -> dict:
    """A DRF view: authentication and the view's permission class run before the method lookup, so
    a method the view lacks is 405 for whoever passes them, 403 for an authenticated caller who does
    not, and 401 for the anonymous."""
    gate = outcome(AUTHENTICATED=403, anon=401)
    for role in passes:
        gate[role] = 405
    return {m: by_method.get(m, gate) for m in METHODS}


# --- pieces of text that prove who saw what ------------------------------------------------------


def item_number(w) -> str:
    return w.item.number


def draft_item_title(w) -> str:
    return w.draft_item.title


def unit_a_name(w) -> str:
    return w.unit_a.name


def document_title(w) -> str:
    return w.document.title


def draft_circular_title(w) -> str:
    return w.draft_circular.title


def draft_circular_number(w) -> str:
    return w.draft_circular.number


def secret_title(w) -> str:
    return w.secret_document.title


def report_title(w) -> str:
    return w.report.title


SEES_ITEM = Sees("unit A's item", item_number, must=_roles("INTERNAL", "unit_own"), must_not=("unit_other",))
SEES_ITEM_API = Sees("unit A's item", item_number, must=_roles("INTERNAL", "OWN"), must_not=_roles("OTHER"))
# issue 8: the criticised township saw "督办通报〔2026〕11号 (待签发)" on its item page and in the API
HIDES_CIRCULAR = Sees(
    "the draft circular's number", draft_circular_number, must=INTERNAL, must_not=("unit_own",)
)
HIDES_CIRCULAR_API = Sees(
    "the draft circular's number", draft_circular_number, must=INTERNAL, must_not=("unit_own", "key_own")
)
HIDES_DRAFT = Sees("a draft item", draft_item_title, must=_roles("INTERNAL"), must_not=_roles("UNITS"))
HIDES_DRAFT_API = Sees(
    "a draft item", draft_item_title, must=_roles("INTERNAL"), must_not=_roles("UNITS", "KEYS")
)


# --- the table -----------------------------------------------------------------------------------

# Not the office's own URLs, so not in the table: Django's admin (its own is_staff check; the office
# grants admin access through roles.py permissions, tested in tests/office), the language switch
# (django.conf.urls.i18n, a cookie for anyone) and static files (served by whitenoise, no URL pattern).
SKIPPED_PREFIXES = ("admin:",)
SKIPPED_URLS = frozenset({"set_language"})


def _item(w):
    return {"pk": w.item.pk}


def _draft(w):
    return {"pk": w.draft_item.pk}


def _item_milestone(w):
    return {"pk": w.item.pk, "ms_pk": w.milestone.pk}


def _manager_action() -> list[Case]:
    """An action on unit A's issued item that only the supervision managers may take."""
    post = page_out(INTERNAL=403, MANAGERS=302, unit_own=403, unit_other=404)
    return [Case(_item, page_post(post))]


def _file_case(kind: str, obj, *, label: str, portal: bool, get_own: dict) -> Case:
    """One kind of protected file of unit A: ``get_own`` gives the internal roles' and unit_own's
    status; another unit answers 404; on the portal a key is a stranger (302), on the API it is its
    unit (key_own like unit_own, key_other 404)."""
    if portal:
        get = page_out(unit_other=404, **get_own)
    else:
        get = api_out(unit_other=404, key_own=0, key_other=404, **get_own)
        get["key_own"] = get["unit_own"]
    return Case(
        lambda w, kind=kind: {"kind": kind, "pk": obj(w).pk},
        {"GET": get, **{m: outcome(ALL=405) for m in ("POST", *UNSAFE_OTHER)}},
        label=label,
    )


def _file_cases(portal: bool) -> list[Case]:
    missing = page_out(SIGNED_IN=404) if portal else api_out(AUTHENTICATED=404)
    return [
        _file_case(
            "supervision-feedback",
            lambda w: w.feedback,
            label="feedback attachment",
            portal=portal,
            get_own={"INTERNAL": 200, "unit_own": 200},
        ),
        _file_case(
            "supervision-visit-photo",
            lambda w: w.visit_photo,
            label="site visit photo",
            portal=portal,
            get_own={"INTERNAL": 200, "unit_own": 200},
        ),
        _file_case(
            "duty-report-attachment",
            lambda w: w.report_attachment,
            label="urgent report attachment",
            portal=portal,
            # the duty room's business; other office staff are told it does not exist
            get_own={"INTERNAL": 404, "DUTY_ROOM": 200, "unit_own": 200},
        ),
        Case(
            lambda w: {"kind": "no-such-kind", "pk": 1},
            {"GET": missing, **{m: outcome(ALL=405) for m in ("POST", *UNSAFE_OTHER)}},
            label="unknown kind",
        ),
    ]


def _duty_page(get_roles: str = "DUTY_ROOM") -> dict:
    return page_out(SIGNED_IN=403, **{get_roles: 200})


DUTY_GET = _duty_page()
DUTY_POST_302 = page_out(SIGNED_IN=403, DUTY_ROOM=302)
# @require_POST outside the duty-room check: a wrong method is 405 for everyone, strangers included.
DUTY_EDITOR_POST = page_out(SIGNED_IN=403, DUTY_ROOM=403, DUTY_EDITORS=302)

SIGNED_IN_200 = page_out(SIGNED_IN=200)


# --- suggestions: objects built on first use (ORM, as the world does) ------------------------------


def _sugg_world(w):
    if getattr(w, "sugg", None) is None:
        import datetime as dt
        from types import SimpleNamespace

        from django.utils import timezone

        from suggestions.models import Campaign, Prompt, Submission, Talk, TalkNote
        from suggestions.tokens import author_token

        now = timezone.now()
        u = w.users
        campaign = Campaign.objects.create(
            title="出点子、吐心声", opened_by=u["director"], deadline=now + dt.timedelta(days=6)
        )
        prompt = Prompt.objects.create(campaign=campaign, order=0, text="当前办公室最需要解决的问题")
        item = Submission.objects.create(
            campaign=campaign, prompt=prompt, author=u["staff"], text="会议室投影仪需要更新"
        )
        anon = Submission.objects.create(
            campaign=campaign,
            prompt=prompt,
            visibility="anonymous",
            author_token=author_token(campaign_id=campaign.pk, user_id=u["researcher"].pk),
            text="希望改善加班补助",
        )
        talk = Talk.objects.create(
            director=u["director"],
            person=u["staff"],
            scheduled_at=now + dt.timedelta(days=1),
            place="主任办公室",
            topics="工作",
        )
        TalkNote.objects.create(talk=talk, text="谈话记录：只给两个人看")
        w.sugg = SimpleNamespace(campaign=campaign, item=item, anon=anon, talk=talk)
    return w.sugg


def _sugg_campaign(w):
    return {"pk": _sugg_world(w).campaign.pk}


def _sugg_item(w):
    return {"pk": _sugg_world(w).item.pk}


def _sugg_anon_item(w):
    return {"pk": _sugg_world(w).anon.pk}


def _sugg_talk(w):
    return {"pk": _sugg_world(w).talk.pk}


def sugg_author(w) -> str:
    return w.users["staff"].staff.name


def sugg_anon_author(w) -> str:
    return w.users["researcher"].staff.name


def sugg_notes(w) -> str:
    return "谈话记录：只给两个人看"


# the anonymous item's author (the researcher) appears nowhere, to anyone, not even to herself by name
HIDES_SUGG_AUTHOR = Sees(
    "the anonymous item's author", sugg_anon_author, must_not=tuple(r for r in INTERNAL if r != "researcher")
)


MATRIX: dict[str, list[Case]] = {
    # --- the office: health, sign-in, home, audit, clock, notifications ---------------------------
    "healthz": [Case(expect=public_get())],
    "readyz": [Case(expect=public_get())],
    "metrics": [Case(expect=public_get())],
    "login": [
        Case(
            expect={
                # redirect_authenticated_user: a signed-in person is sent home whatever the method
                "GET": outcome(SIGNED_IN=302, STRANGERS=200),
                "POST": outcome(SIGNED_IN=302, STRANGERS=200),
                "PUT": outcome(SIGNED_IN=302, STRANGERS=200),  # FormView.put is post
                "PATCH": outcome(SIGNED_IN=302, STRANGERS=405),
                "DELETE": outcome(SIGNED_IN=302, STRANGERS=405),
            }
        )
    ],
    "logout": [
        Case(
            expect={
                "GET": outcome(ALL=405),
                "POST": outcome(ALL=302),
                **{m: outcome(ALL=405) for m in UNSAFE_OTHER},
            }
        )
    ],
    "home": [Case(expect=page_get(SIGNED_IN_200))],
    # the header's 长辈模式 switch: each person for themselves
    "display-preference": [Case(expect=page_post(page_out(SIGNED_IN=302)))],
    "audit-list": [Case(expect=page_any(page_out(SIGNED_IN=403, LEADERS=200)))],
    # the director and the 机要科 chief (the matrix's section chief sits in an ordinary section)
    "access-log": [Case(expect=page_any(page_out(SIGNED_IN=403, director=200)))],
    # the clock's page is read with the audit trail (AUDIT_READER_ROLES)
    "clock:status": [Case(expect=page_any(page_out(SIGNED_IN=403, director=200)))],
    "clock:timer-retry": [
        Case(lambda w: {"timer_id": w.timer.pk}, page_post(page_out(SIGNED_IN=403, director=302)))
    ],
    "notifications:inbox": [Case(expect=page_get(SIGNED_IN_200))],
    "notifications:badge": [
        # polled by htmx: a stranger gets 286 (stop polling), never a redirect
        Case(expect=page_get(outcome(SIGNED_IN=200, STRANGERS=286), login_first=False))
    ],
    "notifications:mark-all-read": [Case(expect=page_post(page_out(SIGNED_IN=302)))],
    "notifications:preferences": [Case(expect=page_get_post(SIGNED_IN_200, SIGNED_IN_200))],
    # one person's message: everybody else is told it does not exist
    "notifications:open": [
        Case(lambda w: {"pk": w.notification.pk}, page_get(page_out(SIGNED_IN=404, director=302)))
    ],
    "notifications:mark-read": [
        Case(lambda w: {"pk": w.notification.pk}, page_post(page_out(SIGNED_IN=404, director=302)))
    ],
    # --- the office's API --------------------------------------------------------------------------
    "api-me": [Case(expect=api(GROUPS["AUTHENTICATED"], GET=api_out(AUTHENTICATED=200)))],
    "api-units": [
        Case(
            expect=api(GROUPS["AUTHENTICATED"], GET=api_out(AUTHENTICATED=200)),
            sees=(Sees("unit A", unit_a_name, must=_roles("INTERNAL", "OWN"), must_not=_roles("OTHER")),),
        )
    ],
    # the schema and its viewer document the API for other offices' systems: public
    "api-schema": [Case(expect={"GET": outcome(ALL=200), **{m: outcome(ALL=405) for m in METHODS[1:]}})],
    "api-docs": [Case(expect={"GET": outcome(ALL=200), **{m: outcome(ALL=405) for m in METHODS[1:]}})],
    # --- protected files: one view, two mounts ----------------------------------------------------
    "file-download": _file_cases(portal=True),
    "api-file": _file_cases(portal=False),
    # --- supervision pages ---------------------------------------------------------------------------
    "supervision:list": [
        Case(expect=page_any(SIGNED_IN_200), sees=(SEES_ITEM, HIDES_DRAFT)),
    ],
    "supervision:create": [Case(expect=page_any(page_out(SIGNED_IN=403, MANAGERS=200)))],
    "supervision:export": [
        Case(expect=page_any(SIGNED_IN_200), sees=(SEES_ITEM, HIDES_DRAFT)),
    ],
    "supervision:import": [Case(expect=page_any(page_out(SIGNED_IN=403, MANAGERS=200)))],
    # scoped like the list: an external unit's statistics cover its own items only
    "supervision:stats": [
        Case(
            expect=page_any(SIGNED_IN_200),
            sees=(Sees("unit A", unit_a_name, must=_roles("INTERNAL"), must_not=("unit_other",)),),
        )
    ],
    "supervision:detail": [
        Case(
            _item,
            page_any(page_out(INTERNAL=200, unit_own=200, unit_other=404)),
            label="issued",
            sees=(HIDES_CIRCULAR,),
        ),
        Case(_draft, page_any(page_out(INTERNAL=200, UNITS=404)), label="draft"),
    ],
    "supervision:edit": [
        # an issued item is no longer editable: managers are sent back to it with the message
        Case(
            _item,
            page_any(page_out(INTERNAL=403, MANAGERS=302, unit_own=403, unit_other=404)),
            label="issued",
        ),
        Case(_draft, page_any(page_out(INTERNAL=403, MANAGERS=200, UNITS=404)), label="draft"),
    ],
    "supervision:issue": [
        Case(
            _item,
            page_post(page_out(INTERNAL=403, MANAGERS=302, unit_own=403, unit_other=404)),
            label="issued",
        ),
        Case(_draft, page_post(page_out(INTERNAL=403, MANAGERS=302, UNITS=404)), label="draft"),
    ],
    # the unit on the item, or a manager on its behalf
    "supervision:acknowledge": [
        Case(_item, page_post(page_out(INTERNAL=403, MANAGERS=302, unit_own=302, unit_other=404)))
    ],
    # a unit on the item, a manager, or the assignee
    "supervision:feedback": [
        Case(_item, page_post(page_out(INTERNAL=403, MANAGERS=302, unit_own=302, unit_other=404)))
    ],
    "supervision:close": _manager_action(),
    "supervision:send-back": _manager_action(),
    "supervision:cancel": _manager_action(),
    # only the lead unit (or, for an internal assignment, the assignee): not even the director
    "supervision:extension": [Case(_item, page_post(page_out(INTERNAL=403, unit_own=302, unit_other=404)))],
    "supervision:extension-decide": [
        Case(
            lambda w: {"pk": w.item.pk, "ext_pk": w.extension.pk},
            page_post(page_out(INTERNAL=403, MANAGERS=302, unit_own=403, unit_other=404)),
        )
    ],
    "supervision:milestone": _manager_action(),
    # the managers pass the checks (302: the empty form back on the item's page)
    "supervision:milestone-reschedule": [
        Case(
            _item_milestone,
            page_post(page_out(INTERNAL=403, MANAGERS=302, unit_own=403, unit_other=404)),
        )
    ],
    "supervision:visit": _manager_action(),
    "supervision:communication": [
        Case(
            lambda w: {"pk": w.item.pk, "step_pk": w.step.pk},
            page_post(page_out(INTERNAL=403, MANAGERS=302, unit_own=403, unit_other=404)),
        )
    ],
    # --- supervision API -----------------------------------------------------------------------------
    "supervision-api-items": [
        Case(
            expect=api(GROUPS["AUTHENTICATED"], GET=api_out(AUTHENTICATED=200)),
            sees=(SEES_ITEM_API, HIDES_DRAFT_API),
        )
    ],
    "supervision-api-item": [
        Case(
            _item,
            api(GROUPS["AUTHENTICATED"], GET=api_out(INTERNAL=200, OWN=200, OTHER=404)),
            label="issued",
            sees=(HIDES_CIRCULAR_API,),
        ),
        Case(
            _draft, api(GROUPS["AUTHENTICATED"], GET=api_out(INTERNAL=200, OWN=404, OTHER=404)), label="draft"
        ),
    ],
    # managers pass the check and are told to name the unit (400); the unit signs for itself
    "supervision-api-acknowledge": [
        Case(
            _item,
            # the API names no unit: office staff acknowledge for a unit on the portal (acknowledge_own)
            api(GROUPS["AUTHENTICATED"], POST=api_out(INTERNAL=403, OWN=200, OTHER=404)),
        )
    ],
    "supervision-api-feedback": [
        Case(
            _item,
            api(GROUPS["AUTHENTICATED"], POST=api_out(INTERNAL=403, MANAGERS=400, OWN=400, OTHER=404)),
        )
    ],
    "supervision-api-extension": [
        Case(_item, api(GROUPS["AUTHENTICATED"], POST=api_out(INTERNAL=403, OWN=400, OTHER=404)))
    ],
    "supervision-api-documents": [
        Case(
            expect=api(GROUPS["AUTHENTICATED"], GET=api_out(AUTHENTICATED=200)),
            sees=(
                Sees(
                    "the notice to unit A",
                    document_title,
                    must=_roles("INTERNAL", "OWN"),
                    must_not=_roles("OTHER"),
                ),
                Sees(
                    "the draft circular",
                    draft_circular_title,
                    must=_roles("INTERNAL"),
                    must_not=_roles("OWN", "OTHER"),
                ),
            ),
        )
    ],
    "supervision-api-document-docx": [
        Case(
            lambda w: {"pk": w.document.pk},
            api(GROUPS["AUTHENTICATED"], GET=api_out(INTERNAL=200, OWN=200, OTHER=404)),
            label="published notice",
        ),
        Case(
            lambda w: {"pk": w.draft_circular.pk},
            api(GROUPS["AUTHENTICATED"], GET=api_out(INTERNAL=200, OWN=404, OTHER=404)),
            label="draft circular",
        ),
    ],
    # --- documents ---------------------------------------------------------------------------------
    "documents:list": [
        Case(
            expect=page_any(SIGNED_IN_200),
            sees=(
                Sees(
                    "the notice to unit A",
                    document_title,
                    must=_roles("INTERNAL", "unit_own"),
                    must_not=("unit_other",),
                ),
                Sees(
                    "the draft circular",
                    draft_circular_title,
                    must=_roles("INTERNAL"),
                    must_not=_roles("UNITS"),
                ),
                Sees(
                    "the 秘密 document",
                    secret_title,
                    must=("director", "deputy", "staff"),
                    must_not=_roles(
                        "section_chief", "duty_officer", "duty_leader", "commissioner", "researcher", "UNITS"
                    ),
                ),
            ),
        )
    ],
    "documents:export": [
        Case(
            expect=page_any(SIGNED_IN_200),
            sees=(
                Sees(
                    "the notice to unit A",
                    document_title,
                    must=_roles("INTERNAL", "unit_own"),
                    must_not=("unit_other",),
                ),
                Sees(
                    "the 秘密 document",
                    secret_title,
                    must=("director", "deputy", "staff"),
                    must_not=_roles(
                        "section_chief", "duty_officer", "duty_leader", "commissioner", "researcher", "UNITS"
                    ),
                ),
            ),
        )
    ],
    # naming readers of a 秘密 document: its drafter (staff), a signer (director) or the 机要科 chief;
    # the deputy sees it (clearance) but may not name readers; the rest do not know it exists
    "documents:grant-read": [
        Case(
            lambda w: {"pk": w.secret_document.pk},
            page_post(page_out(SIGNED_IN=404, deputy=403, director=302, staff=302)),
            label="秘密 document",
        ),
    ],
    "documents:detail": [
        Case(
            lambda w: {"pk": w.document.pk},
            page_any(page_out(INTERNAL=200, unit_own=200, unit_other=404)),
            label="published notice",
        ),
        Case(
            lambda w: {"pk": w.draft_circular.pk},
            page_any(page_out(INTERNAL=200, UNITS=404)),
            label="draft circular",
        ),
        # 秘密: the drafter (staff) and the roles that clear it (director, deputy); the rest 404
        Case(
            lambda w: {"pk": w.secret_document.pk},
            page_any(page_out(SIGNED_IN=404, director=200, deputy=200, staff=200)),
            label="秘密 document",
        ),
    ],
    "documents:download": [
        Case(
            lambda w: {"pk": w.document.pk},
            page_any(page_out(INTERNAL=200, unit_own=200, unit_other=404)),
            label="published notice",
        ),
        Case(
            lambda w: {"pk": w.draft_circular.pk},
            page_any(page_out(INTERNAL=200, UNITS=404)),
            label="draft circular",
        ),
        Case(
            lambda w: {"pk": w.secret_document.pk},
            page_any(page_out(SIGNED_IN=404, director=200, deputy=200, staff=200)),
            label="秘密 document",
        ),
    ],
    # the PDF beside the .docx: the same readers (LibreOffice converts the same .docx)
    "documents:pdf": [
        Case(
            lambda w: {"pk": w.document.pk},
            page_any(page_out(INTERNAL=200, unit_own=200, unit_other=404)),
            label="published notice",
        ),
        Case(
            lambda w: {"pk": w.draft_circular.pk},
            page_any(page_out(INTERNAL=200, UNITS=404)),
            label="draft circular",
        ),
        Case(
            lambda w: {"pk": w.secret_document.pk},
            page_any(page_out(SIGNED_IN=404, director=200, deputy=200, staff=200)),
            label="秘密 document",
        ),
    ],
    # only the director signs; the circular is in review, so the director's sign-off goes through
    "documents:sign-off": [
        Case(
            lambda w: {"pk": w.draft_circular.pk},
            page_post(page_out(INTERNAL=403, director=302, UNITS=404)),
            label="draft circular",
        ),
    ],
    # --- outgoing documents (issue 10) -----------------------------------------------------------
    # the home tabs: every signed-in person (a unit's tabs hold its receipts); no method restriction
    "documents:home": [
        Case(
            expect=page_any(SIGNED_IN_200),
            sees=(
                Sees(
                    "the 秘密 document",
                    secret_title,
                    must_not=_roles("section_chief", "commissioner", "UNITS"),
                ),
            ),
        )
    ],
    # a new draft is office staff's; an empty POST is the form again with its errors (400)
    "documents:new": [
        Case(expect=page_any(page_out(INTERNAL=200, UNITS=403), page_out(INTERNAL=400, UNITS=403)))
    ],
    # the number registers: DOCUMENT_CLERK_ROLES (director, deputies, section chiefs)
    "documents:numbers": [Case(expect=page_any(page_out(SIGNED_IN=403, LEADERS=200, section_chief=200)))],
    # editing the 秘密 draft: its drafter (staff) only; GET sends to the page, an empty POST is a 400;
    # those cleared to see it get 403, the rest do not know it exists
    "documents:save": [
        Case(
            lambda w: {"pk": w.secret_document.pk},
            page_any(
                page_out(SIGNED_IN=404, LEADERS=403, staff=302),
                page_out(SIGNED_IN=404, LEADERS=403, staff=400),
            ),
            label="秘密 draft",
        )
    ],
    # versions are the office's working papers, scoped like the document
    "documents:diff": [
        Case(
            lambda w: {"pk": w.secret_document.pk},
            page_any(page_out(SIGNED_IN=404, LEADERS=200, staff=200)),
            label="秘密 draft",
        ),
        Case(
            lambda w: {"pk": w.document.pk},
            page_any(page_out(INTERNAL=200, unit_own=404, unit_other=404)),
            label="published notice",
        ),
    ],
    # comments: office staff who see a draft (an empty POST is sent back with its message)
    "documents:comment-add": [
        Case(
            lambda w: {"pk": w.secret_document.pk},
            page_post(page_out(SIGNED_IN=404, LEADERS=302, staff=302)),
            label="秘密 draft",
        )
    ],
    # a comment is resolved by its author (the director) or the drafter (staff)
    "documents:comment-resolve": [
        Case(
            lambda w: {"pk": w.secret_document.pk, "comment_id": w.doc_comment.pk},
            page_post(page_out(SIGNED_IN=404, deputy=403, director=302, staff=302)),
            label="秘密 draft",
        )
    ],
    # the chain is the drafter's to set before submission
    "documents:chain": [
        Case(
            lambda w: {"pk": w.secret_document.pk},
            page_post(page_out(SIGNED_IN=404, LEADERS=403, staff=302)),
            label="秘密 draft",
        )
    ],
    # 送审: the drafter or a signer
    "documents:submit": [
        Case(
            lambda w: {"pk": w.secret_document.pk},
            page_post(page_out(SIGNED_IN=404, deputy=403, director=302, staff=302)),
            label="秘密 draft",
        )
    ],
    # a step is acted on by its assignee only (the section chief's 核稿 of a 内部 draft); 催办 by the
    # drafter (staff) or a leader
    "documents:step-action": [
        Case(
            lambda w: {"pk": w.chain_draft.pk, "step_id": w.review_step.pk, "action": "approve"},
            page_post(page_out(INTERNAL=403, section_chief=302, UNITS=404)),
            label="approve",
        ),
        Case(
            lambda w: {"pk": w.chain_draft.pk, "step_id": w.review_step.pk, "action": "remind"},
            page_post(page_out(INTERNAL=403, LEADERS=302, staff=302, UNITS=404)),
            label="remind",
        ),
    ],
    # 签收 by the receiving unit only; 归档 by the 文书 (clerk roles)
    "documents:action": [
        Case(
            lambda w: {"pk": w.document.pk, "action": "acknowledge"},
            page_post(page_out(INTERNAL=403, unit_own=302, unit_other=404)),
            label="acknowledge",
        ),
        Case(
            lambda w: {"pk": w.document.pk, "action": "archive"},
            page_post(page_out(INTERNAL=403, LEADERS=302, section_chief=302, unit_own=403, unit_other=404)),
            label="archive",
        ),
        Case(
            lambda w: {"pk": w.draft_circular.pk, "action": "register"},
            page_post(page_out(INTERNAL=403, LEADERS=302, section_chief=302, UNITS=404)),
            label="register",
        ),
    ],
    # the outgoing documents' API is the receiving units' (users and keys); office staff use the pages
    "documents-api-outgoing": [
        Case(
            expect=api(_roles("UNITS", "KEYS"), GET=api_out(INTERNAL=403, UNITS=200, KEYS=200)),
            sees=(
                Sees("the notice to unit A", document_title, must=_roles("OWN"), must_not=_roles("OTHER")),
                Sees("the 秘密 document", secret_title, must_not=_roles("UNITS", "KEYS")),
            ),
        )
    ],
    "documents-api-outgoing-detail": [
        Case(
            lambda w: {"pk": w.document.pk},
            api(_roles("UNITS", "KEYS"), GET=api_out(INTERNAL=403, OWN=200, OTHER=404)),
            label="published notice",
        ),
        Case(
            lambda w: {"pk": w.chain_draft.pk},
            api(_roles("UNITS", "KEYS"), GET=api_out(INTERNAL=403, OWN=404, OTHER=404)),
            label="draft",
        ),
    ],
    "documents-api-outgoing-acknowledge": [
        Case(
            lambda w: {"pk": w.document.pk},
            api(_roles("UNITS", "KEYS"), POST=api_out(INTERNAL=403, OWN=200, OTHER=404)),
            label="published notice",
        )
    ],
    # --- the duty room: pages for DUTY_ROOM_ROLES ---------------------------------------------------
    "duty:board": [Case(expect=page_any(DUTY_GET))],
    "duty:board-live": [Case(expect=page_any(DUTY_GET))],
    "duty:report-list": [
        Case(
            expect=page_any(DUTY_GET), sees=(Sees("unit A's report", report_title, must=_roles("DUTY_ROOM")),)
        )
    ],
    "duty:report-create": [Case(expect=page_any(DUTY_GET))],
    "duty:report-detail": [Case(lambda w: {"pk": w.report.pk}, page_any(DUTY_GET))],
    "duty:report-update": [Case(lambda w: {"pk": w.report.pk}, page_post(DUTY_POST_302, login_first=False))],
    "duty:report-upward": [Case(lambda w: {"pk": w.report.pk}, page_post(DUTY_POST_302, login_first=False))],
    "duty:report-level": [Case(lambda w: {"pk": w.report.pk}, page_post(DUTY_POST_302, login_first=False))],
    "duty:report-docx": [Case(lambda w: {"pk": w.report.pk}, page_any(DUTY_GET))],
    # generating a roster is the editors' (the page itself is the duty room's)
    "duty:roster-list": [
        Case(expect={**page_any(DUTY_GET), "POST": page_out(SIGNED_IN=403, DUTY_ROOM=403, DUTY_EDITORS=200)})
    ],
    "duty:roster-detail": [Case(lambda w: {"pk": w.roster.pk}, page_any(DUTY_GET))],
    "duty:roster-publish": [
        Case(lambda w: {"pk": w.roster.pk}, page_post(DUTY_EDITOR_POST, login_first=False))
    ],
    "duty:roster-export": [Case(lambda w: {"pk": w.roster.pk}, page_any(DUTY_GET))],
    "duty:roster-import": [
        Case(lambda w: {"pk": w.roster.pk}, page_post(DUTY_EDITOR_POST, login_first=False))
    ],
    "duty:shift-detail": [Case(lambda w: {"pk": w.shift.pk}, page_any(DUTY_GET))],
    "duty:shift-edit": [Case(lambda w: {"pk": w.shift.pk}, page_post(DUTY_EDITOR_POST, login_first=False))],
    "duty:log-add": [Case(lambda w: {"pk": w.shift.pk}, page_post(DUTY_POST_302, login_first=False))],
    # the handover out of a shift: those on it (main officer, duty leader) or the director
    "duty:handover-write": [
        Case(
            lambda w: {"pk": w.shift.pk},
            page_post(
                page_out(SIGNED_IN=403, director=302, duty_officer=302, duty_leader=302), login_first=False
            ),
        )
    ],
    "duty:handover-list": [Case(expect=page_any(DUTY_GET))],
    "duty:handover-detail": [Case(lambda w: {"pk": w.handover.pk}, page_any(DUTY_GET))],
    # only an officer of the incoming shift takes the handover over
    "duty:handover-acknowledge": [
        Case(
            lambda w: {"pk": w.handover.pk},
            page_post(page_out(SIGNED_IN=403, duty_officer=302), login_first=False),
        )
    ],
    "duty:phone-list": [Case(expect=page_any(DUTY_GET))],
    "duty:phone-handle": [Case(lambda w: {"pk": w.phone.pk}, page_post(DUTY_POST_302, login_first=False))],
    "duty:swap-list": [Case(expect=page_any(DUTY_GET))],
    "duty:swap-propose": [Case(expect=page_post(DUTY_POST_302, login_first=False))],
    # deciding a swap: the roster's editors (the officer who proposed it may not approve it)
    "duty:swap-action": [
        Case(
            lambda w: {"pk": w.swap.pk, "action": "approve"},
            page_post(DUTY_EDITOR_POST, login_first=False),
            label="approve",
        )
    ],
    "duty:stats": [Case(expect=page_any(DUTY_GET))],
    # --- duty API: whoever may send an urgent report (DUTY_REPORTER_ROLES) ---------------------------
    "duty-api-reports": [
        Case(
            expect=api(
                _roles("DUTY_ROOM", "UNITS", "KEYS"),
                GET=api_out(INTERNAL=403, DUTY_ROOM=200, UNITS=200, KEYS=200),
                POST=api_out(INTERNAL=403, DUTY_ROOM=400, UNITS=400, KEYS=400),
            ),
            sees=(
                Sees(
                    "unit A's report", report_title, must=_roles("DUTY_ROOM", "OWN"), must_not=_roles("OTHER")
                ),
            ),
        )
    ],
    "duty-api-report": [
        Case(
            lambda w: {"pk": w.report.pk},
            api(
                _roles("DUTY_ROOM", "UNITS", "KEYS"),
                GET=api_out(INTERNAL=403, DUTY_ROOM=200, OWN=200, OTHER=404),
            ),
        )
    ],
    "duty-api-report-updates": [
        Case(
            lambda w: {"pk": w.report.pk},
            api(
                _roles("DUTY_ROOM", "UNITS", "KEYS"),
                POST=api_out(INTERNAL=403, DUTY_ROOM=400, OWN=400, OTHER=404),
            ),
        )
    ],
    # --- suggestions (出点子、吐心声): the office's own; a campaign opened by the director, a named item
    # by the staff member, a talk of the director with her. Another office's users are told none exists.
    "suggestions:list": [Case(expect=page_get(page_out(INTERNAL=200, UNITS=403)))],
    "suggestions:mine": [Case(expect=page_get(page_out(INTERNAL=200, UNITS=403)))],
    "suggestions:talks": [Case(expect=page_get(page_out(INTERNAL=200, UNITS=403)))],
    "suggestions:open": [
        Case(expect=page_any(page_out(SIGNED_IN=403, director=200), page_out(SIGNED_IN=403, director=400)))
    ],
    "suggestions:talk-new": [
        Case(expect=page_any(page_out(SIGNED_IN=403, director=200), page_out(SIGNED_IN=403, director=400)))
    ],
    "suggestions:campaign": [Case(_sugg_campaign, page_get(page_out(INTERNAL=200, UNITS=404)))],
    "suggestions:items": [Case(_sugg_campaign, page_get(page_out(INTERNAL=200, UNITS=404)))],
    # every participant (the office but the director) writes; an empty form is 400
    "suggestions:submit": [
        Case(
            _sugg_campaign,
            page_any(
                page_out(INTERNAL=200, director=403, UNITS=404),
                page_out(INTERNAL=400, director=403, UNITS=404),
            ),
        )
    ],
    "suggestions:enter": [
        Case(
            _sugg_campaign,
            page_any(
                page_out(INTERNAL=403, director=200, UNITS=404),
                page_out(INTERNAL=403, director=400, UNITS=404),
            ),
        )
    ],
    "suggestions:close": [Case(_sugg_campaign, page_post(page_out(INTERNAL=403, director=302, UNITS=404)))],
    "suggestions:summary": [Case(_sugg_campaign, page_get(page_out(INTERNAL=403, director=200, UNITS=404)))],
    "suggestions:summary-docx": [
        Case(
            _sugg_campaign,
            page_get(page_out(INTERNAL=403, director=200, UNITS=404)),
            sees=(HIDES_SUGG_AUTHOR,),
        )
    ],
    # an item: the director and its author; nobody else learns it exists
    "suggestions:submission": [
        Case(
            _sugg_item,
            page_get(page_out(SIGNED_IN=404, director=200, staff=200)),
            sees=(Sees("the named author", sugg_author, must=("director", "staff")),),
        ),
        Case(
            _sugg_anon_item,
            page_get(page_out(SIGNED_IN=404, director=200, researcher=200)),
            label="anonymous",
            sees=(HIDES_SUGG_AUTHOR,),
        ),
    ],
    "suggestions:triage": [Case(_sugg_item, page_post(page_out(SIGNED_IN=404, director=302, staff=403)))],
    "suggestions:merge": [Case(_sugg_item, page_post(page_out(SIGNED_IN=404, director=302, staff=403)))],
    "suggestions:assign": [Case(_sugg_item, page_post(page_out(SIGNED_IN=404, director=302, staff=403)))],
    "suggestions:to-supervision": [
        Case(_sugg_item, page_post(page_out(SIGNED_IN=404, director=302, staff=403)))
    ],
    "suggestions:reply": [Case(_sugg_item, page_post(page_out(SIGNED_IN=404, director=400, staff=403)))],
    # the author answers (not yet replied: 302 with the message); the director may not answer for her
    "suggestions:answer": [Case(_sugg_item, page_post(page_out(SIGNED_IN=404, director=403, staff=302)))],
    # a talk: the director and the person; the notes are theirs alone
    "suggestions:talk": [
        Case(
            _sugg_talk,
            page_get(page_out(SIGNED_IN=404, director=200, staff=200)),
            sees=(Sees("the talk's notes", sugg_notes, must=("director", "staff")),),
        )
    ],
    "suggestions:talk-respond": [
        Case(_sugg_talk, page_post(page_out(SIGNED_IN=404, director=403, staff=302)))
    ],
    "suggestions:talk-reschedule": [
        Case(_sugg_talk, page_post(page_out(SIGNED_IN=404, director=302, staff=403)))
    ],
    "suggestions:talk-cancel": [
        Case(_sugg_talk, page_post(page_out(SIGNED_IN=404, director=302, staff=403)))
    ],
    "suggestions:talk-notes": [Case(_sugg_talk, page_post(page_out(SIGNED_IN=404, director=302, staff=403)))],
    "suggestions:talk-followup": [
        Case(_sugg_talk, page_post(page_out(SIGNED_IN=404, director=302, staff=403)))
    ],
    # --- suggestions API: the office staff's session; other offices' users and keys are refused --------
    "suggestions-api-campaigns": [
        Case(expect=api(_roles("INTERNAL"), GET=api_out(INTERNAL=200, UNITS=403, KEYS=403)))
    ],
    "suggestions-api-campaign": [
        Case(_sugg_campaign, api(_roles("INTERNAL"), GET=api_out(INTERNAL=200, UNITS=403, KEYS=403)))
    ],
    "suggestions-api-items": [
        Case(
            _sugg_campaign,
            api(
                _roles("INTERNAL"),
                GET=api_out(INTERNAL=200, UNITS=403, KEYS=403),
                POST=api_out(INTERNAL=400, director=403, UNITS=403, KEYS=403),
            ),
            sees=(HIDES_SUGG_AUTHOR,),
        )
    ],
    "suggestions-api-item": [
        Case(
            _sugg_item,
            api(_roles("INTERNAL"), GET=api_out(INTERNAL=404, director=200, staff=200, UNITS=403, KEYS=403)),
        ),
        Case(
            _sugg_anon_item,
            api(
                _roles("INTERNAL"),
                GET=api_out(INTERNAL=404, director=200, researcher=200, UNITS=403, KEYS=403),
            ),
            label="anonymous",
            sees=(HIDES_SUGG_AUTHOR,),
        ),
    ],
    "suggestions-api-reply": [
        Case(
            _sugg_item,
            api(_roles("INTERNAL"), POST=api_out(INTERNAL=404, director=400, staff=403, UNITS=403, KEYS=403)),
        )
    ],
}


# --- 收文 (documents.incoming): the office's register and pages; other offices over the API ----------
# The world's incoming documents are made on first use (tests/documents/incoming_factories.py): one
# sent by unit A through the API (内部), one 秘密 registered at the desk. The matrix's office people sit
# in an ordinary section, so only the leaders are 收文 clerks here (DOCUMENTS_INCOMING_CLERK_UNITS).


def _incoming(w):
    from tests.documents.incoming_factories import incoming_world

    return {"pk": incoming_world(w).incoming.pk}


def _incoming_made(w):
    from tests.documents.incoming_factories import incoming_world

    incoming_world(w)
    return {}


def _incoming_action(action: str, *, secret: bool = False):
    def kwargs(w):
        from tests.documents.incoming_factories import incoming_world

        world = incoming_world(w)
        doc = world.secret_incoming if secret else world.incoming
        return {"pk": doc.pk, "action": action}

    return kwargs


def incoming_title(w) -> str:
    return w.incoming.title


def secret_incoming_title(w) -> str:
    return w.secret_incoming.title


# a clerk's action on unit A's document: the leaders pass (an empty form comes back with the message,
# 302); other office staff 403; the sender 403 (it follows the status over the API); another unit 404
_INCOMING_CLERK_POST = page_post(page_out(INTERNAL=403, LEADERS=302, unit_own=403, unit_other=404))

MATRIX.update(
    {
        "documents:incoming-list": [
            Case(
                _incoming_made,
                page_any(page_out(INTERNAL=200, UNITS=403)),
                sees=(
                    Sees("unit A's incoming document", incoming_title, must=INTERNAL),
                    # 秘密: the roles that clear it (director, deputy); the rest never see the title
                    Sees(
                        "the 秘密 incoming document",
                        secret_incoming_title,
                        must=("director", "deputy"),
                        must_not=_roles(
                            "section_chief",
                            "staff",
                            "duty_officer",
                            "duty_leader",
                            "commissioner",
                            "researcher",
                        ),
                    ),
                ),
            )
        ],
        # signing for and registering: the 收文 clerks (here the leaders)
        "documents:incoming-create": [Case(expect=page_any(page_out(SIGNED_IN=403, LEADERS=200)))],
        "documents:incoming-detail": [
            Case(_incoming, page_any(page_out(INTERNAL=200, unit_own=403, unit_other=404)), label="unit A's"),
            Case(
                lambda w: {"pk": _incoming_made(w) or w.secret_incoming.pk},
                page_any(page_out(SIGNED_IN=404, director=200, deputy=200)),
                label="秘密",
            ),
        ],
        "documents:incoming-action": [
            Case(_incoming_action("check"), _INCOMING_CLERK_POST, label="check"),
            Case(_incoming_action("return"), _INCOMING_CLERK_POST, label="return"),
            Case(_incoming_action("instruct"), _INCOMING_CLERK_POST, label="instruct"),
            Case(_incoming_action("reply"), _INCOMING_CLERK_POST, label="reply"),
            # 阅毕: only a reader it was sent to (nobody yet)
            Case(
                _incoming_action("read"),
                page_post(page_out(INTERNAL=403, unit_own=403, unit_other=404)),
                label="read",
            ),
            # 转督办: supervision's own rule (its managers); with no 批示 yet the manager is told so (302)
            Case(
                _incoming_action("to_supervision"),
                page_post(page_out(INTERNAL=403, MANAGERS=302, unit_own=403, unit_other=404)),
                label="to_supervision",
            ),
            Case(
                _incoming_action("check", secret=True),
                page_post(page_out(SIGNED_IN=404, LEADERS=302)),
                label="秘密 check",
            ),
            Case(_incoming_action("no-such-action"), page_post(page_out(SIGNED_IN=404)), label="unknown"),
        ],
        # other offices' systems: send a document (an empty body is refused, 400) and follow their own
        "documents-api-incoming": [
            Case(
                _incoming_made,
                api(
                    _roles("UNITS", "KEYS"),
                    GET=api_out(INTERNAL=403, UNITS=200, KEYS=200),
                    POST=api_out(INTERNAL=403, UNITS=400, KEYS=400),
                ),
                sees=(
                    Sees(
                        "unit A's incoming document",
                        incoming_title,
                        must=_roles("OWN"),
                        must_not=_roles("OTHER"),
                    ),
                ),
            )
        ],
        "documents-api-incoming-detail": [
            Case(
                _incoming,
                api(_roles("UNITS", "KEYS"), GET=api_out(INTERNAL=403, OWN=200, OTHER=404)),
            )
        ],
    }
)


def _incoming_file_case(portal: bool) -> Case:
    # the file of unit A's incoming document: the office's staff; the sender follows the status only
    if portal:
        get = page_out(INTERNAL=200, UNITS=404)
    else:
        get = api_out(INTERNAL=200, UNITS=404, KEYS=404)
    return Case(
        lambda w: {"kind": "documents-incoming", "pk": _incoming(w)["pk"]},
        {"GET": get, **{m: outcome(ALL=405) for m in ("POST", *UNSAFE_OTHER)}},
        label="incoming document's file",
    )


MATRIX["file-download"].append(_incoming_file_case(portal=True))
MATRIX["api-file"].append(_incoming_file_case(portal=False))


def _sugg_attachment(w):
    if getattr(w, "sugg_attachment", None) is None:
        from django.core.files.base import ContentFile

        from suggestions.models import SubmissionAttachment

        from .conftest import PDF_BYTES

        w.sugg_attachment = SubmissionAttachment.objects.create(
            submission=_sugg_world(w).item, file=ContentFile(PDF_BYTES, name="s.pdf"), name="意见原件.pdf"
        )
    return w.sugg_attachment


# a suggestion's attachment: the director and the item's author; everybody else is told it does not exist
for _portal in (True, False):
    MATRIX["file-download" if _portal else "api-file"].append(
        _file_case(
            "suggestion-attachment",
            _sugg_attachment,
            label="suggestion attachment",
            portal=_portal,
            get_own={"INTERNAL": 404, "director": 200, "staff": 200, "unit_own": 404},
        )
    )


# --- apps added after issue 13 keep their rows in a module of their own --------------------------
# Each ``matrix_<app>.py`` imports what it needs from this module and defines ``ROWS`` (url name ->
# cases) and builds its world objects lazily from ``w`` as the suggestions rows above do.
from . import (  # noqa: E402
    matrix_dashboard,
    matrix_information,
    matrix_meetings,
    matrix_notifications,
    matrix_research,
    matrix_risks,
    matrix_security,
)

for _module in (
    matrix_dashboard,
    matrix_information,
    matrix_meetings,
    matrix_research,
    matrix_risks,
    matrix_notifications,
    matrix_security,
):
    _overlap = MATRIX.keys() & _module.ROWS.keys()
    assert not _overlap, f"{_module.__name__} repeats rows: {sorted(_overlap)}"
    MATRIX.update(_module.ROWS)
