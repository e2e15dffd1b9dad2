"""The languages the image runs: file name, compile command, run command."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.errors import UnsupportedLanguage

__all__ = ["LANGUAGES", "Language", "language", "supported"]

RUN_DIR = "/work/run"


@dataclass(frozen=True, slots=True)
class Language:
    name: str
    filename: str
    run: tuple[str, ...]  # argv; argv[0] is an absolute path (the supervisor execs it directly)
    compile: tuple[str, ...] = ()  # empty: interpreted
    aliases: tuple[str, ...] = ()


LANGUAGES = (
    Language(
        "python", "main.py", ("/usr/bin/python3", "-E", "-S", "main.py"), aliases=("py", "python3")
    ),  # -S: 4 ms less start-up
    Language(
        "c",
        "main.c",
        (f"{RUN_DIR}/main",),
        ("/usr/bin/gcc", "-O2", "-std=gnu17", "-pipe", "-o", "main", "main.c", "-lm"),
    ),
    Language(
        "cpp",
        "main.cpp",
        (f"{RUN_DIR}/main",),
        ("/usr/bin/g++", "-O2", "-std=gnu++17", "-pipe", "-o", "main", "main.cpp"),
        aliases=("c++", "cxx", "cc"),
    ),
    Language("javascript", "main.js", ("/usr/bin/node", "main.js"), aliases=("js", "node", "nodejs")),
)
_BY_NAME = {n: lang for lang in LANGUAGES for n in (lang.name, *lang.aliases)}


def supported() -> list[str]:
    return [lang.name for lang in LANGUAGES]


def language(name: str) -> Language:
    """The language called `name` (case-insensitive, aliases allowed); UnsupportedLanguage if none."""
    try:
        return _BY_NAME[name.strip().lower()]
    except KeyError:
        raise UnsupportedLanguage(name, supported()) from None
