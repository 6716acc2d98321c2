"""``manage.py mlps_report``: each application-layer control of 等保 2.0 level 3 with its status for this
deployment, in Chinese for an assessor. Exits 1 when a control is not met in production mode
(OFFICE_MLPS on, DEBUG off) or with ``--strict``."""

import sys

from django.core.management.base import BaseCommand

from office.security.report import NOT_MET, controls, production


class Command(BaseCommand):
    help = "Print each 等保 2.0 level-3 control with its status (met / not met and why / not applicable)."
    requires_system_checks: list = []  # the report names the problems the checks would stop on

    def add_arguments(self, parser):
        parser.add_argument("--strict", action="store_true", help="exit 1 on a control not met, always")

    def handle(self, *args, **options):
        rows = controls()
        mode = "生产模式（OFFICE_MLPS 开启）" if production() else "演示/开发模式"
        self.stdout.write(f"等级保护 2.0 第三级 应用层安全控制 · {mode}")
        area = None
        for c in rows:
            if c.area != area:
                area = c.area
                self.stdout.write(f"\n【{area}】")
            self.stdout.write(f"  [{c.status}] {c.name}：{c.detail}")
        failed = [c for c in rows if c.status == NOT_MET]
        self.stdout.write(f"\n共 {len(rows)} 项：不符合 {len(failed)} 项。")
        if failed and (production() or options["strict"]):
            sys.exit(1)
