"""Candidate pairs for alignment, from three retrieval channels, without comparing all pairs.

- ``minhash``: one-permutation MinHash of word 3-grams, LSH banding in sorted numpy key tables,
  verified by estimated Jaccard / containment. Finds copies, excerpts, light edits.
- ``sentence``: per-sentence MinHash of content words; two articles are candidates when several
  sentences of one have a close sentence in the other. Finds rewrites (machine translation and
  back, paraphrase) and write-throughs that reuse paragraphs.
- ``story``: shared rare terms, names and numbers, IDF-weighted, within a publication-time
  window. Finds other reports of the same event.
- ``cover``: for a short text only, the longer, not later articles whose stored terms hold
  most of its terms, IDF-weighted. Finds the source of a summary or a one-line blurb, which
  shares too few sentences, 3-grams and terms with it for the other three.

Every lookup is a sorted-array search whose buckets are capped, so the cost grows with the
corpus, not with its square. The settings live in ``index/params.py``, the per-batch feature
extraction in ``index/features.py`` and the sorted-array helpers in ``index/arrays.py``.

>>> from newslineage.model import Article
>>> idx = CandidateIndex()
>>> idx.add([Article("a", "The cat sat on the mat today. It was warm and sunny outside."),
...          Article("b", "The cat sat on the mat today. It was warm and sunny outside!")])
>>> [(c.a, c.b, "minhash" in c.channels) for c in idx.query(Article("a", "The cat sat on the mat today. It was warm and sunny outside."))]
[('a', 'b', True)]
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, fields
from pathlib import Path

import numpy as np

from newslineage.errors import StoreError
from newslineage.index.arrays import (
    PREFILTER_MIN,
    counted,
    distinct,
    distinct_pairs,
    maybe_repeated,
    top_k,
)
from newslineage.index.cover import RARE_TERMS, cover_hits, term_cap
from newslineage.index.features import Features, batch_features
from newslineage.index.hits import (  # noqa: F401  (re-exported: the candidate stage's API)
    Candidate,
    Hit,
    late_cover_split,
    merge_hits,
    merge_into,
)
from newslineage.index.ids import IdList
from newslineage.index.lsh import KeyTable
from newslineage.index.minhash import (
    band_keys,
    bbit,
    estimate_jaccard_bbit,
)
from newslineage.index.params import CHANNELS, IndexParams, minhash_keep
from newslineage.index.terms import term_idf, term_weights, top_terms
from newslineage.model import Article

# 2: tables keep their stopped keys; a stamp. 3: b-bit signatures, sentence offsets instead
# of a doc per sentence, ids as a byte blob, 3 sentence bands (an older file is rebuilt).
# 4: WORD_RE cuts CJK/Thai per character and keeps marks and ZWNJ inside words.
FORMAT_VERSION = 4
_QUERY_BATCH = 1000  # articles per candidate query: bounds the (query, row) hit arrays
# stored short texts a new article's terms send back to the cover lookup, ranked by the IDF
# weight they share with it per word of their own: twice the cover channel's top k, as an
# article's own summaries (FRANK has four or five per article) share the top ranks
RESCAN_TOP = 10


class CandidateIndex:
    """The retrieval stage: add articles in batches, then ask for candidate pairs.

    >>> from newslineage.model import Article
    >>> idx = CandidateIndex(IndexParams(channels=("minhash",)))
    >>> idx.add([Article("x", "one two three four five six seven eight")])
    >>> len(idx)
    1
    """

    def __init__(self, params: IndexParams = IndexParams()) -> None:
        self.params = params
        self._ids = IdList()
        self._published = np.empty(0, np.float64)
        self._n_shingles = np.empty(0, np.int32)
        # b-bit signatures: the full ones only make the band keys (IndexParams.sig_bits)
        self._sigs = bbit(np.empty((0, params.num_bins), np.uint32), params.sig_bits)
        # sentences are numbered in article order, so article i's fingerprinted sentences are
        # rows sent_off[i]:sent_off[i + 1] of the sentence table: 8 B per article instead of
        # a 4 B article row per sentence (~25 sentences per article)
        self._sent_off = np.zeros(1, np.int64)
        # over-full buckets are never looked up, so they are not kept (lsh.py)
        self._bands = KeyTable(params.max_bucket)
        self._sents = KeyTable(params.sentence_max_bucket)
        self._terms = KeyTable(params.story_max_bucket)
        self._df_keys = np.empty(0, np.uint32)
        self._df_counts = np.empty(0, np.int32)
        self.stamp = ""  # set by load(): what the saved index was built from

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._ids

    def ids(self) -> list[str]:
        """The indexed article ids, in the order they were added."""
        return list(self._ids)

    def _n_sent(self, rows: np.ndarray) -> np.ndarray:
        """Fingerprinted sentences of the articles at ``rows``."""
        return self._sent_off[rows + 1] - self._sent_off[rows]

    def _sent_doc(self, sents: np.ndarray) -> np.ndarray:
        """The article row of each sentence-table row in ``sents``."""
        return np.searchsorted(self._sent_off, sents, "right") - 1

    # ------------------------------------------------------------------ adding
    def add(self, articles: Sequence[Article], background: CandidateIndex | None = None) -> None:
        """Index a batch (ids already indexed, or repeated in the batch, are ignored).
        ``background``: a larger index whose document frequencies count too when choosing
        the terms each article keeps (a side index of new articles, scored as if added)."""
        seen: set[str] = set()
        fresh = []
        known = self._ids.rows([a.id for a in articles])
        for a, row in zip(articles, known.tolist(), strict=True):
            if row < 0 and a.id not in seen:
                seen.add(a.id)
                fresh.append(a)
        if fresh:
            self._add_features(batch_features(fresh, self.params), background)

    def _add_features(self, f: Features, background: CandidateIndex | None = None) -> None:
        p = self.params
        base = len(self._ids)
        rows = np.arange(base, base + len(f.ids), dtype=np.int32)
        self._ids.extend(f.ids)
        self._published = np.concatenate([self._published, f.published])
        self._n_shingles = np.concatenate([self._n_shingles, f.n_shingles])
        self._sigs = np.concatenate([self._sigs, bbit(f.sigs, p.sig_bits)])
        if "minhash" in p.channels:
            has = f.n_shingles > 0
            keys = band_keys(f.sigs[has], p.bands, p.rows)
            self._bands.add(keys.ravel(), np.repeat(rows[has], p.bands))
        if "sentence" in p.channels:
            self._add_sentences(f, rows)
        else:
            self._sent_off = np.concatenate(
                [self._sent_off, np.full(len(rows), self._sent_off[-1])]
            )
        if "story" in p.channels or "cover" in p.channels:
            self._add_df(f)
            self._add_terms(f, rows, background)

    def _add_sentences(self, f: Features, rows: np.ndarray) -> None:
        p = self.params
        first = int(self._sent_off[-1])
        # f.sent_doc is ascending (sentences come in article order), as the offsets require
        self._sent_off = np.concatenate([self._sent_off, first + np.cumsum(f.n_sent)])
        if len(f.sent_sig):
            nb = p.sentence_hashes // p.sentence_rows
            keys = band_keys(f.sent_sig, nb, p.sentence_rows)
            srows = np.arange(first, first + len(f.sent_sig), dtype=np.int32)
            self._sents.add(keys.ravel(), np.repeat(srows, nb))

    def _add_df(self, f: Features) -> None:
        new = np.concatenate([np.empty(0, np.uint32), *f.terms])
        keys = np.concatenate([self._df_keys, new])
        counts = np.concatenate([self._df_counts, np.ones(len(new), np.int32)])
        uniq, inv = np.unique(keys, return_inverse=True)
        self._df_keys = uniq
        self._df_counts = np.bincount(inv, weights=counts, minlength=len(uniq)).astype(np.int32)

    def _add_terms(
        self, f: Features, rows: np.ndarray, background: CandidateIndex | None = None
    ) -> None:
        p = self.params
        keys, docs = [], []
        n = len(self) + (len(background) if background is not None else 0)
        for i, (t, s, tf) in enumerate(zip(f.terms, f.strong, f.tf, strict=True)):
            if len(t) > p.story_max_terms:
                # keep what the article is about: tf-idf, names first
                extra = background._df(t) if background is not None else None
                w = term_weights(self._idf(t, n, extra), s, p.story_strong_boost, tf)
                t = top_terms(t, w, p.story_max_terms)
            keys.append(t)
            docs.append(np.full(len(t), rows[i], np.int32))
        if keys:
            self._terms.add(np.concatenate(keys), np.concatenate(docs))

    def _df(self, keys: np.ndarray) -> np.ndarray:
        pos = np.searchsorted(self._df_keys, keys)
        pos = np.minimum(pos, max(len(self._df_keys) - 1, 0))
        hit = (self._df_keys[pos] == keys) if len(self._df_keys) else np.zeros(len(keys), bool)
        return np.where(hit, self._df_counts[pos] if len(self._df_keys) else 0, 0)

    def _idf(self, keys: np.ndarray, n: int, extra_df: np.ndarray | None = None) -> np.ndarray:
        df = self._df(keys) + (0 if extra_df is None else extra_df)
        return term_idf(df, n, self.params.story_idf_prior_docs)

    # ----------------------------------------------------------------- queries
    def query(
        self, article: Article, exclude_self: bool = True, features: Features | None = None
    ) -> list[Candidate]:
        """Candidates for one article against everything indexed (``features``: its
        ``batch_features``, when the caller has them)."""
        f = batch_features([article], self.params) if features is None else features
        got = self._match(f, self, len(self), None)
        if exclude_self:
            got = [g for g in got if g[1] != article.id]
        return merge_hits([(article.id, b, ch, s) for _, b, ch, s in got])

    def candidates_for(self, new: Sequence[Article]) -> list[Candidate]:
        """Candidates of ``new`` against everything indexed and against each other, deduped.

        Does not add ``new`` to the index (call :meth:`add` for that). Queries run in batches
        of ``_QUERY_BATCH`` articles, so the hit arrays stay bounded whatever the corpus size.
        """
        other = CandidateIndex(self.params)
        known = self._ids.rows([a.id for a in new])
        other.add([a for a, row in zip(new, known.tolist(), strict=True) if row < 0])
        n = len(self) + len(other)
        out = []
        for i in range(0, len(new), _QUERY_BATCH):
            f = batch_features(new[i : i + _QUERY_BATCH], self.params)
            for target, extra in ((self, other), (other, self)):
                for q, b, ch, s in self._match(f, target, n, extra):
                    a = f.ids[q]
                    if a != b:
                        out.append((a, b, ch, s))
        return merge_hits(out)

    def short_texts_near(
        self, new: Sequence[Article], top: int = RESCAN_TOP, features: Features | None = None
    ) -> list[str]:
        """Indexed articles, other than ``new``, that one of ``new`` may be the cover source
        of: short against it (``cover_length_ratio``), not published before it, and among the
        ``top`` sharing the most IDF weight of its terms per word of their own. A
        summary stored before its source looked its terms up when that source was not there;
        these are the ones to look up again (:meth:`cover_candidates`), so the order articles
        arrive in does not change what is found (``engines/local.py``). ``new`` may be
        indexed already (the batch engine) or not (the streaming engine); ``features``: its
        ``batch_features``, when the caller has them."""
        p = self.params
        if "cover" not in p.channels or not new or not len(self):
            return []
        own = self._ids.rows([a.id for a in new])
        stored = np.ones(len(self), bool)
        stored[own[own >= 0]] = False
        dates = self._published[stored]
        latest = np.inf if np.isnan(dates).any() else dates.max(initial=-np.inf)
        # a feed adds articles in time order: one published after every stored article is
        # nobody's source, and costs no lookup
        asked = [a for a in new if a.published is None or a.published.timestamp() <= latest]
        found: set[int] = set()
        if features is not None and len(asked) == len(new):
            found.update(self._rescan_rows(features, top))
            asked = []
        for i in range(0, len(asked), _QUERY_BATCH):
            found.update(self._rescan_rows(batch_features(asked[i : i + _QUERY_BATCH], p), top))
        found -= set(own.tolist())
        return [self._ids[r] for r in sorted(found)]

    def _rescan_rows(self, f: Features, top: int) -> list[int]:
        p = self.params
        sizes = np.array([len(k) for k in f.terms], dtype=np.int64)
        if sizes.sum() == 0:
            return []
        keys = np.concatenate(f.terms)
        qdoc = np.repeat(np.arange(len(f.ids)), sizes)
        idf = self._idf(keys, len(self))
        ki, rows = self._terms.lookup(keys, term_cap(p, len(self)))
        q = qdoc[ki]
        keep = self._n_shingles[rows] <= p.cover_length_ratio * f.n_shingles[q]
        keep &= ~(f.published[q] > self._published[rows])  # NaN (unknown) passes
        q, rows, weight = q[keep], rows[keep], idf[ki][keep]
        if len(q) == 0:
            return []
        width = np.int64(len(self))
        code, inv = np.unique(q.astype(np.int64) * width + rows, return_inverse=True)
        r = (code % width).astype(np.int64)
        score = np.bincount(inv, weights=weight) / np.maximum(self._n_shingles[r], 1)
        return r[top_k(code // width, score, top)].tolist()

    def late_cover_hits(
        self, article: Article, shorts: Sequence[Article], features: Features | None = None
    ) -> tuple[list[Hit], list[Hit], dict[str, float]]:
        """For a new article not indexed yet and indexed short texts it may be the source of
        (:meth:`short_texts_near`): the texts' cover hits with the article, scored as if it
        were indexed (the terms it keeps chosen with the index's document frequencies), and,
        for the texts it reaches, their hits among the indexed articles (the other possible
        sources, which the summary gate's margin reads) and the article's
        :meth:`shared_rarity` with each. ``features``: the article's."""
        p = self.params
        if not shorts or article.id in self:
            return [], [], {}
        other = CandidateIndex(p)
        other._add_features(batch_features([article], p) if features is None else features, self)
        f = batch_features(list(shorts), p)
        qs, rs, ss = cover_hits(f, other, p, len(self) + 1, self._df)
        mine = [
            (f.ids[q], article.id, "cover", float(sc))
            for q, sc in zip(qs.tolist(), ss.tolist(), strict=True)
        ]
        reached = set(qs.tolist())
        qs, rs, ss = cover_hits(f, self, p, len(self), None)
        rivals = [
            (f.ids[q], self._ids[r], "cover", float(sc))
            for q, r, sc in zip(qs.tolist(), rs.tolist(), ss.tolist(), strict=True)
            if q in reached and f.ids[q] != self._ids[r]
        ]
        rarity = {
            f.ids[q]: other._rarity(f.terms[q], [article.id], self)[article.id]
            for q in sorted(reached)
        }
        return mine, rivals, rarity

    def cover_candidates(self, shorts: Sequence[Article]) -> list[tuple[str, str, str, float]]:
        """The cover channel's ``(short id, target id, "cover", score)`` hits of ``shorts``
        against everything indexed, as ``candidates_for`` would give them."""
        out: list[tuple[str, str, str, float]] = []
        for i in range(0, len(shorts), _QUERY_BATCH):
            f = batch_features(shorts[i : i + _QUERY_BATCH], self.params)
            qs, rs, ss = cover_hits(f, self, self.params, len(self), None)
            for q, r, sc in zip(qs.tolist(), rs.tolist(), ss.tolist(), strict=True):
                if f.ids[q] != self._ids[r]:
                    out.append((f.ids[q], self._ids[r], "cover", float(sc)))
        return out

    def shared_rarity(
        self, short: Article, sources: Sequence[str], background: CandidateIndex | None = None
    ) -> dict[str, float]:
        """For each indexed article of ``sources``: how rare the rarest terms of ``short`` it
        holds are, the mean IDF of its ``RARE_TERMS`` rarest shared terms over the IDF of a
        term one article alone has (0: none shared; the stored terms the cover channel reads).
        A summary shares its source's names; an article on another event, which may hold as
        large a share of a short text's common words, rarely holds its rarest ones.
        ``background``: a larger index counted in the IDF too (a side index of new articles)."""
        if not any(s in self._ids for s in sources):
            return {}
        return self._rarity(batch_features([short], self.params).terms[0], sources, background)

    def _rarity(
        self, keys: np.ndarray, sources: Sequence[str], background: CandidateIndex | None
    ) -> dict[str, float]:
        """:meth:`shared_rarity` of a short text's term ``keys``."""
        wanted = [s for s in sources if s in self._ids]
        n = len(self) + (len(background) if background is not None else 0)
        idf = self._idf(keys, n, background._df(keys) if background is not None else None)
        top = float(term_idf(np.ones(1), n, self.params.story_idf_prior_docs)[0])
        ki, rows = self._terms.lookup(keys, term_cap(self.params, len(self)))
        out = {}
        for source, row in zip(wanted, self._ids.rows(wanted).tolist(), strict=True):
            got = np.sort(idf[ki[rows == row]])[::-1][:RARE_TERMS]
            out[source] = float(got.mean()) / max(top, 1e-12) if len(got) else 0.0
        return out

    def _match(
        self, f: Features, t: CandidateIndex, n: int, extra: CandidateIndex | None
    ) -> list[tuple[int, str, str, float]]:
        """(query position, target id, channel, score) for each channel hit of ``f`` in ``t``."""
        if len(t) == 0 or not f.ids:
            return []
        hits: list[tuple[np.ndarray, np.ndarray, np.ndarray, str]] = []
        p = self.params
        if "minhash" in p.channels:
            hits.append((*_minhash_hits(f, t, p), "minhash"))
        if "sentence" in p.channels:
            hits.append((*_sentence_hits(f, t, p), "sentence"))
        df_extra = (lambda k: extra._df(k)) if extra is not None else None
        if "story" in p.channels:
            hits.append((*_story_hits(f, t, p, n, df_extra), "story"))
        if "cover" in p.channels:
            hits.append((*cover_hits(f, t, p, n, df_extra), "cover"))
        ids = t._ids
        return [
            (int(q), ids[int(r)], ch, float(s))
            for qs, rs, ss, ch in hits
            for q, r, s in zip(qs, rs, ss, strict=True)
        ]

    # ------------------------------------------------------------- persistence
    def memory_parts(self) -> dict[str, int]:
        """Bytes the index holds, by part: every array it keeps, the ids included."""
        return {
            "signatures": self._sigs.nbytes,
            "minhash band table": self._bands.nbytes,
            "sentence table + offsets": self._sents.nbytes + self._sent_off.nbytes,
            "story postings + df": self._terms.nbytes + self._df_keys.nbytes
            + self._df_counts.nbytes,
            "per-article scalars": self._published.nbytes + self._n_shingles.nbytes,
            "ids": self._ids.nbytes,
        }  # fmt: skip

    def memory_bytes(self) -> int:
        """Bytes the index holds (the sum of :meth:`memory_parts`)."""
        return sum(self.memory_parts().values())

    def save(self, path: str | Path, stamp: str = "") -> None:
        """Write the index to one ``.npz`` file (no pickles), atomically.

        ``stamp`` is kept with it and read back as :attr:`stamp`: the caller's fingerprint
        of what the index was built from (the local engine stores the store's article count
        and last row), so a stale index can be told from a current one.
        """
        path = Path(path)
        id_blob, id_off = self._ids.arrays()
        data = {
            "meta": np.frombuffer(json.dumps({
                "version": FORMAT_VERSION, "params": asdict(self.params), "stamp": stamp,
            }).encode("utf-8"), dtype=np.uint8),
            "id_blob": id_blob, "id_off": id_off,
            "published": self._published, "n_shingles": self._n_shingles, "sigs": self._sigs,
            "sent_off": self._sent_off, "df_keys": self._df_keys, "df_counts": self._df_counts,
        }  # fmt: skip
        for name, table in (("bands", self._bands), ("sents", self._sents), ("terms", self._terms)):
            data[f"{name}_keys"], data[f"{name}_rows"], data[f"{name}_stopped"] = table.arrays()
        # write a temporary file and rename it over the old one: an interrupted save leaves
        # the previous index intact, never half of a new one (os.replace is atomic on POSIX)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with tmp.open("wb") as fh:
                np.savez(fh, **data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as e:
            tmp.unlink(missing_ok=True)
            raise StoreError(str(path), f"cannot write the index ({e.strerror})",
                             "check the folder exists and is writable") from e  # fmt: skip

    @classmethod
    def load(cls, path: str | Path) -> CandidateIndex:
        """Read an index written by :meth:`save`; a missing, truncated, corrupt or
        other-version file raises :class:`StoreError` (callers rebuild)."""
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as z:
                data = {k: z[k] for k in z.files}
            meta = json.loads(data.pop("meta").tobytes().decode("utf-8"))
            if meta.get("version") != FORMAT_VERSION:
                raise StoreError(str(path), f"index format {meta.get('version')} is not "
                                 f"{FORMAT_VERSION}", "rebuild the index with this version")  # fmt: skip
            return cls._from_data(meta, data)
        except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as e:
            raise StoreError(str(path), f"not a readable candidate index ({e})",
                             "delete it to rebuild it, or pass the right path") from e  # fmt: skip

    @classmethod
    def _from_data(cls, meta: dict, data: dict[str, np.ndarray]) -> CandidateIndex:
        known = {f.name for f in fields(IndexParams)}
        raw = {k: v for k, v in meta["params"].items() if k in known}
        raw["channels"] = tuple(raw.get("channels", CHANNELS))
        idx = cls(IndexParams(**raw))
        idx._ids = IdList.from_arrays(data["id_blob"], data["id_off"])
        for name in ("published", "n_shingles", "sigs", "sent_off", "df_keys", "df_counts"):
            setattr(idx, f"_{name}", data[name])
        caps = {"bands": idx.params.max_bucket, "sents": idx.params.sentence_max_bucket,
                "terms": idx.params.story_max_bucket}  # fmt: skip
        for name, cap in caps.items():
            table = KeyTable.from_arrays(data[f"{name}_keys"], data[f"{name}_rows"],
                                         data[f"{name}_stopped"], cap)  # fmt: skip
            setattr(idx, f"_{name}", table)
        n = len(idx._ids)
        if not (len(idx._sigs) == len(idx._published) == len(idx._sent_off) - 1 == n):
            raise ValueError(f"arrays disagree with the {n} ids")
        if idx._sigs.dtype != bbit(np.empty(0, np.uint32), idx.params.sig_bits).dtype:
            raise ValueError(f"signatures are {idx._sigs.dtype}, not {idx.params.sig_bits}-bit")
        idx.stamp = str(meta.get("stamp", ""))
        return idx


# ---------------------------------------------------------------------- channels
def _minhash_hits(f: Features, t: CandidateIndex, p: IndexParams):
    has = np.flatnonzero(f.n_shingles > 0)
    keys = band_keys(f.sigs[has], p.bands, p.rows)
    qi, rows = t._bands.lookup(keys.ravel(), p.max_bucket)
    q, r, _ = distinct_pairs(has[qi // p.bands], rows, max(len(t), 1))
    j = estimate_jaccard_bbit(bbit(f.sigs, p.sig_bits)[q], t._sigs[r], p.sig_bits)
    keep, c = minhash_keep(j, f.n_shingles[q], t._n_shingles[r], p)
    return q[keep], r[keep], c[keep]


def _sentence_hits(f: Features, t: CandidateIndex, p: IndexParams):
    nb = p.sentence_hashes // p.sentence_rows
    empty = (np.empty(0, np.int64),) * 2 + (np.empty(0),)
    if len(f.sent_sig) == 0:
        return empty
    keys = band_keys(f.sent_sig, nb, p.sentence_rows)
    live = ~t._sents.stopped(keys.ravel()).reshape(keys.shape).all(axis=1)
    n_live = np.bincount(f.sent_doc[live], minlength=len(f.ids))  # query sentences that can match
    qi, ts = t._sents.lookup(keys.ravel(), p.sentence_max_bucket)
    width = max(int(t._sent_off[-1]), 1)
    qs = qi // nb
    if p.sentence_min_bands >= 2 and len(qs) > PREFILTER_MIN:
        keep = maybe_repeated(qs * width + ts)
        qs, ts = qs[keep], ts[keep]
    qs, ts, agree = distinct_pairs(qs, ts, width)
    qs, ts = qs[agree >= p.sentence_min_bands], ts[agree >= p.sentence_min_bands]
    if len(qs) == 0:
        return empty
    width = max(len(t), 1)
    nq = max(len(f.ids), 1)
    qdoc, tdoc = f.sent_doc[qs].astype(np.int64), t._sent_doc(ts)
    # count distinct sentences on each side, so one sentence matching many does not inflate:
    # distinct (query sentence, target article) and (target sentence, query article) codes
    uq = distinct(qs * width + tdoc)
    ut = distinct(ts * nq + qdoc)
    per_q = f.sent_doc[uq // width].astype(np.int64) * width + uq % width
    per_t = (ut % nq) * width + t._sent_doc(ut // nq)
    codes, mq = counted(per_q)
    _, mt = counted(per_t)  # the same pair codes, in the same order
    dq, dr = codes // width, codes % width
    matched = np.minimum(mq, mt)
    n_target = t._n_sent(dr)
    shorter = np.minimum(f.n_sent[dq], n_target)
    score = matched / np.maximum(shorter, 1)
    share = matched / np.maximum(np.minimum(n_live[dq], n_target), 1)
    keep = (matched >= np.minimum(p.sentence_min_matches, shorter)) & (
        share >= p.sentence_min_share
    )
    return dq[keep], dr[keep], np.minimum(score[keep], 1.0)


def _story_hits(f: Features, t: CandidateIndex, p: IndexParams, n: int, df_extra):
    sizes = np.array([len(k) for k in f.terms])
    empty = (np.empty(0, np.int64),) * 2 + (np.empty(0),)
    if sizes.sum() == 0:
        return empty
    keys = np.concatenate(f.terms)
    strong = np.concatenate(f.strong)
    qdoc = np.repeat(np.arange(len(f.terms)), sizes)
    extra = df_extra(keys) if df_extra is not None else None
    idf = t._idf(keys, n, extra)
    weight = term_weights(idf, strong, p.story_strong_boost)
    if p.story_query_terms:
        # the query's names and numbers, and its other top tf-idf terms (ranked as _add_terms
        # ranks): a translation shares names and numbers with its source, while its own
        # rare words would crowd them out of a plain top-k
        rank = term_weights(idf, strong, p.story_strong_boost, np.concatenate(f.tf))
        use = strong.copy()
        use[top_k(qdoc, rank, p.story_query_terms)] = True
        keys, qdoc, weight = keys[use], qdoc[use], weight[use]
    cap = term_cap(p, n)
    ki, rows = t._terms.lookup(keys, cap)
    width = max(len(t), 1)
    if len(ki) == 0:
        return empty
    # one sort by (pair, query term): pairs become runs, and each run's weights are summed in
    # key order (query terms are key-sorted per article), the order Spark's story_pair_passes
    # sums them in, so both engines get the same floats
    span = np.int64(len(keys))
    both = np.sort((qdoc[ki].astype(np.int64) * width + rows) * span + ki)
    code, ki = both // span, both % span
    first = np.flatnonzero(np.concatenate(([True], code[1:] != code[:-1])))
    uniq = code[first]
    shared = np.diff(np.append(first, len(code)))
    # bincount adds sequentially (np.add.reduceat may sum pairwise: other last bits)
    score = np.bincount(np.repeat(np.arange(len(first)), shared), weights=weight[ki])
    q, r = uniq // width, uniq % width
    keep = (shared >= p.story_min_shared) & (score >= p.story_min_weight)
    if p.story_window_days is not None:
        dt = np.abs(f.published[q] - t._published[r])
        keep &= ~(dt > p.story_window_days * 86400.0)  # NaN (unknown date) passes
    q, r, shared, score = q[keep], r[keep], shared[keep], score[keep]
    norm = shared / np.maximum(np.minimum(sizes[q], p.story_max_terms), 1)
    top = top_k(q, score, p.story_top_k)
    return q[top], r[top], np.minimum(norm[top], 1.0)
