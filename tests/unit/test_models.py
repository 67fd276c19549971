"""The optional second opinion (``newslineage.models``) on real, tiny ONNX models.

No network and no real weights here: each test builds small but real models with the
``onnx`` helper API and a real WordLevel tokenizer with ``tokenizers``, saves them to
``tmp_path`` and runs them through ``load_model`` and onnxruntime, like an exported
all-MiniLM-L6-v2 or NLI cross-encoder would run.

- the embedding model maps synonyms ("blaze"/"fire", "dozen"/"twelve") onto one dimension, so
  mean pooling makes a restated sentence point the same way as its source;
- the NLI model reads only the hypothesis segment (token type 1): "not" votes contradiction,
  words only invented sentences use vote neutral, the rest entailment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from newslineage import api
from newslineage.errors import ConfigError, MissingExtraError
from newslineage.model import Article, Finding

if not os.environ.get("CI"):  # CI installs the [test] extra and must run these
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    pytest.importorskip("tokenizers")

from onnx import TensorProto, checker, helper, numpy_helper
from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors
from tokenizers.models import WordLevel

from newslineage.cli import app
from newslineage.models import load_model, review_findings

# ------------------------------------------------------------------ a small story

WIRE = """date 2026-03-04
Fire shuts Portvale harbour terminal
PORTVALE (NWS) — A fire tore through a chemical warehouse at the Portvale harbour on Tuesday night, forcing the closure of the main container terminal.
Twelve workers were injured in the blaze, three of them seriously, according to the regional health authority.
Firefighters battled the flames for more than nine hours before bringing them under control early on Wednesday.
The harbour authority said the terminal would remain closed until inspectors had checked the cranes and storage tanks.
Shipping companies diverted at least fourteen vessels to the neighbouring port of Elmsford.
Local residents were told to keep their windows closed as a precaution against the smoke.
"""
POST = """date 2026-03-04
Portvale blaze leaves harbour in chaos
Dock workers gathered outside the Portvale harbour gates on Wednesday morning as smoke still rose from the ruined warehouse.
Kestrel Bulk Storage, which runs the warehouse, said fertiliser and industrial solvents had been stored inside.
Mayor Ilse Varga visited the injured at Portvale General Hospital and thanked the fire crews for their courage.
Investigators are still trying to determine the cause of the fire at the warehouse.
The dockers union demanded an independent inquiry into safety standards across the harbour.
Traders in the old town said the closure would cost local businesses thousands of euros a day.
"""
# a compilation of both reports, with a restated sentence (PARAPHRASE), an invented one
# (INVENTED) and a flipped negation; the lexical detectors flag both added sentences
PARAPHRASE = "A dozen employees got hurt by the flames, with three in a serious condition."
INVENTED = (
    "The mayor promised a generous reward for information leading to the arrest of the arsonists."
)
DIGEST = f"""date 2026-03-06
Portvale fire: what we know
A fire tore through a chemical warehouse at the Portvale harbour on Tuesday night, forcing the closure of the main container terminal.
Twelve workers were injured in the blaze, three of them seriously, according to the regional health authority.
Firefighters battled the flames for more than nine hours before bringing them under control early on Wednesday.
Kestrel Bulk Storage, which runs the warehouse, said fertiliser and industrial solvents had been stored inside.
{PARAPHRASE}
The harbour authority said the terminal would not remain closed until inspectors had checked the cranes and storage tanks.
Mayor Ilse Varga visited the injured at Portvale General Hospital and thanked the fire crews for their courage.
{INVENTED}
Investigators are still trying to determine the cause of the fire at the warehouse.
The dockers union demanded an independent inquiry into safety standards across the harbour.
"""

# ------------------------------------------------------------------ tiny real models

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
#: synonyms share a dimension of the embedding table; other words embed to zero
CONCEPTS = {
    "fire": 0, "blaze": 0, "flames": 0,
    "workers": 1, "employees": 1,
    "injured": 2, "hurt": 2,
    "twelve": 3, "dozen": 3,
    "three": 4,
    "seriously": 5, "serious": 5,
    "harbour": 6, "port": 6,
    "mayor": 7, "reward": 8, "arsonists": 9,
    "terminal": 10, "closed": 11, "warehouse": 12,
}  # fmt: skip
DIM = 13
NEGATIONS = {"not", "never", "no"}
INVENTED_WORDS = {"promised", "generous", "reward", "arrest", "arsonists"}


def _vocab() -> dict[str, int]:
    pre = pre_tokenizers.Whitespace()
    words = sorted({w.lower() for t in (WIRE, POST, DIGEST) for w, _ in pre.pre_tokenize_str(t)})
    words += sorted(NEGATIONS - set(words))
    return {w: i for i, w in enumerate(SPECIALS + words)}


def _save_tokenizer(folder: Path, vocab: dict[str, int]) -> None:
    tok = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    tok.save(str(folder / "tokenizer.json"))


def _ids(name: str) -> list:
    return [helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "seq"])]


def _save_model(folder: Path, nodes: list, inputs: list, output: tuple, inits: list) -> None:
    out = helper.make_tensor_value_info(output[0], TensorProto.FLOAT, list(output[1]))
    graph = helper.make_graph(nodes, "tiny", inputs, [out], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8  # what onnxruntime of any supported age reads
    checker.check_model(model)
    (folder / "model.onnx").write_bytes(model.SerializeToString())


def make_embedding_model(folder: Path, pooled: bool = False) -> Path:
    """Token embeddings (batch, seq, DIM) masked by attention_mask, or their mean if pooled."""
    folder.mkdir(parents=True, exist_ok=True)
    vocab = _vocab()
    table = np.zeros((len(vocab), DIM), dtype=np.float32)
    for word, dim in CONCEPTS.items():
        table[vocab[word], dim] = 1.0
    nodes = [
        helper.make_node("Gather", ["table", "input_ids"], ["tokens"]),
        helper.make_node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["maskf", "last_axis"], ["mask3"]),
        helper.make_node("Mul", ["tokens", "mask3"], ["hidden"]),
    ]
    output = ("last_hidden_state", ["batch", "seq", DIM])
    if pooled:
        nodes.append(helper.make_node("ReduceMean", ["hidden"], ["sentence"], axes=[1], keepdims=0))
        output = ("sentence_embedding", ["batch", DIM])
    nodes[-1].output[0] = output[0]
    inits = [
        numpy_helper.from_array(table, "table"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "last_axis"),
    ]
    _save_model(folder, nodes, _ids("input_ids") + _ids("attention_mask"), output, inits)
    _save_tokenizer(folder, vocab)
    (folder / "newslineage-model.json").write_text(
        json.dumps({"kind": "embedding", "name": "tiny-embed"})
    )
    return folder


#: the label order of the toy cross-encoder's logits, as its config.json says (the order of
#: several published NLI cross-encoders): contradiction, entailment, neutral
TOY_ID2LABEL = {"0": "CONTRADICTION", "1": "ENTAILMENT", "2": "NEUTRAL"}


def make_nli_model(folder: Path) -> Path:
    """Three logits from the hypothesis tokens only; kind read from an HF config.json."""
    folder.mkdir(parents=True, exist_ok=True)
    vocab = _vocab()
    weights = np.zeros((len(vocab), 3), dtype=np.float32)
    for word, i in vocab.items():
        if word in NEGATIONS:
            weights[i, 0] = 20.0
        elif word in INVENTED_WORDS:
            weights[i, 2] = 2.0
        elif word not in SPECIALS:
            weights[i, 1] = 0.5
    nodes = [
        helper.make_node("Gather", ["weights", "input_ids"], ["votes"]),
        helper.make_node("Cast", ["token_type_ids"], ["typef"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["typef", "last_axis"], ["type3"]),
        helper.make_node("Mul", ["votes", "type3"], ["hyp_votes"]),
        helper.make_node("ReduceSum", ["hyp_votes", "seq_axis"], ["summed"], keepdims=0),
        helper.make_node("Add", ["summed", "bias"], ["logits"]),
    ]
    inits = [
        numpy_helper.from_array(weights, "weights"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "last_axis"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "seq_axis"),
        numpy_helper.from_array(np.array([0.0, 0.0, 0.5], dtype=np.float32), "bias"),
    ]
    inputs = _ids("input_ids") + _ids("attention_mask") + _ids("token_type_ids")
    _save_model(folder, nodes, inputs, ("logits", ["batch", 3]), inits)
    _save_tokenizer(folder, vocab)
    config = {"architectures": ["ToyForSequenceClassification"], "id2label": TOY_ID2LABEL}
    (folder / "config.json").write_text(json.dumps(config))
    return folder


@pytest.fixture(scope="module")
def embed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_embedding_model(tmp_path_factory.mktemp("embed"))


@pytest.fixture(scope="module")
def nli_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_nli_model(tmp_path_factory.mktemp("nli"))


def _story_store(folder: Path) -> api.Store:
    for name, text in (("wire", WIRE), ("post", POST), ("digest", DIGEST)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    store = api.open_store(str(folder / "story.db"))
    api.add([str(folder / f"{n}.txt") for n in ("wire", "post", "digest")], store)
    return store


def _by_sentence(store: api.Store) -> dict[str, Finding]:
    texts = {a.id: a.text for a in store.iter_articles()}
    out = {}
    for f in store.findings():
        if f.derived_span is not None:
            s, e = f.derived_span
            out[f"{f.kind}: {texts[f.article][s:e]}"] = f
    return out


# ------------------------------------------------------------------ loading and inference


@pytest.mark.parametrize("pooled", [False, True])
def test_embedding_model_pools_and_normalises(tmp_path: Path, pooled: bool) -> None:
    model = load_model(make_embedding_model(tmp_path / "m", pooled=pooled))
    assert model.kind == "embedding" and model.name == "tiny-embed"
    vecs = model.embed(
        [PARAPHRASE, "Twelve workers were injured in the blaze, three seriously.", INVENTED]
    )
    assert vecs.shape == (3, DIM)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert vecs[0] @ vecs[1] > 0.99  # same concepts, other words
    assert vecs[0] @ vecs[2] < 0.1


def test_embeddings_do_not_depend_on_batching_or_padding(embed_dir: Path) -> None:
    model = load_model(embed_dir)
    texts = [PARAPHRASE, INVENTED + " " + INVENTED, "Fire.", "the the the", ""]
    one_by_one = np.vstack([model.embed([t]) for t in texts])
    assert np.allclose(model.embed(texts), one_by_one, atol=1e-6)
    assert model.embed([]).shape[0] == 0


def test_nli_model_reorders_labels_from_config(nli_dir: Path) -> None:
    model = load_model(nli_dir)
    assert model.kind == "nli" and model.config.labels == ("contradiction", "entailment", "neutral")
    premise = "The terminal would remain closed."
    probs = model.nli(
        [(premise, "The terminal would not remain closed."), (premise, "The terminal stays closed."), (premise, INVENTED)]
    )  # fmt: skip
    assert np.allclose(probs.sum(axis=1), 1.0)
    # columns are always entailment, neutral, contradiction
    assert probs.argmax(axis=1).tolist() == [2, 0, 1]


def test_a_model_of_the_wrong_kind_is_refused(embed_dir: Path, nli_dir: Path) -> None:
    with pytest.raises(ConfigError, match="embedding model, not nli"):
        load_model(embed_dir).nli([("a", "b")])
    with pytest.raises(ConfigError, match="nli model, not embedding"):
        load_model(nli_dir).embed(["a"])


# ------------------------------------------------------------------ errors name the fix


def test_missing_directory_names_path_and_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_model(tmp_path / "nowhere")
    msg = str(err.value)
    assert str(tmp_path / "nowhere") in msg and "no such model directory" in msg
    assert "--model" in msg


def test_missing_files_are_named(tmp_path: Path, embed_dir: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match=r"missing model\.onnx and tokenizer\.json"):
        load_model(tmp_path / "empty")
    half = tmp_path / "half"
    half.mkdir()
    (half / "model.onnx").write_bytes((embed_dir / "model.onnx").read_bytes())
    with pytest.raises(ConfigError, match=r"missing tokenizer\.json.*optimum-cli"):
        load_model(half)
    with pytest.raises(ConfigError, match="is a file"):
        load_model(embed_dir / "model.onnx")


def test_wrong_or_unknown_kind(tmp_path: Path) -> None:
    folder = make_embedding_model(tmp_path / "m")
    (folder / "newslineage-model.json").write_text('{"kind": "reranker"}')
    with pytest.raises(ConfigError, match=r"unknown model kind 'reranker'.*\"nli\""):
        load_model(folder)
    (folder / "newslineage-model.json").unlink()
    with pytest.raises(ConfigError, match=r"no newslineage-model\.json or config\.json"):
        load_model(folder)
    (folder / "config.json").write_text('{"architectures": ["BertForMaskedLM"]}')
    with pytest.raises(ConfigError, match="cannot tell the model kind"):
        load_model(folder)
    (folder / "config.json").write_text('{"architectures": ["BertModel"]}')
    assert load_model(folder).kind == "embedding"  # a bare encoder gives token embeddings
    (folder / "newslineage-model.json").write_text(
        '{"kind": "nli", "labels": ["yes", "no", "maybe"]}'
    )
    with pytest.raises(ConfigError, match="entailment, neutral, contradiction"):
        load_model(folder)


def test_corrupt_files_are_config_errors(tmp_path: Path) -> None:
    folder = make_embedding_model(tmp_path / "m")
    (folder / "tokenizer.json").write_text("{not json")
    with pytest.raises(ConfigError, match=r"tokenizer\.json: not a tokenizers JSON file"):
        load_model(folder)
    folder = make_embedding_model(tmp_path / "n")
    (folder / "model.onnx").write_bytes(b"not a protobuf")
    with pytest.raises(ConfigError, match="onnxruntime cannot load it"):
        load_model(folder)


def test_missing_extra_names_the_pip_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embed_dir: Path
) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # what an install without it sees
    with pytest.raises(MissingExtraError, match=r"pip install 'newslineage\[models\]'"):
        load_model(embed_dir)


# ------------------------------------------------------------------ the second opinion


def test_embedding_opinion_clears_a_restated_sentence_and_keeps_an_invented_one(
    tmp_path: Path, embed_dir: Path
) -> None:
    store = _story_store(tmp_path)
    api.analyze(store)
    before = _by_sentence(store)
    assert before[f"unsourced_sentence: {PARAPHRASE}"].severity == "medium"
    assert before[f"unsourced_sentence: {INVENTED}"].severity == "medium"
    assert not any("second_opinion" in f.detail for f in before.values())

    api.analyze(store, full=True, model=embed_dir)
    after = _by_sentence(store)
    assert after.keys() == before.keys()
    cleared = after[f"unsourced_sentence: {PARAPHRASE}"]
    assert cleared.severity == "info" and "restated" in cleared.message
    opinion = cleared.detail["second_opinion"]
    assert opinion["verdict"] == "disagrees" and opinion["score"] >= 0.99
    wire = next(a for a in store.iter_articles() if a.text.startswith("PORTVALE"))
    s, e = opinion["source_span"]
    assert opinion["source_article"] == wire.id and wire.text[s:e].startswith("Twelve workers")
    kept = after[f"unsourced_sentence: {INVENTED}"]
    assert kept.severity == "medium" and kept.detail["second_opinion"]["verdict"] == "agrees"
    flip = next(f for k, f in after.items() if k.startswith("negation_flipped"))
    assert flip.severity == "high" and flip.detail["second_opinion"]["verdict"] == "similarity_only"


def test_nli_opinion_scores_the_contradiction_and_judges_unsourced(
    tmp_path: Path, nli_dir: Path
) -> None:
    store = _story_store(tmp_path)
    api.analyze(store, model=nli_dir)
    found = _by_sentence(store)
    flip = next(f for k, f in found.items() if k.startswith("negation_flipped"))
    opinion = flip.detail["second_opinion"]
    assert opinion["measure"] == "contradiction" and opinion["score"] > 0.9
    assert opinion["verdict"] == "agrees" and flip.severity == "high"
    assert found[f"unsourced_sentence: {PARAPHRASE}"].severity == "info"
    invented = found[f"unsourced_sentence: {INVENTED}"]
    assert invented.severity == "medium"
    assert invented.detail["second_opinion"]["measure"] == "entailment"


def test_a_copy_of_the_sentence_is_no_source_for_it(embed_dir: Path) -> None:
    """Only the articles a sentence could come from count: never its own copies."""
    from newslineage.model import Relation

    text = f"Something else entirely happened. {INVENTED}"
    der = Article("d", text, sentences=((0, 33), (34, len(text))))
    copy = Article("c", text, sentences=der.sentences)
    finding = Finding("unsourced_sentence", "d", "No source.", derived_span=der.sentences[1])
    model = load_model(embed_dir)
    arts = {"d": der, "c": copy}
    [mine] = review_findings([finding], arts, model)
    assert mine.severity == "info"  # without relations the copy looks like a source
    made_from_d = [Relation("d", "c", "copy", 1.0, 1.0, 1.0)]
    [mine] = review_findings([finding], arts, model, made_from_d)
    assert mine.severity == "medium" and mine.detail["second_opinion"]["verdict"] == "agrees"


def test_no_model_changes_nothing(tmp_path: Path) -> None:
    store = _story_store(tmp_path)
    api.analyze(store)
    findings = store.findings()
    assert review_findings(findings, {a.id: a for a in store.iter_articles()}, None) == findings
    assert not any("second_opinion" in f.detail for f in findings)


def test_default_analysis_never_imports_the_model_runtime(tmp_path: Path) -> None:
    for name, text in (("wire", WIRE), ("digest", DIGEST)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    code = (
        "import sys; from newslineage import api; s = api.open_store(sys.argv[1]); "
        "api.add([sys.argv[2], sys.argv[3]], s); api.analyze(s); "
        "print(sorted(m for m in ('onnxruntime', 'tokenizers', 'newslineage.models') if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(api.__file__).parents[1])}
    env.pop("NEWSLINEAGE_MODEL", None)
    args = [str(tmp_path / "x.db"), str(tmp_path / "wire.txt"), str(tmp_path / "digest.txt")]
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "[]"


# ------------------------------------------------------------------ command line


def test_cli_model_option_and_env(tmp_path: Path, embed_dir: Path) -> None:
    store = _story_store(tmp_path)
    runner = CliRunner()
    db = str(tmp_path / "story.db")
    done = runner.invoke(app, ["analyze", "--db", db], env={"NEWSLINEAGE_MODEL": str(embed_dir)})
    assert done.exit_code == 0, done.output
    assert found_opinions(store) == 3
    bad = runner.invoke(app, ["analyze", "--db", db, "--full", "--model", str(tmp_path / "nope")])
    assert bad.exit_code == 2
    assert "no such model directory" in bad.output and "Traceback" not in bad.output
    done = runner.invoke(app, ["analyze", "--db", db, "--full"], env={"NEWSLINEAGE_MODEL": ""})
    assert done.exit_code == 0, done.output
    assert found_opinions(store) == 0


def found_opinions(store: api.Store) -> int:
    return sum("second_opinion" in f.detail for f in store.findings())


def test_run_with_a_bad_model_fails_before_reading_sources(tmp_path: Path) -> None:
    (tmp_path / "wire.txt").write_text(WIRE, encoding="utf-8")
    db = tmp_path / "run.db"
    args = ["run", str(tmp_path / "wire.txt"), "--db", str(db), "--model", str(tmp_path)]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 2 and "missing model.onnx and tokenizer.json" in done.output
    assert not db.exists() or api.open_store(str(db)).count_articles() == 0
