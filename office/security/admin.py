"""三员分立 in the Django admin.

- Every ModelAdmin of the site (those registered before this module and after it) is wrapped: for one of
  the three administrators, ``office.security.access.admin_permission`` decides view/add/change/delete
  and the module list (a refusal there is final; an allowance still goes through the model admin's
  own check, which asks the Django permissions the role's group holds — granted from the same tables
  in ``apps.py``). Anybody else keeps the model admin's own answers.
- The accounts' admin (auth.User) shows the system administrator the account fields but not roles or
  permissions, the security administrator the roles and permissions only (no account creation, never its
  own account), and refuses two of the three administrator roles on one account. An account the system
  administrator creates must change its password at its first sign-in.
- The security log is read-only for the audit administrator.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from office.org.roles import THREE_ADMIN_ROLES

from . import access
from .models import AccountSecurity, SecurityEvent

User = get_user_model()

_ACTIONS = ("view", "add", "change", "delete")


def _wrap(model_admin) -> None:
    if getattr(model_admin, "_security_wrapped", False):
        return
    opts = model_admin.model._meta

    def make(action, original):
        def check(request, obj=None):
            verdict = access.admin_permission(request.user, opts.app_label, opts.model_name, action)
            if verdict is False:
                return False
            if action == "add":
                return original(request) if verdict is None else verdict and original(request)
            return original(request, obj)

        return check

    for action in _ACTIONS:
        name = f"has_{action}_permission"
        original = getattr(model_admin, name)
        if action == "add":
            setattr(model_admin, name, _add_wrapper(make(action, original)))
        else:
            setattr(model_admin, name, make(action, original))
    original_module = model_admin.has_module_permission

    def has_module_permission(request):
        verdict = access.admin_module_permission(request.user, opts.app_label)
        if verdict is False:
            return False
        return original_module(request)

    model_admin.has_module_permission = has_module_permission
    model_admin._security_wrapped = True


def _add_wrapper(check):
    # has_add_permission(request) on ModelAdmin; inlines pass (request, obj)
    def has_add_permission(request, obj=None):
        return check(request, obj)

    return has_add_permission


class _WrappingRegistry(dict):
    def __setitem__(self, model, model_admin):
        _wrap(model_admin)
        super().__setitem__(model, model_admin)


def enforce_separation(site=admin.site) -> None:
    for model_admin in site._registry.values():
        _wrap(model_admin)
    if not isinstance(site._registry, _WrappingRegistry):
        site._registry = _WrappingRegistry(site._registry)


class SeparatedUserChangeForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups")
        if groups is not None:
            names = {g.name for g in groups}
            if len(names & set(THREE_ADMIN_ROLES)) > 1:
                raise forms.ValidationError(
                    _("三员分立：一个账号只能担任系统管理员、安全管理员、审计管理员中的一个。")
                )
        return cleaned


class OfficeUserAdmin(UserAdmin):
    SECURITY_FIELDSETS = ((_("角色与权限"), {"fields": ("username", "groups", "user_permissions")}),)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if access.is_security_admin(request.user):
            return self.SECURITY_FIELDSETS
        if access.is_system_admin(request.user):
            hidden = {"groups", "user_permissions", "is_superuser"}
            result = []
            for title, spec in fieldsets:
                fields = [f for f in spec.get("fields", ()) if f not in hidden]
                if fields:
                    result.append((title, {**spec, "fields": fields}))
            return result
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if access.is_security_admin(request.user):
            return ("username",)
        return super().get_readonly_fields(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            return form
        return type("SeparatedForm", (SeparatedUserChangeForm, form), {})

    def has_change_permission(self, request, obj=None):
        # none of the three changes its own roles (the security administrator's own account is closed)
        if obj is not None and obj.pk == request.user.pk and access.is_security_admin(request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk and access.is_security_admin(request.user):
            return False
        return super().has_view_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            from .services import require_password_change

            require_password_change(user=obj)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, OfficeUserAdmin)


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "actor_display", "subject_repr", "result", "ip"]
    list_filter = ["kind", "result"]
    search_fields = ["actor__username", "actor_label", "subject_repr", "ip"]
    date_hierarchy = "created_at"
    list_select_related = ["actor__staff"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccountSecurity)
class AccountSecurityAdmin(admin.ModelAdmin):
    list_display = ["user", "password_changed_at", "must_change_password"]
    search_fields = ["user__username"]
    fields = ["user", "password_changed_at", "must_change_password"]
    readonly_fields = ["user", "password_changed_at"]

    def has_add_permission(self, request):
        return False


enforce_separation()
