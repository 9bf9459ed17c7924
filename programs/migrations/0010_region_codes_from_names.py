"""Give existing programs their Kemendagri codes where the typed names match.

"Kabupaten Way Kanan" and "Way Kanan" both become 18.08, "Kec. Kasui" and
"Kasui" 18.08.02. A name that matches no region or several is left as typed
and the program is flagged (location_unmatched); no name is ever changed or
lost here.
"""

from django.db import migrations

from programs.regions import DISTRICT, PROVINCE, REGENCY, VILLAGE, match_names

FIELDS = {
    PROVINCE: "province_code",
    REGENCY: "regency_code",
    DISTRICT: "district_code",
    VILLAGE: "village_code",
}


def codes_from_names(apps, schema_editor):
    Program = apps.get_model("programs", "Program")
    for program in Program.objects.using(schema_editor.connection.alias).iterator():
        found, complete = match_names(
            province=program.province,
            regency=program.regency,
            district=program.district,
            village=program.village,
        )
        for level, field in FIELDS.items():
            setattr(program, field, found[level].code if level in found else "")
        program.location_unmatched = not complete
        program.save(update_fields=[*FIELDS.values(), "location_unmatched"])


class Migration(migrations.Migration):
    dependencies = [("programs", "0009_region_codes")]

    operations = [migrations.RunPython(codes_from_names, migrations.RunPython.noop)]
