"""Item numbers: 督〔2026〕15号, sequential per year, never reused (a locked counter row, not max()+1)."""

from django.db import IntegrityError, transaction

from .. import conf
from ..models import ItemNumberSequence


def format_item_number(year: int, seq: int) -> str:
    return f"{conf.number_prefix()}〔{year}〕{int(seq)}号"


def next_item_number(year: int) -> tuple[int, str]:
    """Take the next number of ``year`` under the counter's row lock. Call inside a transaction: the
    number is consumed when that transaction commits (a rolled-back create gives it back)."""
    try:
        with transaction.atomic():
            ItemNumberSequence.objects.get_or_create(year=year)
    except IntegrityError:  # created concurrently by another transaction
        pass
    counter = ItemNumberSequence.objects.select_for_update().get(year=year)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return counter.last_value, format_item_number(year, counter.last_value)
