"""Text helpers shared by the structure, language and shaping rewards.

- `chain_of_thought`: the reasoning part of a completion.
- `words`: the natural-language words of a text, with code, LaTeX, numbers, URLs, markup and
  chat-template tokens removed, and CJK ideographs/kana split into one unit per character
  (those scripts have no spaces).
- `tokens`: a language-neutral tokenization for n-gram statistics (repetition).
"""

from __future__ import annotations

import re
from typing import Annotated, NamedTuple

from pydantic import Field

__all__ = [
    "CLAUSE",
    "NONE",
    "SENTENCE",
    "AnswerTag",
    "ThinkTag",
    "Word",
    "chain_of_thought",
    "tokens",
    "words",
]

# The tags every reward that reads a completion's structure takes as a parameter, one definition.
_TAG_NAME = r"^[A-Za-z_][\w.-]*$"
ThinkTag = Annotated[str, Field(pattern=_TAG_NAME, description="the reasoning tag's name: <think>…</think>")]
AnswerTag = Annotated[str, Field(pattern=_TAG_NAME, description="the answer tag's name: <answer>…</answer>")]

# Han (incl. extension A and compatibility), hiragana, katakana: written without spaces
_CJK_RANGES = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_CJK_CHARS = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES)
_CJK = re.compile(f"[{_CJK_CHARS}]")
_CJK_SET = frozenset(chr(c) for lo, hi in _CJK_RANGES for c in range(lo, hi + 1))  # faster than the regex

# Removed before counting words: none of these are words of any natural language. Every
# alternative is linear in the text: an opener without its closer runs to the end of the
# text (like a completion cut off inside math) instead of being retried from each opener,
# which made degenerate outputs ("\\[ a " x 20,000) take seconds.
_NOT_PROSE = re.compile(
    r"```.*?(?:```|\Z)"  # fenced code
    r"|`[^`\n]*`"  # inline code
    r"|\$\$.*?(?:\$\$|\Z)|\\\[.*?(?:\\\]|\Z)|\\\(.*?(?:\\\)|\Z)"  # display and \( \) math
    # inline $…$ by Pandoc's rule (no space inside the dollars, no digit after the closing
    # one), so that "$PATH" or "$5 and $10" do not swallow the prose between two dollars
    r"|\$(?=\S)(?:[^$\n\\]|\\.)*?(?<=\S)\$(?!\d)"
    r"|\\begin\{([a-zA-Z]+\*?)\}.*?(?:\\end\{\1\}|\Z)"  # LaTeX environments
    r"|\\[a-zA-Z]+"  # stray LaTeX commands
    r"|https?://\S+|www\.\S+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+"  # URLs, e-mail addresses
    # chat-template special tokens with the role that follows them (Qwen, Llama 3) and markup tags
    r"|<[|｜][^<>]{0,60}?[|｜]>(?:(?:system|user|assistant|tool)\b)?|</?[A-Za-z][\w-]*>",
    re.DOTALL,
)
# A word is letters, possibly joined by apostrophes or hyphens ("l'entrée", "well-known");
# anything with digits, underscores, dots or operators inside (x2, foo_bar, os.path, a+b) is not.
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# Longer letter runs are degenerate output, not words (German compounds stay under it), and
# scoring them would cost the language identifier time superlinear in their length.
MAX_WORD_CHARS = 64
_CORE = re.compile(r"\w(?:.*\w)?")  # a token without its surrounding punctuation
NONE, CLAUSE, SENTENCE = 0, 1, 2
_SENTENCE_END = frozenset(".!?;:。！？；：…")
_CLAUSE_END = frozenset(',)]}—–-"»”，、）')
_CLAUSE_START = frozenset('([{"«“（')
_TOKEN = re.compile(f"\\n|[{_CJK_CHARS}]|[^\\s{_CJK_CHARS}]+")  # line break, CJK character, other run


class Word(NamedTuple):  # a tuple: long CJK texts make one per character
    text: str
    cjk: bool  # one CJK character (counted per character)
    # what precedes the word: NONE, CLAUSE (comma, bracket, dash) or SENTENCE (sentence
    # punctuation, a line break, the start, a change to or from CJK); languages switch there
    boundary: int


def chain_of_thought(completion: str, tag: str = "think") -> str:
    """The reasoning of a completion: the content of its first `<tag>…</tag>`.

    A completion with only the closing tag (the chat template opened it in the prompt) reasons
    up to that tag; one with only the opening tag (cut off mid-thought) reasons after it; one
    with neither is reasoning from start to end.
    """
    open_tag, close_tag = f"<{tag}>", f"</{tag}>"
    start = completion.find(open_tag)
    begin = 0 if start < 0 else start + len(open_tag)
    end = completion.find(close_tag, begin)
    return completion[begin : len(completion) if end < 0 else end]


def words(text: str) -> list[Word]:
    """The natural-language words of `text`, in order (see the module docstring for the rules)."""
    prose = _NOT_PROSE.sub(" ", text)
    out: list[Word] = []
    boundary, prev_cjk = SENTENCE, False
    for m in _TOKEN.finditer(prose):
        raw = m.group()
        if raw == "\n":
            boundary = SENTENCE
            continue
        if raw in _CJK_SET:
            out.append(Word(raw, True, boundary if prev_cjk else SENTENCE))
            boundary, prev_cjk = NONE, True
            continue
        if raw[0] in _CLAUSE_START:
            boundary = max(boundary, CLAUSE)
        core = _CORE.search(raw)
        if core and len(core.group()) <= MAX_WORD_CHARS and _WORD.fullmatch(core.group()):
            out.append(Word(core.group(), False, SENTENCE if prev_cjk else boundary))
            boundary, prev_cjk = NONE, False
        if raw[-1] in _SENTENCE_END:
            boundary = SENTENCE
        elif raw[-1] in _CLAUSE_END:
            boundary = max(boundary, CLAUSE)
    return out


def tokens(text: str) -> list[str]:
    """Lower-cased whitespace tokens, with every CJK character a token of its own."""
    return _CJK.sub(r" \g<0> ", text).lower().split()
