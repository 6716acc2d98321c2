from django.shortcuts import render
from django.utils import timezone

from ..selectors.stats import duty_stats_for_user
from .common import duty_required


@duty_required
def stats(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
        month = int(request.GET.get("month") or today.month)
        if not 1 <= month <= 12:
            raise ValueError
    except ValueError:
        year, month = today.year, today.month
    return render(request, "duty/stats.html", duty_stats_for_user(user=request.user, year=year, month=month))
