"""The Indonesian catalog is complete and compiled: Indonesian is the default language."""

import polib
from django.conf import settings

CATALOG = settings.BASE_DIR / "locale" / "id" / "LC_MESSAGES"


def test_every_message_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(CATALOG / "django.po"))

    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_compiled_catalog_matches_the_source():
    po = polib.pofile(str(CATALOG / "django.po"))
    mo = polib.mofile(str(CATALOG / "django.mo"))

    source = {(e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in po.translated_entries()}
    compiled = {(e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in mo if e.msgid}
    assert compiled == source
