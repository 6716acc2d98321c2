"""The age-friendly mode (长辈模式): a per-person preference, remembered in the database and mirrored
in the session so every page's first paint is right without a query."""

from django.contrib.auth import get_user_model
from django.db import transaction

from office.audit.services import audit_record

from .models import DisplayPreference

SESSION_KEY = "office_large_text"


def mirror_on_login(sender, request, user, **kwargs) -> None:
    """Signed in: copy the remembered choice into the session (one query per sign-in, none per page)."""
    if request is not None and hasattr(request, "session") and isinstance(user, get_user_model()):
        request.session[SESSION_KEY] = DisplayPreference.objects.filter(user=user, large_text=True).exists()


def large_text_for(request) -> bool:
    """The person's choice: the session's mirror (filled at sign-in; a session from before this
    preference existed is filled on its first page)."""
    user = getattr(request, "user", None)
    # a person only: an API key's unit principal is authenticated too, but has no preference
    if not isinstance(user, get_user_model()) or not user.is_authenticated:
        return False
    session = request.session
    if SESSION_KEY not in session:
        session[SESSION_KEY] = DisplayPreference.objects.filter(user=user, large_text=True).exists()
    return bool(session[SESSION_KEY])


@transaction.atomic
def display_preference_set(*, actor, large_text: bool) -> DisplayPreference:
    """Anyone signed in chooses for themselves (no access rule beyond being the person)."""
    pref, _ = DisplayPreference.objects.select_for_update().get_or_create(user=actor)
    if pref.large_text != large_text:
        pref.large_text = large_text
        pref.save(update_fields=["large_text", "updated_at"])
        audit_record(
            actor=actor, verb="web.display_preference", subject=pref, data={"large_text": large_text}
        )
    return pref
