"""Seating plans (座次) for the rostrum (主席台) and the audience: pure functions, no database.

The protocol rule (DOMAIN.md, "Meetings") is stated from the SEATED LEADERS' view, facing the audience:
the first in rank sits at the centre; with an odd number the second sits at the first's left and the
third at the first's right, alternating outwards (以左为上, ``rule="left"``); with an even number the
first and second share the centre, the first on the left of the two, then alternating outwards (third
at the left end, fourth at the right end, …). ``rule="right"`` (以右为上) is its mirror image.

Every :class:`Seat` this module returns is numbered as seen from the AUDIENCE, facing the rostrum:
``index`` 0 is the leftmost seat as the audience (and a printed plan with the rostrum at the top of the
page) sees it. The seated leaders' left is therefore the audience's right: three leaders under 以左为上
read ``[3, 1, 2]`` from the audience's left to right.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

RULES = ("left", "right")
ZONE_ROSTRUM = "rostrum"
ZONE_AUDIENCE = "audience"


@dataclass(frozen=True)
class SeatPerson:
    """Someone to seat. ``rank``: lower is higher (1 = first in rank); equal ranks keep input order."""

    key: str
    name: str
    rank: int


@dataclass(frozen=True)
class Seat:
    """One seat of a plan.

    ``zone`` is ``"rostrum"`` or ``"audience"``; ``row`` counts from the front (0 = the row nearest the
    other zone: the rostrum's front row, the audience's first row); ``index`` 0 is the leftmost seat of
    the row AS SEEN FROM THE AUDIENCE (the protocol rule itself is stated from the seated leaders' view,
    whose left is the audience's right).
    """

    key: str
    name: str
    zone: str
    row: int
    index: int


def _check_rule(rule: str) -> None:
    if rule not in RULES:
        raise ValueError(f"unknown seating rule {rule!r}: use 'left' (以左为上) or 'right' (以右为上)")


def _ranked(people: Sequence[SeatPerson]) -> list[SeatPerson]:
    # sorted() is stable: equal ranks keep their input order.
    return sorted(people, key=lambda p: p.rank)


def _leaders_view_left_rule(row: Sequence[SeatPerson]) -> list[SeatPerson]:
    """One row in rank order → seats from the seated leaders' left to their right, under 以左为上."""
    seats: deque[SeatPerson] = deque()
    if len(row) % 2:
        seats.append(row[0])
        rest = row[1:]
    else:
        seats.extend(row[:2])  # the first on the left of the two centre seats
        rest = row[2:]
    for i, person in enumerate(rest):
        if i % 2 == 0:
            seats.appendleft(person)  # the leaders' left first
        else:
            seats.append(person)
    return list(seats)


def rostrum_order(row: Sequence[SeatPerson], *, rule: str = "left") -> list[SeatPerson]:
    """One row in any order → the people from the AUDIENCE's left to right (ranks sorted here)."""
    _check_rule(rule)
    leaders_view = _leaders_view_left_rule(_ranked(row))
    # Facing each other: the leaders' left-to-right is the audience's right-to-left. 以右为上 is the
    # mirror image of 以左为上, so it reads in the leaders' own left-to-right order.
    return leaders_view[::-1] if rule == "left" else leaders_view


def arrange_rostrum(
    people: Sequence[SeatPerson], *, rule: str = "left", per_row: int | None = None
) -> list[Seat]:
    """Seat ``people`` on the rostrum; several rows of ``per_row`` when given (the front row, row 0,
    takes the highest ranks). Returns seats row by row, each row from the audience's left."""
    _check_rule(rule)
    if per_row is not None and per_row < 1:
        raise ValueError("per_row must be at least 1")
    ranked = _ranked(people)
    if not ranked:
        return []
    size = per_row or len(ranked)
    seats: list[Seat] = []
    for row_no, start in enumerate(range(0, len(ranked), size)):
        for index, person in enumerate(rostrum_order(ranked[start : start + size], rule=rule)):
            seats.append(Seat(person.key, person.name, ZONE_ROSTRUM, row_no, index))
    return seats


def arrange_audience(
    groups: Sequence[tuple[str, Sequence[SeatPerson]]],
    *,
    seats_per_row: int,
    new_row_per_unit: bool = False,
) -> list[Seat]:
    """Seat the audience by unit, units in the order given (the official unit list's order).

    Rows fill from the front (row 0, nearest the rostrum), each from the AUDIENCE's left to right (the
    order a printed plan with the rostrum at the top reads); within a unit people go by rank (ties keep
    input order). Units follow each other in the same row unless ``new_row_per_unit`` starts each unit
    on a fresh row.
    """
    if seats_per_row < 1:
        raise ValueError("seats_per_row must be at least 1")
    seats: list[Seat] = []
    row, index = 0, 0
    for _unit, members in groups:
        if not members:
            continue
        if new_row_per_unit and index:
            row, index = row + 1, 0
        for person in _ranked(members):
            if index == seats_per_row:
                row, index = row + 1, 0
            seats.append(Seat(person.key, person.name, ZONE_AUDIENCE, row, index))
            index += 1
    return seats


def swap_seats(seats: Sequence[Seat], key_a: str, key_b: str) -> list[Seat]:
    """Swap two people's seats (the editor's "swap two seats"); unknown keys → ValueError."""
    by_key = {s.key: s for s in seats}
    if key_a not in by_key or key_b not in by_key:
        raise ValueError("both people must already have a seat")
    a, b = by_key[key_a], by_key[key_b]
    out: list[Seat] = []
    for s in seats:
        if s.key == key_a:
            out.append(Seat(a.key, a.name, b.zone, b.row, b.index))
        elif s.key == key_b:
            out.append(Seat(b.key, b.name, a.zone, a.row, a.index))
        else:
            out.append(s)
    return out
