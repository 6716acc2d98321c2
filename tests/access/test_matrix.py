"""Issue 8's authorization matrix: every URL of the office × every demo role × GET and the unsafe
methods, against the table in matrix.py. See matrix.py for how to read and extend the table."""

import copy
import html
import io
import json
import zipfile

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import ROLES
from .matrix import MATRIX, METHODS, SKIPPED_PREFIXES, SKIPPED_URLS


def _url_names(resolver=None, namespace="") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _url_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def _office_url_names() -> set[str]:
    return {n for n in _url_names() if n not in SKIPPED_URLS and not n.startswith(SKIPPED_PREFIXES)}


def _unnamed_patterns(resolver=None, prefix="") -> list[str]:
    """Office URL patterns without a name cannot have a row: they are listed as a failure too."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin" or route.startswith(("admin/", "i18n/")):
                continue
            found += _unnamed_patterns(entry, route)
        elif not entry.name:
            found.append(route)
    return found


def test_every_url_has_a_row():
    urls = _office_url_names()
    missing = sorted(urls - MATRIX.keys())
    stale = sorted(MATRIX.keys() - urls)
    unnamed = _unnamed_patterns()
    problems = []
    if missing:
        problems.append("URLs without a row in tests/access/matrix.py: " + ", ".join(missing))
    if stale:
        problems.append("rows whose URL no longer exists: " + ", ".join(stale))
    if unnamed:
        problems.append("URL patterns without a name (give them one and a row): " + ", ".join(unnamed))
    assert not problems, "\n".join(problems)


def test_every_row_declares_every_method_for_every_role():
    bad = [
        f"{name}[{i}] {method}"
        for name, cases in MATRIX.items()
        for i, case in enumerate(cases)
        for method in METHODS
        if set(case.expect.get(method, {})) != set(ROLES)
    ]
    assert not bad, "incomplete rows: " + ", ".join(bad)


def _text(response) -> str:
    """The answer as text: HTML/JSON as decoded, an .xlsx/.docx as the XML of its parts."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
        response.close()
    else:
        body = response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as zf:
            # openpyxl writes characters as XML references (&#30002;)
            parts = (zf.read(n).decode("utf-8", "ignore") for n in zf.namelist() if n.endswith(".xml"))
            return html.unescape("".join(parts))
    text = body.decode("utf-8", "ignore")
    if response.get("Content-Type", "").startswith("application/json"):
        # compare with the text as written, whatever escaping the renderer chose
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return html.unescape(text)  # a page: titles may carry escaped quotes


def _send(client, method: str, url: str):
    # An atomic block the durable-service guard treats like the test case's own (services that open
    # a durable transaction are entry points; here they run inside the test's transaction anyway).
    block = transaction.atomic()
    block._from_testcase = True
    cookies = copy.deepcopy(client.cookies)
    with block:
        response = client.generic(method, url)
        transaction.set_rollback(True)
    client.cookies = cookies  # logging out must not sign the client out for the next request
    return response


def _cases():
    for name in sorted(MATRIX):
        for i, case in enumerate(MATRIX[name]):
            label = f"{name}[{case.label}]" if case.label else name
            yield pytest.param(name, i, id=label)


@pytest.mark.parametrize(("name", "index"), list(_cases()))
def test_matrix(world, name, index):
    case = MATRIX[name][index]
    label = f"{name}[{case.label}]" if case.label else name
    url = reverse(name, kwargs=case.kwargs(world) or None)
    mismatches = []
    for method in METHODS:
        for role in ROLES:
            expected = case.expect[method][role]
            response = _send(world.clients[role], method, url)
            got = response.status_code
            if got != expected:
                mismatches.append(f"{label} {method} {role}: expected {expected}, got {got}")
                continue
            if method == "GET" and got == 200:
                body = None
                for check in case.sees:
                    if role in check.must or role in check.must_not:
                        body = _text(response) if body is None else body
                        present = check.text(world) in body
                        if role in check.must and not present:
                            mismatches.append(f"{label} GET {role}: {check.what} missing")
                        if role in check.must_not and present:
                            mismatches.append(f"{label} GET {role}: {check.what} LEAKED")
    assert not mismatches, f"{len(mismatches)} mismatches at {url}:\n" + "\n".join(mismatches)
