"""python manage.py ledger verify [--files] [--from N] | checkpoint | key

``verify`` exits 0 when the stored ledger is intact and 1, naming the first bad sequence
number or file, otherwise (ARCHITECTURE.md §5). ``checkpoint`` signs a checkpoint of the
current log (idempotent) and prints it. ``key`` prints the public verifier key. Bad arguments
exit 2 with a Chinese message (sanxiang.lib.cli), never 1, which means a broken ledger.
"""

from __future__ import annotations

import os
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from sanxiang.ledger import keys, services
from sanxiang.ledger.verify import LedgerBroken, verify_ledger
from sanxiang.lib.cli import ChineseErrorsMixin, non_negative_int, positive_int


class ProgressBar:
    """A carriage-return progress bar, drawn only on a terminal."""

    def __init__(self, stream, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.started = time.monotonic()
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        filled = self.width * done // total
        bar = "█" * filled + "·" * (self.width - filled)
        rate = done / max(time.monotonic() - self.started, 1e-6)
        self.stream.write(
            f"\r校验中 [{bar}] {done * 100 // total:3d}%  {done}/{total}  {rate:,.0f} 条/秒"
        )
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


class Command(ChineseErrorsMixin, BaseCommand):
    help = "执法记录账本：verify 校验账本完整性；checkpoint 签发检查点；key 显示验证公钥"
    missing_args_message = "请给出子命令：verify、checkpoint 或 key（详见 manage.py ledger --help）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="ACTION")
        sub.required = True
        verify = sub.add_parser("verify", help="重算并校验全部记录、默克尔树与检查点")
        verify.add_argument("--files", action="store_true", help="同时重新计算账本所载文件的哈希")
        verify.add_argument(
            "--from", dest="from_seq", type=non_negative_int, default=0, metavar="N",
            help="从序号 N 起校验（N 之前的树节点视为可信）",
        )  # fmt: skip
        verify.add_argument(
            "--workers", type=positive_int, default=min(os.cpu_count() or 1, 8), metavar="N",
            help="并行校验的进程数（默认为 CPU 数，最多 8；1 为单进程）",
        )  # fmt: skip
        sub.add_parser("checkpoint", help="签发当前账本的检查点并输出")
        sub.add_parser("key", help="输出检查点验证公钥")

    def handle(self, *args, action: str, **options):
        if action == "checkpoint":
            try:
                checkpoint = services.checkpoint_issue()
            except services.LedgerIntegrityError as exc:
                raise CommandError(f"拒绝签发检查点：{exc}") from None
            self.stdout.write(checkpoint.note, ending="")
            return
        if action == "key":
            self.stdout.write(keys.log_verifier().encode())
            return
        self.verify(
            files=options["files"], from_seq=options["from_seq"], workers=options["workers"]
        )

    def verify(self, *, files: bool, from_seq: int, workers: int) -> None:
        if from_seq < 0:
            raise CommandError("--from 须为非负整数", returncode=2)
        if workers < 1:
            raise CommandError("--workers 须为正整数", returncode=2)
        bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
        started = time.monotonic()
        try:
            report = verify_ledger(from_seq=from_seq, files=files, progress=bar, workers=workers)
        except LedgerBroken as broken:
            if bar:
                bar.close()
            where = f"（序号 seq={broken.seq}）" if broken.seq is not None else ""
            self.stderr.write(f"账本校验失败{where}：{broken.message}")
            sys.exit(1)
        if bar:
            bar.close()
        if report.file_problems:
            for problem in report.file_problems:
                self.stderr.write(f"文件校验失败：{problem}")
            sys.exit(1)
        elapsed = time.monotonic() - started
        checked = f"{report.events} 条记录、{report.nodes} 个树节点、{report.checkpoints} 个检查点"
        if files:
            checked += f"、{report.files} 个文件"
        self.stdout.write(
            f"账本完整：已校验 {checked}（树大小 {report.size}，用时 {elapsed:.1f} 秒）"
        )
