"""Tunable rules of 等保 2.0 level 3 at the application layer, each read when asked through
``office.conf.office_setting``.

``OFFICE_MLPS`` is the production switch (on in docker-compose.yml): it turns on the level-3 defaults of
the rules below (two factors, session limits, one session per account, password expiry, a change at first
sign-in) and the system check of 三员分立. Off (the embedded demo, the test suite) those defaults are off
so that the demo stays usable; each rule can still be turned on by its own setting.
"""

from office.conf import office_setting


def mlps() -> bool:
    return bool(office_setting("OFFICE_MLPS", False))


# --- 身份鉴别: two factors --------------------------------------------------------------------------
def otp_required() -> bool:
    """An internal account must pass a TOTP step after the password (default: on with OFFICE_MLPS)."""
    return bool(office_setting("OFFICE_OTP_REQUIRED", mlps()))


def otp_exempt_liaisons() -> bool:
    """External unit liaisons may sign in with the password only (never an administrator, the director or
    anyone cleared for 秘密 and above)."""
    return bool(office_setting("OFFICE_OTP_EXEMPT_LIAISONS", False))


def otp_issuer() -> str:
    return str(office_setting("OFFICE_OTP_ISSUER", "市委办公室业务系统"))


def recovery_code_count() -> int:
    return int(office_setting("OFFICE_OTP_RECOVERY_CODES", 10))


# --- passwords ------------------------------------------------------------------------------------
def password_min_length() -> int:
    return max(8, int(office_setting("OFFICE_PASSWORD_MIN_LENGTH", 8)))


def password_min_classes() -> int:
    """Of the four classes (upper case, lower case, digits, other characters) a password uses at least."""
    return int(office_setting("OFFICE_PASSWORD_MIN_CLASSES", 3))


def password_history() -> int:
    """A new password may not be one of the last this many (0: no check)."""
    return int(office_setting("OFFICE_PASSWORD_HISTORY", 5))


def password_max_age_days() -> int:
    """A password older than this must be changed (0: never; default 90 with OFFICE_MLPS)."""
    return int(office_setting("OFFICE_PASSWORD_MAX_AGE_DAYS", 90 if mlps() else 0))


def password_warn_days() -> int:
    return int(office_setting("OFFICE_PASSWORD_WARN_DAYS", 7))


def password_change_at_first_sign_in() -> bool:
    """An account created by an administrator must change its password at its first sign-in."""
    return bool(office_setting("OFFICE_PASSWORD_CHANGE_AT_FIRST_SIGN_IN", mlps()))


# --- sessions -------------------------------------------------------------------------------------
def session_idle_minutes() -> int:
    """A session with no request for this long ends (0: never; default 30 with OFFICE_MLPS)."""
    return int(office_setting("OFFICE_SESSION_IDLE_MINUTES", 30 if mlps() else 0))


def session_absolute_hours() -> int:
    """A session ends this long after sign-in whatever the activity (0: never; default 12 with OFFICE_MLPS)."""
    return int(office_setting("OFFICE_SESSION_ABSOLUTE_HOURS", 12 if mlps() else 0))


def session_warning_seconds() -> int:
    """The page warns this long before the idle limit."""
    return int(office_setting("OFFICE_SESSION_WARNING_SECONDS", 60))


def single_session() -> bool:
    """A second sign-in of the same account ends the first session (default: on with OFFICE_MLPS)."""
    return bool(office_setting("OFFICE_SESSION_SINGLE", mlps()))


# --- browser-side ---------------------------------------------------------------------------------
def permissions_policy() -> str:
    return str(
        office_setting(
            "OFFICE_PERMISSIONS_POLICY",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        )
    )


def sensitive_url_names() -> list[str]:
    """Pages sent with ``Cache-Control: no-store`` (classified documents, talk notes, downloads), by URL
    name; a view may also be marked with ``office.security.headers.sensitive``."""
    return list(office_setting("OFFICE_SENSITIVE_URL_NAMES", DEFAULT_SENSITIVE_URL_NAMES))


DEFAULT_SENSITIVE_URL_NAMES = [
    "file-download",
    "api-file",
    "documents:detail",
    "documents:download",
    "documents:pdf",
    "documents:diff",
    "documents:incoming-detail",
    "suggestions:talk",
    "suggestions:talk-notes",
    "suggestions:talks",
    "security:log",
    "security:log-export",
]


def export_url_names() -> list[str]:
    """Views whose answer is an export or a generated file (a ledger, a .docx, a PDF): each 200 answer is
    a row of the security log (the security middleware, by URL name; no view needs to change)."""
    return list(office_setting("OFFICE_EXPORT_URL_NAMES", DEFAULT_EXPORT_URL_NAMES))


DEFAULT_EXPORT_URL_NAMES = [
    "documents:export",
    "documents:download",
    "documents:pdf",
    "supervision:export",
    "supervision-api-document-docx",
    "duty:report-docx",
    "duty:roster-export",
    "information:bulletin-docx",
    "information:bulletin-pdf",
    "information:ranking-xlsx",
    "suggestions:summary-docx",
    "meetings:seating-docx",
    "meetings:seating-pdf",
    "dashboard:briefing-docx",
    "dashboard:briefing-pdf",
]
