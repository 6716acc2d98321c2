"""The content security policy (django-csp): every page is served with a policy that allows scripts and
styles from this server's static files only, and no template carries what that policy would refuse
(an inline script, a style attribute, a ``javascript:`` link, an inline event handler). The browser side
(nothing refused on any page of any role) is checked by tests/browser/test_accessibility.py."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("templates", "office", "supervision", "duty", "documents", "research", "suggestions")


def _templates():
    for top in APPS:
        for path in (ROOT / top).rglob("*.html"):
            # e-mail bodies are read in mail clients, where inline styles are the only styles
            if "email" in path.parts:
                continue
            yield path


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.django_db
def test_every_page_is_served_with_a_policy_without_inline_scripts(client, director):
    assert "Content-Security-Policy" in client.get("/accounts/login/")
    client.force_login(director)
    for url in ("/", "/duty/", "/supervision/", "/notifications/"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        policy = _directives(resp["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], url


@pytest.mark.django_db
def test_the_api_docs_alone_may_use_an_inline_style_and_still_no_inline_script(client):
    resp = client.get("/api/docs/")
    policy = _directives(resp["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["style-src"] and policy["script-src"] == ["'self'"]
    assert re.search(rb"<script>\s*\S", resp.content) is None


def test_no_template_has_an_inline_script_a_style_attribute_or_an_inline_handler():
    found = []
    patterns = {
        "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"),
        "style attribute": re.compile(r"<[a-zA-Z][^<>]*\sstyle=\""),
        "style element": re.compile(r"<style[\s>]"),
        "javascript: link": re.compile(r"javascript:", re.I),
        "inline handler": re.compile(r"<[a-zA-Z][^<>]*\son[a-z]+=\"", re.I),
    }
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for what, pattern in patterns.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not found, "the CSP would refuse these:\n" + "\n".join(found)
