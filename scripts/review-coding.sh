#!/usr/bin/env bash
# Review a coder change on text it was never tuned on: code every true article body of the
# extraction benchmark (../shared/data/extraction, 118 news and other pages) with the code at
# BASE (a git revision, default HEAD~1) and with the working tree, and print each actor and
# event line that differs, prefixed by the article's number. Gold data scores accuracy; this
# shows what a rule does elsewhere (false events in sport, markets, named wars ...).
#   bash scripts/review-coding.sh [BASE]
set -euo pipefail
cd "$(dirname "$0")/.."
base="${1:-HEAD~1}"
shared="${ENTENTE_SHARED:-../shared}"
truth="$shared/data/extraction/ground-truth.json"
[ -f "$truth" ] || { echo "error: $truth not found (set ENTENTE_SHARED)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
python3 - "$truth" "$work/articles" <<'EOF'
import json, os, sys
truth, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
for i, page in enumerate(json.load(open(truth, encoding="utf-8")).values()):
    with open(os.path.join(out, f"{i:03}.txt"), "w", encoding="utf-8") as f:
        f.write(page["articleBody"])
EOF

cargo build --quiet --release -p entente-cli
git worktree add --quiet --detach "$work/base" "$base"
# The base builds into its own target directory beside ours, so incremental builds stay warm.
CARGO_TARGET_DIR="$PWD/target/review-base" cargo build --quiet --release -p entente-cli \
    --manifest-path "$work/base/Cargo.toml"

old="$PWD/target/review-base/release/entente"
new="$PWD/target/release/entente"
changed=0
for article in "$work"/articles/*.txt; do
    name="$(basename "$article" .txt)"
    if ! diff <("$old" code <"$article" 2>/dev/null) <("$new" code <"$article" 2>/dev/null) >"$work/diff"; then
        grep '^[<>]' "$work/diff" | sed "s/^/$name /"
        changed=$((changed + 1))
    fi
done
echo "$changed of $(ls "$work"/articles | wc -l) articles code differently ('<' $base, '>' working tree)"
