"""Benchmark: PDF rendering time per document (ARCHITECTURE.md §7: ≤ 2 s with TrueType fonts).

    .venv/bin/python bench/documents.py [N]        # N renders per document type, default 5

Stand-alone: its own temporary SANXIANG_VAR_DIR and SQLite database (never var/), fonts from
the project's fonts/fonts.conf (the free TrueType stand-ins unless licensed fonts are
installed).

For every registered document type it renders the type's sample context with a stamp (QR code
and verification code) and reports the best and median seconds per document. Two baselines
are measured in the same run, on the same HTML:

- **no-CJK**: the same page with every CJK character replaced by a Latin "W" (same tags, same
  stylesheet, same page count or fewer). The ratio shows what Chinese text costs — mostly the
  subsetting of the large CJK TrueType fonts (TECH-NOTES §5.2: CFF fonts cost 7–9 s).
- **layout**: WeasyPrint's HTML layout step alone (``HTML.render()``, no PDF written).

Finally ``document_generate`` end to end (render PDF and DOCX, store content-addressed, hash
SHA-256 + SM3, ledger event) on a migrated temporary database.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 2.0
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def timed(fn, n: int) -> list[float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    tmp = tempfile.TemporaryDirectory(prefix="sanxiang-bench-documents-")
    os.environ["SANXIANG_VAR_DIR"] = tmp.name
    os.environ["MEDIA_ROOT"] = str(Path(tmp.name) / "media")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sanxiang.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    import weasyprint

    from sanxiang.records import documents
    from sanxiang.records.documents import fonts, render

    print(f"fontconfig: {os.environ.get('FONTCONFIG_FILE')}")
    for row in fonts.resolve() or []:
        print(f"  {row.name:<8} → {row.family} ({row.label})")
    stamp = documents.Stamp(
        verification_code="K7QM3XTA9P",
        site_root="https://zfgs.example.gov.cn",
        number="陵人社监罚字〔2026〕第3号",
    )
    # Warm-up: fontconfig, Pango and the stylesheet are loaded once per process.
    t0 = time.perf_counter()
    documents.render_pdf("service_receipt", documents.get("service_receipt").sample(), stamp=stamp)
    print(
        f"first document in a fresh process (loads fonts and stylesheet): {time.perf_counter() - t0:.3f} s"
    )

    print(f"\n{n} renders each; seconds per document (best / median)\n")
    header = f"{'document':<20}{'pages':>6}{'PDF':>14}{'no-CJK':>14}{'layout':>14}{'÷ no-CJK':>10}{'÷ layout':>10}"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for spec in documents.all_types():
        context = spec.sample()
        html = documents.render_html(spec.code, context, stamp=stamp)
        latin = CJK.sub("W", html)

        def layout(source=html):
            return weasyprint.HTML(
                string=source,
                base_url=render.registry.ASSETS_DIR.as_uri() + "/",
                url_fetcher=render.LocalFetcher(),
            ).render(stylesheets=[render._stylesheet()], font_config=render._font_config())

        pages = len(layout().pages)
        full = timed(lambda s=spec, c=context: documents.render_pdf(s.code, c, stamp=stamp), n)
        base = timed(lambda h=latin: render.html_to_pdf(h), n)
        lay = timed(layout, n)
        m_full, m_base, m_lay = (statistics.median(t) for t in (full, base, lay))
        worst = max(worst, m_full)
        print(
            f"{spec.code:<20}{pages:>6}"
            f"{min(full):>7.3f}/{m_full:<6.3f}{min(base):>7.3f}/{m_base:<6.3f}{min(lay):>7.3f}/{m_lay:<6.3f}"
            f"{m_full / m_base:>10.2f}{m_full / m_lay:>10.2f}"
        )
    verdict = "met" if worst <= TARGET_SECONDS else "NOT met"
    print(f"\nslowest document: {worst:.3f} s (median) — target ≤ {TARGET_SECONDS} s: {verdict}")

    # End to end through the service, on a throwaway database.
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"\n(migrated a temporary database in {time.perf_counter() - t0:.1f} s)")
    from sanxiang.accounts.demo import ensure_personas
    from sanxiang.records import services
    from sanxiang.registry.demo import ensure_agency

    agency = ensure_agency()
    actor = ensure_personas(agency)["zhangming"]
    spec = documents.get("penalty_decision")
    times = timed(
        lambda: services.document_generate(
            actor=actor,
            doc_type=spec.code,
            subject=agency,
            context=spec.sample(),
            allocate_number=True,
        ),
        n,
    )
    print(
        f"document_generate({spec.code}): best {min(times):.3f} s, median {statistics.median(times):.3f} s "
        "(PDF + DOCX + storage + SHA-256/SM3 + numbering + ledger)"
    )
    tmp.cleanup()


if __name__ == "__main__":
    main()
