"""Password rules (each refusal with its Chinese reason), history, expiry with its warning, and the change
at first sign-in of an account an administrator created."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from office.org.models import Role
from office.security.models import AccountSecurity, EventKind, SecurityEvent
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db):
    return make_user(Role.STAFF, user__username="zhangwei")


def _refusal(password, user):
    with pytest.raises(ValidationError) as info, translation.override("zh-hans"):
        validate_password(password, user)
    return " ".join(info.value.messages)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Ab#1x", "密码太短，至少需要 8 个字符"),
        ("abcdefgh12", "至少 3 类"),  # lower case and digits only
        ("Zhangwei#2026", "不能包含登录名"),
        ("12345678", "至少 3 类"),  # Django's numeric refusal comes with it
    ],
)
def test_a_password_breaking_a_rule_is_refused_with_its_chinese_reason(user, password, reason):
    assert reason in _refusal(password, user)


def test_a_good_password_passes(user):
    validate_password("Qing#Shan2026", user)


def test_not_one_of_the_last_five(user):
    used = [f"Spring#{n}Rain" for n in range(6)]
    for p in used:
        user.set_password(p)
        user.save()
    for p in used[1:]:  # the last five (the current one included)
        assert "最近 5 次" in _refusal(p, user)
    validate_password(used[0], user)  # the sixth back is allowed again


def test_setting_a_password_is_logged_and_starts_the_expiry(user):
    before = timezone.now()
    user.set_password("Qing#Shan2026")
    user.save()
    state = AccountSecurity.objects.get(user=user)
    assert state.password_changed_at >= before and not state.must_change_password
    assert SecurityEvent.objects.filter(kind=EventKind.PASSWORD_CHANGED, actor=user).exists()


def test_an_expired_password_forces_a_change(client, user, settings):
    settings.OFFICE_PASSWORD_MAX_AGE_DAYS = 90
    AccountSecurity.objects.filter(user=user).update(password_changed_at=timezone.now() - timedelta(days=91))
    client.force_login(user)
    for url in ("/", "/documents/", "/supervision/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/security/password/", url
    assert client.get("/security/password/").status_code == 200
    response = client.post(
        "/security/password/",
        {"old_password": "pass-word-123", "new_password1": "Qing#Shan2026", "new_password2": "Qing#Shan2026"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_the_change_page_refuses_a_reused_password_in_chinese(client, user, settings):
    settings.OFFICE_PASSWORD_MAX_AGE_DAYS = 90
    AccountSecurity.objects.filter(user=user).update(password_changed_at=timezone.now() - timedelta(days=91))
    client.force_login(user)
    response = client.post(
        "/security/password/",
        {"old_password": "pass-word-123", "new_password1": "pass-word-123", "new_password2": "pass-word-123"},
    )
    assert response.status_code == 200
    assert "最近 5 次" in response.content.decode()


def test_seven_days_before_expiry_a_warning_is_shown(client, user, settings):
    settings.OFFICE_PASSWORD_MAX_AGE_DAYS = 90
    AccountSecurity.objects.filter(user=user).update(password_changed_at=timezone.now() - timedelta(days=85))
    client.force_login(user)
    response = client.get("/", follow=True)
    assert response.status_code == 200
    assert "5 天后过期" in response.content.decode()


def test_an_account_an_administrator_created_changes_its_password_first(client, system_admin, settings):
    settings.OFFICE_PASSWORD_CHANGE_AT_FIRST_SIGN_IN = True
    client.force_login(system_admin)
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "newclerk",
            "password1": "Xin#Yuan2026",
            "password2": "Xin#Yuan2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from django.contrib.auth import get_user_model

    newbie = get_user_model().objects.get(username="newclerk")
    assert AccountSecurity.objects.get(user=newbie).must_change_password
    client.logout()
    client.force_login(newbie)
    assert client.get("/")["Location"] == "/security/password/"
    client.post(
        "/security/password/",
        {"old_password": "Xin#Yuan2026", "new_password1": "Hai#Kuo2026", "new_password2": "Hai#Kuo2026"},
    )
    assert not AccountSecurity.objects.get(user=newbie).must_change_password
    assert client.get("/").status_code == 200


def test_production_stores_passwords_with_a_slow_salted_hash_though_the_suite_uses_md5():
    # tests/conftest.py swaps in MD5 for speed; what the deployed settings use is Django's PBKDF2-SHA256
    # first (a stored hash starts "pbkdf2_sha256$"), never a fast hash
    from django.conf import global_settings

    import office.settings as deployed

    hashers = getattr(deployed, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert not any("MD5" in h or "Unsalted" in h for h in hashers)
