from django.apps import AppConfig

from sanxiang.accounts import roles

_VIEW = ["view_generateddocument", "view_documentscan"]
# Evidence (records/evidence/): officers of the case upload and ask for exemptions; the heads
# approve exemptions (承办机构负责人 first; 局负责人 when the unit head is on the team); the
# system administrator keeps the recording rules and watches fixity but never opens evidence.
_EVIDENCE_VIEW = ["view_evidence", "view_recordingrule", "view_recordingexemption"]
_EVIDENCE = {
    roles.OFFICER: _EVIDENCE_VIEW + ["add_evidence", "add_recordingexemption"],
    roles.UNIT_HEAD: _EVIDENCE_VIEW + ["approve_recording_exemption"],
    roles.BUREAU_HEAD: _EVIDENCE_VIEW + ["approve_recording_exemption"],
    roles.REVIEWER: _EVIDENCE_VIEW,
    roles.LEGAL_ADVISER: _EVIDENCE_VIEW,
    roles.ARCHIVIST: _EVIDENCE_VIEW + ["export_evidence"],
    roles.SYSTEM_ADMIN: ["view_recordingrule", "change_recordingrule", "view_fixitycheck"],
}


def _with_evidence(documents: dict[str, list[str]]) -> dict[str, list[str]]:
    roles_ = dict.fromkeys([*documents, *_EVIDENCE])
    return {r: documents.get(r, []) + _EVIDENCE.get(r, []) for r in roles_}


class RecordsConfig(AppConfig):
    name = "sanxiang.records"
    verbose_name = "执法文书与记录"
    # Officers make documents and upload the signed and sealed scans; the archivist uploads
    # scans when filing; everyone working on cases reads them.
    role_permissions = _with_evidence({
        roles.OFFICER: _VIEW + ["add_generateddocument", "add_documentscan"],
        roles.UNIT_HEAD: _VIEW,
        roles.BUREAU_HEAD: _VIEW,
        roles.REVIEWER: _VIEW,
        roles.LEGAL_ADVISER: _VIEW,
        roles.PUBLICITY_ADMIN: _VIEW,
        roles.ARCHIVIST: _VIEW + ["add_documentscan"],
    })  # fmt: skip
    nav_items = [
        ("执法文书", "records:document_list", "records.view_generateddocument", "办案"),
        ("文书模板", "records:template_list", "records.view_generateddocument", "办案"),
        ("证据与音像记录", "records:evidence_list", "records.view_evidence", "记录"),
        ("音像记录要求", "records:recording_rules", "records.view_recordingrule", "记录"),
        ("存储完整性校验", "records:fixity", "records.view_fixitycheck", "记录"),
    ]
    todo_providers = ["sanxiang.records.evidence.selectors.todo_items_for"]
    sweeps = [
        "sanxiang.records.evidence.sweeps.fixity_sweep",
        "sanxiang.records.evidence.sweeps.upload_expiry_sweep",
    ]
    ledger_event_labels = {
        "document.generated": "制作执法文书",
        "document.scan_attached": "上传签章文书扫描件",
        "security.document_downloaded": "下载执法文书",
        "evidence.added": "登记证据（照片、录音、录像、书证电子件）",
        "evidence.exemption_requested": "申请免于音像记录",
        "evidence.exemption_decided": "审批免于音像记录申请",
        "evidence.fixity_failed": "证据文件完整性校验不一致",
        "evidence.fixity_restored": "证据文件完整性恢复一致",
        "security.evidence_viewed": "查看证据",
        "security.evidence_downloaded": "下载证据文件",
        "security.evidence_exported": "导出证据文件",
        "records.recording_rule_set": "设置音像记录要求",
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
        checks.register(records_checks.check_site_root, deploy=True)

        # The recording gate: every case transition asks whether required recordings exist.
        from sanxiang.cases import gates

        from .evidence.gate import recording_check

        gates.register_recording_check(recording_check)
        gates.register_case_panel(
            key="evidence",
            template="records/evidence/_case_panel.html",
            context=_evidence_panel,
            order=20,
        )
        # The case page's 执法文书 section: every document filled from the case data (casedocs).
        from .casedocs.selectors import case_documents_panel

        gates.register_case_panel(
            key="documents",
            template="records/_case_documents_panel.html",
            context=case_documents_panel,
            order=30,
        )


def _evidence_panel(case, *, user, today):
    """Context of the case page's 证据与音像记录 section (None hides it)."""
    if not user.has_perm("records.view_evidence"):
        return None
    from .evidence import forms, selectors, services

    return {
        "m": selectors.case_materials(case),
        "can_upload": user.has_perm("records.add_evidence") and services.on_team(case, user),
        "exemption_form": forms.ExemptionRequestForm(),
    }
