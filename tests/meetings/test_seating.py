"""Seating plans: the rostrum rule of DOMAIN.md ("Meetings"), written out seat by seat.

The rule is stated from the SEATED LEADERS' view (facing the hall): the first in rank at the centre; odd
count: the 2nd at the 1st's left, the 3rd at the 1st's right, alternating outwards (以左为上); even count:
the 1st and 2nd share the centre, the 1st on the left of the two, then the 3rd at the left end, the 4th
at the right end, … 以右为上 is the mirror image.

The expected lists below are the seats read as the AUDIENCE sees them, from its left to its right
(``Seat.index`` 0 first). The leaders' left is the audience's right, so under 以左为上:
- n=3: leaders' view (their left → right) 2 1 3  →  audience view 3 1 2;
- n=4: leaders' view 3 1 2 4 (1 left of 2 at the centre, 3 further left, 4 further right) → 4 2 1 3.
So under 以左为上 the audience sees the odd ranks on its left and the even ranks on its right for an odd
count, and the reverse for an even count; 以右为上 reads each line backwards.
"""

from __future__ import annotations

import io
import time

import pytest
from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT

from office.meetings.seating import (
    Seat,
    SeatPerson,
    arrange_audience,
    arrange_rostrum,
    rostrum_order,
    swap_seats,
)
from office.meetings.seating_print import render_seating_docx

# Audience's left → right, by rank number, 以左为上 (rule="left").
LEFT_RULE = {
    1: [1],
    2: [2, 1],
    3: [3, 1, 2],
    4: [4, 2, 1, 3],
    5: [5, 3, 1, 2, 4],
    6: [6, 4, 2, 1, 3, 5],
    7: [7, 5, 3, 1, 2, 4, 6],
    8: [8, 6, 4, 2, 1, 3, 5, 7],
    9: [9, 7, 5, 3, 1, 2, 4, 6, 8],
    10: [10, 8, 6, 4, 2, 1, 3, 5, 7, 9],
    11: [11, 9, 7, 5, 3, 1, 2, 4, 6, 8, 10],
    12: [12, 10, 8, 6, 4, 2, 1, 3, 5, 7, 9, 11],
    13: [13, 11, 9, 7, 5, 3, 1, 2, 4, 6, 8, 10, 12],
    14: [14, 12, 10, 8, 6, 4, 2, 1, 3, 5, 7, 9, 11, 13],
    15: [15, 13, 11, 9, 7, 5, 3, 1, 2, 4, 6, 8, 10, 12, 14],
}

# Audience's left → right, 以右为上 (rule="right"): the mirror image, written out on its own.
RIGHT_RULE = {
    1: [1],
    2: [1, 2],
    3: [2, 1, 3],
    4: [3, 1, 2, 4],
    5: [4, 2, 1, 3, 5],
    6: [5, 3, 1, 2, 4, 6],
    7: [6, 4, 2, 1, 3, 5, 7],
    8: [7, 5, 3, 1, 2, 4, 6, 8],
    9: [8, 6, 4, 2, 1, 3, 5, 7, 9],
    10: [9, 7, 5, 3, 1, 2, 4, 6, 8, 10],
    11: [10, 8, 6, 4, 2, 1, 3, 5, 7, 9, 11],
    12: [11, 9, 7, 5, 3, 1, 2, 4, 6, 8, 10, 12],
    13: [12, 10, 8, 6, 4, 2, 1, 3, 5, 7, 9, 11, 13],
    14: [13, 11, 9, 7, 5, 3, 1, 2, 4, 6, 8, 10, 12, 14],
    15: [14, 12, 10, 8, 6, 4, 2, 1, 3, 5, 7, 9, 11, 13, 15],
}


def _leaders(n: int, *, shuffled: bool = True) -> list[SeatPerson]:
    ranks = list(range(1, n + 1))
    if shuffled:  # input order must not matter: ranks decide
        ranks = ranks[::2] + ranks[1::2][::-1]
    return [SeatPerson(key=f"p{r}", name=f"领导{r}", rank=r) for r in ranks]


def _audience_view(seats: list[Seat]) -> list[int]:
    assert [s.index for s in seats] == list(range(len(seats)))
    return [int(s.key[1:]) for s in seats]


@pytest.mark.parametrize("n", range(1, 16))
def test_rostrum_left_rule_matches_the_protocol_table(n):
    """Rule: 以左为上 — 1st at the centre, 2nd at the leaders' left (audience's right), alternating."""
    seats = arrange_rostrum(_leaders(n), rule="left")
    assert {s.zone for s in seats} == {"rostrum"} and {s.row for s in seats} == {0}
    assert _audience_view(seats) == LEFT_RULE[n]


@pytest.mark.parametrize("n", range(1, 16))
def test_rostrum_right_rule_matches_the_protocol_table(n):
    """Rule: 以右为上 — the mirror image of 以左为上."""
    assert _audience_view(arrange_rostrum(_leaders(n), rule="right")) == RIGHT_RULE[n]


def test_the_default_rule_is_left():
    """Rule: 以左为上 unless the setting says otherwise."""
    assert _audience_view(arrange_rostrum(_leaders(5))) == [5, 3, 1, 2, 4]


def test_equal_ranks_keep_input_order():
    """Rule: ties seat in the order given — the first given of two equal ranks is the higher."""
    people = [
        SeatPerson("chief", "书记", 1),
        SeatPerson("b", "乙", 2),
        SeatPerson("a", "甲", 2),
        SeatPerson("c", "丙", 3),
    ]
    # ranked: chief, b, a, c → audience view (4 people, 以左为上): 4th 2nd 1st 3rd = c b chief a
    assert [s.key for s in arrange_rostrum(people)] == ["c", "b", "chief", "a"]


def test_several_rostrum_rows_give_the_front_row_the_highest_ranks():
    """Rule: with per_row, row 0 (the front) takes ranks 1..per_row, each row seated by the same rule."""
    seats = arrange_rostrum(_leaders(12), rule="left", per_row=7)
    front = [s for s in seats if s.row == 0]
    back = [s for s in seats if s.row == 1]
    assert _audience_view(front) == [7, 5, 3, 1, 2, 4, 6]
    # ranks 8..12 seated among themselves: 5 people → 5th 3rd 1st 2nd 4th of that row
    assert [int(s.key[1:]) for s in back] == [12, 10, 8, 9, 11]
    assert [s.index for s in back] == [0, 1, 2, 3, 4]


def test_unknown_rule_and_empty_input():
    """Rule: an unknown rule is refused with a clear message; no people, no seats."""
    with pytest.raises(ValueError, match="unknown seating rule 'centre'.*以左为上.*以右为上"):
        arrange_rostrum(_leaders(3), rule="centre")
    with pytest.raises(ValueError, match="unknown seating rule"):
        arrange_rostrum([], rule="up")
    with pytest.raises(ValueError, match="per_row must be at least 1"):
        arrange_rostrum(_leaders(3), per_row=0)
    assert arrange_rostrum([]) == []
    assert arrange_audience([], seats_per_row=10) == []
    assert rostrum_order([], rule="right") == []


def test_audience_by_unit_in_the_official_order():
    """Rule: audience seated unit by unit in the order given, rows from the front, each row from the
    audience's left; within a unit by rank."""
    groups = [
        ("市委办公室", [SeatPerson("o2", "办二", 2), SeatPerson("o1", "办一", 1)]),
        ("市发改委", [SeatPerson("f1", "发一", 1), SeatPerson("f2", "发二", 2), SeatPerson("f3", "发三", 3)]),
        ("市财政局", []),
        ("市教育局", [SeatPerson("e1", "教一", 1)]),
    ]
    seats = arrange_audience(groups, seats_per_row=4)
    assert [(s.key, s.row, s.index) for s in seats] == [
        ("o1", 0, 0),
        ("o2", 0, 1),
        ("f1", 0, 2),
        ("f2", 0, 3),
        ("f3", 1, 0),
        ("e1", 1, 1),
    ]
    assert {s.zone for s in seats} == {"audience"}
    fresh = arrange_audience(groups, seats_per_row=4, new_row_per_unit=True)
    assert [(s.key, s.row, s.index) for s in fresh] == [
        ("o1", 0, 0),
        ("o2", 0, 1),
        ("f1", 1, 0),
        ("f2", 1, 1),
        ("f3", 1, 2),
        ("e1", 2, 0),
    ]
    with pytest.raises(ValueError, match="seats_per_row"):
        arrange_audience(groups, seats_per_row=0)


def test_swap_two_seats():
    """Rule: swapping exchanges exactly two people's places; a stranger cannot be swapped in."""
    seats = arrange_rostrum(_leaders(3))  # 3 1 2
    swapped = swap_seats(seats, "p3", "p2")
    assert _audience_view(sorted(swapped, key=lambda s: s.index)) == [2, 1, 3]
    with pytest.raises(ValueError, match="already have a seat"):
        swap_seats(seats, "p1", "nobody")


def test_sixty_are_seated_well_under_fifty_ms():
    """Rule: the plan for 60 is fast (the meetings bench reports it; target ≤ 50 ms)."""
    people = _leaders(60)
    arrange_rostrum(people, per_row=15)
    start = time.perf_counter()
    for _ in range(10):
        seats = arrange_rostrum(people, per_row=15)
    elapsed_ms = (time.perf_counter() - start) * 1000 / 10
    assert len(seats) == 60 and len({(s.row, s.index) for s in seats}) == 60
    assert elapsed_ms < 25


def test_docx_plan_opens_and_reads_in_seat_order():
    """Rule: the printed plan is a landscape page with 主席台, the rostrum's names in the audience's
    left-to-right order (centre marked 居中), the audience rows under it, and the note on the view."""
    rostrum = arrange_rostrum(_leaders(5))
    audience = arrange_audience(
        [("市发改委", [SeatPerson("f1", "发改甲", 1), SeatPerson("f2", "发改乙", 2)])], seats_per_row=3
    )
    data = render_seating_docx(
        title="市级领导公共管理核心课程培训会", subtitle="11月30日 上午", seats=rostrum + audience
    )
    doc = DocxDocument(io.BytesIO(data))
    assert doc.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert doc.sections[0].page_width > doc.sections[0].page_height
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "市级领导公共管理核心课程培训会" in text and "11月30日 上午" in text
    assert "主席台" in text and "观众席面向主席台" in text
    rostrum_table, audience_table = doc.tables
    cells = [c.text for c in rostrum_table.rows[0].cells]
    assert [c.split("\n")[0] for c in cells] == ["领导5", "领导3", "领导1", "领导2", "领导4"]
    assert "居中" in cells[2] and not any("居中" in c for i, c in enumerate(cells) if i != 2)
    assert [c.text for c in audience_table.rows[0].cells] == ["发改甲", "发改乙"]
    # the rostrum comes before the audience in the document body
    body = doc.element.body
    assert list(body).index(rostrum_table._tbl) < list(body).index(audience_table._tbl)


def test_docx_marks_both_centre_seats_of_an_even_row_and_prints_the_back_row_first():
    """Rule: with an even count the two centre seats are shared (both marked); the rostrum's back row is
    printed above its front row so that the front row faces the hall."""
    seats = arrange_rostrum(_leaders(6), per_row=4)
    doc = DocxDocument(io.BytesIO(render_seating_docx(title="常委会", seats=seats)))
    back, front = doc.tables
    assert [c.text.split("\n")[0] for c in front.rows[0].cells] == ["领导4", "领导2", "领导1", "领导3"]
    # ranks 5 and 6 share the back row's centre, 5 on the leaders' left = the audience's right
    assert [c.text.split("\n")[0] for c in back.rows[0].cells] == ["领导6", "领导5"]
    assert ["居中" in c.text for c in front.rows[0].cells] == [False, True, True, False]
