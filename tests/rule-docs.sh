#!/bin/sh
# rule-docs.sh - docs/rules/ (one Markdown page per rule and the index)
# is what tests/cli/gen-rule-docs.py writes from `mpmlint --list-rules
# -f json` today, and every SARIF helpUri names one of those pages.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/lib/common.sh"
lib_need rule-docs "$B/mpmlint"
lib_tmpdir rule-docs
G=$ROOT/tests/cli/gen-rule-docs.py

# regenerate into a temporary directory and compare
rc 0 "gen-rule-docs.py into a temporary directory" python3 "$G" "$B/mpmlint" new
if diff -r "$ROOT/docs/rules" new >docs.diff; then
	ok
else
	bad "docs/rules/ is out of date: run python3 tests/cli/gen-rule-docs.py $B/mpmlint docs/rules"
	head -20 docs.diff
fi
rc 0 "gen-rule-docs.py --check" python3 "$G" --check "$B/mpmlint" "$ROOT/docs/rules"

# --check notices a stale page, a missing one and a stray one
cp -r new stale
echo edited >>stale/MPM006.md
rc 1 "--check: an edited page" python3 "$G" --check "$B/mpmlint" stale
check "--check names MPM006.md" has rc.err 'MPM006\.md: out of date'
cp -r new gone
rm gone/HC001.md
rc 1 "--check: a missing page" python3 "$G" --check "$B/mpmlint" gone
cp -r new extra
echo x >extra/MPM999.md
rc 1 "--check: a page with no rule" python3 "$G" --check "$B/mpmlint" extra

# one page per rule, the index links each; helpUri opens a page that exists
"$B/mpmlint" --list-rules -f json >rules.json
printf 'ThreadsPerChild 25\nMaxRequestWorkers 410\n' >s.conf
"$B/mpmlint" --no-config -f sarif s.conf >s.sarif
py "$ROOT" rules.json s.sarif <<'PY'
import json, os, sys
root, rules, sarif = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
bad = 0
idx = open(os.path.join(root, 'docs/rules/README.md')).read()
for r in rules:
    p = os.path.join(root, 'docs/rules', r['id'] + '.md')
    if not os.path.isfile(p):
        print('FAIL: no page for', r['id']); bad += 1
    elif ('# %s: %s' % (r['id'], r['name'])) not in open(p).read():
        print('FAIL: %s.md has no title' % r['id']); bad += 1
    if '[%s](%s.md)' % (r['id'], r['id']) not in idx:
        print('FAIL: the index lacks', r['id']); bad += 1
pre = 'https://github.com/mpmlint/mpmlint/blob/main/'
drv = sarif['runs'][0]['tool']['driver']
for r in drv['rules']:
    u = r['helpUri']
    if not u.startswith(pre) or not os.path.isfile(os.path.join(root, u[len(pre):])):
        print('FAIL: helpUri opens no page:', u); bad += 1
if len(drv['rules']) != len(rules):
    print('FAIL: SARIF rules', len(drv['rules']), 'catalogue', len(rules)); bad += 1
print('checked', len(rules), 'rules')
sys.exit(1 if bad else 0)
PY
check "pages, index and helpUri for every rule" test $? -eq 0
lib_summary rule-docs
