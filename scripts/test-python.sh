#!/usr/bin/env bash
# The Python package's tests: builds the wheel with maturin (PyO3), installs it into a virtual
# environment under target/ with pytest and pyspark, and runs crates/py/tests against it and the
# CLI (the Spark job in local mode needs Java: without it that test says SKIPPED, but in CI,
# where .ci/run installs it). Everything comes from PyPI into target/py-venv.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v python3 >/dev/null; then
    echo "SKIPPED the Python package's tests: no python3 on this machine"
    exit 0
fi
venv=target/py-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "maturin>=1.16,<2" pytest "pyspark>=3.5"
rm -rf target/wheels
"$venv/bin/maturin" build --quiet -m crates/py/Cargo.toml -o target/wheels
"$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall target/wheels/entente-*.whl
cargo build --quiet --locked -p entente-cli
ENTENTE_BIN="$PWD/target/debug/entente" "$venv/bin/python" -m pytest -q crates/py/tests
