"""Every user-visible term of every addon has its zh_CN translation.

The .pot files are exported from a database with `make i18n`, which also
merges them into zh_CN.po; this test fails while a term is untranslated.
"""

from pathlib import Path

import polib
import pytest

ADDONS = sorted(p.parent for p in (Path(__file__).resolve().parent.parent / "addons").glob("*/__manifest__.py"))


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_zh_cn_complete(addon):
    pot = polib.pofile(str(addon / "i18n" / f"{addon.name}.pot"))
    po = polib.pofile(str(addon / "i18n" / "zh_CN.po"))
    assert po.metadata.get("Language") == "zh_CN"
    done = {(e.msgctxt, e.msgid) for e in po if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}
    missing = [e.msgid for e in pot if (e.msgctxt, e.msgid) not in done]
    assert not missing, f"{addon.name}: untranslated in zh_CN.po: {missing}"
    placeholders = [e.msgid for e in po if e.msgstr and e.msgid.count("%(") != e.msgstr.count("%(")]
    assert not placeholders, f"{addon.name}: placeholders differ between msgid and msgstr: {placeholders}"
