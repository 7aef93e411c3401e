"""Decision changes (撤销、确认违法、确认无效、重新作出、变更) are a fact of the case: the rows move
to ``cases.DecisionChange`` with their ids (ledger entries already recorded keep pointing at
them), each publication notes the changes it has already applied, and the publicity table goes.
"""

from django.db import migrations, models


def move_changes(apps, schema_editor):
    Old = apps.get_model("publicity", "DecisionChange")
    New = apps.get_model("cases", "DecisionChange")
    Publication = apps.get_model("publicity", "Publication")
    for old in Old.objects.order_by("pk"):
        New.objects.create(
            pk=old.pk,
            decision_id=old.decision_id,
            kind=old.kind,
            authority=old.authority,
            authority_name=old.authority_name,
            document=old.document,
            happened_on=old.happened_on,
            reason=old.reason,
            recorded_by_id=old.recorded_by_id,
            recorded_at=old.recorded_at,
            ledger_seq=old.ledger_seq,
        )
        # Recorded through publicity, so already applied to its publication.
        pub = Publication.objects.filter(decision_id=old.decision_id).first()
        if pub is not None and old.pk not in (pub.noted_changes or []):
            pub.noted_changes = [*(pub.noted_changes or []), old.pk]
            pub.save(update_fields=["noted_changes"])
    if schema_editor.connection.vendor == "postgresql" and Old.objects.exists():
        with schema_editor.connection.cursor() as cur:
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('cases_decisionchange', 'id'), "
                "(SELECT MAX(id) FROM cases_decisionchange))"
            )


def move_back(apps, schema_editor):
    Old = apps.get_model("publicity", "DecisionChange")
    New = apps.get_model("cases", "DecisionChange")
    for new in New.objects.order_by("pk"):
        Old.objects.create(
            pk=new.pk,
            decision_id=new.decision_id,
            kind=new.kind,
            authority=new.authority,
            authority_name=new.authority_name,
            document=new.document,
            happened_on=new.happened_on,
            reason=new.reason,
            recorded_by_id=new.recorded_by_id,
            recorded_at=new.recorded_at,
            ledger_seq=new.ledger_seq,
        )
    New.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0003_portal_snapshot"),
        ("cases", "0004_decision_change"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="publication",
            options={
                "ordering": ["-decided_on", "-pk"],
                "permissions": [
                    ("draft_publication", "采集、修改公示信息（脱敏文本）"),
                    ("approve_publication", "审核发布、更正公示信息，作出不予公开决定"),
                    ("withdraw_publication", "撤下公示信息"),
                    ("handle_credit_repair", "受理和决定信用修复（提前终止公示）"),
                    ("export_publicity", "导出双公示数据"),
                    ("configure_publicity", "设置公示规则"),
                ],
                "verbose_name": "公示信息",
                "verbose_name_plural": "公示信息",
            },
        ),
        migrations.AddField(
            model_name="publication",
            name="noted_changes",
            field=models.JSONField(blank=True, default=list, verbose_name="已处理的决定变更"),
        ),
        migrations.RunPython(move_changes, move_back),
        migrations.DeleteModel(name="DecisionChange"),
    ]
