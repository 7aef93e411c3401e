"""A separate OS process that records events (used by test_concurrency.py).

    python concurrency_worker.py WORKER COUNT START_FILE

Waits until START_FILE exists, so that all workers start recording at the same moment,
then records COUNT events, each in its own transaction, with its own database connection
(the database comes from DATABASE_URL / SANXIANG_VAR_DIR in the environment).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from sanxiang import ledger  # noqa: E402


def main() -> None:
    worker, count, start_file = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    deadline = time.monotonic() + 60
    while not start_file.exists():
        if time.monotonic() > deadline:
            sys.exit("start signal never came")
        time.sleep(0.005)
    for i in range(count):
        with transaction.atomic():
            ledger.record(
                actor=None,
                subject=("cases.case", str(i % 4)),
                type="case.step_recorded",
                data={"worker": worker, "i": i},
            )


if __name__ == "__main__":
    main()
