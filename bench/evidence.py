"""Benchmark: evidence ingest (ARCHITECTURE.md §7: ≥ 60 % of raw hashlib SHA-256 + SM3
throughput; peak RSS growth ≤ 64 MB for a 2 GB upload).

    .venv/bin/python bench/evidence.py [--size 2G] [--path tus|form|both] [--chunk 50M] [--reps 3]

Stand-alone: its own temporary SANXIANG_VAR_DIR, MEDIA_ROOT and SQLite database (never var/).

The ingest goes through the real upload path, in Django's production request handler
(``WSGIHandler``: middleware, session login, CSRF, views), with request bodies streamed from a
file as a WSGI server hands them over — nothing is loaded whole:

- **tus** (default; what the evidence page does for large files): ``POST`` to create the
  upload, ``PATCH`` requests of ``--chunk`` bytes (default 50 MB, as ``upload.js`` sends),
  then the evidence form ``POST`` with the finished upload's id, which moves the file into
  content-addressed storage and records the ledger event.
- **form**: the plain multipart form (no JavaScript) with the file, parsed by the hashing
  upload handler.

Timed from the first request to the form's redirect, and compared with a baseline measured in
the same process just before, over the same bytes: hashlib SHA-256 and SM3 of the file, read in
1 MiB chunks (the work that cannot be avoided). ``--reps`` pairs (baseline, ingest) are run,
the file changed by a few bytes each time (no duplicate, no reuse of a stored object), and the
median ratio is reported — on a shared machine single runs vary a lot; the CPU-time ratio is
printed too, being less sensitive to other load. The ingest runs in a child process (set up
once: migrated database, people, a case, a camera, a logged-in session) so that its memory is
measured alone: ``/proc/self/clear_refs`` resets the peak (VmHWM) before each ingest, and the
growth is the peak during the ingest minus the resident size before it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 0.60
TARGET_RSS_MB = 64
MiB = 1024 * 1024


def parse_size(text: str) -> int:
    text = text.strip().upper()
    for suffix, factor in (("G", 1024**3), ("M", MiB), ("K", 1024)):
        if text.endswith(suffix):
            return int(float(text[:-1]) * factor)
    return int(text)


def status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def make_source(path: Path, size: int) -> None:
    """An MP4-looking file (ftyp + mdat box headers, then pseudo-random bytes)."""
    ftyp = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
    block = hashlib.shake_256(b"sanxiang bench evidence").digest(16 * MiB)
    with open(path, "wb") as out:
        out.write(ftyp + (size - len(ftyp)).to_bytes(4, "big") + b"mdat")
        left = size - len(ftyp) - 8
        while left > 0:
            n = min(left, len(block))
            out.write(block[:n])
            left -= n


def baseline(path: Path) -> tuple[float, str, str]:
    sha, sm3 = hashlib.sha256(), hashlib.new("sm3")
    buffer = bytearray(MiB)
    view = memoryview(buffer)
    t0 = time.perf_counter()
    with open(path, "rb", buffering=0) as handle:
        while n := handle.readinto(buffer):
            sha.update(view[:n])
            sm3.update(view[:n])
    return time.perf_counter() - t0, sha.hexdigest(), sm3.hexdigest()


# --- the child: Django, a case, and the ingest ---------------------------------------------------


class Slice:
    """wsgi.input for one request: ``length`` bytes of a file from ``offset``, read on demand."""

    def __init__(self, path: Path, offset: int, length: int):
        self.handle = open(path, "rb")
        self.handle.seek(offset)
        self.left = length

    def read(self, n: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        n = self.left if n is None or n < 0 else min(n, self.left)
        data = self.handle.read(n)
        self.left -= len(data)
        return data

    def readline(self, limit: int = -1) -> bytes:  # the multipart parser never needs it
        raise NotImplementedError

    def close(self) -> None:
        self.handle.close()


class Multipart:
    """A multipart/form-data body: the form fields, then the file streamed from disk."""

    BOUNDARY = "----sanxiang-bench-boundary"

    def __init__(self, fields: dict, path: Path, filename: str):
        head = "".join(
            f'--{self.BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
            for k, v in fields.items()
        )
        head += (
            f'--{self.BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{filename}"\r\nContent-Type: video/mp4\r\n\r\n'
        )
        self.parts = [head.encode(), None, f"\r\n--{self.BOUNDARY}--\r\n".encode()]
        self.file = open(path, "rb")
        self.size = os.path.getsize(path)
        self.length = len(self.parts[0]) + self.size + len(self.parts[2])
        self.index, self.pos = 0, 0

    def read(self, n: int = -1) -> bytes:
        n = self.length if n is None or n < 0 else n
        if self.index == 1:  # inside the file: hand its bytes over as a socket would, no copy
            chunk = self.file.read(n)
            if chunk:
                return chunk
            self.index = 2
        out = bytearray()
        while len(out) < n and self.index < 3:
            part = self.parts[self.index]
            if part is None:
                chunk = self.file.read(n - len(out))
                if not chunk:
                    self.index += 1
                    continue
                out += chunk
            else:
                chunk = part[self.pos : self.pos + n - len(out)]
                self.pos += len(chunk)
                out += chunk
                if self.pos >= len(part):
                    self.index, self.pos = self.index + 1, 0
        return bytes(out)

    def readline(self, limit: int = -1) -> bytes:  # the multipart parser never needs it
        raise NotImplementedError

    def close(self) -> None:
        self.file.close()


def child(args) -> None:
    import datetime as dt
    import re

    os.environ["DJANGO_SETTINGS_MODULE"] = "sanxiang.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.test.client import RequestFactory

    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    # Set-up speed only (the demo passwords are hashed once each); not part of the ingest.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0, interactive=False)
    from sanxiang.accounts.demo import DEMO_PASSWORD, ensure_personas
    from sanxiang.cases import services as cases
    from sanxiang.records.models import Evidence
    from sanxiang.registry import services as registry
    from sanxiang.registry.demo import ensure_agency

    agency = ensure_agency()
    people = ensure_personas(agency)
    keeper, officers = people["xitong"], [people["zhangming"], people["lihua"]]
    for n, user in enumerate(officers):
        officer = registry.officer_register(actor=keeper, user=user, agency=agency, post="监察员")
        registry.certificate_record(
            actor=keeper,
            officer=officer,
            kind="enforcement",
            number=f"晋B{9000 + n}",
            issuer="山西省人民政府",
            valid_from=dt.date(2024, 1, 1),
            valid_until=dt.date(2029, 12, 31),
        )
    camera = registry.device_register(
        actor=keeper,
        agency=agency,
        kind="body_camera",
        asset_no="BENCH-001",
        model_name="执法记录仪",
        commissioned_on=dt.date(2025, 1, 1),
    )
    today = dt.date.today()
    case = cases.case_register(
        actor=officers[0],
        agency=agency,
        source="patrol",
        channel="window",
        received_on=today,
        summary="基准测试",
        facts="日常巡查发现",
    )
    for i, user in enumerate(officers):
        cases.case_assign(
            actor=people["wangqiang"], case=case, user=user, role="lead" if i == 0 else "assist"
        )

    app = WSGIHandler()
    factory = RequestFactory()
    cookies: dict[str, str] = {}

    def call(method, path, *, body=None, length=0, content_type="", headers=None):
        environ = factory._base_environ(
            PATH_INFO=path,
            REQUEST_METHOD=method,
            CONTENT_TYPE=content_type,
            CONTENT_LENGTH=str(length),
            HTTP_COOKIE="; ".join(f"{k}={v}" for k, v in cookies.items()),
            **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()},
        )
        if body is not None:
            environ["wsgi.input"] = body
        captured = {}

        def start_response(status, response_headers, exc_info=None):
            captured["status"] = int(status.split()[0])
            captured["headers"] = response_headers

        result = app(environ, start_response)
        content = b"".join(result)
        if hasattr(result, "close"):
            result.close()
        for name, value in captured["headers"]:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookies[key] = rest.split(";", 1)[0]
            if name.lower() == "location":
                captured["location"] = value
        if body is not None and hasattr(body, "close"):
            body.close()
        return captured["status"], captured, content

    from io import BytesIO
    from urllib.parse import urlencode

    # Log in through the login form, as a browser does.
    status, _, page = call("GET", "/accounts/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    form = urlencode(
        {"username": "zhangming", "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    )
    status, _, _ = call(
        "POST", "/accounts/login/", body=BytesIO(form.encode()), length=len(form),
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert status == 302, f"login failed: {status}"
    new_url = f"/records/evidence/cases/{case.pk}/new/"
    status, _, page = call("GET", new_url)
    assert status == 200, status
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()

    source = Path(args.source)
    size = source.stat().st_size
    base_fields = {
        "csrfmiddlewaretoken": token,
        "ref": "step:inspection",
        "kind": "video",
        "scene": "on_site",
        "device": str(camera.pk),
        "recorded_by": str(officers[0].pk),
        "started_at": f"{today:%Y-%m-%d}T00:00",
        "ended_at": f"{today:%Y-%m-%d}T00:30",
        "place": "基准测试现场",
        "description": "基准测试：执法记录仪录像",
    }

    def ingest() -> tuple[float, float, int]:
        fields = dict(base_fields)
        requests = 0
        t0, c0 = time.perf_counter(), time.process_time()
        if args.path == "tus":
            import base64

            meta = ",".join(
                f"{k} {base64.b64encode(v.encode()).decode()}"
                for k, v in {"filename": "bench.mp4", "filetype": "video/mp4",
                             "case": str(case.pk), "kind": "video"}.items()
            )  # fmt: skip
            status, info, body = call(
                "POST", "/records/evidence/uploads/", length=0,
                headers={"Tus-Resumable": "1.0.0", "Upload-Length": str(size),
                         "Upload-Metadata": meta, "X-CSRFToken": token},
            )  # fmt: skip
            assert status == 201, body
            location = info["location"].split("testserver", 1)[-1]
            requests += 1
            chunk = args.chunk or size
            offset = 0
            while offset < size:
                n = min(chunk, size - offset)
                status, info, body = call(
                    "PATCH", location, body=Slice(source, offset, n), length=n,
                    content_type="application/offset+octet-stream",
                    headers={"Tus-Resumable": "1.0.0", "Upload-Offset": str(offset),
                             "X-CSRFToken": token},
                )  # fmt: skip
                assert status == 204, body
                offset += n
                requests += 1
            fields["upload_id"] = location.rsplit("/", 1)[-1]
            form = urlencode(fields).encode()
            status, info, body = call(
                "POST", new_url, body=BytesIO(form), length=len(form),
                content_type="application/x-www-form-urlencoded",
            )  # fmt: skip
        else:
            stream = Multipart(fields, source, "bench.mp4")
            status, info, body = call(
                "POST", new_url, body=stream, length=stream.length,
                content_type=f"multipart/form-data; boundary={Multipart.BOUNDARY}",
            )  # fmt: skip
        requests += 1
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        assert status == 302, body.decode(errors="replace")[:3000]
        return elapsed, cpu, requests

    reps = []
    for rep in range(args.reps):
        with open(source, "r+b") as handle:  # new bytes each time: no duplicate, no reuse
            handle.seek(64)
            handle.write(f"rep{rep:05d}".encode())
        b0 = time.process_time()
        base_seconds, sha, sm3 = baseline(source)
        base_cpu = time.process_time() - b0
        rss_before = status_kb("VmRSS")
        try:
            Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
            reset = True
        except OSError:
            reset = False
        hwm_before = status_kb("VmHWM")
        seconds, cpu, requests = ingest()
        hwm_after = status_kb("VmHWM")
        ev = Evidence.objects.order_by("-pk").first()
        assert (ev.sha256, ev.sm3, ev.size) == (sha, sm3, size), "recorded hashes differ"
        (Path(settings.MEDIA_ROOT) / ev.storage_name).unlink()  # free the disk
        reps.append(
            {
                "baseline_seconds": base_seconds,
                "baseline_cpu": base_cpu,
                "seconds": seconds,
                "cpu": cpu,
                "requests": requests,
                "growth_mb": (hwm_after - (rss_before if reset else hwm_before)) / 1024,
                "rss_before_mb": rss_before / 1024,
                "hwm_reset": reset,
            }
        )
    print(json.dumps(reps))


# --- the parent ------------------------------------------------------------------------------


def run(path: str, *, source: Path, chunk: int, reps: int, tmp: Path) -> list[dict]:
    var = tmp / f"var-{path}"
    env = dict(
        os.environ,
        SANXIANG_VAR_DIR=str(var),
        MEDIA_ROOT=str(var / "media"),
        DJANGO_SETTINGS_MODULE="sanxiang.settings",
        LOG_LEVEL="WARNING",
    )
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--path", path, "--source", str(source),
         "--chunk", str(chunk), "--reps", str(reps)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"ingest ({path}) failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="2G", help="file size, e.g. 2G, 500M (default 2G)")
    parser.add_argument("--path", choices=["tus", "form", "both"], default="tus")
    parser.add_argument("--chunk", default="50M", help="tus PATCH size (0: one PATCH)")
    parser.add_argument("--reps", type=int, default=3, help="baseline + ingest pairs (default 3)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.chunk = int(args.chunk)
        child(args)
        return
    size, chunk = parse_size(args.size), parse_size(args.chunk)
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} at start")
    with tempfile.TemporaryDirectory(prefix="sanxiang-bench-evidence-") as name:
        tmp = Path(name)
        source = tmp / "source.mp4"
        print(f"file: {size / MiB:,.0f} MiB; {args.reps} pairs of (baseline, ingest) per path")
        make_source(source, size)
        paths = ["tus", "form"] if args.path == "both" else [args.path]
        verdicts = []
        for path in paths:
            reps = run(path, source=source, chunk=chunk, reps=args.reps, tmp=tmp)
            what = (
                f"tus: POST, {reps[0]['requests'] - 2} PATCH of {chunk / MiB:.0f} MiB, form"
                if path == "tus"
                else "plain multipart form, one request"
            )
            print(f"\n== {what}")
            print(f"{'pair':>4} {'baseline s':>11} {'ingest s':>9} {'MiB/s':>7} {'ratio':>6} "
                  f"{'CPU ratio':>9} {'RSS +MB':>8}")  # fmt: skip
            ratios, growths = [], []
            for i, r in enumerate(reps, 1):
                ratio = r["baseline_seconds"] / r["seconds"]
                ratios.append(ratio)
                growths.append(r["growth_mb"])
                print(
                    f"{i:>4} {r['baseline_seconds']:>11.2f} {r['seconds']:>9.2f} "
                    f"{size / MiB / r['seconds']:>7.1f} {ratio:>6.2f} "
                    f"{r['baseline_cpu'] / r['cpu']:>9.2f} {r['growth_mb']:>8.1f}"
                )
            median = statistics.median(ratios)
            print(
                f"median ratio {median:.2f} (target ≥ {TARGET_RATIO:.2f}); "
                f"peak RSS growth max {max(growths):.1f} MB (target ≤ {TARGET_RSS_MB} MB; "
                f"RSS before {reps[0]['rss_before_mb']:.0f} MB"
                f"{'' if reps[0]['hwm_reset'] else ', VmHWM not resettable: delta of peaks'})"
            )
            print("recorded SHA-256 and SM3 = hashlib over the source file: yes (every pair)")
            verdicts.append(median >= TARGET_RATIO and max(growths) <= TARGET_RSS_MB)
        print(f"\nload average {os.getloadavg()[0]:.2f} at the end")
        print("targets: " + ("met" if all(verdicts) else "NOT met"))


if __name__ == "__main__":
    main()
