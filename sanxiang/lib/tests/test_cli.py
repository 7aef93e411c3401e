"""argparse's English errors, as each Python version words them, in Chinese (lib/cli.py)."""

from __future__ import annotations

import argparse

import pytest

from sanxiang.lib.cli import argparse_error_zh, non_negative_int, positive_int


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("the following arguments are required: N", "缺少参数：N"),
        ("the following arguments are required: A, B", "缺少参数：A、B"),
        ("unrecognized arguments: --bogus x", "无法识别的参数：--bogus x"),
        (
            "argument -v/--verbosity: invalid choice: 7 (choose from 0, 1, 2, 3)",
            "参数 -v/--verbosity 的值“7”无效，应为 0、1、2 或 3",
        ),
        (
            "argument -v/--verbosity: invalid choice: '7' (choose from 0, 1, 2, 3)",
            "参数 -v/--verbosity 的值“7”无效，应为 0、1、2 或 3",
        ),
        (
            "argument -v/--verbosity: invalid int value: 'x'",
            "参数 -v/--verbosity 应为整数，收到“x”",
        ),
        ("argument --rate: invalid float value: 'x'", "参数 --rate 应为数字，收到“x”"),
        ("argument --on: invalid date value: 'x'", "参数 --on 的值“x”无效"),
        (
            "argument --calendar: not allowed with argument --months",
            "参数 --calendar 不能与 --months 同时使用",
        ),
        ("argument --from: expected one argument", "参数 --from 需要一个值"),
        ("argument --once: ignored explicit argument 'x'", "参数 --once 不接受值（收到“x”）"),
        ("one of the arguments --a --b is required", "参数 --a --b 须给出其中之一"),
        (
            "ambiguous option: --f could match --files, --from",
            "选项 --f 不明确，可能是 --files 或 --from",
        ),
        ("argument --interval: 应为正整数，收到“0”", "参数 --interval：应为正整数，收到“0”"),
        ("请给出子命令：add、count 或 is", "请给出子命令：add、count 或 is"),
    ],
)
def test_argparse_errors_are_put_in_chinese(english, chinese):
    assert argparse_error_zh(english) == chinese


@pytest.mark.parametrize(
    "english",
    [
        "argument ACTION: invalid choice: 'frob' (choose from 'verify', 'checkpoint', 'key')",
        "argument ACTION: invalid choice: 'frob' (choose from verify, checkpoint, key)",
    ],
)
def test_a_bad_positional_of_a_parser_with_subcommands_is_an_unknown_subcommand(english):
    assert (
        argparse_error_zh(english, positional_is_subcommand=True)
        == "未知的子命令“frob”，应为 verify、checkpoint 或 key"
    )


def test_positive_and_non_negative_ints_refuse_in_chinese():
    assert positive_int("3") == 3 and non_negative_int("0") == 0
    for bad in ("0", "-1", "x", "1.5"):
        with pytest.raises(argparse.ArgumentTypeError, match="应为正整数"):
            positive_int(bad)
    for bad in ("-1", "x"):
        with pytest.raises(argparse.ArgumentTypeError, match="应为非负整数"):
            non_negative_int(bad)
