"""python manage.py workdays: the CLI contract of ARCHITECTURE.md §5, DOMAIN.md §9.3 examples."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from sanxiang.workcalendar.services import calendar_year_confirm, calendar_year_save

from .conftest import notice_2027


def workdays(*args: str) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("args", "printed"),
    [
        (("add", "2026-09-18", "7"), "2026-09-29"),
        (("add", "2026-02-12", "7"), "2026-02-28"),
        (("add", "2026-02-12", "20"), "2026-03-18"),
        (("add", "2026-09-30", "3"), "2026-10-10"),
        (("add", "2026-04-30", "5"), "2026-05-11"),
        (("add", "2026-01-30", "60"), "2026-05-06"),
        (("add", "2026-09-16", "15", "--calendar"), "2026-10-08"),
        (("add", "2026-01-31", "1", "--months"), "2026-02-28"),
        (("count", "2026-02-12", "2026-02-28"), "7"),
        (("count", "2025-12-31", "2026-12-31"), "248"),
        (("count", "2026-02-28", "2026-02-12"), "-7"),
    ],
)
def test_worked_examples_of_domain_9_3_through_the_cli(db, args, printed):
    assert workdays(*args) == printed + "\n"


def test_is_tells_working_day_or_rest_day_and_why(db):
    assert workdays("is", "2026-02-28").startswith(
        "工作日：2026-02-28 星期六，春节调休上班（依据："
    )
    assert workdays("is", "2026-10-06").startswith("休息日：2026-10-06 星期二，国庆节放假")
    assert workdays("is", "2026-03-07") == "休息日：2026-03-07 星期六，周末\n"
    assert workdays("is", "2026-03-09") == "工作日：2026-03-09 星期一，周一至周五\n"


def test_a_period_reaching_2027_is_refused_with_exit_status_2(db):
    with pytest.raises(CommandError) as exc:
        workdays("add", "2026-12-21", "20")
    assert exc.value.returncode == 2
    assert (
        str(exc.value)
        == "2027年的法定节假日安排尚未录入，无法计算期限（请由管理员录入国务院办公厅通知）"
    )


def test_the_same_period_is_computed_once_2027_is_confirmed(personas):
    calendar_year_save(actor=personas.xitong, **notice_2027())
    calendar_year_confirm(actor=personas.xitong, year=2027)
    assert workdays("add", "2026-12-21", "20") == "2027-01-19\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "2026-02-30", "3"), "起算日无效：2026-02-30 不是存在的日期"),
        (("add", "12/02/2026", "3"), "起算日格式应为 YYYY-MM-DD"),
        (("add", "2026-02-12", "0"), "期间长度应为正整数，收到 0"),
        (("add", "2026-02-12", "-3"), "期间长度应为正整数，收到 -3"),
        (("add", "2026-02-12", "七"), "期间长度应为正整数，收到“七”"),
        (("add", "2026-02-12", "1.5"), "期间长度应为正整数"),
        (("add", "2026-02-12"), "缺少参数：N"),
        (("count", "2026-02-12", "x"), "日期B格式应为"),
        (("is", "2003-12-31"), "2003年的法定节假日安排尚未录入"),
        (("frobnicate",), "未知的子命令“frobnicate”"),
        (("add", "2026-02-12", "3", "--calendar", "--months"), "不能与"),
    ],
)
def test_bad_arguments_get_a_chinese_message_and_exit_status_2(db, args, message):
    with pytest.raises(CommandError) as exc:
        workdays(*args)
    assert exc.value.returncode == 2
    assert message in str(exc.value)


@pytest.fixture(scope="module")
def migrated_var_dir(tmp_path_factory) -> dict:
    """A throwaway installation (SQLite under its own var/) for running manage.py itself."""
    var = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SANXIANG_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="sanxiang.settings")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=settings.BASE_DIR, env=env, check=True
    )
    return env


def _manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_command_line_prints_the_due_date_and_exits_0(migrated_var_dir):
    done = _manage(migrated_var_dir, "workdays", "add", "2026-02-12", "7")
    assert (done.returncode, done.stdout, done.stderr) == (0, "2026-02-28\n", "")


def test_the_command_line_refuses_2027_with_exit_status_2_and_chinese_on_stderr(migrated_var_dir):
    done = _manage(migrated_var_dir, "workdays", "add", "2026-12-21", "20")
    assert done.returncode == 2
    assert done.stdout == ""
    assert (
        done.stderr
        == "错误：2027年的法定节假日安排尚未录入，无法计算期限（请由管理员录入国务院办公厅通知）\n"
    )


def test_the_command_line_refuses_a_bad_argument_with_exit_status_2(migrated_var_dir):
    done = _manage(migrated_var_dir, "workdays", "add", "2026-02-12")
    assert done.returncode == 2 and "错误：缺少参数：N" in done.stderr
