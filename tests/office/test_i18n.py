"""The English catalogue is complete, compiled, and in step with the code (msgids are Chinese)."""

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from office.org.models import Role
from office.org.services import api_key_issue
from tests.factories import make_user

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO = LOCALE_DIR / "django.po"
MO = LOCALE_DIR / "django.mo"
SOURCE_DIRS = ["office", "supervision", "duty", "documents", "research", "suggestions", "templates"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgid, msgid_plural, msgstr (or msgstr[n]), flags. Enough for our catalogue."""
    entries, cur, field = [], None, None

    def flush():
        if cur is not None and "msgid" in cur:
            entries.append(cur)

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            flush()
            cur, field = None, None
            continue
        if cur is None or (line.startswith("#") and "msgid" in cur):
            flush()
            cur, field = {"flags": set(), "msgstr_n": {}}, None
        if line.startswith("#,"):
            cur["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif m := re.match(r"^msgstr\[(\d+)\]\s+(\".*\")$", line):
            field = ("n", int(m.group(1)))
            cur["msgstr_n"][field[1]] = _unquote(m.group(2))
        elif m := re.match(r"^(msgctxt|msgid_plural|msgid|msgstr)\s+(\".*\")$", line):
            field = m.group(1)
            cur[field] = _unquote(m.group(2))
        elif line.startswith('"'):
            if isinstance(field, tuple):
                cur["msgstr_n"][field[1]] += _unquote(line)
            else:
                cur[field] += _unquote(line)
        else:
            raise AssertionError(f"unparsed line in {path}: {raw!r}")
    return entries


@pytest.fixture(scope="module")
def po_entries():
    return parse_po(PO)


def test_every_message_is_translated_and_none_is_fuzzy(po_entries):
    messages = [e for e in po_entries if e["msgid"]]
    assert len(messages) > 500  # the parser really read the catalogue
    untranslated = [
        e["msgid"]
        for e in messages
        if (not e.get("msgstr", "").strip() if "msgid_plural" not in e else not all(e["msgstr_n"].values()))
    ]
    assert untranslated == []
    fuzzy = [e["msgid"] for e in po_entries if "fuzzy" in e["flags"]]
    assert fuzzy == []


def test_placeholders_survive_translation(po_entries):
    def placeholders(s):
        return sorted(re.findall(r"%\(\w+\)[sd]", s)) + sorted(re.findall(r"\{(\w*)(?:[:!][^}]*)?\}", s))

    wrong = []
    for e in po_entries:
        if not e["msgid"]:
            continue
        for text in [e.get("msgstr", "")] + list(e["msgstr_n"].values()):
            if text and placeholders(text) != placeholders(e["msgid"]):
                wrong.append((e["msgid"], text))
    assert wrong == []


def _mo_catalog(path) -> dict:
    with open(path, "rb") as fh:
        catalog = dict(gettext.GNUTranslations(fh)._catalog)
    catalog.pop("", None)  # the header (its POT-Creation-Date is not a message)
    return catalog


def test_committed_mo_matches_the_po(po_entries, tmp_path):
    committed = _mo_catalog(MO)
    expected = {}
    for e in po_entries:
        if not e["msgid"]:
            continue
        if "msgid_plural" in e:
            for n, text in e["msgstr_n"].items():
                expected[(e["msgid"], n)] = text
        else:
            expected[e["msgid"]] = e["msgstr"]
    assert committed == expected, "run: manage.py compilemessages -l en, and commit django.mo"
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        fresh = tmp_path / "django.mo"
        subprocess.run([msgfmt, "--check", "-o", str(fresh), str(PO)], check=True, capture_output=True)
        assert _mo_catalog(fresh) == committed


_PY_CALL = re.compile(
    r"""(?<![\w.])(?:_|gettext|gettext_lazy|gettext_noop|pgettext_lazy)\(\s*("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')\s*[,)]"""
)
_TPL_TAG = re.compile(r"""\{%\s*trans(?:late)?\s+("[^"]*"|'[^']*')""")
_TPL_FILTER_ARG = re.compile(r"""_\(("[^"]*"|'[^']*')\)""")
_TPL_BLOCK = re.compile(r"\{%\s*blocktrans(?:late)?\b([^%]*)%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S)


def _blocktranslate_msgid(options: str, body: str) -> str:
    singular = re.split(r"\{%\s*plural\s*%\}", body)[0].replace("%", "%%")
    singular = re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", singular)
    if "trimmed" in options.split():
        singular = " ".join(line.strip() for line in singular.splitlines() if line.strip())
    return singular


def _source_msgids() -> dict[str, str]:
    found = {}
    base = Path(settings.BASE_DIR)
    for top in SOURCE_DIRS:
        for path in (base / top).rglob("*"):
            if "migrations" in path.parts or not path.is_file():
                continue
            if path.suffix == ".py":
                for m in _PY_CALL.finditer(path.read_text(encoding="utf-8")):
                    found.setdefault(ast.literal_eval(m.group(1)), str(path.relative_to(base)))
            elif path.suffix in {".html", ".txt"}:
                text = path.read_text(encoding="utf-8")
                # makemessages doubles a % in a {% translate %} tag's literal (the tag does no formatting)
                for m in _TPL_TAG.finditer(text):
                    found.setdefault(m.group(1)[1:-1].replace("%", "%%"), str(path.relative_to(base)))
                for m in _TPL_FILTER_ARG.finditer(text):
                    found.setdefault(m.group(1)[1:-1], str(path.relative_to(base)))
                for m in _TPL_BLOCK.finditer(text):
                    found.setdefault(
                        _blocktranslate_msgid(m.group(1), m.group(2)), str(path.relative_to(base))
                    )
    return found


def test_every_marked_string_in_code_and_templates_is_in_the_catalogue(po_entries):
    found = _source_msgids()
    assert len(found) > 500  # the scan really found the marked strings
    assert "督查督办" in found and "个人信息" in found and "第 %(n)s / %(total)s 页" in found
    known = {e["msgid"] for e in po_entries}
    missing = {msgid: where for msgid, where in found.items() if msgid not in known}
    assert missing == {}, "run: manage.py makemessages -l en … then translate and compilemessages"


# --- rendered pages and API in English --------------------------------------------------------------


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_login_page_stays_chinese_with_accept_language_en(client):
    """Issue 14: the office's default is Chinese; English only by the switch (its cookie)."""
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="zh-hans"' in body and "用户登录" in body
    assert "User sign-in" not in body


@pytest.mark.django_db
def test_login_page_in_english_with_the_switchs_cookie(client):
    body = _english(client).get("/accounts/login/").content.decode()
    assert 'lang="en"' in body and "User sign-in" in body and "Password" in body
    assert "用户登录" not in body and "密码" not in body


@pytest.mark.django_db
def test_director_home_in_english_with_language_cookie(client):
    director = make_user(Role.DIRECTOR)
    client.force_login(director)
    body = _english(client).get("/").content.decode()
    assert "Personal information" in body and "Sign out" in body
    assert "个人信息" not in body and "退出" not in body


NAV_LABELS_ZH = ["首页", "督查督办", "督办统计", "退出", "消息收件箱"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "english"),
    [("/supervision/", "Supervision items"), ("/duty/", "Duty board")],
)
def test_supervision_list_and_duty_board_have_no_chinese_navigation_in_english(client, url, english):
    director = make_user(Role.DIRECTOR)
    client.force_login(director)
    resp = _english(client).get(url)
    assert resp.status_code == 200
    body = resp.content.decode()
    assert english in body and "Sign out" in body and "Current user" in body
    nav = re.search(r'<nav class="office-nav"[^>]*>(.*?)</nav>', body, flags=re.S).group(1)
    assert ">Home<" in nav and ">Supervision<" in nav and ">Duty<" in nav
    # The office's own name and people's names are data; the navigation itself must be all English.
    assert CJK.findall(nav) == []
    assert [label for label in NAV_LABELS_ZH if f">{label}<" in body] == []


@pytest.mark.django_db
def test_api_errors_in_english_when_asked(unit_a):
    api = APIClient()
    _, key = api_key_issue(actor=None, unit=unit_a, name="甲镇系统")

    resp = api.post(
        "/api/v1/duty/reports",
        {"title": "", "elements": {"nonsense": "x"}},
        format="json",
        HTTP_X_API_KEY=key,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert resp.status_code == 400
    body = resp.json()
    assert body["code"] == "invalid"
    assert body["message"] == "The submitted data is invalid. Please check and try again."
    assert body["fields"]["elements"] == ["Unknown elements: nonsense"]

    zh = api.post(
        "/api/v1/duty/reports",
        {"title": "", "elements": {"nonsense": "x"}},
        format="json",
        HTTP_X_API_KEY=key,
    )
    assert zh.json()["message"] == "提交的数据有误，请检查后重试。"


@pytest.mark.django_db
def test_api_permission_message_in_english(client):
    staff = make_user(Role.STAFF)
    api = APIClient()
    api.force_authenticate(staff)
    resp = api.post("/api/v1/duty/reports", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 403
    assert resp.json()["message"] == "Only the duty room or external units may submit urgent reports."
