"""Exercise parallel ``ledger verify`` on a SQLite *file* database (test_verify_parallel.py).

    SANXIANG_VAR_DIR=... python parallel_verify_script.py

The test database of pytest-django is in memory and invisible to worker processes, so this
runs in its own process on its own file database, with chunks of 8 entries.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)

from sanxiang.ledger.tests.test_verify_parallel import exercise  # noqa: E402

exercise()
print("OK")
