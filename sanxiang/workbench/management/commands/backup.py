"""python manage.py backup create DEST | check FOLDER | head

``create`` writes a backup folder under DEST (database, stored files, secret key, manifest);
``check`` proves one restorable — hashes, a restore into a scratch database, ``ledger verify
--files`` on it and the ledger head against the manifest — exit 0 when it holds, 1 when not;
``head`` prints this database's ledger size and root (JSON; ``check`` uses it on the restored
copy). See sanxiang/workbench/backup.py and docs/operations.md §4.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanxiang.lib.cli import ChineseErrorsMixin
from sanxiang.lib.errors import DomainError
from sanxiang.workbench import backup


class Command(ChineseErrorsMixin, BaseCommand):
    help = "备份：create 生成备份；check 校验备份可恢复；head 输出账本树大小与根哈希"
    missing_args_message = "请给出子命令：create、check 或 head（详见 manage.py backup --help）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="ACTION")
        sub.required = True
        create = sub.add_parser("create", help="在 DEST 下生成一份备份（数据库、存储文件、清单）")
        create.add_argument("dest", metavar="DEST", help="备份存放目录")
        check = sub.add_parser("check", help="校验一份备份：哈希、恢复到临时库并校验账本")
        check.add_argument("folder", metavar="FOLDER", help="create 生成的备份目录")
        sub.add_parser("head", help="输出本库账本的树大小与根哈希（JSON）")

    def handle(self, *args, action: str, **options):
        try:
            if action == "head":
                self.stdout.write(json.dumps(backup.ledger_head()))
            elif action == "create":
                made = backup.create(Path(options["dest"]))
                self.stdout.write(
                    f"备份完成：{made.folder}（{made.files} 个文件，账本大小 "
                    f"{made.ledger['size']}，清单 SHA-256 {made.manifest_sha256}）"
                )
                self.stdout.write(
                    "签名私钥未包含在备份中：请另行加密备份（docs/operations.md §4）。"
                )
            else:
                checked = backup.check(Path(options["folder"]))
                if not checked.ok:
                    for problem in checked.problems:
                        self.stderr.write(f"备份校验失败：{problem}")
                    sys.exit(1)
                self.stdout.write(
                    f"备份可恢复：{checked.files} 个文件与清单一致；恢复后账本完整，大小 "
                    f"{checked.ledger['size']}，根哈希与备份时一致。"
                )
        except DomainError as exc:
            raise CommandError(exc.message) from None
