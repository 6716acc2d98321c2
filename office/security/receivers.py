"""What writes the security log without any app calling it: Django's and axes' sign-in signals, role and
permission changes (the groups' and permissions' m2m signals), administrator flags, API keys, and reads
of classified objects (every row of the classified-access log is mirrored here)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from office.errors import Invalid
from office.org.models import Role, UnitAPIKey
from office.org.roles import THREE_ADMIN_ROLES

from .models import EventKind, EventResult
from .services import account_security, current_actor, security_event_record

User = get_user_model()


@receiver(user_logged_in, dispatch_uid="security_login")
def _logged_in(sender, request, user, **kwargs):
    security_event_record(EventKind.LOGIN, request=request, actor=user)
    if request is not None and hasattr(request, "session"):
        from django.utils import timezone

        now = int(timezone.now().timestamp())
        request.session["security_started"] = now
        request.session["security_seen"] = now
        from .conf import single_session

        if single_session():  # this session is now the account's only one
            if request.session.session_key is None:
                request.session.save()
            state = account_security(user)
            state.session_key = request.session.session_key or ""
            state.save(update_fields=["session_key"])


@receiver(user_login_failed, dispatch_uid="security_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # the name as typed: the account may not exist (the page never says which)
    username = str((credentials or {}).get("username", ""))[:150]
    kind = EventKind.OTP_FAILED if (credentials or {}).get("otp") else EventKind.LOGIN_FAILED
    security_event_record(kind, request=request, actor=None, actor_label=username, result=EventResult.FAILURE)


@receiver(user_logged_out, dispatch_uid="security_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, "_security_signout_reason", "") if request is not None else ""
    if reason:
        return  # the middleware writes the timeout or the replacement itself
    security_event_record(EventKind.LOGOUT, request=request, actor=user)


def _axes_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    security_event_record(
        EventKind.LOCKOUT,
        request=request,
        actor=None,
        actor_label=str(username or "")[:150],
        result=EventResult.FAILURE,
        data={"ip": ip_address},
    )


def connect_axes() -> None:
    from axes.signals import user_locked_out

    user_locked_out.connect(_axes_locked_out, dispatch_uid="security_lockout")


# --- roles, permissions, clearances -------------------------------------------------------------------
def _group_names(pk_set) -> set[str]:
    return set(Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="security_groups")
def _groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if reverse:  # group.user_set changed: rare (admin of groups); log per group
        if action in ("post_add", "post_remove", "post_clear"):
            request, actor = current_actor()
            security_event_record(
                EventKind.ROLE_CHANGED,
                request=request,
                actor=actor,
                subject=instance,
                data={"action": action, "users": sorted(pk_set or ())},
            )
        return
    if action == "pre_add":
        names = _group_names(pk_set)
        held = set(instance.groups.filter(name__in=THREE_ADMIN_ROLES).values_list("name", flat=True))
        if len((held | names) & set(THREE_ADMIN_ROLES)) > 1:
            raise Invalid("三员分立：一个账号只能担任系统管理员、安全管理员、审计管理员中的一个。")
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    names = _group_names(pk_set)
    if action != "post_clear" and not names:
        return
    request, actor = current_actor()
    roles = sorted(n for n in names if n in Role.values)
    security_event_record(
        EventKind.ROLE_CHANGED,
        request=request,
        actor=actor,
        actor_label="" if actor else "系统",
        subject=instance,
        data={"added" if action == "post_add" else "removed": roles or sorted(names)},
    )


@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="security_user_perms")
@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="security_group_perms")
def _permissions_changed(sender, instance, action, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    request, actor = current_actor()
    if actor is None and request is None:
        return  # sync_roles after every migrate sets the roles' permissions from the code: not a change
    security_event_record(
        EventKind.PERMISSION_CHANGED,
        request=request,
        actor=actor,
        subject=instance,
        data={"action": action, "permissions": sorted(pk_set or ())},
    )


_WATCHED_USER_FIELDS = ("is_active", "is_staff", "is_superuser", "username")


@receiver(pre_save, sender=User, dispatch_uid="security_user_pre")
def _user_before(sender, instance, **kwargs):
    if instance.pk is None:
        instance._security_before = None
        return
    instance._security_before = User.objects.filter(pk=instance.pk).values(*_WATCHED_USER_FIELDS).first()


@receiver(post_save, sender=User, dispatch_uid="security_user_post")
def _user_after(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    request, actor = current_actor()
    if created:
        if request is None:
            return  # fixtures, the demo and the tests create accounts without a person behind them
        security_event_record(
            EventKind.ACCOUNT_CHANGED, request=request, actor=actor, subject=instance, data={"created": True}
        )
        return
    before = getattr(instance, "_security_before", None) or {}
    changed = {
        f: [before.get(f), getattr(instance, f)]
        for f in _WATCHED_USER_FIELDS
        if f in before and before.get(f) != getattr(instance, f)
    }
    if changed:
        security_event_record(
            EventKind.ACCOUNT_CHANGED, request=request, actor=actor, subject=instance, data=changed
        )


# --- API keys -----------------------------------------------------------------------------------------
@receiver(pre_save, sender=UnitAPIKey, dispatch_uid="security_key_pre")
def _key_before(sender, instance, **kwargs):
    instance._security_was_revoked = (
        UnitAPIKey.objects.filter(pk=instance.pk).values_list("revoked", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=UnitAPIKey, dispatch_uid="security_key_post")
def _key_after(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    request, actor = current_actor()
    if created:
        security_event_record(
            EventKind.API_KEY_ISSUED,
            request=request,
            actor=actor,
            actor_label="" if actor else "系统",
            subject=instance,
            data={"unit": instance.unit_id, "prefix": instance.prefix},
        )
    elif instance.revoked and not getattr(instance, "_security_was_revoked", False):
        security_event_record(
            EventKind.API_KEY_REVOKED,
            request=request,
            actor=actor,
            actor_label="" if actor else "系统",
            subject=instance,
            data={"unit": instance.unit_id, "prefix": instance.prefix},
        )


# --- reads of classified objects ------------------------------------------------------------------------
def _access_logged(sender, instance, created, raw=False, **kwargs):
    """Each row of the classified-access log (office/audit, written where a 秘密 object is read, downloaded
    or exported) is also a security event, so the security log alone shows every sensitive read."""
    if not created or raw:
        return
    kind = {"download": EventKind.DOWNLOAD, "export": EventKind.EXPORT}.get(
        instance.action, EventKind.CLASSIFIED_READ
    )
    from .models import SecurityEvent

    row = SecurityEvent(
        kind=kind,
        actor_id=instance.actor_id,
        actor_label=instance.actor_label,
        subject_type_id=instance.subject_type_id,
        subject_id=instance.subject_id[:64],
        subject_repr=instance.subject_repr,
        ip=instance.ip,
        user_agent=instance.user_agent,
        path=instance.path,
        data={"classification": instance.classification, "access_log": instance.pk},
    )
    row.save(force_insert=True)


def connect_access_log() -> None:
    from office.audit.models import AccessLog

    post_save.connect(_access_logged, sender=AccessLog, dispatch_uid="security_access_log")


# --- clearances: object-level read grants (guardian), e.g. a 秘密 document's named readers -------------------
def _object_permission_changed(sender, instance, created=None, raw=False, **kwargs):
    from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

    if raw or not isinstance(instance, UserObjectPermissionBase | GroupObjectPermissionBase):
        return
    request, actor = current_actor()
    who = getattr(instance, "user", None) or getattr(instance, "group", None)
    target = getattr(instance, "content_object", None)
    security_event_record(
        EventKind.CLEARANCE_CHANGED,
        request=request,
        actor=actor,
        actor_label="" if actor else "系统",
        subject=who,
        data={
            "action": "revoke" if kwargs.get("signal") is post_delete else "grant",
            "permission": instance.permission.codename if instance.permission_id else "",
            "object": str(target)[:200] if target is not None else "",
        },
    )


def connect_object_permissions() -> None:
    post_save.connect(_object_permission_changed, dispatch_uid="security_objperm_save")
    post_delete.connect(_object_permission_changed, dispatch_uid="security_objperm_delete")
