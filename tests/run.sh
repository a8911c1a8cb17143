#!/usr/bin/env bash
# Installs what the test suite needs, then runs all of it: ruff, mypy and pytest.
# Works on a fresh machine with Python 3.10+; as root it installs Debian's chromium
# for the browser tests when /usr/bin/chromium is missing.
#
# Arguments go to pytest. pyproject.toml's addopts run the tests on every core (pytest-xdist)
# and print branch coverage (pytest-cov). While working:
#   bash tests/run.sh -m "not slow and not browser and not compat"   # the quick run
#   bash tests/run.sh tests/test_load.py -n0                          # one file, one process
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
# The test and compatibility extras; installed again only when pyproject.toml changed.
stamp=.venv/.runbooks-test-install
if ! cmp -s pyproject.toml "$stamp"; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test,compat]'
  cp pyproject.toml "$stamp"
fi

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "note: /usr/bin/chromium is missing and cannot be installed here; browser tests will skip (fail under CI=true)"
  fi
fi

.venv/bin/ruff check plugin tests benchmarks
.venv/bin/ruff format --check plugin tests benchmarks
.venv/bin/mypy
.venv/bin/lint-imports --no-cache
exec .venv/bin/python -m pytest "$@"
