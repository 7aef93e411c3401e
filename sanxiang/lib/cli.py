"""Chinese error messages for every ``manage.py`` command (bad arguments: exit status 2).

argparse writes its few user-facing errors in English ("unrecognized arguments", "invalid
choice", "invalid int value", "the following arguments are required"). ``argparse_error_zh``
turns each of them into Chinese — a pure function, table-tested in ``lib/tests/test_cli.py``.
``ChineseErrorsMixin`` puts it in front of a Django command:

    class Command(ChineseErrorsMixin, BaseCommand): ...

From a shell the command then prints the usage line and ``错误：…`` on stderr and exits 2;
under ``call_command`` it raises ``CommandError(…, returncode=2)``. A ``CommandError`` the
command raises itself is printed as ``错误：…`` too (without Django's "CommandError:" prefix).

Imports Django's management base only (no Django app), so every app's commands can use it.
"""

from __future__ import annotations

import argparse
import re
import sys

from django.core.management.base import (
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
    SystemCheckError,
)


def _items(text: str) -> list[str]:
    # argparse lists choices as repr()s joined by ", " (3.11) or bare (3.12.8+).
    return [part.strip().strip("'\"") for part in text.split(", ") if part.strip()]


def _alternatives(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return "、".join(items[:-1]) + " 或 " + items[-1]


_TYPE_NAMES = {"int": "整数", "float": "数字", "Decimal": "数字"}


def _argument_error(name: str, detail: str, *, positional_is_subcommand: bool) -> str:
    if m := re.fullmatch(r"invalid choice: (.*?) \(choose from (.*)\)", detail):
        value, choices = m.group(1).strip("'\""), _alternatives(_items(m.group(2)))
        if positional_is_subcommand and not name.startswith("-"):
            return f"未知的子命令“{value}”，应为 {choices}"
        return f"参数 {name} 的值“{value}”无效，应为 {choices}"
    if m := re.fullmatch(r"invalid (\S+) value: (.*)", detail):
        value = m.group(2).strip("'\"")
        if kind := _TYPE_NAMES.get(m.group(1)):
            return f"参数 {name} 应为{kind}，收到“{value}”"
        return f"参数 {name} 的值“{value}”无效"
    if m := re.fullmatch(r"not allowed with argument (.*)", detail):
        return f"参数 {name} 不能与 {m.group(1)} 同时使用"
    if detail == "expected one argument":
        return f"参数 {name} 需要一个值"
    if detail == "expected at most one argument":
        return f"参数 {name} 最多接受一个值"
    if detail == "expected at least one argument":
        return f"参数 {name} 至少需要一个值"
    if m := re.fullmatch(r"expected (\d+) arguments?", detail):
        return f"参数 {name} 需要 {m.group(1)} 个值"
    if m := re.fullmatch(r"ignored explicit argument (.*)", detail):
        return f"参数 {name} 不接受值（收到“{m.group(1).strip(chr(39))}”）"
    # An ArgumentTypeError raised by one of our own type functions: already Chinese.
    return f"参数 {name}：{detail}"


def argparse_error_zh(message: str, *, positional_is_subcommand: bool = False) -> str:
    """argparse's error ``message`` in Chinese; a message it does not know is returned as is
    (the commands' own messages, e.g. ``missing_args_message``, are Chinese already).

    ``positional_is_subcommand``: the parser has subcommands, so a bad positional choice is
    an unknown subcommand (our commands have no other positional with choices)."""
    if m := re.fullmatch(r"the following arguments are required: (.*)", message):
        return f"缺少参数：{'、'.join(_items(m.group(1)))}"
    if m := re.fullmatch(r"unrecognized arguments: (.*)", message):
        return f"无法识别的参数：{m.group(1)}"
    if m := re.fullmatch(r"one of the arguments (.*) is required", message):
        return f"参数 {m.group(1)} 须给出其中之一"
    if m := re.fullmatch(r"ambiguous option: (\S+) could match (.*)", message):
        return f"选项 {m.group(1)} 不明确，可能是 {_alternatives(_items(m.group(2)))}"
    if m := re.fullmatch(r"argument (\S+): (.*)", message, flags=re.DOTALL):
        return _argument_error(
            m.group(1), m.group(2), positional_is_subcommand=positional_is_subcommand
        )
    return message


def positive_int(text: str) -> int:
    """argparse ``type=`` for counts and intervals: a whole number ≥ 1."""
    if not re.fullmatch(r"\+?\d{1,9}", text.strip()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，收到“{text}”")
    return int(text)


def non_negative_int(text: str) -> int:
    """argparse ``type=`` for positions: a whole number ≥ 0."""
    if not re.fullmatch(r"\+?\d{1,12}", text.strip()):
        raise argparse.ArgumentTypeError(f"应为非负整数，收到“{text}”")
    return int(text)


# ``--help`` in Chinese too: argparse's headings and the help of Django's common options.
USAGE_PREFIX = "用法："
GROUP_TITLES = {"positional arguments": "位置参数", "options": "选项"}
COMMON_OPTION_HELP = {
    "help": "显示本帮助并退出",
    "version": "显示程序版本并退出",
    "verbosity": "输出的详细程度：0=最少，1=正常，2=详细，3=非常详细",
    "settings": "设置模块的 Python 路径，如 sanxiang.settings；不给出时用环境变量 "
    "DJANGO_SETTINGS_MODULE",
    "pythonpath": "加入 Python 路径的目录",
    "traceback": "出错（CommandError）时显示完整的调用栈",
    "no_color": "输出不加颜色",
    "force_color": "强制输出带颜色",
    "skip_checks": "跳过系统检查",
    "database": "使用的数据库别名（默认 default）",
    "interactive": "不询问任何问题（非交互方式）",
}


class ChineseHelpFormatter(DjangoHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)


class ChineseCommandParser(CommandParser):
    """Django's CommandParser with argparse's errors in Chinese and exit status 2."""

    def error(self, message):
        has_subcommands = any(isinstance(a, argparse._SubParsersAction) for a in self._actions)
        message = argparse_error_zh(message, positional_is_subcommand=has_subcommands)
        if self.called_from_command_line:
            self.print_usage(sys.stderr)
            self.exit(2, f"错误：{message}\n")
        raise CommandError(message, returncode=2)


def _make_chinese(parser: argparse.ArgumentParser) -> None:
    # BaseCommand.create_parser builds a CommandParser and calls add_arguments inside, so the
    # parser and any subparsers exist before we see them: give each the Chinese class.
    parser.__class__ = ChineseCommandParser
    parser.formatter_class = ChineseHelpFormatter
    for group in parser._action_groups:
        group.title = GROUP_TITLES.get(group.title, group.title)
    for action in parser._actions:
        if action.dest in COMMON_OPTION_HELP and action.help and action.help.isascii():
            action.help = COMMON_OPTION_HELP[action.dest]
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _make_chinese(sub)


class ChineseErrorsMixin:
    """Mix into a management command (before ``BaseCommand``) for Chinese argument errors."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        _make_chinese(parser)
        return parser

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            # From a shell: only the Chinese message, without Django's "CommandError:" prefix.
            # System-check errors format themselves; --traceback wants the traceback.
            if (
                not getattr(self, "_called_from_command_line", False)
                or options.get("traceback")
                or isinstance(exc, SystemCheckError)
            ):
                raise
            self.stderr.write(f"错误：{exc}")
            sys.exit(exc.returncode)
