#!/usr/bin/env bash
# The scale benchmark (issue 19): a synthetic CC-NEWS-style archive of PAGES distinct pages in
# FILES .warc.gz files, ingested by `entente ingest` with 1 and 2 jobs and by the Spark job in
# local[1] and local[2]; prints pages/s and words/s of each and checks that all four stores
# export the same facts. Wall-clock figures: run it on a quiet machine.
#   bash scripts/bench-scale.sh [PAGES=100000] [FILES=8]
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-100000}
files=${2:-8}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --quiet --release --locked -p entente-cli
cargo build --quiet --release --locked -p entente-ingest --example synthetic-warc
target/release/examples/synthetic-warc "$work/news" "$pages" "$files"
venv=target/py-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "maturin>=1.16,<2" "pyspark>=3.5"
"$venv/bin/maturin" build --quiet --release -m crates/py/Cargo.toml -o "$work/wheels"
"$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall "$work"/wheels/entente-*.whl
entente=target/release/entente

# seconds, then the store's words, for one run
report() {
    local name=$1 seconds=$2 db=$3
    local words
    words=$("$entente" --db "$db" stats | awk '/^ *words/ {gsub(",", "", $2); print $2; exit}')
    awk -v n="$name" -v s="$seconds" -v p="$pages" -v w="$words" \
        'BEGIN { printf "%-16s %8.1f s  %8.1f pages/s  %10.0f words/s\n", n, s, p / s, w / s }'
}

run() {
    local name=$1 db=$2
    shift 2
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>"$work/$name.err" || [ $? -eq 3 ]
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { print b - a }' >"$db.secs"
    report "$name" "$(cat "$db.secs")" "$db"
    # Its facts' hash, then the store goes: four stores of 100k pages would not fit beside
    # each other on many disks.
    "$entente" --db "$db" --quiet export | sha256sum | cut -c1-16 >"$db.sum"
    rm -f "$db" "$db"-*
}

# how many times faster the second run was than the first
speedup() {
    awk -v n="$1" -v a="$(cat "$2")" -v b="$(cat "$3")" 'BEGIN { printf "%-16s x%.2f\n", n, a / b }'
}

echo "$pages pages in $files files; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
run "ingest --jobs 1" "$work/jobs1.db" "$entente" --db "$work/jobs1.db" --quiet ingest --jobs 1 "$work/news"
run "ingest --jobs 2" "$work/jobs2.db" "$entente" --db "$work/jobs2.db" --quiet ingest --jobs 2 "$work/news"
for n in 1 2; do
    run "spark local[$n]" "$work/spark$n.db" "$venv/bin/python" -m entente.spark --master "local[$n]" \
        --out "$work/records$n" --db "$work/spark$n.db" "$work/news"
    rm -rf "$work/records$n"
done
speedup "ingest 2 jobs / 1" "$work/jobs1.db.secs" "$work/jobs2.db.secs"
speedup "spark 2 cores / 1" "$work/spark1.db.secs" "$work/spark2.db.secs"
sums=("$work"/jobs1.db.sum "$work"/jobs2.db.sum "$work"/spark1.db.sum "$work"/spark2.db.sum)
if [ "$(cat "${sums[@]}" | sort -u | wc -l)" -eq 1 ]; then
    echo "the four stores export the same facts ($(cat "$work/jobs1.db.sum"))"
else
    echo "the stores differ: $(cat "${sums[@]}" | tr '\n' ' ')" >&2
    exit 1
fi
