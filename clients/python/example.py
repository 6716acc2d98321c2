"""An example for a township's or a department's IT staff: send an urgent report with an attachment,
follow it up, read its status, then acknowledge a supervision item and send feedback on it.

Install the client (Python 3.10 or later):

    pip install ./clients/python          # from a copy of the office's repository; it needs httpx

Run it with your office's address and your unit's API key (the office's system administrator issues
the key; keep it secret):

    export OFFICE_BASE_URL=https://office.example.gov.cn
    export OFFICE_API_KEY=xxxxxxxx.yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    python clients/python/example.py
    python clients/python/example.py --attachment 现场照片.jpg      # your own file instead of a note

or pass --base-url and --api-key. Against the demo office (`manage.py demo_office` prints the demo
township's key): --base-url http://127.0.0.1:8000 --api-key <that key>.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from office_client import OfficeApiError, OfficeClient


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="市委办公室业务系统 API 示例")
    parser.add_argument("--base-url", default=os.environ.get("OFFICE_BASE_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--api-key", default=os.environ.get("OFFICE_API_KEY"))
    parser.add_argument("--attachment", type=Path, help="附件（默认生成一份文字说明）")
    parser.add_argument("--download-to", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args(argv)
    if not args.api_key:
        parser.error("请用 --api-key 或环境变量 OFFICE_API_KEY 提供本单位的 API 密钥")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    attachment = args.attachment
    if attachment is None:
        attachment = Path(tempfile.mkdtemp()) / "现场情况说明.txt"
        attachment.write_text("石门村村道被山洪冲毁约 50 米，已设置警示并封闭交通。\n", encoding="utf-8")

    with OfficeClient(args.base_url, args.api_key) as office:
        try:
            me = office.me()
            print(f"本单位：{me['unit']['name']}（{me['kind']}）")

            # 1. 首报 with an attachment: the duty room's clock starts now.
            report = office.submit_urgent_report(
                title="山洪冲毁村道",
                level="general",
                elements={"time": "今日 9 时 40 分", "place": "石门村", "source": "村委会电话报告"},
                text="石门村村道被山洪冲毁，暂无人员伤亡，已封闭交通。",
                attachments=[attachment],
            )
            print(f"已首报：第 {report['id']} 号，电话报告时限 {report['phone_due_at']}")

            # 2. 续报: only what is new.
            update = office.follow_up(
                report["id"],
                kind="followup",
                elements={"casualties": "无人员伤亡", "measures": "已组织抢修，预计明日通行"},
                text="抢修队伍已到场。",
            )
            print(f"已{update['label']}")

            # 3. Its status, and the attachment back from its URL.
            status = office.report(report["id"])
            print(f"状态：{status['status_display']}，要素完整度 {status['completeness']}%")
            for item in status["attachments"]:
                saved = office.download(item["url"], args.download_to / item["name"])
                print(f"附件已下载：{saved}")

            # 4. Supervision: acknowledge the items issued to the unit, and report progress.
            for listed in office.items(status="issued"):
                ack = office.acknowledge(listed["id"])
                print(f"已签收：{listed['number']} {listed['title']}（{ack['acknowledged_at']}）")
                feedback = office.send_feedback(
                    listed["id"], content="已签收，正在制定工作方案。", attachment=attachment
                )
                print(f"已反馈：第 {feedback['id']} 号反馈，附件 {feedback['attachment']}")
        except OfficeApiError as exc:
            # The API's own words: a stable code, a message for people, the fields at fault.
            print(
                f"接口拒绝了请求：{exc.status} {exc.code} {exc.message} {exc.fields or ''}", file=sys.stderr
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
