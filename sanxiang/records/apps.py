from django.apps import AppConfig

from sanxiang.accounts import roles

_VIEW = ["view_generateddocument", "view_documentscan"]


class RecordsConfig(AppConfig):
    name = "sanxiang.records"
    verbose_name = "执法文书与记录"
    # Officers make documents and upload the signed and sealed scans; the archivist uploads
    # scans when filing; everyone working on cases reads them.
    role_permissions = {
        roles.OFFICER: _VIEW + ["add_generateddocument", "add_documentscan"],
        roles.UNIT_HEAD: _VIEW,
        roles.BUREAU_HEAD: _VIEW,
        roles.REVIEWER: _VIEW,
        roles.LEGAL_ADVISER: _VIEW,
        roles.PUBLICITY_ADMIN: _VIEW,
        roles.ARCHIVIST: _VIEW + ["add_documentscan"],
    }
    nav_items = [
        ("执法文书", "records:document_list", "records.view_generateddocument", "办案"),
        ("文书模板", "records:template_list", "records.view_generateddocument", "办案"),
    ]
    ledger_event_labels = {
        "document.generated": "制作执法文书",
        "document.scan_attached": "上传签章文书扫描件",
        "security.document_downloaded": "下载执法文书",
    }

    def ready(self):
        from django.core import checks

        from . import checks as records_checks
        from .documents import fonts

        # Process-wide: fontconfig reads FONTCONFIG_FILE when WeasyPrint first loads it, so it
        # is set at start-up, before any request can import the renderer (documents/fonts.py).
        fonts.configure()
        checks.register(records_checks.check_fonts)
        checks.register(records_checks.check_document_types)
