"""``manage.py restore PATH``: rebuild the database and the file store from a backup; a backup whose
checksums fail is refused. Stop the web, the worker and the sweeper first."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from office.backup.services import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore the database and the uploaded files from a backup folder."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="do not ask: the current data is replaced")

    def handle(self, *args, path, yes=False, **options):
        if not yes:
            answer = input("恢复将替换当前数据库和上传文件，确认请输入 yes：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消。")
        try:
            manifest = backup_restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(f"restored {path} (rows={rows}) — checking the audit chain:")
        call_command("audit_verify", stdout=self.stdout, stderr=self.stderr)
