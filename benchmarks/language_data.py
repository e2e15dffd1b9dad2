"""Build the parallel corpus behind `benchmarks/language_consistency.py`.

Debian packages ship GNU gettext catalogs: the same user-facing message in English (the
msgid) and in each translation (the msgstr). Messages translated into every language we
test give sentence-aligned parallel text without any model or network beyond apt.

    python benchmarks/language_data.py     # needs apt-get; writes benchmarks/data/language/parallel.jsonl

Each output line: {"source": package, "en": ..., "fr": ..., "de": ..., "es": ..., "zh": ...}.
"""

from __future__ import annotations

import gettext
import json
import re
import subprocess
import tempfile
from pathlib import Path

PACKAGES = ("coreutils", "tar", "dpkg", "apt", "findutils", "diffutils", "grep", "sed", "gzip", "wget")
LOCALES = {"fr": "fr", "de": "de", "es": "es", "zh": "zh_CN"}
OUT = Path(__file__).parent / "data" / "language" / "parallel.jsonl"

# printf/format specifiers, command-line options, quoted names, paths: not prose in any language
_NOISE = re.compile(
    r"%[-+ #0-9.*]*[a-zA-Z]"  # printf specifiers
    r"|--?[A-Za-z][\w-]*"  # command-line options
    r"|`[^'`]*'|'\s*'|\"[^\"]*\"|‘[^’]*’|“[^”]*”|«[^»]*»|「[^」]*」|『[^』]*』"  # quoted names (not apostrophes)
    r"|\S*[/\\]\S*"  # paths
)
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _clean(text: str) -> str:
    return " ".join(_NOISE.sub(" ", text).split())


def _is_prose(en: str) -> bool:
    words = en.split()
    letters = sum(c.isalpha() for c in en)
    return 6 <= len(words) <= 40 and letters > 0.8 * sum(not c.isspace() for c in en)


def _catalog(root: Path, locale: str, domain: str) -> dict[str, str]:
    mo = root / "usr/share/locale" / locale / "LC_MESSAGES" / f"{domain}.mo"
    if not mo.exists():
        return {}
    with mo.open("rb") as f:
        cat = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    # plural entries are keyed (msgid, n) and contexts contain \x04: keep plain messages only
    return {k: v for k, v in cat.items() if isinstance(k, str) and k and "\x04" not in k}


def extract(package: str, work: Path) -> list[dict[str, str]]:
    subprocess.run(["apt-get", "download", package], cwd=work, check=True, capture_output=True)
    deb = next(work.glob(f"{package}_*.deb"))
    root = work / package
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    catalogs = {lang: _catalog(root, loc, package) for lang, loc in LOCALES.items()}
    rows = []
    for msgid in catalogs["fr"]:
        en = _clean(msgid)
        if not _is_prose(en):
            continue
        row = {"source": package, "en": en}
        for lang, cat in catalogs.items():
            text = _clean(cat.get(msgid, ""))
            if not text or text == en or (lang == "zh") != bool(_HAN.search(text)):
                break
            row[lang] = text
        else:
            rows.append(row)
    return rows


def main() -> None:
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp:
        for package in PACKAGES:
            try:
                found = extract(package, Path(tmp))
            except (subprocess.CalledProcessError, StopIteration) as exc:
                print(f"{package}: skipped ({exc})")
                continue
            fresh = [r for r in found if r["en"] not in seen]
            seen.update(r["en"] for r in fresh)
            rows += fresh
            print(f"{package}: {len(fresh)} aligned messages")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
