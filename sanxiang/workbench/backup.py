"""Backups that can be proved restorable (等保 2.0 三级 数据备份恢复; DOMAIN.md §10.2).

``create(dest)`` writes one directory: a consistent copy of the database (SQLite's online
backup API, or ``pg_dump --format=custom``), the stored files (local storage; with S3 the
bucket is backed up by the bucket's own versioning/replication, docs/operations.md §7), the
secret key file, and ``manifest.json`` — the SHA-256 and size of every file and the ledger's
tree size and root at the moment of the copy. The ledger signing key is *not* copied: it is
backed up separately and encrypted (docs/operations.md §4).

``check(folder)`` proves the backup: every file against the manifest, then the database is
restored into a scratch place (a copy of the SQLite file, or a new PostgreSQL database) and
``manage.py ledger verify --files`` runs against it in a separate process, with the backup's
files as storage; finally the restored ledger's size and root must equal the manifest's.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from sanxiang.lib.errors import DomainError

MANIFEST = "manifest.json"
FORMAT = "sanxiang-backup/1"
SKIP_MEDIA = ("uploads",)  # resumable-upload parts in progress: not records


def _sha256(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def ledger_head() -> dict:
    from sanxiang.ledger import selectors

    size = selectors.tree_size()
    return {"size": size, "root": selectors.root_at(size).hex() if size else ""}


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg_args(db: dict) -> list[str]:
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return args


def _run(args: list[str], *, env=None, what: str) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise DomainError(
            f"{what}失败：找不到 {args[0]}（请安装 postgresql-client）", code="backup"
        ) from None
    if done.returncode != 0:
        raise DomainError(f"{what}失败：{(done.stderr or done.stdout).strip()[:500]}")
    return done


@dataclass
class Created:
    folder: Path
    manifest_sha256: str
    files: int
    ledger: dict


def create(dest: Path, *, now=None) -> Created:
    """Write a backup under ``dest`` (created if missing); returns where and what."""
    now = now or timezone.now()
    folder = Path(dest) / f"sanxiang-{timezone.localtime(now):%Y%m%d-%H%M%S}"
    if folder.exists():
        raise DomainError(f"备份目录已存在：{folder}")
    folder.mkdir(parents=True)
    db = settings.DATABASES["default"]
    head = ledger_head()
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(folder / "db.sqlite3")
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        db_file = "db.sqlite3"
    elif connection.vendor == "postgresql":
        _run(
            [
                "pg_dump",
                *_pg_args(db),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "-f",
                str(folder / "db.dump"),
                db["NAME"],
            ],
            env=_pg_env(db),
            what="导出数据库（pg_dump）",
        )
        db_file = "db.dump"
    else:  # pragma: no cover - settings allow only these two
        raise DomainError(f"不支持的数据库：{connection.vendor}")
    storage = "local" if settings.STORAGE_BACKEND == "local" else settings.STORAGE_BACKEND
    if storage == "local" and Path(settings.MEDIA_ROOT).is_dir():
        media = Path(settings.MEDIA_ROOT)
        for src in sorted(media.rglob("*")):
            rel = src.relative_to(media)
            if not src.is_file() or rel.parts[0] in SKIP_MEDIA:
                continue
            out = folder / "media" / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, out)
    key_file = Path(settings.VAR_DIR) / "secret_key"
    if key_file.is_file():
        shutil.copy2(key_file, folder / "secret_key")
        os.chmod(folder / "secret_key", 0o600)
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        sha, size = _sha256(path)
        files.append({"path": path.relative_to(folder).as_posix(), "sha256": sha, "size": size})
    manifest = {
        "format": FORMAT,
        "created_at": now.isoformat(),
        "database": {"vendor": connection.vendor, "file": db_file},
        "storage": storage,
        "ledger": head,
        "files": files,
    }
    data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    (folder / MANIFEST).write_bytes(data)
    return Created(folder, hashlib.sha256(data).hexdigest(), len(files), head)


@dataclass
class Checked:
    problems: list[str] = field(default_factory=list)
    files: int = 0
    ledger: dict = field(default_factory=dict)
    verify_output: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def _manage(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )


def check(folder: Path) -> Checked:
    """Prove a backup restorable (see the module's docstring). Problems are Chinese lines."""
    folder = Path(folder)
    result = Checked()
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DomainError(f"{folder} 不是备份目录：没有 {MANIFEST}") from None
    except ValueError:
        raise DomainError(f"{MANIFEST} 不是有效的 JSON") from None
    if manifest.get("format") != FORMAT:
        raise DomainError(f"不认识的备份格式：{manifest.get('format')!r}")
    listed = {f["path"]: f for f in manifest["files"]}
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {
        MANIFEST
    }
    for path in sorted(present - set(listed)):
        result.problems.append(f"清单之外多出的文件：{path}")
    for path, entry in sorted(listed.items()):
        if path not in present:
            result.problems.append(f"缺少文件：{path}")
            continue
        sha, size = _sha256(folder / path)
        if (sha, size) != (entry["sha256"], entry["size"]):
            result.problems.append(f"文件与清单不一致：{path}")
        result.files += 1
    if result.problems:
        return result
    vendor, db_file = manifest["database"]["vendor"], manifest["database"]["file"]
    with tempfile.TemporaryDirectory(prefix="sanxiang-restore-") as scratch:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env.update(
            DJANGO_SETTINGS_MODULE="sanxiang.settings",
            SANXIANG_VAR_DIR=scratch,
            MEDIA_ROOT=str(folder / "media"),
            STORAGE_BACKEND="local",
            LEDGER_KEY_FILE=str(settings.LEDGER_KEY_FILE),
        )
        if (folder / "secret_key").is_file():
            shutil.copy2(folder / "secret_key", Path(scratch) / "secret_key")
        scratch_db = None
        if vendor == "sqlite":
            shutil.copy2(folder / db_file, Path(scratch) / "restored.sqlite3")
            env["DATABASE_URL"] = f"sqlite:///{Path(scratch) / 'restored.sqlite3'}"
        else:
            db = settings.DATABASES["default"]
            scratch_db = f"{db['NAME']}_restorecheck_{os.getpid()}"[:63]
            pg = _pg_env(db)
            _run(["createdb", *_pg_args(db), scratch_db], env=pg, what="创建恢复校验库")
            env["DATABASE_URL"] = (
                f"postgres://{db.get('USER') or ''}"
                + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
                + f"@{db.get('HOST') or ''}"
                + (f":{db['PORT']}" if db.get("PORT") else "")
                + f"/{scratch_db}"
            )
        try:
            if scratch_db:
                _run(
                    ["pg_restore", *_pg_args(db), "--no-owner", "-d", scratch_db,
                     str(folder / db_file)],
                    env=pg,
                    what="恢复数据库（pg_restore）",
                )  # fmt: skip
            verify = _manage(["ledger", "verify", "--files", "--workers", "1"], env)
            result.verify_output = (verify.stdout + verify.stderr).strip()
            if verify.returncode != 0:
                result.problems.append(f"恢复后的账本校验失败：{result.verify_output[-500:]}")
                return result
            head = _manage(["backup", "head"], env)
            if head.returncode != 0:
                result.problems.append(f"读取恢复后的账本失败：{head.stderr.strip()[-300:]}")
                return result
            result.ledger = json.loads(head.stdout)
            if result.ledger != manifest["ledger"]:
                result.problems.append(
                    f"恢复后的账本（大小 {result.ledger['size']}）与备份时记录的"
                    f"（大小 {manifest['ledger']['size']}）不一致"
                )
        finally:
            if scratch_db:
                subprocess.run(
                    ["dropdb", *_pg_args(db), "--if-exists", scratch_db],
                    env=pg,
                    capture_output=True,
                    timeout=600,
                )
    return result
