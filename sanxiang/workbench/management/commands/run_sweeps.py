"""python manage.py run_sweeps [--once] [--interval SECONDS]

The one long-running process for periodic work (ARCHITECTURE.md §6, healthchecks'
``sendalerts`` style): every INTERVAL seconds it runs each sweep that an app lists on its
AppConfig (``sweeps = ["sanxiang.ledger.sweeps.checkpoint_sweep"]``). A sweep is a function
``sweep(now) -> str | None`` returning what it did. Each run is guarded by a lease row, so
two copies of this command (two servers, or cron plus a service) never run one sweep at the
same time. Correctness never depends on a sweep running on time (ARCHITECTURE.md §3).

``--once`` runs every sweep once and exits (tests, cron); its exit status is 1 if a sweep
failed. Ctrl-C or SIGTERM stops the loop after the sweep in progress.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import sys
import threading

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

from sanxiang.ledger.sweeps import lease
from sanxiang.lib.cli import ChineseErrorsMixin, positive_int

logger = logging.getLogger("sanxiang.sweeps")


def registered_sweeps() -> list[str]:
    """Dotted paths of every app's sweeps, in INSTALLED_APPS order."""
    return [dotted for config in apps.get_app_configs() for dotted in getattr(config, "sweeps", [])]


class Command(ChineseErrorsMixin, BaseCommand):
    help = "定时任务循环：每隔一段时间运行各应用登记的定时任务（如签发账本检查点）"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="每个任务运行一次后退出")
        parser.add_argument(
            "--interval",
            type=positive_int,
            default=60,
            metavar="SECONDS",
            help="两轮之间的秒数（默认 60）",
        )

    def handle(self, *args, once: bool = False, interval: int = 60, **options):
        if interval < 1:
            self.stderr.write("--interval 须为正整数")
            sys.exit(2)
        holder = f"{socket.gethostname()}:{os.getpid()}"
        ttl = dt.timedelta(seconds=getattr(settings, "SWEEP_LEASE_SECONDS", 900))
        sweeps = [(dotted, import_string(dotted)) for dotted in registered_sweeps()]
        stop = threading.Event()
        if not once:
            self._install_signal_handlers(stop)
            logger.info(
                "run_sweeps started (%s), %d sweeps every %d s", holder, len(sweeps), interval
            )
        try:
            while True:
                if not once:
                    close_old_connections()  # a long-running process: as sendalerts does
                failed = self.run_round(sweeps, holder=holder, ttl=ttl)
                if once:
                    if failed:
                        sys.exit(1)
                    return
                if stop.wait(interval):
                    break
        except KeyboardInterrupt:
            pass
        logger.info("run_sweeps stopped")
        self.stdout.write("定时任务循环已停止。")

    def _install_signal_handlers(self, stop: threading.Event) -> None:
        def on_signal(signum, frame):
            logger.info("signal %s received; stopping after this round", signum)
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)

    def run_round(self, sweeps, *, holder: str, ttl: dt.timedelta) -> int:
        """Run every sweep once; return the number that failed."""
        failed = 0
        for dotted, sweep in sweeps:
            now = timezone.now()
            try:
                with lease(dotted, holder=holder, ttl=ttl, now=now) as mine:
                    if not mine:
                        logger.info("%s: another process holds the lease; skipped", dotted)
                        continue
                    outcome = sweep(now)
            except Exception:
                failed += 1
                logger.exception("%s failed", dotted)
                self.stderr.write(f"定时任务 {dotted} 运行失败（详见日志）")
                continue
            if outcome:
                logger.info("%s: %s", dotted, outcome)
                self.stdout.write(f"{dotted}：{outcome}")
        return failed
