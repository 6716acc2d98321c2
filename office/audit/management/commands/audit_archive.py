"""``manage.py audit_archive --before YYYY-MM-DD``: move the rows of every hash chain — the audit trail,
the classified-access log and the security log (``office.audit.chain.REGISTRY``) — older than the cut-off
(never inside the retention period, OFFICE_AUDIT_RETENTION_DAYS, at least 180 days) to JSON-lines files
under OFFICE_AUDIT_ARCHIVE_DIR, each recorded with its checksum and the chain's hash where the table resumes."""

import datetime as dt
import getpass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from office.audit.chain import REGISTRY, RetentionRefused, archive_chain_prefix
from office.conf import office_setting
from office.security.models import EventKind, EventResult
from office.security.services import security_event_record


class Command(BaseCommand):
    help = "Archive audit and security log rows older than the cut-off (at least 180 days old) to files, keeping the chains verifiable."

    def add_arguments(self, parser):
        parser.add_argument(
            "--before", required=True, help="cut-off date YYYY-MM-DD (local time, start of day)"
        )
        parser.add_argument("--to", default=None, help="directory (default OFFICE_AUDIT_ARCHIVE_DIR)")

    def handle(self, *args, before, to=None, **options):
        try:
            day = dt.date.fromisoformat(before)
        except ValueError as exc:
            raise CommandError("--before 应为 YYYY-MM-DD 格式的日期") from exc
        cutoff = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        directory = Path(
            to or office_setting("OFFICE_AUDIT_ARCHIVE_DIR", str(settings.VAR_DIR / "audit-archive"))
        )
        done: list[dict] = []
        for name in REGISTRY:
            try:
                archive = archive_chain_prefix(name, before=cutoff, directory=directory)
            except RetentionRefused as exc:
                self._log(
                    EventResult.FAILURE, before=before, directory=directory, archived=done, refused=str(exc)
                )
                raise CommandError(str(exc)) from exc
            if archive is None:
                self.stdout.write(f"{name}: nothing older than {day}")
            else:
                done.append(
                    {
                        "chain": name,
                        "rows": archive.rows,
                        "first_id": archive.first_id,
                        "last_id": archive.last_id,
                        "file": archive.file_name,
                        "sha256": archive.file_sha256,
                    }
                )
                self.stdout.write(
                    f"{name}: {archive.rows} rows ({archive.first_id}–{archive.last_id}) → {archive.file_name} "
                    f"sha256={archive.file_sha256}"
                )
        self._log(EventResult.SUCCESS, before=before, directory=directory, archived=done)

    def _log(self, result: str, *, before: str, directory: Path, archived: list, refused: str = "") -> None:
        """The archiving is itself a row of the security log (after the rows it moved): who ran it on the
        server, the cut-off, and each file with its rows and checksum — or why it was refused."""
        data = {"before": before, "directory": str(directory), "archived": archived}
        if refused:
            data["refused"] = refused
        security_event_record(
            EventKind.AUDIT_ARCHIVED,
            actor_label=f"manage.py audit_archive（服务器账号 {getpass.getuser()}）",
            result=result,
            data=data,
        )
