#!/usr/bin/env python
"""Keep locale/nl and locale/en complete.

    python scripts/i18n.py update        # makemessages for nl and en; en gets msgstr = msgid
    python scripts/i18n.py missing       # untranslated Dutch entries as JSON {msgid: ""}
    python scripts/i18n.py set FILE.json # apply Dutch translations {msgid: msgstr | [sg, pl]}
    python scripts/i18n.py check         # exit 1 if a Dutch entry is missing or fuzzy, says
                                         # "u"/"uw" (the product says "je"), or a form label
                                         # starts in lower case

Source strings are English; Dutch is the default language, so every msgid
needs a Dutch msgstr. Several people may run this at once, so every write
happens under a file lock.
"""

from __future__ import annotations

import fcntl
import importlib
import json
import os
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
NL = BASE_DIR / "locale" / "nl" / "LC_MESSAGES" / "django.po"
EN = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
IGNORE = [".venv/*", "static/*", "staticfiles/*", "tests/*", "bench/*", "scripts/*", "media/*"]


@contextmanager
def locked():
    lock_path = BASE_DIR / "locale" / ".lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _makemessages() -> None:
    args = [sys.executable, "manage.py", "makemessages", "-l", "nl", "-l", "en", "--no-obsolete",
            "--no-location", "-e", "html,txt,py"]
    for pattern in IGNORE:
        args += ["-i", pattern]
    subprocess.run(args, cwd=BASE_DIR, check=True, capture_output=True)


def _fill_english() -> None:
    """English is the source language: every msgstr is its msgid.

    Always overwritten, because msgmerge's fuzzy matching may have copied
    another entry's text (and placeholders) into a new one.
    """
    po = polib.pofile(str(EN))
    for entry in po:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
        entry.previous_msgctxt = None
    po.save()


def _missing(po) -> list:
    return [
        entry
        for entry in po
        if not entry.obsolete
        and (
            "fuzzy" in entry.flags
            or (entry.msgid_plural and not all(entry.msgstr_plural.values()))
            or (not entry.msgid_plural and not entry.msgstr)
        )
    ]


def update() -> None:
    with locked():
        _makemessages()
        _fill_english()
    print(f"{len(_missing(polib.pofile(str(NL))))} Dutch entries still to translate")


def missing() -> None:
    entries = _missing(polib.pofile(str(NL)))
    print(json.dumps({e.msgid: ["", ""] if e.msgid_plural else "" for e in entries},
                     ensure_ascii=False, indent=1))


def apply(path: str) -> None:
    translations = json.loads(Path(path).read_text(encoding="utf-8"))
    with locked():
        po = polib.pofile(str(NL))
        applied = 0
        for entry in po:
            value = translations.get(entry.msgid)
            if not value:
                continue
            if entry.msgid_plural and isinstance(value, list):
                entry.msgstr_plural = dict(enumerate(value))
            elif not entry.msgid_plural and isinstance(value, str):
                entry.msgstr = value
            else:
                continue
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            applied += 1
        po.save()
    print(f"applied {applied} translations; {len(_missing(polib.pofile(str(NL))))} still missing")


# The formal "u"/"uw" (and "U", "Uw"); the product addresses everyone as "je".
FORMAL = re.compile(r"\b(?:u|uw|U|Uw|UW)\b")


def _formal(po) -> list:
    """Dutch entries that say u or uw."""
    return [
        entry
        for entry in po
        if not entry.obsolete
        and any(FORMAL.search(text) for text in [entry.msgstr, *entry.msgstr_plural.values()])
    ]


PROJECT_APPS = (
    "accounts",
    "trajectories",
    "research",
    "dialogues",
    "logbooks",
    "coding",
    "reports",
    "dashboards",
    "lobtraject",
)


def _lower_case_labels() -> list[str]:
    """Form field labels that start with a lower-case letter in Dutch.

    Walks every form class of the project's `forms` modules (the labels Django
    gives model fields are capitalised already; explicit labels are not).
    Labels are translated with the catalogue itself, so the check does not
    depend on compiled .mo files.
    """
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lobtraject.settings")
    import django

    django.setup()
    from django import forms

    dutch = {entry.msgid: entry.msgstr for entry in polib.pofile(str(NL)) if entry.msgstr}
    for app in PROJECT_APPS:
        try:
            importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.forms":
                raise

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    findings = []
    for form in set(subclasses(forms.BaseForm)):
        if not form.__module__.startswith(PROJECT_APPS):
            continue
        for name, field in form.base_fields.items():
            if field.label is None or isinstance(field.widget, forms.HiddenInput):
                continue
            source = str(getattr(field.label, "_proxy____args", [field.label])[0])
            text = dutch.get(source, source)
            if text[:1].islower():
                findings.append(f"{form.__module__}.{form.__name__}.{name}: {text!r}")
    return sorted(findings)


def check() -> None:
    po = polib.pofile(str(NL))
    entries = _missing(po)
    for entry in entries:
        print(f"untranslated or fuzzy: {entry.msgid!r}")
    formal = _formal(po)
    for entry in formal:
        print(f"says u/uw, the product says je: {entry.msgid!r} -> {entry.msgstr!r}")
    labels = _lower_case_labels()
    for finding in labels:
        print(f"label starts in lower case: {finding}")
    broken = bool(formal or labels)
    for path in (NL, EN):
        # msgfmt --check-format catches a translation whose placeholders differ.
        result = subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", str(path)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            print(result.stderr)
            broken = True
    sys.exit(1 if entries or broken else 0)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "update"
    if command == "update":
        update()
    elif command == "missing":
        missing()
    elif command == "set" and len(sys.argv) == 3:
        apply(sys.argv[2])
    elif command == "check":
        check()
    else:
        sys.exit(__doc__)
