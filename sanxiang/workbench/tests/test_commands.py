"""Every manage.py command of the project refuses bad arguments in Chinese, exit status 2
(lib/cli.py's ChineseErrorsMixin), whether called from code or from a shell."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command, get_commands, load_command_class

from sanxiang.lib.cli import ChineseErrorsMixin

# An unknown option and a bad value for each command (the value of an option it defines where
# it has one, else Django's --verbosity).
BAD_ARGUMENTS = {
    "workdays": [(("add", "2026-02-12", "1", "--bogus"), "无法识别的参数：--bogus"),
                 (("frobnicate",), "未知的子命令“frobnicate”，应为 add、count 或 is")],
    "ledger": [(("verify", "--bogus"), "无法识别的参数：--bogus"),
               (("verify", "--from", "x"), "参数 --from：应为非负整数，收到“x”"),
               (("verify", "--workers", "0"), "参数 --workers：应为正整数，收到“0”"),
               (("frob",), "未知的子命令“frob”，应为 verify、checkpoint 或 key")],
    "fonts": [(("--bogus",), "无法识别的参数：--bogus"),
              (("-v", "7"), "参数 -v/--verbosity 的值“7”无效，应为 0、1、2 或 3")],
    "demo": [(("--bogus",), "无法识别的参数：--bogus"),
             (("-v", "x"), "参数 -v/--verbosity 应为整数，收到“x”")],
    "run_sweeps": [(("--once", "--bogus"), "无法识别的参数：--bogus"),
                   (("--interval", "x"), "参数 --interval：应为正整数，收到“x”"),
                   (("--interval", "0"), "参数 --interval：应为正整数，收到“0”")],
    "backup": [(("create",), "缺少参数：DEST"),
               (("frob",), "未知的子命令“frob”，应为 create、check 或 head")],
    "flush": [(("--bogus",), "无法识别的参数：--bogus"),
              (("-v", "x"), "参数 -v/--verbosity 应为整数，收到“x”")],
}  # fmt: skip


def test_every_command_of_the_project_uses_the_chinese_parser():
    ours = sorted(name for name, app in get_commands().items() if app.startswith("sanxiang."))
    assert ours == sorted(BAD_ARGUMENTS)
    for name in ours:
        assert isinstance(load_command_class(get_commands()[name], name), ChineseErrorsMixin)


@pytest.mark.parametrize(
    ("command", "args", "message"),
    [(c, args, m) for c, cases in BAD_ARGUMENTS.items() for args, m in cases],
)
def test_bad_arguments_are_refused_in_chinese_with_status_2(db, command, args, message):
    with pytest.raises(CommandError) as exc:
        call_command(command, *args)
    assert exc.value.returncode == 2
    assert str(exc.value) == message


def _manage(*args: str, var: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SANXIANG_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="sanxiang.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("command", "args", "message"),
    [(c, args, m) for c, cases in BAD_ARGUMENTS.items() for args, m in cases[-1:]],
)
def test_from_a_shell_the_usage_and_the_chinese_error_go_to_stderr_with_status_2(
    tmp_path, command, args, message
):
    # Arguments are parsed before the database or the system checks are touched.
    done = _manage(command, *args, var=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith(f"用法：manage.py {command}")
    assert done.stderr.endswith(f"错误：{message}\n")
    assert not re.search(r"error:|invalid|unrecognized|required", done.stderr)


@pytest.mark.parametrize("command", sorted(BAD_ARGUMENTS))
def test_help_is_in_chinese(command):
    """``--help``: the usage line, the headings and Django's common options in Chinese (the
    commands' own help texts are Chinese already)."""
    cmd = load_command_class(get_commands()[command], command)
    parsers = [cmd.create_parser("manage.py", command)]
    for action in parsers[0]._actions:
        if isinstance(action, argparse._SubParsersAction):
            parsers += list(action.choices.values())
    for parser in parsers:
        text = parser.format_help()
        assert text.startswith("用法：manage.py"), text[:80]
        assert "选项" in text and "显示本帮助并退出" in text
        assert not re.search(r"usage:|positional arguments|options:|show this help|Verbosity", text)
