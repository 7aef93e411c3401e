"""Ship the default scoring standard: the Xinjiang 100-point labour-inspection model
(standards.XINJIANG_2010; DOMAIN.md §7.1)."""

from django.db import migrations


def load(apps, schema_editor):
    from sanxiang.evaluation.standards import XINJIANG_2010, standard_load

    standard_load(
        XINJIANG_2010,
        Standard=apps.get_model("evaluation", "Standard"),
        Section=apps.get_model("evaluation", "Section"),
        Item=apps.get_model("evaluation", "Item"),
        VetoItem=apps.get_model("evaluation", "VetoItem"),
    )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
