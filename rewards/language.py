"""`language_consistency`: the share of the chain of thought written in the target language.

DeepSeek-R1 (2025) adds a language-consistency reward "calculated as the proportion
of target language words in the CoT" to stop reasoning that mixes languages. Here:

- the CoT is the content of `<think>…</think>` (see `rewards.text.chain_of_thought`; the
  whole completion when there is no think tag);
- words are the natural-language words of `rewards.text.words`: code, LaTeX, numbers and
  URLs are no language's words, and each CJK character counts as one word because Chinese
  and Japanese are written without spaces;
- each word's language comes from lingua (a maintained n-gram language identifier) over a
  small candidate set, smoothed over its neighbours: a single word is often ambiguous
  ("a", "date", "options" are English, French and more), so the labelling is the most
  likely language sequence (Viterbi) where switching language costs most inside a clause,
  less after a comma or bracket, least after a full stop or a line break. Scripts that only
  one candidate uses (Han, kana, Hangul, Cyrillic) are settled by lingua's script rules.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Sequence

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder
from pydantic import Field, field_validator

from rewards.registry import Params, sample_reward
from rewards.text import CLAUSE, NONE, SENTENCE, ThinkTag, Word, chain_of_thought, words
from rewards.types import RewardResult, Sample, Status

__all__ = ["LanguageIdentifier", "LanguageParams", "identifier", "language_consistency", "parse_language"]

DEFAULT_LANGUAGES = ("en", "zh", "fr", "de", "es", "ru", "ja", "ko")

# Log-score costs of a language switch (Viterbi), by what precedes the word. A word's own
# evidence is a log-probability in [-9.2, 0], and a short word's is weak ("a", "date": one
# or two nats between languages), so a foreign stretch must out-score switching in and back
# out: a clause easily does, one ambiguous word does not. Chosen on a benchmark seed other
# than the one reported (flat around these values: benchmarks/RESULTS.md).
_SWITCH_COST = {NONE: 4.0, CLAUSE: 2.5, SENTENCE: 1.5}
_FLOOR = 1e-4  # probability floor: lingua gives exactly 0 to languages of another script
_CJK_CHUNK = 64
_CACHE_MAX = 200_000  # words whose scores are kept per identifier
_MAX_IDENTIFIERS = 8  # candidate sets kept built (lingua shares the models between them)
_MAX_CANDIDATES = 16  # every candidate language loads ~25 MB of lingua models


def parse_language(code: str) -> Language:
    """`Language` for an ISO 639-1 code; region and script subtags are ignored ("zh-Hans" → zh)."""
    primary = code.strip().replace("_", "-").split("-")[0].upper()
    try:
        return Language.from_iso_code_639_1(getattr(IsoCode639_1, primary))
    except (AttributeError, ValueError):
        raise ValueError(f"{code!r} is not an ISO 639-1 code of a language lingua identifies") from None


class LanguageIdentifier:
    """Word-level language labelling over a fixed set of candidate languages.

    Build once and reuse (`identifier()` caches them): lingua's models take about a second to load
    and each word's scores are cached, so repeated vocabulary costs a dict lookup.
    """

    def __init__(self, languages: Sequence[Language]) -> None:
        self.languages = tuple(sorted(set(languages), key=lambda lang: lang.name))
        self._detector: LanguageDetector = (
            LanguageDetectorBuilder.from_languages(*self.languages).with_preloaded_language_models().build()
        )
        self._index = {lang: i for i, lang in enumerate(self.languages)}
        self._scores: dict[str, tuple[float, ...]] = {}

    def clear_cache(self) -> None:
        """Forget the cached word scores (benchmarks measure cold speed with it)."""
        self._scores.clear()

    def _word_scores(self, word: str) -> tuple[float, ...]:
        key = word.lower()
        cached = self._scores.get(key)
        if cached is None:
            probs = [_FLOOR] * len(self.languages)
            for conf in self._detector.compute_language_confidence_values(key):
                probs[self._index[conf.language]] = max(conf.value, _FLOOR)
            cached = tuple(math.log(p) for p in probs)
            if len(self._scores) >= _CACHE_MAX:
                self._scores.clear()  # crude but bounded; vocabularies are re-learnt quickly
            self._scores[key] = cached
        return cached

    def _segments(self, ws: Sequence[Word]) -> list[tuple[int, int, tuple[float, ...]]]:
        """(words, boundary before them, log-scores of each) for runs of words sharing scores.

        A word is its own segment, except CJK: one character cannot tell Chinese from Japanese
        (kanji are Han characters), so a run of CJK characters is scored as a whole, in chunks
        of at most _CJK_CHUNK characters to keep lingua's cost linear."""
        out = []
        i = 0
        while i < len(ws):
            j = i + 1
            if ws[i].cjk:
                while j < len(ws) and j - i < _CJK_CHUNK and ws[j].cjk and ws[j].boundary == NONE:
                    j += 1
            out.append((j - i, ws[i].boundary, self._word_scores("".join(w.text for w in ws[i:j]))))
            i = j
        return out

    def label(self, ws: Sequence[Word]) -> list[Language]:
        """The most likely language of each word, given the words and their neighbours.

        CJK characters and other words are labelled as two separate sequences: a Chinese aside
        in English reasoning does not make the English after it start from scratch.
        """
        out: list[Language] = [self.languages[0]] * len(ws)
        for cjk in (False, True):
            idx = [i for i, w in enumerate(ws) if w.cjk is cjk]
            for i, lang in zip(idx, self._viterbi([ws[i] for i in idx]), strict=True):
                out[i] = lang
        return out

    def _viterbi(self, ws: Sequence[Word]) -> list[Language]:
        segments = self._segments(ws)
        n_lang = len(self.languages)
        scores = [0.0] * n_lang
        back: list[list[int]] = []
        for count, boundary, emit in segments:
            best = max(scores)
            arg = scores.index(best)
            switched = best - _SWITCH_COST[boundary]
            ptr = [arg] * n_lang
            for lang in range(n_lang):
                if scores[lang] >= switched:
                    scores[lang] += count * emit[lang]
                    ptr[lang] = lang
                else:
                    scores[lang] = switched + count * emit[lang]
            back.append(ptr)
        if not segments:
            return []
        state = scores.index(max(scores))
        path = [state]
        for ptr in reversed(back[1:]):
            state = ptr[state]
            path.append(state)
        out: list[Language] = []
        for (count, _, _), state in zip(segments, reversed(path), strict=True):
            out += [self.languages[state]] * count
        return out


_IDENTIFIERS: dict[frozenset[Language], LanguageIdentifier] = {}
_BUILD_LOCK = threading.Lock()


def identifier(languages: Sequence[Language]) -> LanguageIdentifier:
    """The shared identifier for this candidate set, built on first use."""
    key = frozenset(languages)
    found = _IDENTIFIERS.get(key)
    if found is None:
        with _BUILD_LOCK:
            found = _IDENTIFIERS.get(key) or LanguageIdentifier(list(key))
            if len(_IDENTIFIERS) >= _MAX_IDENTIFIERS:  # requests choose the sets: keep memory bounded
                del _IDENTIFIERS[next(iter(_IDENTIFIERS))]
            _IDENTIFIERS[key] = found
    return found


class LanguageParams(Params):
    languages: tuple[str, ...] = Field(
        DEFAULT_LANGUAGES,
        description="candidate languages (ISO 639-1) a word can be attributed to; the target is always "
        "added. Fewer candidates are faster and confuse less",
    )
    detect_from_prompt: bool = Field(
        True, description="without sample.language, take the prompt's main language as the target"
    )
    empty_value: float = Field(
        0.0, description="value when the chain of thought has no words (empty, or only math and code)"
    )
    think_tag: ThinkTag = "think"

    @field_validator("languages")
    @classmethod
    def _known(cls, codes: tuple[str, ...]) -> tuple[str, ...]:
        if not 1 <= len(codes) <= _MAX_CANDIDATES:
            raise ValueError(f"name 1 to {_MAX_CANDIDATES} languages")
        for code in codes:
            parse_language(code)
        return codes


def _main_language(ident: LanguageIdentifier, text: str) -> Language | None:
    counts = Counter(ident.label(words(text)))
    return counts.most_common(1)[0][0] if counts else None


@sample_reward("language_consistency", params=LanguageParams, value_range=(0.0, 1.0))
def language_consistency(sample: Sample, p: LanguageParams) -> RewardResult:
    """Share of the chain of thought's words in the target language, in [0, 1] (DeepSeek-R1).

    Target: `sample.language` (ISO 639-1, "zh-CN" → zh); without it, the main language of
    the prompt when `detect_from_prompt`, else INVALID_INPUT. The CoT is the `<think>` content
    (up to `</think>` when the prompt opened the tag), or the whole completion without think
    tags. Code, LaTeX, numbers, URLs, markup and chat-template tokens are not words; each CJK
    character is one word. Each word's language is lingua's, smoothed over its neighbours
    (see the module docstring). A CoT without words scores `empty_value`.
    """
    candidates = [parse_language(c) for c in p.languages]
    if sample.language:
        try:
            target = parse_language(sample.language)
        except ValueError as exc:
            return RewardResult.fail(Status.INVALID_INPUT, f"sample.language: {exc}")
    elif not p.detect_from_prompt:
        return RewardResult.fail(
            Status.INVALID_INPUT, "sample.language is empty and detect_from_prompt is off"
        )
    else:
        found = _main_language(identifier(candidates), sample.prompt)
        if found is None:
            return RewardResult.fail(
                Status.INVALID_INPUT, "sample.language is empty and the prompt has no words to detect it from"
            )
        target = found
    ident = identifier([*candidates, target])
    ws = words(chain_of_thought(sample.completion, p.think_tag))
    if not ws:
        return RewardResult(p.empty_value, detail="no words in the chain of thought")
    labels = ident.label(ws)
    hits = sum(lang == target for lang in labels)
    code = target.iso_code_639_1.name.lower()
    others = sorted(((labels.count(lang), lang) for lang in set(labels) if lang != target), reverse=True)
    rest = ", ".join(f"{lang.iso_code_639_1.name.lower()} {n}" for n, lang in others[:3])
    return RewardResult(
        hits / len(ws), detail=f"{hits}/{len(ws)} words in {code}" + (f"; {rest}" if rest else "")
    )
