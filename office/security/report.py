"""The assessor's report (``manage.py mlps_report``): each application-layer control of 等保 2.0 level 3
with its status for this deployment, read from the real configuration and database."""

from dataclasses import dataclass

from django.conf import settings

from office.conf import office_setting

from . import conf

MET, NOT_MET, NOT_APPLICABLE = "符合", "不符合", "不适用"


@dataclass
class Control:
    area: str
    name: str
    status: str
    detail: str

    @property
    def met(self) -> bool:
        return self.status != NOT_MET


def _validator(name: str) -> dict | None:
    for entry in settings.AUTH_PASSWORD_VALIDATORS:
        if entry["NAME"].endswith(name):
            return entry
    return None


def _ok(area, name, ok: bool, met: str, not_met: str) -> Control:
    return Control(area, name, MET if ok else NOT_MET, met if ok else not_met)


def controls() -> list[Control]:
    out: list[Control] = []
    a = "身份鉴别"
    out.append(
        _ok(
            a,
            "双因素认证（口令＋TOTP 动态口令）",
            conf.otp_required(),
            "内部账号登录须通过 TOTP 动态口令（django-otp），首次登录扫码绑定，备有恢复码。",
            "OFFICE_OTP_REQUIRED 未开启：仅凭口令即可登录。",
        )
    )
    if conf.otp_exempt_liaisons():
        out.append(
            Control(
                a,
                "外部单位联络员仅用口令",
                MET,
                "已开启 OFFICE_OTP_EXEMPT_LIAISONS：仅外部单位联络员可免动态口令，管理员、主任和秘密及以上授权人员不在此列。",
            )
        )
    else:
        out.append(Control(a, "外部单位联络员仅用口令", NOT_APPLICABLE, "未开启豁免：所有账号均须双因素。"))
    length = _validator("MinimumLengthValidator")
    min_length = conf.password_min_length() if length else 0
    complexity_ok = (
        min_length >= 8
        and _validator("CharacterClassesValidator") is not None
        and conf.password_min_classes() >= 3
        and _validator("NotContainingUsernameValidator") is not None
    )
    out.append(
        _ok(
            a,
            "口令复杂度",
            complexity_ok,
            f"至少 {min_length} 位，含四类字符中的至少 {conf.password_min_classes()} 类，不含登录名。",
            "口令校验器不全：须至少 8 位、四类字符中至少 3 类、不含登录名（AUTH_PASSWORD_VALIDATORS）。",
        )
    )
    history = conf.password_history()
    out.append(
        _ok(
            a,
            "口令不得重复使用",
            _validator("PasswordHistoryValidator") is not None and history >= 5,
            f"新口令不得与最近 {history} 次相同。",
            "未校验历史口令或次数少于 5（OFFICE_PASSWORD_HISTORY）。",
        )
    )
    age = conf.password_max_age_days()
    out.append(
        _ok(
            a,
            "口令定期更换",
            0 < age <= 90,
            f"口令 {age} 天到期，到期前 {conf.password_warn_days()} 天提示，到期后须修改才能继续使用。",
            "口令不过期或有效期超过 90 天（OFFICE_PASSWORD_MAX_AGE_DAYS）。",
        )
    )
    out.append(
        _ok(
            a,
            "首次登录修改口令",
            conf.password_change_at_first_sign_in(),
            "管理员创建的账号首次登录须修改口令。",
            "OFFICE_PASSWORD_CHANGE_AT_FIRST_SIGN_IN 未开启。",
        )
    )
    limit = int(office_setting("AXES_FAILURE_LIMIT", 0) or 0)
    out.append(
        _ok(
            a,
            "登录失败处理",
            "axes" in settings.INSTALLED_APPS and 0 < limit <= 5,
            f"连续失败 {limit} 次（口令或动态口令）锁定账号，提示不透露账号是否存在。",
            "未启用登录失败锁定或允许失败次数超过 5（AXES_FAILURE_LIMIT）。",
        )
    )
    idle, absolute = conf.session_idle_minutes(), conf.session_absolute_hours()
    out.append(
        _ok(
            a,
            "会话超时",
            0 < idle <= 30 and 0 < absolute <= 12,
            f"空闲 {idle} 分钟、登录 {absolute} 小时后会话结束，结束前 1 分钟提示。",
            "会话空闲超时未设或超过 30 分钟，或绝对时限未设或超过 12 小时（OFFICE_SESSION_IDLE_MINUTES、OFFICE_SESSION_ABSOLUTE_HOURS）。",
        )
    )
    out.append(
        _ok(
            a,
            "同一账号单一会话",
            conf.single_session(),
            "同一账号再次登录时结束前一会话，并在登录页告知原因。",
            "OFFICE_SESSION_SINGLE 未开启。",
        )
    )

    a = "访问控制"
    out.append(_separation())

    a = "安全审计"
    out.append(_chains())
    from office.audit.chain import retention_days

    days = retention_days()
    out.append(
        _ok(
            a,
            "审计记录留存",
            days >= 180,
            f"审计记录、涉密访问日志和安全日志至少保存 {days} 天，归档任务拒绝删除更近的记录（网络安全法 第二十一条）。",
            "留存期少于 180 天。",
        )
    )

    a = "入侵防范与剩余信息保护"
    policy = (settings.CONTENT_SECURITY_POLICY or {}).get("DIRECTIVES", {})
    scripts = policy.get("script-src") or policy.get("default-src") or []
    csp = (
        "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE
        and bool(scripts)
        and not any(s in ("'unsafe-inline'", "'unsafe-eval'", "*") for s in scripts)
    )
    out.append(
        _ok(
            a,
            "浏览器端防护头",
            settings.X_FRAME_OPTIONS == "DENY" and bool(settings.SECURE_REFERRER_POLICY),
            "X-Frame-Options: DENY、Referrer-Policy、Permissions-Policy；涉密页面与下载 Cache-Control: no-store。",
            "X-Frame-Options 不是 DENY 或未设 Referrer-Policy。",
        )
    )
    out.append(
        _ok(
            a,
            "内容安全策略（CSP）",
            csp,
            "已启用内容安全策略（django-csp）：脚本只来自本站静态文件，不允许内联脚本与 eval。",
            "未启用内容安全策略（django-csp），或 script-src 允许内联脚本、eval 或任意来源。",
        )
    )
    tls = bool(
        settings.SECURE_SSL_REDIRECT and settings.SESSION_COOKIE_SECURE and settings.SECURE_HSTS_SECONDS
    )
    out.append(
        _ok(
            a,
            "传输加密",
            tls,
            "强制 HTTPS、HSTS、仅经 HTTPS 发送会话 Cookie。",
            "未强制 HTTPS（SECURE_SSL_REDIRECT、SECURE_HSTS_SECONDS、SESSION_COOKIE_SECURE）。",
        )
    )
    out.append(Control(a, "退出清除会话", MET, "退出登录和会话超时均在服务器端删除会话数据。"))

    a = "数据备份恢复"
    out.append(
        _ok(
            a,
            "每日备份",
            "office.backup" in settings.INSTALLED_APPS and bool(office_setting("OFFICE_BACKUP_DAILY", True)),
            "每日自动备份数据库与附件（manage.py backup，轮换保留），可用 manage.py restore 恢复。",
            "未开启每日备份（OFFICE_BACKUP_DAILY）。",
        )
    )
    out.append(
        _ok(
            a,
            "备份加密",
            bool(office_setting("OFFICE_BACKUP_KEY", "")),
            "备份以 OFFICE_BACKUP_KEY 加密。",
            "备份未加密（OFFICE_BACKUP_KEY 未设置）。",
        )
    )
    return out


def _separation() -> Control:
    from django.contrib.auth import get_user_model

    from office.org.models import Role

    from .checks import separation_problems

    problems = separation_problems()
    User = get_user_model()
    missing = [
        str(Role(r).label)
        for r in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
        if not User.objects.filter(is_active=True, groups__name=r).exists()
    ]
    if problems or missing:
        why = "；".join([p.msg for p in problems] + ([f"尚无{'、'.join(missing)}"] if missing else []))
        return Control("访问控制", "三员分立", NOT_MET, why)
    return Control(
        "访问控制",
        "三员分立",
        MET,
        "系统管理员、安全管理员、审计管理员分设，无启用的超级用户，无一人兼任两员，不能为自己授予他人角色。",
    )


def _chains() -> Control:
    from office.audit.chain import CHAINS, chain_link_all, verify_chain

    from .chain import verify_security_chain

    chain_link_all()
    reports = [verify_chain(n) for n in CHAINS] + [verify_security_chain()]
    bad = [r for r in reports if not r.ok]
    if bad:
        r = bad[0]
        return Control("安全审计", "审计记录防篡改", NOT_MET, f"{r.name} 第 {r.first_bad_id} 条：{r.problem}")
    rows = sum(r.rows for r in reports)
    return Control(
        "安全审计",
        "审计记录防篡改",
        MET,
        f"业务审计、涉密访问、安全日志共 {rows} 条，哈希链校验通过（SHA-256）。",
    )


def production() -> bool:
    return conf.mlps() and not settings.DEBUG
