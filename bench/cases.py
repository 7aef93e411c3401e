"""Benchmark: the staff case list (/cases/) with 100,000 cases.

    .venv/bin/python bench/cases.py [--cases 100000] [--requests 50]

Target (ARCHITECTURE.md §7): staff list pages run a number of queries independent of the list
size (asserted in sanxiang/cases/tests/test_views_pages.py) and answer in <= 100 ms of server
time with 100,000 cases.

Runs against a throwaway SQLite database in a temporary directory (never var/), migrated
quietly. The cases are written with ``bulk_create`` — realistic rows (every state, sources,
parties with valid credit codes, two-officer teams, open and met clocks), *not* 100,000 calls of
the services, which would take hours and measure the services rather than the list. ANALYZE is
run afterwards, as a production database would have statistics.

Each scenario is requested through Django's test client (the whole middleware stack, session,
permissions, template rendering), ``--requests`` times, after one warm-up request; p50 and p95
of the server time are printed with the number of queries per request.

Baseline, measured in the same run: a bare view that renders the same template through the same
client and middleware with an empty page (no case query at all) — so the ratio is what 100,000
cases add to an otherwise identical page. The time of a raw ``SELECT`` of one page of rows is
printed as well, as the floor of the database work.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 100.0

PLACES = [
    "崇文",
    "礼义",
    "附城",
    "西河底",
    "平城",
    "杨村",
    "潞城",
    "夺火",
    "马圪当",
    "古郊",
    "六泉",
    "秦家庄",
]
TRADES = [
    "建筑劳务",
    "商贸",
    "食品加工",
    "煤炭运销",
    "物流",
    "酒店管理",
    "旅游开发",
    "农业科技",
    "机械制造",
    "物业服务",
]
WRONGS = [
    ("拖欠{n}名农民工工资", "complaint"),
    ("安排{n}名劳动者超时加班", "complaint"),
    ("未与{n}名劳动者订立书面劳动合同", "report"),
    ("未依法缴纳{n}名职工社会保险费", "report"),
    ("日常巡查发现{n}人未按规定安排休息", "patrol"),
    ("双随机抽查发现工资台账不全（{n}人）", "random"),
    ("12345转办：拖欠{n}人工资", "hotline_12345"),
]
# (state, share, filed?) of the cases received in the last 12 months; older ones are closed
# (90 %), not filed (8 %) or still in execution (2 %) — a bureau's archive after eight years.
RECENT_STATES = [
    ("lead", 8, False),
    ("supplement", 2, False),
    ("not_filed", 10, False),
    ("investigating", 20, True),
    ("concluded", 5, True),
    ("notified", 4, True),
    ("hearing", 1, True),
    ("pending_decision", 3, True),
    ("decided", 3, True),
    ("served", 9, True),
    ("enforcement", 5, True),
    ("closed", 30, True),
]
OLD_STATES = [("closed", 90, True), ("not_filed", 8, False), ("enforcement", 2, True)]
YEARS = 8


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


def populate(n: int, *, agency, officers, registrar, rng: random.Random) -> float:
    """``n`` cases with a party, a team of two and their clocks, in bulk. Returns seconds."""
    from sanxiang.cases.models import Assignment, Case, Deadline, Party
    from sanxiang.lib import codes

    t0 = time.perf_counter()
    today = dt.date(2026, 11, 20)
    batch = 5000
    reg_no = {}
    case_no = {}
    for start in range(0, n, batch):
        rows = []
        for _ in range(start, min(n, start + batch)):
            received = today - dt.timedelta(days=rng.randint(0, 365 * YEARS))
            table = RECENT_STATES if (today - received).days < 365 else OLD_STATES
            state, _, filed = rng.choices(table, [w for _, w, _ in table])[0]
            year = received.year
            reg_no[year] = reg_no.get(year, 0) + 1
            text, source = rng.choice(WRONGS)
            employer = f"陵川县{rng.choice(PLACES)}{rng.choice(TRADES)}有限公司"
            row = Case(
                agency=agency,
                state=state,
                source=source,
                channel="window",
                received_on=received,
                received_by=registrar,
                registration_no=f"陵人社监登字〔{year}〕第{reg_no[year]}号",
                summary=text.format(n=rng.randint(1, 40)),
                facts=f"{employer}：" + text.format(n=rng.randint(1, 40)),
                workers_affected=rng.randint(1, 40),
                is_major=rng.random() < 0.03,
            )
            row._employer = employer
            if filed:
                row.filed_on = received + dt.timedelta(days=rng.randint(0, 5))
                case_no[year] = case_no.get(year, 0) + 1
                row.case_no = f"陵人社监立字〔{year}〕第{case_no[year]}号"
            if state == "closed":
                row.closed_on = min(today, row.filed_on + dt.timedelta(days=rng.randint(30, 90)))
                row.closing_reason = "performed"
            if state == "not_filed":
                row.disposition, row.disposition_reason = "labour_dispute", "属于劳动争议"
            rows.append(row)
        cases = Case.objects.bulk_create(rows)
        Party.objects.bulk_create(
            [
                Party(
                    case=c,
                    kind="organisation",
                    name=c._employer,
                    uscc=codes.make_uscc(rng, region="140524"),
                    legal_representative="某某",
                )
                for c in cases
            ]
        )
        Assignment.objects.bulk_create(
            [
                Assignment(
                    case=c,
                    user=u,
                    role="lead" if j == 0 else "assist",
                    assigned_on=c.received_on,
                    assigned_by=registrar,
                )
                for c in cases
                if c.state not in ("lead", "supplement", "not_filed")
                for j, u in enumerate(rng.sample(officers, 2))
            ]
        )
        clocks = []
        for c in cases:
            open_ = c.state not in ("closed", "not_filed")
            kinds = {
                "lead": [("acceptance", 5)],
                "supplement": [("acceptance", 5)],
                "decided": [("service", 10)],
                "served": [("payment", 15)],
                "enforcement": [("reminder", 14), ("court", 270)],
            }.get(c.state, [("investigation", 90), ("decision", 90)])
            for kind, days in kinds:
                due = (
                    today + dt.timedelta(days=rng.randint(-30, 60))
                    if open_
                    else c.received_on + dt.timedelta(days=days)
                )
                clocks.append(
                    Deadline(
                        case=c,
                        kind=kind,
                        basis="基准测试",
                        start=c.received_on,
                        length=days,
                        unit="workdays",
                        due=due,
                        status="open" if open_ else "met",
                        closed_on=None if open_ else due,
                    )
                )
        Deadline.objects.bulk_create(clocks)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - t0


def measure(client, url: str, requests: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    return statistics.median(times), percentile(times, 0.95), queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="build the database in DIR and keep it (for EXPLAIN); rerun with a fresh DIR",
    )
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="sanxiang-bench-cases-")
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    os.environ["SANXIANG_VAR_DIR"] = args.keep or tmp.name
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sanxiang.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.shortcuts import render
    from django.urls import path

    # The project's pages, plus the baseline view.
    from sanxiang import urls as root_urls

    def bare(request):
        from django.core.paginator import Paginator

        from sanxiang.cases.forms import CaseFilterForm

        form = CaseFilterForm(agency=request.user.unit.agency)
        page = Paginator([], 50).get_page(1)
        return render(
            request,
            "cases/case_list.html",
            {
                "leads": False,
                "form": form,
                "page": page,
                "rows": [],
                "other_count": 0,
                "more_fields": [
                    form[n]
                    for n in (
                        "source",
                        "procedure",
                        "officer",
                        "major",
                        "received_from",
                        "received_to",
                    )
                ],
                "can_register": True,
            },
        )

    urlconf = types.ModuleType("bench_cases_urls")
    urlconf.urlpatterns = [*root_urls.urlpatterns, path("bench/bare/", bare)]
    urlconf.handler403 = root_urls.handler403
    sys.modules["bench_cases_urls"] = urlconf
    settings.ROOT_URLCONF = "bench_cases_urls"
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # set-up only

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - t0

    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client

    from sanxiang.accounts import roles
    from sanxiang.accounts.demo import ensure_personas
    from sanxiang.accounts.models import User
    from sanxiang.cases.models import Case
    from sanxiang.registry.demo import ensure_agency

    agency = ensure_agency()
    people = ensure_personas(agency)
    officers = [people["zhangming"], people["lihua"]]
    group = Group.objects.get(name=roles.OFFICER)
    for i in range(8):
        u = User.objects.create(
            username=f"officer{i}", real_name=f"执法人员{i}", unit=people["zhangming"].unit
        )
        u.groups.add(group)
        officers.append(u)
    from sanxiang.registry import services as registry_services

    for u in officers:  # on the roster (the list's officer filter offers them)
        registry_services.officer_register(
            actor=people["xitong"], user=u, agency=agency, post="劳动保障监察员"
        )
    rng = random.Random(20261128)
    populate_s = populate(
        args.cases, agency=agency, officers=officers, registrar=people["zhangming"], rng=rng
    )

    client = Client()
    client.force_login(people["zhangming"])
    me = people["zhangming"].pk
    scenarios = [
        ("案件列表（默认）", "/cases/"),
        ("状态：调查中", "/cases/?state=investigating"),
        ("期限：已逾期", "/cases/?deadline=overdue"),
        ("期限：即将到期", "/cases/?deadline=soon"),
        ("办案人员：张明", f"/cases/?officer={me}"),
        (
            "来源+日期范围",
            "/cases/?source=complaint&received_from=2026-01-01&received_to=2026-06-30",
        ),
        ("搜索：案情“拖欠”", "/cases/?q=拖欠"),
        ("搜索：当事人“礼义煤炭”", "/cases/?q=礼义煤炭"),
        ("搜索：立案号", "/cases/?q=监立字〔2026〕第12345号"),
        ("搜索+筛选+第3页", "/cases/?q=工资&state=closed&page=3"),
        ("待受理线索", "/cases/leads/"),
        ("排序：收到日期旧→新", "/cases/?order=received_on"),
    ]
    bare_p50, bare_p95, bare_q = measure(client, "/bench/bare/", args.requests)

    # The floor of the database work: one page of rows and their count, raw SQL.
    with connection.cursor() as cursor:
        times = []
        for _ in range(args.requests):
            t = time.perf_counter()
            cursor.execute(
                "SELECT id, registration_no, case_no, summary, state, received_on FROM cases_case "
                "WHERE agency_id = %s ORDER BY received_on DESC, id DESC LIMIT 50",
                [agency.pk],
            )
            cursor.fetchall()
            times.append((time.perf_counter() - t) * 1000)
    raw_ms = statistics.median(times)

    print(f"migrate (throwaway SQLite)            {migrate_s:8.2f} s")
    print(
        f"bulk_create {Case.objects.count():,} cases (+ parties, teams, clocks) {populate_s:8.2f} s"
    )
    print(f"raw SELECT of one page (floor)        {raw_ms:8.2f} ms")
    print(
        f"baseline: same template, empty page   p50 {bare_p50:7.2f} ms  p95 {bare_p95:7.2f} ms  ({bare_q} queries)"
    )
    print(
        f"{'scenario':<34}{'p50 ms':>9}{'p95 ms':>9}{'× base':>8}{'queries':>9}  target p95 <= {TARGET_MS:.0f} ms"
    )
    worst = 0.0
    for name, url in scenarios:
        p50, p95, queries = measure(client, url, args.requests)
        worst = max(worst, p95)
        flag = "OK" if p95 <= TARGET_MS else "MISSED"
        print(f"{name:<30}{p50:9.2f}{p95:9.2f}{p50 / bare_p50:8.2f}{queries:9d}  {flag}")
    print(
        f"worst p95 of the filter and search scenarios: {worst:.2f} ms "
        f"({'OK' if worst <= TARGET_MS else 'MISSED'})"
    )
    tmp.cleanup()


if __name__ == "__main__":
    main()
