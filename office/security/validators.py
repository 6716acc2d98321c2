"""Password rules of 等保 2.0 level 3 beside Django's own validators (length, common, numeric), each
with its Chinese reason and each tunable through office/security/conf.py:

- ``MinimumLengthValidator``: at least ``OFFICE_PASSWORD_MIN_LENGTH`` (8) characters;
- ``CharacterClassesValidator``: at least ``OFFICE_PASSWORD_MIN_CLASSES`` (3) of the four classes
  (upper case, lower case, digits, other characters);
- ``NotContainingUsernameValidator``: the login name, in any case, does not appear in the password;
- ``PasswordHistoryValidator``: not one of the last ``OFFICE_PASSWORD_HISTORY`` (5) passwords; it also
  records each new password (Django calls ``password_changed`` whenever a password is saved), which
  starts the 90-day expiry and clears the "change at first sign-in" flag.
"""

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import conf

CLASSES = (
    ("upper", str.isupper),
    ("lower", str.islower),
    ("digit", str.isdigit),
)


def character_classes(password: str) -> int:
    found = {name for ch in password for name, test in CLASSES if test(ch) and ch.isascii()}
    if any(not (ch.isascii() and (ch.isalpha() or ch.isdigit())) for ch in password):
        found.add("other")
    return len(found)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, its length from ``OFFICE_PASSWORD_MIN_LENGTH`` (8) and its reason in Chinese (Django 5.2's
    message changed its msgid and lost the zh-hans translation)."""

    def __init__(self, min_length=None):
        super().__init__(min_length or 8)

    def validate(self, password, user=None):
        self.min_length = conf.password_min_length()
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short")

    def get_error_message(self):
        return _("密码太短，至少需要 %(n)d 个字符。") % {"n": conf.password_min_length()}

    def get_help_text(self):
        return _("密码至少需要 %(n)d 个字符。") % {"n": conf.password_min_length()}


class CharacterClassesValidator:
    def validate(self, password, user=None):
        needed = conf.password_min_classes()
        if character_classes(password) < needed:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、其他符号四类中的至少 %(n)d 类。") % {"n": needed},
                code="password_too_few_classes",
            )

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、其他符号四类中的至少 %(n)d 类。") % {
            "n": conf.password_min_classes()
        }


class NotContainingUsernameValidator:
    min_length = 3  # a one- or two-letter login name would refuse half the passwords

    def validate(self, password, user=None):
        username = (user.get_username() if user is not None else "") or ""
        if len(username) >= self.min_length and username.lower() in password.lower():
            raise ValidationError(_("密码不能包含登录名。"), code="password_contains_username")

    def get_help_text(self):
        return _("密码不能包含登录名。")


class PasswordHistoryValidator:
    def validate(self, password, user=None):
        keep = conf.password_history()
        if user is None or user.pk is None or not keep:
            return
        from .models import PasswordHistory

        recent = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-id")[:keep]
        hashes = [p.password for p in recent]
        if user.password and user.password not in hashes:
            hashes.append(user.password)  # the current one, set before the history existed
        if any(check_password(password, h) for h in hashes):
            raise ValidationError(
                _("新密码不能与最近 %(n)d 次使用过的密码相同。") % {"n": keep}, code="password_reused"
            )

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        from .services import password_changed

        password_changed(user)

    def get_help_text(self):
        return _("新密码不能与最近 %(n)d 次使用过的密码相同。") % {"n": conf.password_history()}
