"""On a 390 px phone the director signs in with the password, is sent to enrol a TOTP device, scans (the
test computes the code), keeps the recovery codes and reaches the home page; the two-factor pages pass
axe and do not scroll sideways (Debian's chromium)."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import PHONE, axe_source, browser, run_axe  # noqa: F401  (fixtures)
from tests.browser.test_reflow import _too_wide

pytestmark = pytest.mark.browser


def test_the_director_enrols_on_a_phone_and_gets_in(live_server, browser, axe_source, director, settings):  # noqa: F811
    settings.OFFICE_OTP_REQUIRED = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    director.set_password("Qing#Shan2026")
    director.save()
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("登录名").fill(director.username)
    page.get_by_label("密码").fill("Qing#Shan2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/security/otp/setup/**")
    assert page.locator("[data-testid=otp-qr] svg").count() == 1
    problems = [_too_wide(page, "otp-setup")]
    violations = run_axe(page, axe_source)
    page.screenshot(path="/tmp/security-otp-setup.png", full_page=True)
    device = TOTPDevice.objects.get(user=director, confirmed=False)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    page.get_by_label("验证器显示的 6 位数字").fill(code)
    page.get_by_role("button", name="完成绑定").click()
    page.wait_for_selector("[data-testid=recovery-codes]")
    assert page.locator("[data-testid=recovery-codes] li").count() == 10
    problems.append(_too_wide(page, "otp-codes"))
    violations += run_axe(page, axe_source)
    page.get_by_role("link", name="我已保存，继续").click()
    page.wait_for_selector("[data-testid=current-user]")
    context.close()
    problems = [p for p in problems if p]
    assert not problems, problems
    assert not violations, [(v["id"], v["help"]) for v in violations]
