"""A character-level tokenizer that ships with the code: no vocabulary download, ever.

Every printable ASCII character and newline is one token; the reasoning tags
`<think>`, `</think>`, `<answer>`, `</answer>` are one token each, so a tiny model
spends its capacity on the arithmetic rather than on spelling the tags. It is a real
`transformers` tokenizer (save_pretrained / from_pretrained, padding, batch_decode),
so `model.generate` and TRL accept it like any other.
"""

from __future__ import annotations

import json
import os
import re
import string
from pathlib import Path

from transformers import PreTrainedTokenizer, PreTrainedTokenizerBase

__all__ = ["TAGS", "CharTokenizer", "load_tokenizer"]

SPECIALS = ("<pad>", "<eos>", "<unk>")
TAGS = ("<think>", "</think>", "<answer>", "</answer>")
CHARS = tuple(sorted(set(string.printable) - set("\t\r\x0b\x0c")))  # printable ASCII, space and newline
_PIECES = re.compile("|".join(re.escape(t) for t in TAGS) + "|.", re.DOTALL)
VOCAB_FILE = "char_vocab.json"


class CharTokenizer(PreTrainedTokenizer):
    vocab_files_names = {"vocab_file": VOCAB_FILE}  # noqa: RUF012  (transformers reads this class attribute)
    model_input_names = ["input_ids", "attention_mask"]  # noqa: RUF012

    def __init__(self, vocab_file: str | None = None, **kwargs: object) -> None:
        # The vocabulary is fixed by the code; the file is written for people and for from_pretrained.
        self._vocab = {tok: i for i, tok in enumerate((*SPECIALS, *TAGS, *CHARS))}
        self._inv = {i: tok for tok, i in self._vocab.items()}
        kwargs.setdefault("pad_token", "<pad>")
        kwargs.setdefault("eos_token", "<eos>")
        kwargs.setdefault("unk_token", "<unk>")
        kwargs.setdefault("padding_side", "left")  # decoder-only generation pads on the left
        super().__init__(**kwargs)

    @property
    def vocab_size(self) -> int:
        return len(self._vocab)

    def get_vocab(self) -> dict[str, int]:
        return dict(self._vocab)

    def _tokenize(self, text: str, **kwargs: object) -> list[str]:
        return _PIECES.findall(text)

    def _convert_token_to_id(self, token: str) -> int:
        return self._vocab.get(token, self._vocab["<unk>"])

    def _convert_id_to_token(self, index: int) -> str:
        return self._inv.get(index, "<unk>")

    def convert_tokens_to_string(self, tokens: list[str]) -> str:
        return "".join(tokens)

    def save_vocabulary(self, save_directory: str, filename_prefix: str | None = None) -> tuple[str]:
        path = os.path.join(save_directory, (filename_prefix + "-" if filename_prefix else "") + VOCAB_FILE)
        with open(path, "w") as f:
            json.dump(self._vocab, f, indent=0)
        return (path,)


def load_tokenizer(path: str | Path | None) -> PreTrainedTokenizerBase:
    """The char tokenizer when `path` is None or holds its vocab file, else `AutoTokenizer` from a local dir."""
    if path is None:
        return CharTokenizer()
    if not Path(path).is_dir():  # never let a typo become a hub download
        raise FileNotFoundError(f"model.path: {path} is not a directory (run `referee sft` first?)")
    if (Path(path) / VOCAB_FILE).is_file():
        return CharTokenizer.from_pretrained(str(path))
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(path), padding_side="left")
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    return tok
