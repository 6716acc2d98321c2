"""``manage.py backup [--to DIR]``: a consistent backup of the database and the uploaded files, with a
manifest (row counts, the audit chains' head hashes, checksums); then rotation (daily 14, weekly 8)."""

from django.core.management.base import BaseCommand, CommandError

from office.backup.services import BackupError, backup_create, backup_rotate


class Command(BaseCommand):
    help = "Back up the database and the uploaded files (see office/backup/services.py)."

    def add_arguments(self, parser):
        parser.add_argument("--to", default=None, help="directory (default OFFICE_BACKUP_DIR)")
        parser.add_argument("--no-rotate", action="store_true")

    def handle(self, *args, to=None, no_rotate=False, **options):
        try:
            result = backup_create(directory=to)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(result.manifest["row_counts"].values())
        self.stdout.write(
            f"backup written: {result.path} (rows={rows}, encrypted={result.manifest['encrypted']})"
        )
        if not no_rotate:
            for removed in backup_rotate(directory=result.path.parent):
                self.stdout.write(f"rotated out: {removed}")
