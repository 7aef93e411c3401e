"""What the archive plugs into the records app's slots at start-up (apps.ready)."""

from __future__ import annotations

from .models import CaseFile, FileStatus


def sealed_lock(case) -> list[str]:
    """A sealed file freezes its case: no new document, no new version, no scan (封存)."""
    row = (
        CaseFile.objects.filter(case_id=case.pk, status=FileStatus.SEALED)
        .values_list("archive_no", flat=True)
        .first()
    )
    if row is None:
        return []
    return [f"案卷已封存（档号 {row}），不能再制作文书或上传扫描件"]


def _index_may(case, user) -> str | None:
    if not user.has_perm("archive.assemble_casefile") or not user.has_perm(
        "records.add_generateddocument"
    ):
        return "只有立卷人或档案管理员可以制作卷内目录"
    return None


def register_builders() -> None:
    """卷内目录 on the case page: made from the assembled (not yet sealed) file."""
    from sanxiang.records.casedocs import builders

    def objects(data):
        row = CaseFile.objects.filter(case_id=data.case.pk).first()
        return [row] if row is not None else []

    def build(data, case_file):
        from .services import index_context

        return index_context(case_file, volume="main")

    builders.register(
        builders.Builder(
            doc_type="file_index",
            stage="归档",
            objects=objects,
            label=lambda f: f"{f.title}（{f.get_status_display()}）",
            build=build,
            waiting="组卷后制作",
            may=_index_may,
        )
    )


def register_numbering() -> None:
    """The archive number's sequence comes from the one numbering service (gap-free per agency
    and year); the 档号 printed is year + four digits (rules.archive_number)."""
    from sanxiang.cases.numbering import register_doc_type

    register_doc_type("archive", "案卷档号（归档序号）", "{short}档〔{year}〕第{n}号")
