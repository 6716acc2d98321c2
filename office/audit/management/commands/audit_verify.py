"""``manage.py audit_verify``: walk the audit trail's, the access log's and the security log's hash
chains (after linking the rows written since the sweeper's last link), then re-read the archive files still on this machine (their checksum and their chain).

Exit 0 printing ``audit verified rows=<n>``; exit 1 naming the first row whose hash does not match, or
the archive file that was changed."""

import sys

from django.core.management.base import BaseCommand

from office.audit.chain import CHAINS, REGISTRY, chain_link_all, verify_archives, verify_chain


class Command(BaseCommand):
    help = "Verify the tamper-evident hash chains of the audit trail and the classified-access log."

    def handle(self, *args, **options):
        total = 0
        chain_link_all()  # what has committed up to now is checked, not only what the sweeper linked
        for report in (verify_chain(name) for name in REGISTRY):  # every chain: audit, access, security
            name = report.name
            if not report.ok:
                where = f" id={report.first_bad_id}" if report.first_bad_id is not None else ""
                self.stderr.write(
                    f"audit chain broken: {name}{where} after {report.rows} good rows: {report.problem}"
                )
                sys.exit(1)
            self.stdout.write(f"{name}: {report.rows} rows, head {report.head}")
            if name in CHAINS:  # the total is the business audit's; the security log's line is above
                total += report.rows
        for archive in verify_archives():
            if archive.missing:
                self.stdout.write(f"archive {archive.file_name}: not on this machine (off-site), not checked")
            elif not archive.ok:
                self.stderr.write(
                    f"audit archive broken: {archive.chain} {archive.file_name}: {archive.problem}"
                )
                sys.exit(1)
            else:
                self.stdout.write(f"archive {archive.file_name}: {archive.rows} rows intact")
        self.stdout.write(f"audit verified rows={total}")
