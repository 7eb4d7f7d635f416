#!/bin/sh
# ci-examples.sh - action.yml's steps run locally the way GitHub runs them
# (tests/ci/actrun.py: inputs substituted, bash -eo pipefail,
# GITHUB_OUTPUT read back) on sample configurations, checking the SARIF
# log, the annotations and the outputs; and the README's CI examples
# (GitHub workflow, GitLab job, pre-commit) parsed and their commands run
# (tests/ci/examples.py).  The action builds build/ in the checkout with
# `make all`, as it does in its own checkout on a runner.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/lib/common.sh"
lib_need ci-examples "$B/mpmlint"
if ! python3 -c 'import yaml' 2>/dev/null; then
	echo "skipped: python3-yaml not installed"
	echo "ci-examples: 0 passed, 0 failed"
	exit 0
fi
if ! command -v bash >/dev/null 2>&1; then
	echo "skipped: bash not installed"
	echo "ci-examples: 0 passed, 0 failed"
	exit 0
fi
python3 "$ROOT/tests/ci/examples.py" "$ROOT" "$B"
