"""``manage.py information_rebuild_ranking``: recount the ranking's monthly summary from every submitted
report and adoption (after reports were imported in bulk, or to repair a summary). The services keep it
right otherwise. Prints ``information ranking rebuilt buckets=<n> reports=<n>``; ``--check`` only
compares, and exits 1 naming the first bucket that differs from a recount."""

import sys

from django.core.management.base import BaseCommand

from research.information.models import RankingMonth
from research.information.services.ranking import COUNT_FIELDS, ranking_rebuild, ranking_recount


class Command(BaseCommand):
    help = "Recount the information ranking's monthly summary (RankingMonth) from the reports."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare with a recount, change nothing")

    def handle(self, *args, check=False, **options):
        if check:
            recount = ranking_recount()
            stored = {
                (r.unit_id, r.month): {name: getattr(r, name) for name in COUNT_FIELDS}
                for r in RankingMonth.objects.all()
                if any(getattr(r, name) for name in COUNT_FIELDS)
            }
            for key in sorted(set(recount) | set(stored)):
                if recount.get(key) != stored.get(key):
                    unit_id, month = key
                    self.stderr.write(
                        f"information ranking differs: unit={unit_id} month={month:%Y-%m} "
                        f"stored={stored.get(key)} recount={recount.get(key)}"
                    )
                    sys.exit(1)
            self.stdout.write(f"information ranking checked buckets={len(recount)}")
            return
        buckets = ranking_rebuild()
        reports = sum(r["submitted"] for r in RankingMonth.objects.values("submitted"))
        self.stdout.write(f"information ranking rebuilt buckets={buckets} reports={reports}")
