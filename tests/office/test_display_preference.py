"""Issue 15: the age-friendly mode (长辈模式) is one person's choice, remembered in the database,
mirrored in the session at sign-in (no query per page) and audited like any change."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from office.audit.models import AuditEvent
from office.org.models import Role
from office.web.models import DisplayPreference
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_switch_remembers_the_choice_for_the_person_and_returns_to_the_page(client):
    person = make_user(Role.EXTERNAL_UNIT)
    client.force_login(person)
    response = client.post("/preferences/display/", {"large_text": "1", "next": "/supervision/"})
    assert response.status_code == 302 and response["Location"] == "/supervision/"
    assert DisplayPreference.objects.get(user=person).large_text is True
    assert AuditEvent.objects.filter(verb="web.display_preference", actor=person).count() == 1
    assert b'<html lang="zh-hans" class="large-text">' in client.get("/").content
    # a new session (another browser) starts in large text: the preference is the person's
    other = Client()
    other.force_login(person)
    assert b'class="large-text"' in other.get("/").content
    # and someone else is not affected
    neighbour = Client()
    neighbour.force_login(make_user(Role.EXTERNAL_UNIT))
    assert b'class="large-text"' not in neighbour.get("/").content


def test_switching_off_and_a_foreign_next_url_goes_home(client):
    person = make_user(Role.STAFF)
    DisplayPreference.objects.create(user=person, large_text=True)
    client.force_login(person)
    response = client.post("/preferences/display/", {"large_text": "0", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert DisplayPreference.objects.get(user=person).large_text is False
    assert b'class="large-text"' not in client.get("/").content


def test_a_page_costs_no_query_for_the_preference(client):
    person = make_user(Role.STAFF)
    client.force_login(person)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    assert captured.captured_queries  # the page did run queries: the check below can fail
    assert not [q for q in captured.captured_queries if "web_displaypreference" in q["sql"]]
