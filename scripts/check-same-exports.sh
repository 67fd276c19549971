#!/usr/bin/env bash
# Show that a change leaves the JSON export of examples/, the seeds and a generated 3k corpus
# byte-identical: runs scripts/export_snapshot.py at REF (a git worktree) and on the work tree.
#   bash scripts/check-same-exports.sh REF      (e.g. the commit before a refactoring)
set -euo pipefail
cd "$(dirname "$0")/.."
REF=${1:?usage: check-same-exports.sh REF}
P=${PYTHON:-.venv/bin/python}; PY=$(cd "$(dirname "$P")" && pwd)/$(basename "$P")  # absolute, symlink kept (a venv)
TMP=$(mktemp -d)
trap 'git worktree remove --force "$TMP/ref" >/dev/null 2>&1 || true; rm -rf "$TMP"' EXIT
git worktree add --detach "$TMP/ref" "$REF" >/dev/null
PYTHONPATH=. $PY -m bench.generate --n 3000 --seed 7 --out "$TMP/gen" >/dev/null
(cd "$TMP/ref" && PYTHONPATH=src:. "$PY" "$OLDPWD/scripts/export_snapshot.py" "$TMP/before" --corpus-3k "$TMP/gen/corpus.jsonl")
PYTHONPATH=src:. $PY scripts/export_snapshot.py "$TMP/after" --corpus-3k "$TMP/gen/corpus.jsonl"
if diff -rq "$TMP/before" "$TMP/after"; then
  echo "identical: examples, seeds and generated-3k exports match $REF"
else
  echo "DIFFERENT from $REF (see above)"; exit 1
fi
