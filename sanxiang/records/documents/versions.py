"""Template versions: versions.json records, per document type, the fingerprint of every
version ever issued, so a generated document's ``template_version`` names exactly one set of
template files.

    .venv/bin/python -m sanxiang.records.documents.versions            # show the state
    .venv/bin/python -m sanxiang.records.documents.versions --record   # add new versions

``--record`` adds the current fingerprint under the type's current version. It refuses when
that version is already recorded with another fingerprint: the template changed, so bump
``version`` in the type's module first (``test_template_versions`` enforces the same).
"""

from __future__ import annotations

import json
import os
import sys

import django


def problems(recorded: dict, types) -> list[str]:
    found = []
    for t in types:
        known = recorded.get(t.code, {})
        fingerprint = t.fingerprint()
        if t.version not in known:
            found.append(f"{t.code} {t.version}: 未登记（运行 versions --record）")
        elif known[t.version] != fingerprint:
            found.append(
                f"{t.code} {t.version}: 模板文件已改动但版本号未变（请提高 {t.code} 的 version）"
            )
    return found


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    django.setup()
    from . import registry

    recorded = json.loads(registry.VERSIONS_FILE.read_text(encoding="utf-8"))
    types = registry.all_types()
    found = problems(recorded, types)
    if "--record" in argv:
        changed = [p for p in found if "未登记" not in p]
        if changed:
            print("\n".join(changed))
            return 1
        for t in types:
            recorded.setdefault(t.code, {})[t.version] = t.fingerprint()
        registry.VERSIONS_FILE.write_text(
            json.dumps(recorded, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        print(f"recorded {len(types)} types in {registry.VERSIONS_FILE}")
        return 0
    for t in types:
        print(f"{t.code:20} {t.version:10} {t.fingerprint()[:16]}")
    print("\n".join(found) or "all versions recorded")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
