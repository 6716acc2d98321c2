"""Issue 14, walk-through: the list's date filters are labelled, the feedback form's milestone select
names the milestones, required fields are marked, and long multiple selects get a filter box (office.js)."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from supervision.forms import FeedbackForm

from .factories import make_item

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_the_milestone_select_names_each_open_milestone(director, unit_a):
    item = make_item(actor=director, lead_unit=unit_a, milestones=[("拿出实施方案", dt.date(2026, 12, 20))])
    html = str(FeedbackForm(milestones=list(item.milestones.all()))["milestone"])
    assert "12-20 拿出实施方案" in html and "不对应具体节点" in html
    assert "（没有待反馈的节点）" in str(FeedbackForm(milestones=[])["milestone"])


def test_the_item_page_offers_the_milestones_by_name(client, director, unit_a, user_a):
    item = make_item(
        actor=director, lead_unit=unit_a, issue=True, milestones=[("拿出实施方案", dt.date(2026, 12, 20))]
    )
    client.force_login(user_a)
    page = client.get(reverse("supervision:detail", args=[item.pk])).content.decode()
    form = page.split('data-testid="feedback-form"')[1].split("</form>")[0]
    assert "拿出实施方案" in form


def test_the_lists_date_filters_are_labelled_and_required_fields_marked(client, director):
    client.force_login(director)
    page = client.get(reverse("supervision:list")).content.decode()
    assert '<label class="form-label small" for="f-due-from">' in page and 'for="f-due-to"' in page
    form = client.get(reverse("supervision:create")).content.decode()
    title_label = form.split('for="id_title"')[1].split("</label>")[0]
    assert "（必填）" in title_label
    assert "（必填）" not in form.split('for="id_source_ref"')[1].split("</label>")[0]


def test_long_multiple_selects_get_a_labelled_filter_box():
    js = (ROOT / "static/office/office.js").read_text(encoding="utf-8")
    assert 'document.querySelectorAll("select[multiple]").forEach(filterable)' in js
    assert "label.htmlFor = box.id" in js  # the filter box has its own label
