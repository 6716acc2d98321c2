import importlib

from django.conf import settings
from django.core.management.base import BaseCommand

from office.org.demo import DEMO_PASSWORD, build_organisation, demo_api_key

APP_DEMOS = [
    "office.clock",
    "supervision",
    "duty",
    "documents",
    "research",
    "research.information",
    "suggestions",
    "office.meetings",
    "office.risks",
    "office.security",
    "office.dashboard",  # last: the Monday briefing reads what the others loaded
]


class Command(BaseCommand):
    help = "Load the demo office of the director's speech (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        data = build_organisation()
        for app in APP_DEMOS:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            module.populate(self.stdout)
        town = data["units"]["town1"]
        key = demo_api_key(town)
        out = self.stdout.write
        out(
            self.style.SUCCESS(
                f"演示机关已就绪：{len(data['units'])} 个单位，{len(data['staff'])} 名机关人员。"
            )
        )
        out(
            f"网址：{settings.OFFICE_SITE_URL}/    管理后台：{settings.OFFICE_SITE_URL}/admin/    "
            f"接口文档：{settings.OFFICE_SITE_URL}/api/docs/"
        )
        out(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        out("  director  主任（王建国）    admin  系统管理员（管理后台全部权限）")
        out("  deputy1..deputy4  副主任    staff01..  科室人员    duty01..duty07  总值班室")
        out("  duban01..duban04  督查专员  u-fgw、u-town1 等  市直单位、乡镇联络员")
        out(f"{town.name} 的 API 密钥（请求头 X-Api-Key）：{key}")
