"""Scores: the four levels (10, 20, 30, 50) and a leader's instruction (+30) summed per unit (from the
monthly summary, one query) and per author in the database, ranked with ties (1, 1, 3); the Excel export
carries exactly the page's numbers."""

import io

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from research.information import selectors
from research.information.models import AdoptionKind as K
from research.information.services import feedback, reports
from research.information.services.common import InformationError
from tests.factories import UnitFactory, make_user

from .conftest import at
from .factories import adopt, make_report, through

NOV = selectors.Period("month", 2026, 11)


@pytest.fixture
def scored(office):
    """城关镇: one report adopted at all four levels with an instruction (10+20+30+50+30 = 140), one not
    adopted; 石门乡: one adopted by the Central office and the State Council (80), one by the province with
    two instructions (20+60) → 160; 桥头镇: one report, 140 — a tie with 城关镇."""
    w = office
    w.town_c = UnitFactory(code="town-c", name="桥头镇人民政府", short_name="桥头镇", kind="township")
    w.head_c = make_user("external_unit", unit=w.town_c, name="桥头镇联络员")
    w.town_c.head = w.head_c
    w.town_c.save()
    day = at(2026, 11, 3, 9, 0)
    a1 = through(w, make_report(w, when=day), day)
    through(w, make_report(w, when=day, title="城关镇第二条"), day)
    b1 = through(w, make_report(w, unit="b", when=day, title="石门乡一"), day)
    b2 = through(w, make_report(w, unit="b", when=day, title="石门乡二"), day)
    adopt(w, a1, K.MUNICIPAL, K.PROVINCIAL, K.STATE_COUNCIL, K.CENTRAL, K.INSTRUCTION)  # 140
    adopt(w, b1, K.CENTRAL, K.STATE_COUNCIL)  # 80
    adopt(w, b2, K.PROVINCIAL, K.INSTRUCTION, K.INSTRUCTION)  # 20 + 60 = 80 → 石门乡 160
    with time_machine.travel(day, tick=False):
        c1 = reports.report_create(
            actor=w.head_c, info_type="dynamic", title="桥头镇一", text="正文", facts_at=day
        )
    c1 = through(w, c1, day)
    adopt(w, c1, K.CENTRAL, K.MUNICIPAL, K.PROVINCIAL, K.INSTRUCTION, K.INSTRUCTION)  # 50+10+20+60 = 140
    return w


def test_levels_and_instructions_are_summed_per_unit_and_ranked_with_ties(scored, django_assert_num_queries):
    with django_assert_num_queries(1):  # the monthly summary, one grouped query
        rows = selectors.ranking(period=NOV)
    got = [(r.name, r.submitted, r.adopted, r.instructions, r.score, r.rank) for r in rows]
    assert got == [
        ("石门乡人民政府", 2, 2, 2, 160, 1),
        ("城关镇人民政府", 2, 1, 1, 140, 2),
        ("桥头镇人民政府", 1, 1, 2, 140, 2),  # equal score, equal rank
    ]
    assert rows[1].rate_label == "50.0%" and rows[2].rate_label == "100.0%"


def test_the_next_rank_after_a_tie_skips(scored):
    w = scored
    day = at(2026, 11, 4, 9, 0)
    d1 = through(w, make_report(w, unit="b", when=day, title="石门乡三"), day)
    # 城关镇 +20 → 160, equal to 石门乡: two firsts, then 桥头镇 third (not second)
    a3 = through(w, make_report(w, when=day, title="城关镇第三条"), day)
    adopt(w, a3, K.PROVINCIAL)
    rows = selectors.ranking(period=NOV)
    assert [(r.name, r.score, r.rank) for r in rows] == [
        ("城关镇人民政府", 160, 1),
        ("石门乡人民政府", 160, 1),
        ("桥头镇人民政府", 140, 3),
    ]
    assert d1.pk


def test_scores_per_author_are_summed(scored):
    rows = selectors.ranking(period=NOV, by="author")
    by_name = {r.name: (r.submitted, r.score, r.rank) for r in rows}
    assert by_name["城关镇信息员"] == (2, 140, 2)
    assert by_name["石门乡联络员"] == (2, 160, 1)
    assert by_name["桥头镇联络员"] == (1, 140, 2)


def test_the_points_are_settings(scored, settings):
    settings.INFORMATION_POINTS_CENTRAL = 100
    rows = {r.name: r.score for r in selectors.ranking(period=NOV)}
    assert rows["城关镇人民政府"] == 190 and rows["石门乡人民政府"] == 210


def test_a_level_is_adopted_once_but_instructions_each_count(scored):
    w = scored
    report = w.town_a.info_reports.get(title="城关镇推进秋粮收储")
    with pytest.raises(InformationError, match="已登记过该层级") as refused:
        feedback.adoption_record(actor=w.editor, report=report, kind=K.CENTRAL)
    assert refused.value.code == "conflict"
    feedback.adoption_record(actor=w.editor, report=report, kind=K.INSTRUCTION, leader="市长")
    assert {r.name: r.score for r in selectors.ranking(period=NOV)}["城关镇人民政府"] == 170


def test_the_query_count_does_not_grow_with_the_reports(scored, django_assert_num_queries):
    w = scored
    day = at(2026, 11, 5, 9, 0)
    for i in range(5):
        r = through(w, make_report(w, when=day, title=f"城关镇补充{i}"), day)
        adopt(w, r, K.MUNICIPAL)
    with django_assert_num_queries(1):  # the monthly summary, one grouped query
        selectors.ranking(period=NOV)


def test_the_excel_export_equals_the_pages_numbers(scored):
    client = Client()
    client.force_login(scored.director)
    page = client.get("/information/ranking?period=month&year=2026&number=11")
    assert page.status_code == 200
    cells = page.context["cells"]
    resp = client.get("/information/ranking.xlsx?period=month&year=2026&number=11")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).active
    values = [tuple(c.value for c in row) for row in ws.iter_rows(min_row=2)]
    assert values[0] == ("单位", "报送数", "采用数", "采用率", "批示数", "得分", "排名")
    assert values[1:] == [tuple(r) for r in cells]
    assert values[1] == ("石门乡人民政府", 2, 2, "100.0%", 2, 160, 1)
    for row in cells:
        assert str(row[0]) in page.content.decode()


def test_the_page_shows_one_page_of_the_ranking_with_the_whole_rankings_ranks(scored, monkeypatch):
    """A year by author can be thousands of rows: the page shows one page of them, each with its rank in
    the whole ranking, and the pager keeps the period and the grouping."""
    from research.information import views

    monkeypatch.setattr(views, "RANKING_PAGE_SIZE", 2)
    client = Client()
    client.force_login(scored.director)
    url = "/information/ranking?period=month&year=2026&number=11&by=author"
    first = client.get(url)
    assert [row[0] for row in first.context["cells"]] == ["石门乡联络员", "城关镇信息员"]
    assert "共 3 名" in first.content.decode()
    assert "period=month&amp;year=2026&amp;number=11&amp;by=author&amp;page=2" in first.content.decode()
    second = client.get(url + "&page=2")
    assert [tuple(row) for row in second.context["cells"]] == [("桥头镇联络员", 1, 1, "100.0%", 2, 140, 2)]
    assert client.get(url + "&page=99").context["cells"] == second.context["cells"]  # past the end: the last
