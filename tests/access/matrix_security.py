"""The authorization matrix's rows for office/security (see matrix.py for how to read a row).

None of the matrix's roles is one of the three administrators of 三员分立: the audit administrator's
log pages and the security administrator's account pages answer them all 403 (what the three
administrators get is in tests/security/test_separation.py). Everybody signed in has the two-factor
step (no device yet: enrolment) and the password change page."""

from .matrix import Case, page_any, page_out, page_post

_FORBIDDEN = page_out(SIGNED_IN=403)


def _nothing(w):
    return {}


def _staff(w):
    return {"pk": w.users["staff"].pk}


_PASSWORD = {
    "GET": page_out(SIGNED_IN=200),
    "POST": page_out(SIGNED_IN=200),  # an empty form comes back with its errors
    "PUT": page_out(SIGNED_IN=200),  # Django's FormView answers PUT like POST
    "PATCH": page_out(SIGNED_IN=405),
    "DELETE": page_out(SIGNED_IN=405),
}

ROWS: dict[str, list[Case]] = {
    # no confirmed device yet: the step sends everybody to the enrolment page
    "security:otp": [Case(_nothing, page_any(page_out(SIGNED_IN=302)))],
    "security:otp-setup": [Case(_nothing, page_any(page_out(SIGNED_IN=200)))],
    "security:password": [Case(_nothing, _PASSWORD)],
    "security:log": [Case(_nothing, page_any(_FORBIDDEN))],
    "security:log-export": [Case(_nothing, page_any(_FORBIDDEN))],
    "security:accounts": [Case(_nothing, page_any(_FORBIDDEN))],
    "security:account": [Case(_staff, page_any(_FORBIDDEN))],
    "security:otp-reset": [Case(_staff, page_post(_FORBIDDEN))],
}
