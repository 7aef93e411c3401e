from django.apps import AppConfig

from sanxiang.accounts import roles

_READ = ["view_casefile", "view_fileitem", "view_borrowing", "add_borrowing"]


class ArchiveConfig(AppConfig):
    name = "sanxiang.archive"
    verbose_name = "案卷归档"
    # 一案一卷 (DOMAIN.md §7.2): the case handlers assemble the file (立卷); the 档案管理员 checks,
    # classifies, seals, lends and exports it; anyone working on cases may ask to borrow a
    # sealed file. The 副卷 (工作秘密、商业秘密、个人隐私; 国办发〔2018〕118号) is open only to the
    # 档案管理员 and to a borrower whose approved borrowing includes it.
    role_permissions = {
        roles.OFFICER: _READ + ["assemble_casefile"],
        roles.UNIT_HEAD: _READ + ["assemble_casefile", "export_register"],
        roles.BUREAU_HEAD: _READ + ["export_register"],
        roles.REVIEWER: _READ,
        roles.LEGAL_ADVISER: _READ,
        roles.ARCHIVIST: _READ
        + [
            "assemble_casefile",
            "seal_casefile",
            "view_restricted",
            "decide_borrowing",
            "export_package",
            "export_register",
            # the cover, index and note sheet are documents the archivist issues when sealing
            "records.add_generateddocument",
        ],
    }
    nav_items = [
        ("案卷归档", "archive:file_list", "archive.view_casefile", "档案"),
        ("借阅管理", "archive:borrowing_list", "archive.view_borrowing", "档案"),
        ("执法台账", "archive:register", "archive.export_register", "档案"),
    ]
    ledger_event_labels = {
        "archive.assembled": "组卷（立卷）",
        "archive.item_classified": "划定卷内文件密级（副卷）",
        "archive.retention_set": "变更保管期限",
        "archive.sealed": "案卷封存",
        "archive.borrow_requested": "申请借阅案卷",
        "archive.borrow_decided": "审批借阅案卷",
        "archive.borrow_returned": "归还借阅案卷",
        "security.archive_viewed": "查阅案卷",
        "security.archive_item_downloaded": "下载卷内文件",
        "security.archive_denied": "查阅案卷（被拒绝）",
    }

    def ready(self):
        # A sealed file freezes the case's documents (records' lock slot) and the archive makes
        # the 卷内目录 from the assembled file (records' builder slot).
        from sanxiang.records.casedocs import locks

        from . import hooks

        locks.register_lock(hooks.sealed_lock)
        hooks.register_builders()
        hooks.register_numbering()
