#!/usr/bin/env python3
"""Public portal benchmark (ARCHITECTURE.md §7): 1,000,000 published decisions.

Runs stand-alone on its own SANXIANG_VAR_DIR, ``var/bench/portal/`` (never the project's own
database in var/), SQLite by default, or an empty PostgreSQL database named by
``--database-url`` (then a temporary directory), and prints:

1. p50/p95 server time of the public decision list (first page and deep keyset pages) and of
   4-character searches, through Django's test client — the whole request: URL resolution,
   middleware, form, selector, template (target: p95 <= 50 ms);
2. for information, 2-character searches (LIKE; trigram indexes cannot serve them);
3. a loopback load run: gunicorn (sync workers) on a free port serving the portal and a bare
   Django "hello" view through the same settings and middleware; a Python asyncio load
   generator keeps N connections busy for a fixed time against each, one after the other, and
   the sustained requests/s of the portal (list + 4-character searches, alternating) is
   reported as a ratio to hello's (target >= 25 %, 0 errors).

How the million rows are made. Each row goes through what production uses to build a public
entry: the facts are masked by ``lib.masking.mask_text`` (with the case's third parties as
structured data, so names and phones are really removed), the public body and the indexed text
are built by ``services.compose_body`` / ``services.search_text``, the sort key, the heaviest
penalty and the publicity period by ``rules``; rows are inserted into ``PortalEntry`` and the
full-text index is maintained by the very triggers (SQLite) or GIN index (PostgreSQL) of the
migrations. Bypassed: the cases behind the decisions, the Publication workflow rows, the
ledger events and the public PDF (rendering a million PDFs measures WeasyPrint, not the
portal). Texts are templated (realistic repetition), not random characters.

The million rows take a while (two processes masking, one inserting: about ten minutes on two
cores), so the SQLite database is kept in ``var/bench/portal/`` with a stamp written only after
the fill completed (row count and the publicity migrations it was built with). The next run
reuses it when the stamp matches and rebuilds it otherwise; ``--rebuild`` forces a new one. An
interrupted fill leaves no stamp and is thrown away.

    .venv/bin/python bench/portal.py [--entries 1000000] [--samples 300] [--seconds 20]
        [--workers 2] [--connections 16] [--rebuild] [--database-url postgres://…]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "var" / "bench" / "portal"
STAMP = "complete.json"
TODAY = None  # set after Django starts

COUNTIES = [
    "陵川县",
    "泽州县",
    "高平市",
    "阳城县",
    "沁水县",
    "晋城市城区",
    "长治市潞州区",
    "壶关县",
]
TRADES = (
    "太行 王莽岭 锡崖 崇文 礼义 平城 附城 杨村 潞城 马圪当 古郊 六泉 秦家庄 夺火 棋子山 凤城 "
    "丹河 珏山 蟒河 析城 鹿台 晋韵 华阳 西河 积善 石圪峦 南岭 北马 东关 西街"
).split()
FORMS = [
    "建筑劳务有限公司",
    "商贸有限公司",
    "煤业有限公司",
    "食品加工有限公司",
    "餐饮管理有限公司",
    "物流有限公司",
    "职业介绍服务有限公司",
    "酒店管理有限公司",
    "农业开发有限公司",
    "服装加工厂",
]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰"
ITEMS = [
    (
        "LCRS-CF-025-01",
        "违法延长劳动者工作时间",
        "经查，你单位自{y}年{m}月起安排{n}名劳动者每日工作{h}小时，每月延长工作时间超过三十六小时。"
        "劳动者{a}（电话{phone}）反映属实，{b}、{c}等人证实上述情况。",
        ["warning", "fine"],
        "《劳动法》第四十一条；《劳动保障监察条例》第二十五条",
    ),
    (
        "LCRS-CF-026-01",
        "克扣或者无故拖欠劳动者工资报酬",
        "经查，你单位拖欠{a}、{b}、{c}等{n}名农民工工资共计{amount}元，经责令限期支付逾期未支付。"
        "投诉人{a}联系电话{phone}。",
        ["fine"],
        "《劳动保障监察条例》第二十六条；《保障农民工工资支付条例》第五十四条",
    ),
    (
        "LCRS-CF-023-01",
        "未按规定订立书面劳动合同",
        "经查，你单位自{y}年{m}月起用工，未与{a}等{n}名劳动者订立书面劳动合同，证人{b}证实。",
        ["warning"],
        "《劳动合同法》第十条；《劳动保障监察条例》第二十四条",
    ),
    (
        "LCRS-CF-027-01",
        "未按规定参加社会保险、缴纳社会保险费",
        "经查，你单位未为{n}名职工缴纳社会保险费，瞒报工资总额{amount}元，劳动者{a}患有职业病。",
        ["fine"],
        "《社会保险法》第八十四条；《劳动保障监察条例》第二十七条",
    ),
    (
        "LCRS-CF-029-01",
        "违反女职工和未成年工特殊劳动保护规定",
        "经查，你单位安排{n}名怀孕七个月以上的女职工延长工作时间和夜班劳动，{a}（住址：{county}某村{h}号）反映属实。",
        ["warning", "fine"],
        "《女职工劳动保护特别规定》第六条；《劳动保障监察条例》第二十三条",
    ),
    (
        "LCRS-CF-030-02",
        "不按照劳动保障行政部门的要求报送书面材料",
        "经查，你单位经两次书面要求仍未报送工资支付台账和考勤记录，涉及劳动者{n}人。",
        ["fine"],
        "《劳动保障监察条例》第三十条第一款第（二）项",
    ),
    (
        "LCRS-CF-028-01",
        "职业介绍机构违反职业介绍规定",
        "经查，你单位向{n}名求职者收取押金共计{amount}元并扣押身份证，求职者{a}、{b}反映属实。",
        ["fine", "revoke_licence"],
        "《劳动保障监察条例》第二十八条第一款",
    ),
]


def setup_django(var_dir: Path, database_url: str | None) -> None:
    os.environ["SANXIANG_VAR_DIR"] = str(var_dir)
    os.environ["LEDGER_KEY_FILE"] = str(var_dir / "ledger" / "log.key")
    os.environ["SECRET_KEY"] = "bench-only-" + "x" * 40
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_portal_settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    (var_dir / "bench_portal_settings.py").write_text(
        textwrap.dedent(
            """
            from sanxiang.settings import *  # noqa: F403
            ROOT_URLCONF = "bench_portal_urls"
            ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
            DEBUG = False
            import os
            # Persistent connections, as production runs (settings give PostgreSQL 60 s by
            # default; SQLite's entry has no CONN_MAX_AGE, i.e. a new connection per request).
            DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("BENCH_CONN_MAX_AGE", "60"))  # noqa: F405
            """
        )
    )
    (var_dir / "bench_portal_urls.py").write_text(
        textwrap.dedent(
            """
            from django.http import HttpResponse
            from django.urls import include, path


            def hello(request):
                return HttpResponse("hello")


            urlpatterns = [
                path("hello/", hello),
                path("gongkai/", include("sanxiang.publicity.portal_urls")),
                path("", include("sanxiang.publicity.verify_urls")),
            ]
            """
        )
    )
    for p in (str(var_dir), str(ROOT)):
        if p not in sys.path:
            sys.path.insert(0, p)
    import django

    django.setup()


def note(text: str) -> None:
    sys.stderr.write(f"  … {text}\n")
    sys.stderr.flush()


# --- making the rows ---------------------------------------------------------------------------


def _worker_init(var_dir: str, database_url: str | None) -> None:
    setup_django(Path(var_dir), database_url)


def make_rows(args: tuple[int, int, int]) -> list[dict]:
    """Entry fields for sequence numbers [start, start + count), through production code."""
    from sanxiang.lib.masking import MaskingContext, Person, mask_text
    from sanxiang.publicity import rules, services

    start, count, today_ord = args
    rng = random.Random(start)
    today = dt.date.fromordinal(today_ord)
    rows = []
    for seq in range(start, start + count):
        code, item, template, penalties, basis = rng.choice(ITEMS)
        county = rng.choice(COUNTIES)
        party = f"{county}{rng.choice(TRADES)}{rng.choice(FORMS)}"
        names = [rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) for _ in range(3)]
        phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        decided = today - dt.timedelta(days=rng.randrange(1, 1090))
        raw = template.format(
            y=decided.year - 1,
            m=rng.randint(1, 12),
            n=rng.randint(2, 60),
            h=rng.randint(9, 13),
            amount=f"{rng.randrange(2000, 900000):,}",
            a=names[0],
            b=names[1],
            c=names[2],
            phone=phone,
            county=county,
        )
        ctx = MaskingContext(
            others=tuple(
                Person(n, "劳动者", phone=phone if i == 0 else "") for i, n in enumerate(names)
            )
        )
        facts = mask_text(raw, ctx).text
        fine = rng.randrange(2, 500) * 100 if "fine" in penalties else None
        content = "；".join(
            f"罚款人民币{fine:,.2f}元" if t == "fine" else rules.PENALTY_LABELS[t]
            for t in penalties
        )
        fields = {
            "party": party,
            "item": item,
            "facts": facts,
            "basis": basis,
            "content": content,
            "remedy": "如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。",
        }
        number = f"{county[:2]}人社监罚字〔{decided.year}〕第{seq}号"
        entry = {
            "agency_name": f"{county}人力资源和社会保障局",
            "agency_uscc": "11140524MB1955939N",
            "category": "penalty",
            "doc_name": "行政处罚决定书",
            "doc_number": number,
            "title": f"{party}{item}案",
            "party_name": party,
            "party_kind": "法人及非法人组织",
            "party_code": "",
            "legal_representative": "",
            "item_code": code,
            "item_name": item,
            "penalty_types": penalties,
            "main_penalty": rules.heaviest(penalties),
            "fine_amount": fine,
            "decided_on": decided,
            "summary": content,
            "facts": facts,
            "basis": basis,
            "body": services.compose_body(fields),
            "period_end": rules.period_for(decided, penalties).end,
        }
        entry["search_text"] = services.search_text(entry)
        entry["sort_key"] = rules.sort_key(decided, seq)
        rows.append(entry)
    return rows


def fill(total: int, var_dir: Path, database_url: str | None) -> float:
    from django.db import connection, transaction
    from django.utils import timezone

    from sanxiang.publicity.models import PortalEntry

    started = time.perf_counter()
    now = timezone.now()
    chunk = 5000
    jobs = [(s, min(chunk, total + 1 - s), TODAY.toordinal()) for s in range(1, total + 1, chunk)]
    done = 0
    with get_context("spawn").Pool(
        2, initializer=_worker_init, initargs=(str(var_dir), database_url)
    ) as pool:
        for rows in pool.imap(make_rows, jobs):
            with transaction.atomic():
                PortalEntry.objects.bulk_create(
                    [
                        PortalEntry(state="published", published_at=now, version=1, **r)
                        for r in rows
                    ],
                    batch_size=1000,
                )
            done += len(rows)
            if done % 100_000 < chunk:
                note(f"{done:,} rows in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE publicity_portalentry")
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return time.perf_counter() - started


# --- 1. server time through the test client ------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def sample_terms(rng: random.Random, n: int, length: int) -> list[str]:
    """Substrings of real entries (so their frequencies are the corpus's own)."""
    from sanxiang.publicity.models import PortalEntry

    ids = PortalEntry.objects.order_by("?").values_list("search_text", flat=True)[: n * 3]
    out = []
    for text in ids:
        runs = [
            text[i : i + length]
            for i in range(len(text) - length)
            if all("\u4e00" <= c <= "\u9fff" for c in text[i : i + length])
        ]
        if runs:
            out.append(rng.choice(runs))
        if len(out) == n:
            break
    return out


def timed(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def server_times(samples: int, rng: random.Random) -> dict[str, list[float]]:
    from urllib.parse import quote

    from django.test import Client

    from sanxiang.publicity import rules
    from sanxiang.publicity.models import PortalEntry

    client = Client()
    for _ in range(20):  # warm caches, templates, the site header
        client.get("/gongkai/decisions/")
    keys = list(PortalEntry.objects.order_by("?").values_list("sort_key", flat=True)[:samples])
    four = sample_terms(rng, samples, 4)
    two = sample_terms(rng, max(20, samples // 5), 2)
    out: dict[str, list[float]] = {"list": [], "deep": [], "search4": [], "search2": []}
    for _ in range(samples):
        out["list"].append(timed(client, "/gongkai/decisions/"))
    for key in keys:
        out["deep"].append(timed(client, f"/gongkai/decisions/?after={rules.cursor_text(key)}"))
    for term in four:
        out["search4"].append(timed(client, f"/gongkai/decisions/?q={quote(term)}"))
    for term in two:
        out["search2"].append(timed(client, f"/gongkai/decisions/?q={quote(term)}"))
    out["terms4"] = four  # type: ignore[assignment]
    return out


# --- 3. loopback load run ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(var_dir: Path, workers: int, port: int) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=f"{var_dir}{os.pathsep}{ROOT}")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--backlog",
            "512",
            "sanxiang.wsgi:application",
        ],
        env=env,
        cwd=str(ROOT),
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


async def _one(port: int, path: str) -> bool:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    return data.startswith(b"HTTP/1.1 200") or data.startswith(b"HTTP/1.0 200")


async def _load(port: int, paths: list[str], connections: int, seconds: float) -> tuple[int, int]:
    ok = errors = 0
    stop = time.monotonic() + seconds

    async def worker(offset: int) -> None:
        nonlocal ok, errors
        i = offset
        while time.monotonic() < stop:
            try:
                if await asyncio.wait_for(_one(port, paths[i % len(paths)]), 10):
                    ok += 1
                else:
                    errors += 1
            except (TimeoutError, OSError):
                errors += 1
            i += connections

    await asyncio.gather(*(worker(k) for k in range(connections)))
    return ok, errors


def load_run(port: int, paths: list[str], connections: int, seconds: float) -> tuple[float, int]:
    asyncio.run(_load(port, paths, connections, 2.0))  # warm-up, not counted
    started = time.perf_counter()
    ok, errors = asyncio.run(_load(port, paths, connections, seconds))
    return ok / (time.perf_counter() - started), errors


def publicity_migrations() -> list[str]:
    return sorted(p.stem for p in (ROOT / "sanxiang/publicity/migrations").glob("0*.py"))


def read_stamp(var_dir: Path, key: str | None = None):
    """The stamp of a completed fill (without its date), or one of its values; None if absent."""
    try:
        stamp = json.loads((var_dir / STAMP).read_text())
    except (OSError, ValueError):
        return None
    if key is not None:
        return stamp.get(key)
    stamp.pop("built", None)
    return stamp


def main() -> int:
    global TODAY
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--database-url", default=None, help="an EMPTY PostgreSQL database")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory (PostgreSQL runs)"
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="persistent database connections (seconds; PostgreSQL's default in settings is 60)",
    )
    parser.add_argument("--rebuild", action="store_true", help="ignore the cached database")
    args = parser.parse_args()

    os.environ["BENCH_CONN_MAX_AGE"] = str(args.conn_max_age)
    wanted = {"entries": args.entries, "migrations": publicity_migrations()}
    if args.database_url:
        var_dir = Path(tempfile.mkdtemp(prefix="sanxiang-bench-portal-"))
        cached = False
    else:
        var_dir, args.keep = CACHE_DIR, True
        cached = not args.rebuild and read_stamp(var_dir) == wanted
        if not cached:
            shutil.rmtree(var_dir, ignore_errors=True)
            var_dir.mkdir(parents=True)
    try:
        setup_django(var_dir, args.database_url)
        from django.core.management import call_command
        from django.db import connection
        from django.utils import timezone

        TODAY = timezone.localdate()
        fill_s = 0.0
        if cached:
            note(f"reusing {var_dir} (built {read_stamp(var_dir, key='built')})")
        else:
            call_command("migrate", verbosity=0)
            from sanxiang.registry.demo import ensure_agency

            ensure_agency()  # the portal header names the agency
            note(f"database: {connection.vendor}; filling {args.entries:,} published decisions")
            fill_s = fill(args.entries, var_dir, args.database_url)
            if not args.database_url:
                stamp = dict(wanted, built=dt.datetime.now().isoformat(timespec="seconds"))
                (var_dir / STAMP).write_text(json.dumps(stamp))
        from sanxiang.publicity.models import PortalEntry

        args.entries = PortalEntry.objects.count()
        rng = random.Random(20261128)
        times = server_times(args.samples, rng)
        terms = times.pop("terms4")

        paths = []
        from urllib.parse import quote

        for term in terms[:50]:
            paths += ["/gongkai/decisions/", f"/gongkai/decisions/?q={quote(term)}"]
        port = free_port()
        server = start_gunicorn(var_dir, args.workers, port)
        try:
            hello_rps, hello_err = load_run(port, ["/hello/"], args.connections, args.seconds)
            portal_rps, portal_err = load_run(port, paths, args.connections, args.seconds)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)

        print(f"portal benchmark — {connection.vendor}, {args.entries:,} published decisions")
        if cached:
            print(f"  database reused from {var_dir.relative_to(ROOT)}")
        else:
            print(f"  filled in {fill_s:.0f} s (masking + insert + index)")
        for key, label in (
            ("list", "list page (first page)"),
            ("deep", "list page (random keyset page)"),
            ("search4", "4-character search"),
            ("search2", "2-character search (LIKE, information only)"),
        ):
            v = times[key]
            target = "" if key == "search2" else "  (target p95 <= 50 ms)"
            print(
                f"  {label:<44} p50 {statistics.median(v):6.1f} ms   "
                f"p95 {percentile(v, 0.95):6.1f} ms   n={len(v)}{target}"
            )
        ratio = portal_rps / hello_rps if hello_rps else 0.0
        print(
            f"  load run: gunicorn {args.workers} sync workers, {args.connections} connections, "
            f"{args.seconds:.0f} s each, CONN_MAX_AGE={args.conn_max_age}"
        )
        print(f"    bare Django hello view      {hello_rps:8.1f} req/s, errors {hello_err}")
        print(f"    portal list + 4-char search {portal_rps:8.1f} req/s, errors {portal_err}")
        print(f"    ratio {ratio * 100:.1f} %  (target >= 25 %, 0 errors)")
        ok = (
            percentile(times["list"], 0.95) <= 50
            and percentile(times["search4"], 0.95) <= 50
            and ratio >= 0.25
            and hello_err == portal_err == 0
        )
        print("  targets met" if ok else "  TARGETS NOT MET")
        return 0
    finally:
        if args.keep:
            note(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
