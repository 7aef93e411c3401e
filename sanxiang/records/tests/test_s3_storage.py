"""S3-compatible storage (STORAGE_BACKEND=s3) against a real HTTP S3 server: moto's server
mode on 127.0.0.1 at a free port, as one would test against MinIO; boto3 talks HTTP to it.

The server runs in a child process (moto's ThreadedMotoServer there), so that the memory it
uses to hold and send objects is not counted by tracemalloc in the streaming tests. Each test
stores under its own key prefix, so content-addressed names never meet another test's objects.
"""

# ruff: noqa: F811  (pytest fixtures imported from evidence_support are parameters)

from __future__ import annotations

import hashlib
import io
import os
import runpy
import subprocess
import sys
import tracemalloc
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.utils.functional import empty

from sanxiang.ledger import verify
from sanxiang.records import storage

from .evidence_support import add, device, flow, items, left_served, mp4_bytes, p  # noqa: F401
from .test_services import generate

pytest.importorskip("moto.server", reason="moto[server] (requirements-dev.txt) is not installed")

pytestmark = pytest.mark.django_db

BUCKET = "sanxiang-test"
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
REGION = "us-east-1"
SETTINGS = str(Path(__file__).resolve().parents[2] / "settings.py")

SERVER = """
import logging
import sys
from moto.server import ThreadedMotoServer

logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()  # until the test process closes our stdin
server.stop()
"""


@pytest.fixture(scope="module")
def s3_endpoint():
    """A moto S3 server on 127.0.0.1 at a free port, with the test bucket."""
    import boto3

    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        port = int(proc.stdout.readline())
        endpoint = f"http://127.0.0.1:{port}"
        client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **KEYS)
        client.create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def s3(s3_endpoint, settings, monkeypatch):
    """Default storage switched to S3 for one test (a fresh key prefix); yields a boto3 client.

    Django caches storage instances in ``django.core.files.storage.storages`` and in
    ``default_storage._wrapped``; the STORAGES setting_changed receiver resets both, here and
    when the ``settings`` fixture restores STORAGES after the test."""
    import boto3
    from storages.backends.s3 import S3Storage

    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    for name, value in KEYS.items():  # boto3's own chain must not find other credentials
        monkeypatch.setenv(name.upper(), value)
    prefix = f"t-{uuid.uuid4().hex[:12]}"
    env = {
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
        "S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
        "S3_PREFIX": prefix,
    }
    with monkeypatch.context() as scoped:  # the STORAGES entry exactly as settings.py builds it
        for name, value in env.items():
            scoped.setenv(name, value)
        default = runpy.run_path(SETTINGS)["STORAGES"]["default"]
    settings.STORAGES = {**settings.STORAGES, "default": default}
    assert isinstance(storages["default"], S3Storage)
    assert default_storage._wrapped is empty  # reset by the receiver, set up on first use
    default_storage._setup()
    assert isinstance(default_storage._wrapped, S3Storage)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **KEYS)
    client.prefix = prefix
    yield client


def key(client, name: str) -> str:
    return f"{client.prefix}/{name}"


def run_verify(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ledger", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exit_info:
        return exit_info.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def hashes(data: bytes) -> tuple[str, str]:
    return hashlib.sha256(data).hexdigest(), hashlib.new("sm3", data).hexdigest()


# --- settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "env, message",
    [
        ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND 只能是 local"),
        ({"STORAGE_BACKEND": "s3"}, "须设置 S3_BUCKET"),
        ({"STORAGE_BACKEND": "s3", "S3_BUCKET": "b", "S3_ADDRESSING_STYLE": "x"}, "path"),
    ],
)
def test_a_bad_storage_setting_stops_start_up_in_chinese(env, message, monkeypatch):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        runpy.run_path(SETTINGS)


def test_s3_settings_build_the_django_storages_backend(monkeypatch):
    for name, value in {
        "STORAGE_BACKEND": "S3",
        "S3_BUCKET": "zfgs-files",
        "S3_ENDPOINT_URL": "https://minio.example.gov.cn:9000",
        "S3_REGION": "cn-north-1",
        "S3_ACCESS_KEY_ID": "sanxiang",
        "S3_SECRET_ACCESS_KEY": "secret",
        "S3_PREFIX": "/prod/",
    }.items():
        monkeypatch.setenv(name, value)
    default = runpy.run_path(SETTINGS)["STORAGES"]["default"]
    transfer = default["OPTIONS"].pop("transfer_config")
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"] == {
        "bucket_name": "zfgs-files",
        "endpoint_url": "https://minio.example.gov.cn:9000",
        "region_name": "cn-north-1",
        "access_key": "sanxiang",
        "secret_key": "secret",
        "location": "prod",
        "addressing_style": "path",
        "signature_version": "s3v4",
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
        "max_memory_size": 8 * 1024 * 1024,
    }
    assert transfer.max_concurrency == 2 and transfer.max_in_memory_upload_chunks == 2
    monkeypatch.delenv("STORAGE_BACKEND")
    local = runpy.run_path(SETTINGS)["STORAGES"]["default"]
    assert local == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


# --- documents, evidence and the ledger on S3 -----------------------------------------------


def test_documents_and_evidence_on_s3_verify_and_a_changed_byte_is_named(
    s3, personas, agency, flow, device, tmp_path
):
    document = generate(personas, agency)
    f = left_served(flow)
    data = mp4_bytes(300_000)
    evidence = add(f, tmp_path, data, device=device)
    stored = {
        document.pdf.name: (document.pdf_sha256, document.pdf_sm3, document.pdf_size),
        document.docx.name: (document.docx_sha256, document.docx_sm3, document.docx_size),
        evidence.storage_name: (evidence.sha256, evidence.sm3, evidence.size),
    }
    assert (evidence.sha256, evidence.sm3) == hashes(data)
    for name, (sha256, sm3, size) in stored.items():
        # The objects are in the bucket under the prefix, and read back with the same bytes.
        head = s3.head_object(Bucket=BUCKET, Key=key(s3, name))
        assert head["ContentLength"] == size
        with default_storage.open(name, "rb") as handle:
            assert hashes(handle.read()) == (sha256, sm3)
        assert storage.digests(storage.iter_chunks(name, 4096)) == (sha256, sm3, size)
    assert not list(tmp_path.glob("*.upload"))  # the arrived file was not left behind

    code, out, err = run_verify("--files")
    assert code == 0, err
    assert "3 个文件" in out

    # One byte of the evidence changed directly in the bucket: verify --files names the file.
    body = bytearray(
        s3.get_object(Bucket=BUCKET, Key=key(s3, evidence.storage_name))["Body"].read()
    )
    body[1000] ^= 0x01
    s3.put_object(Bucket=BUCKET, Key=key(s3, evidence.storage_name), Body=bytes(body))
    assert run_verify()[0] == 0  # the log itself is intact
    code, _, err = run_verify("--files")
    assert code == 1 and evidence.storage_name in err and "SHA-256" in err
    assert document.pdf.name not in err

    # A deleted object is reported as missing, not as a crash.
    s3.delete_object(Bucket=BUCKET, Key=key(s3, document.pdf.name))
    code, _, err = run_verify("--files")
    assert code == 1 and document.pdf.name in err and "缺失" in err


def test_a_stored_object_is_never_overwritten_on_s3(s3, flow, device, tmp_path):
    from sanxiang.lib.errors import DomainError

    f = left_served(flow)
    data = mp4_bytes(seed=7)
    sha = hashes(data)[0]
    name = f"records/evidence/{sha[:2]}/{sha[2:4]}/{sha}.mp4"
    s3.put_object(Bucket=BUCKET, Key=key(s3, name), Body=b"other bytes under this name")
    with pytest.raises(DomainError, match="与其内容哈希不符"):
        add(f, tmp_path, data)
    assert s3.get_object(Bucket=BUCKET, Key=key(s3, name))["Body"].read() == (
        b"other bytes under this name"
    )


def test_byte_ranges_read_the_same_on_s3_and_local(s3, settings):
    data = bytes(range(256)) * 40
    name = default_storage.save("records/range-test.bin", ContentFile(data))
    on_s3 = {
        (start, end): b"".join(storage.iter_chunks(name, 1000, start=start, end=end))
        for start, end in ((0, None), (0, 0), (5, 2999), (10_000, None), (0, len(data) - 1))
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    assert default_storage.save(name, ContentFile(data)) == name
    for (start, end), part in on_s3.items():
        expected = data[start : None if end is None else end + 1]
        assert part == expected
        assert b"".join(storage.iter_chunks(name, 1000, start=start, end=end)) == expected


def test_a_missing_object_raises_file_not_found(s3):
    with pytest.raises(FileNotFoundError):
        list(storage.iter_chunks("records/evidence/no/such/file.mp4"))


# --- streaming -----------------------------------------------------------------------------


def test_hashing_a_large_s3_object_streams_it(s3):
    size = 20 * 1024 * 1024
    block = hashlib.shake_256(b"block").digest(1024 * 1024)
    sha, sm3 = hashlib.sha256(), hashlib.new("sm3")
    for _ in range(size // len(block)):
        sha.update(block), sm3.update(block)
    name = "records/evidence/large.mp4"

    class Blocks(io.RawIOBase):  # a 20 MB upload that is never whole in memory
        left = size // len(block)

        def readable(self):
            return True

        def readinto(self, buffer):
            if not self.left:
                return 0
            self.left -= 1
            buffer[: len(block)] = block
            return len(block)

    s3.upload_fileobj(io.BufferedReader(Blocks(), len(block)), BUCKET, key(s3, name))
    expected = (size, sha.hexdigest(), sm3.hexdigest())
    # Set up the storage's boto3 session and client first: loading S3's service model is a
    # one-time cost per process, not part of reading a file.
    assert default_storage.size(name) == size
    list(storage.iter_chunks(name, end=0))

    tracemalloc.start()
    try:
        assert verify.file_digests(name) == expected  # ledger verify --files
        assert storage.digests(storage.iter_chunks(name)) == expected[1:] + (size,)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # 20 MB went through twice; Python never held more than a few 1 MB chunks of it.
    assert peak < 6 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_storing_a_large_local_file_on_s3_holds_two_parts_at_most(s3, tmp_path):
    """An arrived upload (a local file) goes to S3 by multipart upload; settings.py limits
    boto3 to two 8 MB parts in memory at a time, whatever the file's size."""
    size = 48 * 1024 * 1024
    block = hashlib.shake_256(b"upload").digest(1024 * 1024)
    path = tmp_path / "arrived.upload"
    with open(path, "wb") as out:
        for _ in range(size // len(block)):
            out.write(block)
    with open(path, "rb") as handle:
        found = storage.digests(iter(lambda: handle.read(1 << 20), b""))
    default_storage.exists("warm-up")  # the boto3 client and S3's service model, set up once

    tracemalloc.start()
    try:
        with open(path, "rb") as handle:
            stored = storage.store_hashed(
                File(handle, name=path.name),
                sha256=found[0], sm3=found[1], size=size, prefix="records/evidence", ext="mp4",
            )  # fmt: skip
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert s3.head_object(Bucket=BUCKET, Key=key(s3, stored.path))["ContentLength"] == size
    assert verify.file_digests(stored.path) == (size, found[0], found[1])
    assert peak < 36 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"  # boto3's default: the whole 48 MB
