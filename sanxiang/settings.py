"""Sanxiang settings: one file, driven by environment variables.

Defaults give a working single-machine install (SQLite under ``var/``, local files). Every
value that differs between installations comes from an environment variable read once here
by a small typed helper; a bad value stops start-up with ``ImproperlyConfigured`` naming the
variable (healthchecks style).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be >= {minimum}, got {value}")
    return value


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).expanduser().resolve() if raw else default


def env_secret(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (for container secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name}: {exc}") from None
    return os.environ.get(name, default)


def database_from_url(url: str, *, var_dir: Path) -> dict:
    """Parse DATABASE_URL: ``sqlite:///path`` (relative to var/ when not absolute) or
    ``postgres://user:password@host:port/name?option=value``."""
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    if parts.scheme == "sqlite":
        raw = unquote(parts.path)
        if raw.startswith("//"):  # sqlite:////absolute/path
            return sqlite_database(Path(raw[1:]))
        return sqlite_database(var_dir / (raw.lstrip("/") or "sanxiang.sqlite3"))
    if parts.scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured("DATABASE_URL: the PostgreSQL database name is missing")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL: unsupported scheme {parts.scheme!r} (use sqlite:/// or postgres://)"
    )


def sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # IMMEDIATE: every write transaction takes SQLite's single write lock at BEGIN, so
            # the ledger's sequence numbers and document numbers are allocated without gaps
            # or duplicates under concurrent writers (see ledger.services.record).
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;"
            ),
        },
        "TEST": {"NAME": env_str("SANXIANG_SQLITE_TEST_NAME") or None},
    }


# --- paths -----------------------------------------------------------------------------------

VAR_DIR = env_path("SANXIANG_VAR_DIR", BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

# --- core ------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    # A per-installation key kept beside the data, created on first start, never committed.
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        import secrets

        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()

ALLOWED_HOSTS = [h.strip() for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [o for o in env_str("CSRF_TRUSTED_ORIGINS").split(",") if o]
SITE_ROOT = env_str("SITE_ROOT", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Ordered by floor (ARCHITECTURE.md §3): a lower app never imports a higher one.
    "sanxiang.ledger",
    "sanxiang.accounts",
    "sanxiang.registry",
    "sanxiang.catalog",
    "sanxiang.workcalendar",
    "sanxiang.cases",
    "sanxiang.records",
    "sanxiang.inspections",
    "sanxiang.review",
    "sanxiang.publicity",
    "sanxiang.archive",
    "sanxiang.evaluation",
    "sanxiang.api",
    "sanxiang.workbench",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Personal API tokens on the resumable-upload endpoints (after the session user is set).
    "sanxiang.api.middleware.UploadTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sanxiang.accounts.middleware.IdleLogoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sanxiang.urls"
WSGI_APPLICATION = "sanxiang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sanxiang.accounts.context_processors.navigation",
            ],
        },
    },
]

# --- database --------------------------------------------------------------------------------

DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL"), var_dir=VAR_DIR)
    if env_str("DATABASE_URL")
    else sqlite_database(VAR_DIR / "sanxiang.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts and security (等保 2.0 第三级: 身份鉴别、访问控制) -------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "sanxiang.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "sanxiang.accounts.passwords.CharacterClassValidator"},
    {"NAME": "sanxiang.accounts.passwords.PublishedPasswordValidator"},
]

# Idle logout: the session ends after this many minutes without a request.
IDLE_LOGOUT_MINUTES = env_int("IDLE_LOGOUT_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = IDLE_LOGOUT_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Lock an account for LOGIN_LOCK_MINUTES after LOGIN_MAX_FAILURES failed logins in a row.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_LOCK_MINUTES = env_int("LOGIN_LOCK_MINUTES", 15, minimum=1)
# Passwords older than this must be changed (0 = never).
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90, minimum=0)

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)

# --- i18n ------------------------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- static and media ------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env_path("STATIC_ROOT", VAR_DIR / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env_path("MEDIA_ROOT", VAR_DIR / "media")
# Stored files (documents, scans, evidence): local disk under MEDIA_ROOT (default), or an
# S3-compatible object store (MinIO, Ceph RGW, OSS, COS, AWS) through django-storages. See
# docs/operations.md "存储 Storage" (private bucket, versioning, object lock).
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "local").strip().lower() or "local"
S3_BUCKET = env_str("S3_BUCKET")
S3_ENDPOINT_URL = env_str("S3_ENDPOINT_URL") or None  # None: AWS itself
S3_REGION = env_str("S3_REGION") or None
S3_ACCESS_KEY_ID = env_secret("S3_ACCESS_KEY_ID") or None  # None: boto3's own credential chain
S3_SECRET_ACCESS_KEY = env_secret("S3_SECRET_ACCESS_KEY") or None
S3_PREFIX = env_str("S3_PREFIX").strip("/")  # key prefix, e.g. "sanxiang" (optional)
S3_ADDRESSING_STYLE = env_str("S3_ADDRESSING_STYLE", "path")  # path (MinIO) or virtual
if STORAGE_BACKEND == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_BACKEND == "s3":
    if not S3_BUCKET:
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 时须设置 S3_BUCKET（存储桶名称）")
    if S3_ADDRESSING_STYLE not in ("path", "virtual", "auto"):
        raise ImproperlyConfigured(
            f"S3_ADDRESSING_STYLE 只能是 path、virtual 或 auto，当前为 {S3_ADDRESSING_STYLE!r}"
        )
    from boto3.s3.transfer import TransferConfig

    # Uploads hold at most two 8 MB parts in memory (boto3's default: up to ten, ~80 MB).
    _transfer = TransferConfig(max_concurrency=2, multipart_chunksize=8 * 1024 * 1024)
    _transfer.max_in_memory_upload_chunks = 2
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT_URL,
            "region_name": S3_REGION,
            "access_key": S3_ACCESS_KEY_ID,
            "secret_key": S3_SECRET_ACCESS_KEY,
            "location": S3_PREFIX,
            "addressing_style": S3_ADDRESSING_STYLE,
            "signature_version": "s3v4",
            "file_overwrite": False,  # content-addressed: a name never gets other bytes
            "default_acl": None,  # objects inherit the (private) bucket policy
            "querystring_auth": True,  # any URL handed out is signed and expires
            "transfer_config": _transfer,
            # Whole-object reads (downloads through FileResponse) spool to a temporary file
            # beyond 8 MB; the default 0 keeps the whole object in memory.
            "max_memory_size": 8 * 1024 * 1024,
        },
    }
else:
    raise ImproperlyConfigured(
        f"STORAGE_BACKEND 只能是 local（本机磁盘）或 s3（S3 兼容对象存储），当前为 {STORAGE_BACKEND!r}"
    )
STORAGES = {
    "default": _default_storage,
    # Compressed copies are made by collectstatic; no manifest, so templates work without it.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- documents (文书) ------------------------------------------------------------------------

# Folder with the bureau's licensed GB/T 9704 fonts (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体);
# free stand-ins are used for any name not found there (see fonts/README.md).
SANXIANG_FONTS_DIR = env_path("SANXIANG_FONTS_DIR", BASE_DIR / "fonts")
RECORDS_SCAN_MAX_BYTES = env_int("RECORDS_SCAN_MAX_BYTES", 200 * 1024 * 1024, minimum=1)

# --- evidence (证据与音像记录) -------------------------------------------------------------

_MB = 1024 * 1024
# Largest file per kind; evidence of any size streams to disk while being hashed.
RECORDS_EVIDENCE_MAX_BYTES = {
    kind: env_int(f"RECORDS_EVIDENCE_MAX_{kind.upper()}_MB", default, minimum=1) * _MB
    for kind, default in (("photo", 50), ("audio", 2048), ("video", 16384), ("document", 200))
}
# Largest file through the plain (non-resumable) upload form.
RECORDS_EVIDENCE_FORM_MAX_BYTES = env_int("RECORDS_EVIDENCE_FORM_MAX_MB", 2048, minimum=1) * _MB
# Where resumable uploads collect their parts (default MEDIA_ROOT/uploads); must be shared by
# all app servers, or each upload pinned to one server.
RECORDS_UPLOAD_DIR = env_str("RECORDS_UPLOAD_DIR") or None
RECORDS_UPLOAD_EXPIRY_HOURS = env_int("RECORDS_UPLOAD_EXPIRY_HOURS", 72, minimum=1)
RECORDS_UPLOADS_PER_USER = env_int("RECORDS_UPLOADS_PER_USER", 20, minimum=1)
# Fixity: re-hash each stored evidence file at least this often, spending at most this many
# seconds per sweep run.
RECORDS_FIXITY_INTERVAL_DAYS = env_int("RECORDS_FIXITY_INTERVAL_DAYS", 30, minimum=1)
RECORDS_FIXITY_SECONDS = env_int("RECORDS_FIXITY_SECONDS", 60, minimum=1)
RECORDS_MEDIA_TOKEN_HOURS = env_int("RECORDS_MEDIA_TOKEN_HOURS", 4, minimum=1)

# --- ledger (transparency log) ---------------------------------------------------------------

# Origin line of signed checkpoints (c2sp.org/tlog-checkpoint): a schema-less URL prefix that
# names this log uniquely.
LEDGER_ORIGIN = env_str("LEDGER_ORIGIN", "sanxiang.local/ledger")
# The C2SP checkpoint spec says the key name SHOULD match the origin.
LEDGER_KEY_NAME = env_str("LEDGER_KEY_NAME", LEDGER_ORIGIN)
LEDGER_KEY_FILE = env_path("LEDGER_KEY_FILE", VAR_DIR / "ledger" / "log.key")
# Sign a checkpoint when new entries exist and the last one is older than this (seconds).
LEDGER_CHECKPOINT_INTERVAL = env_int("LEDGER_CHECKPOINT_INTERVAL", 600, minimum=60)
# Reserved for RFC 3161 timestamps of checkpoints; not implemented (system check ledger.W001).
LEDGER_TSA_URL = env_str("LEDGER_TSA_URL")
# How long one run_sweeps process holds a sweep before another may take it over (seconds).
SWEEP_LEASE_SECONDS = env_int("SWEEP_LEASE_SECONDS", 900, minimum=60)

# --- logging ---------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- optional local overrides ----------------------------------------------------------------

if (BASE_DIR / "sanxiang" / "local_settings.py").exists():
    from .local_settings import *  # noqa: F403
