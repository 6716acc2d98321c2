#!/usr/bin/env python
"""Benchmark of the documents app (issue 10): print, proofreading and the 待办 page.

    python bench/documents.py --quick      # 20 / 200 pending documents, 5 render rounds
    python bench/documents.py              # 100 / 1,000 pending documents, 20 render rounds

The database comes from DATABASE_URL (default: office_bench_docs on the loopback server, created if
missing); the benchmark owns it and empties the documents tables before building. Measured:

- render_ms: median time to render a two-page notice as a GB/T 9704 .docx (the renderer's
  ``documents.rendering.render_docx``; target ≤ 200 ms);
- pdf_ms: converting that .docx to PDF with LibreOffice headless (``documents.pdf.docx_to_pdf``), one
  cold conversion (-1 when LibreOffice is missing);
- proofread_10k_ms: median time of the proofreader (``documents.proofreading.proofread``) over a
  10,000-character draft (target ≤ 200 ms);
- inbox_queries / inbox_queries_10x: SQL queries of the 待办 tab at 1× and 10× pending documents (they
  must be equal).

Prints a table, then as its last line:

    documents render_ms=<n> pdf_ms=<n> proofread_10k_ms=<n> inbox_queries=<n> inbox_queries_10x=<n>
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/office_bench_docs")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

PARAGRAPHS = [
    "一、总体要求",
    "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大和二十届历次全会精神，"
    "按照市委工作部署，聚焦重点任务，压实工作责任，确保各项工作落到实处、取得实效。",
    "二、主要任务",
    "（一）加强统筹协调。各单位要建立工作台账，明确责任领导、责任科室和完成时限，"
    "每月5日前将上月工作进展情况报送市委办公室。",
    "（二）强化督促检查。市委督查室要加强跟踪督办，对进展缓慢、推诿扯皮的单位，"
    "按照有关规定予以通报，并将督查结果纳入年度综合考核。",
    "（三）注重总结提炼。各单位要及时总结工作中的好经验好做法，形成可复制可推广的制度成果，"
    "为全市面上工作提供借鉴。",
    "三、工作要求",
    "1.提高政治站位。各单位主要负责同志要亲自研究部署，分管负责同志要具体抓落实。",
    "2.严格工作纪律。对工作中发现的问题要及时整改，确保不走过场、不留死角。",
    "3.及时报送信息。重要情况要随时报告，紧急情况要在第一时间报告。",
]


def ensure_database(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        return
    name = parsed.path.lstrip("/")
    conn = psycopg2.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def setup_django():
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)


def reset():
    from django.db import connection

    from documents.models import Document, DocumentNumberSequence

    tables = [m._meta.db_table for m in (Document, DocumentNumberSequence)]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            Document.objects.all().delete()


def two_page_notice():
    from documents.models import Document

    body = "\n".join(PARAGRAPHS * 2)
    return Document.objects.create(
        doc_type="notice",
        title="关于进一步加强和改进全市重点工作督查督办的通知",
        number="市委办发〔2026〕12号",
        main_recipients="各县（区）委，市委各部委，市级国家机关各部门党组（党委）",
        copy_to="市人大常委会办公室，市政府办公室，市政协办公室",
        body=body,
        issuing_body="中共某某市委办公室",
        printed_by="中共某某市委办公室",
    )


def median_ms(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def draft_10k() -> str:
    text, i = [], 0
    while sum(len(p) + 1 for p in text) < 10_000:
        text.append(PARAGRAPHS[i % len(PARAGRAPHS)])
        i += 1
    return "\n".join(text)[:10_000]


def add_pending(user, n: int, start: int) -> None:
    """``n`` documents in review, each with a 核稿 step pending with ``user`` (a fixture, not services)."""
    from django.utils import timezone

    from documents.models import Document, ReviewStep

    now = timezone.now()
    docs = Document.objects.bulk_create(
        [
            Document(
                doc_type="notice",
                title=f"基准待办公文{start + i}",
                body="一、基本情况\n某某项目进度滞后。",
                issuing_body="中共某某市委办公室",
                status="in_review",
            )
            for i in range(n)
        ]
    )
    ReviewStep.objects.bulk_create(
        [
            ReviewStep(
                document=d,
                stage=1,
                kind="review",
                assignee=user,
                status="pending",
                started_at=now,
                due_at=now,
            )
            for d in docs
        ]
    )


def inbox_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/documents/?tab=todo")  # warm the per-process caches
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get("/documents/?tab=todo")
    assert resp.status_code == 200, resp.status_code
    return len(ctx.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes for CI")
    args = parser.parse_args()
    small = 20 if args.quick else 100
    rounds = 5 if args.quick else 20

    ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    reset()
    from django.test import Client

    from office.org.models import Role
    from tests.factories import make_user

    notes = []
    doc = two_page_notice()
    try:
        from documents.rendering import render_docx

        docx = render_docx(doc)
        render_ms = median_ms(lambda: render_docx(doc), rounds)
    except ImportError:
        docx, render_ms = None, -1.0
        notes.append("render: documents.rendering.render_docx missing")
    pdf_ms = -1.0
    if docx is not None:
        try:
            from documents.pdf import docx_to_pdf

            t0 = time.perf_counter()
            docx_to_pdf(docx)
            pdf_ms = (time.perf_counter() - t0) * 1000
        except ImportError:
            notes.append("pdf: documents.pdf.docx_to_pdf missing")
        except Exception as exc:  # LibreOffice missing or failing: say so, print -1
            notes.append(f"pdf: {exc}")
    try:
        from documents.proofreading import proofread

        text = draft_10k()
        proofread(text, title="关于进一步加强督查督办工作的通知")
        proofread_ms = median_ms(lambda: proofread(text, title="关于进一步加强督查督办工作的通知"), rounds)
    except ImportError:
        proofread_ms = -1.0
        notes.append("proofread: documents.proofreading.proofread missing")

    user = make_user(Role.SECTION_CHIEF, user__username=f"bench-docs-{time.time_ns()}")
    client = Client()
    client.force_login(user)
    add_pending(user, small, 0)
    q1 = inbox_queries(client)
    add_pending(user, small * 9, small)
    q10 = inbox_queries(client)

    rows = [
        ("render two-page notice .docx, median ms", f"{render_ms:.1f}"),
        ("docx → PDF (LibreOffice, cold) ms", f"{pdf_ms:.0f}"),
        ("proofread 10,000 characters, median ms", f"{proofread_ms:.1f}"),
        (f"待办 page queries at {small} / {small * 10} pending", f"{q1} / {q10}"),
        *[("note", n) for n in notes],
    ]
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print(
        f"documents render_ms={render_ms:.0f} pdf_ms={pdf_ms:.0f} proofread_10k_ms={proofread_ms:.0f} "
        f"inbox_queries={q1} inbox_queries_10x={q10}"
    )


if __name__ == "__main__":
    main()
