# examples.py ROOT MPMLINT_DIR - the checks of tests/ci-examples.sh:
# action.yml run step by step (actrun.py) on sample configurations, and
# the README's CI examples (GitHub workflow, GitLab job, pre-commit)
# parsed and run.  Prints FAIL lines and "ci-examples: N passed, M failed".
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import actrun  # noqa: E402

ROOT, BIN = sys.argv[1], sys.argv[2]
MPMLINT = os.path.join(BIN, 'mpmlint')
npass = nfail = 0


def check(ok, what):
    global npass, nfail
    if ok:
        npass += 1
    else:
        nfail += 1
        print('FAIL:', what)
    return ok


LOAD = 'LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so'
WARN = 'Listen 80\nThreadsPerChild 25\nMaxRequestWorkers 410\n'


def workspace(files):
    d = tempfile.mkdtemp(prefix='ci-examples.')
    for name, text in files.items():
        p = os.path.join(d, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, 'w') as f:
            f.write(text)
    return d


def sarif_results(path):
    d = json.load(open(path))
    assert d['version'] == '2.1.0'
    return d['runs'][0]['results']


def uris(res):
    return sorted(set(r['locations'][0]['physicalLocation']
                      ['artifactLocation']['uri'] for r in res))


ACTION = yaml.safe_load(open(os.path.join(ROOT, 'action.yml')))


def action(with_, files, **kw):
    ws = workspace(files)
    st, out, log, ctx = actrun.run_action(ACTION, with_, ROOT, ws, **kw)
    return ws, st, out, log, ctx


# ---- action.yml ---------------------------------------------------------

check(ACTION['runs']['using'] == 'composite', 'a composite action')
for k in ('files', 'root', 'mpm', 'format', 'fail-on', 'baseline'):
    check(k in ACTION['inputs'], 'input %s' % k)
check(set(ACTION['outputs']) >= {'sarif-file', 'exit-code'},
      'outputs sarif-file and exit-code')
steps = ACTION['runs']['steps']
inst = [s for s in steps if 'apt-get install' in s.get('run', '')]
check(len(inst) == 1 and all(p in inst[0]['run'] for p in
      'gcc make bison pkg-config libyaml-dev libpcre2-dev'.split()),
      'installs the build dependencies')
check(not re.search(r'apache2|cmocka|mandoc|python3-yaml',
                    inst[0]['run'] if inst else ''),
      'installs build dependencies only')
check(any(s.get('uses', '').startswith('actions/cache@') for s in steps),
      'caches the build')
# inputs never pasted into a script: only env: carries them
for s in steps:
    check('inputs.' not in s.get('run', ''),
          'step %r: no ${{ inputs }} in run:' % s.get('name'))

# 1. defaults: findings, annotations, SARIF, a failing step
conf = {'conf/httpd.conf': LOAD + '\n' + WARN}
ws, st, out, log, ctx = action({'files': 'conf/httpd.conf'}, conf)
check(st == 'failure', 'findings fail the action (%s)' % st)
check(out['exit-code'] == '1', 'exit-code 1: %r' % out)
check(out['sarif-file'] == 'mpmlint.sarif', 'sarif-file output: %r' % out)
sp = os.path.join(ws, out['sarif-file'])
res = sarif_results(sp) if os.path.isfile(sp) else []
check([r['ruleId'] for r in res] == ['MPM006'], 'SARIF has MPM006: %r' % res)
check(uris(res) == ['conf/httpd.conf'], 'SARIF uri: %r' % uris(res))
check(re.search(r'^::warning file=conf/httpd\.conf,line=4,col=19,'
                r'title=MPM006::AH00513', log, re.M) is not None,
      'a github annotation in the log:\n' + log)
check('mpmlint exited 1' in log, 'the last step says why it failed')
built = os.path.join(ROOT, 'build', 'mpmlint')
check(os.access(built, os.X_OK), 'the action built build/mpmlint')
cache = [v for v in ctx.steps.values() if '_key' in v]
check(len(cache) == 1 and cache[0]['_path'] == os.path.join(ROOT, 'build')
      and re.fullmatch(r'mpmlint-build-Linux-X64-[0-9a-f]{32}',
                       cache[0]['_key']) is not None,
      'cache path and key: %r' % cache)
shutil.rmtree(ws)

# 2. a cache hit skips the build; fail-on: never passes
ws, st, out, log, ctx = action({'files': 'conf/httpd.conf',
                                'fail-on': 'never'}, conf, cache_hit=True)
check(st == 'success' and out['exit-code'] == '0',
      'fail-on never: success, exit-code 0 (%s %r)' % (st, out))
check('## skipped: Build mpmlint' in log, 'a cache hit skips the build')
check('## skipped: Fail on findings' in log, 'nothing to fail on')
check(len(sarif_results(os.path.join(ws, 'mpmlint.sarif'))) == 1,
      'the SARIF log still holds the finding')
shutil.rmtree(ws)

# 3. the cache key follows the sources
src = tempfile.mkdtemp(prefix='ci-src.')
for d in ('parser', 'rules', 'conv', 'cli', 'refserver', 'scripts'):
    if os.path.isdir(os.path.join(ROOT, d)):
        shutil.copytree(os.path.join(ROOT, d), os.path.join(src, d))
shutil.copy(os.path.join(ROOT, 'Makefile'), src)
keystep = {'name': 'key', 'runs': {'using': 'composite', 'steps': [
    s for s in steps if s.get('id') == 'key']}, 'inputs': {}}


def key_of(path):
    _, _, _, c = actrun.run_action(keystep, {}, path, src)
    return c.steps['key']['key']


k1, k1b = key_of(src), key_of(src)
with open(os.path.join(src, 'cli', 'output.c'), 'a') as f:
    f.write('/* changed */\n')
k2 = key_of(src)
check(k1 == k1b and k1 != k2, 'the key is stable and changes with a '
      'source: %s %s %s' % (k1, k1b, k2))
shutil.rmtree(src)

# 4. baseline: only new findings fail
ws = workspace(conf)
subprocess.run([MPMLINT, '--write-baseline', 'base.txt', 'conf/httpd.conf'],
               cwd=ws, stdout=subprocess.DEVNULL)
st, out, log, _ = actrun.run_action(
    ACTION, {'files': 'conf/httpd.conf', 'baseline': 'base.txt'}, ROOT, ws)
check(st == 'success' and out['exit-code'] == '0',
      'baseline: success (%s %r)' % (st, out))
check(sarif_results(os.path.join(ws, 'mpmlint.sarif')) == [],
      'baseline: no SARIF result')
with open(os.path.join(ws, 'conf/httpd.conf'), 'a') as f:
    f.write('StartServers 0x\n')
st, out, log, _ = actrun.run_action(
    ACTION, {'files': 'conf/httpd.conf', 'baseline': 'base.txt'}, ROOT, ws)
check(out['exit-code'] == '1' and [r['ruleId'] for r in sarif_results(
    os.path.join(ws, 'mpmlint.sarif'))] != [],
      'baseline: a new finding fails (%r)' % out)
shutil.rmtree(ws)

# 5. root: a Debian tree checked out in the workspace
tree = {'etc/apache2/apache2.conf':
        'ServerRoot /etc/apache2\nIncludeOptional mods-enabled/*.load\n'
        + WARN,
        'etc/apache2/mods-enabled/mpm_event.load': LOAD + '\n'}
ws, st, out, log, _ = action({'files': 'etc/apache2/apache2.conf',
                              'root': '.', 'sarif-file': 'out/x.sarif'},
                             tree)
res = sarif_results(os.path.join(ws, 'out/x.sarif')) \
    if os.path.isfile(os.path.join(ws, 'out/x.sarif')) else None
check(res is not None and out['sarif-file'] == 'out/x.sarif',
      'sarif-file input: %r' % out)
check(res is not None and [r['ruleId'] for r in res] == ['MPM006'],
      'root: the MPM is found under the tree: %r' % res)
shutil.rmtree(ws)

# 6. mpm, format, args, several files
frag = {'a.conf': WARN, 'b.conf': 'ThreadsPerChild 30\nMaxRequestWorkers 100\n'}
ws, st, out, log, _ = action({'files': 'a.conf  b.conf', 'mpm': 'event',
                              'format': 'json', 'args': '--no-config'},
                             frag)
res = sarif_results(os.path.join(ws, 'mpmlint.sarif'))
check(uris(res) == ['a.conf', 'b.conf'] and
      'MPM001' not in [r['ruleId'] for r in res],
      'mpm event, two files: %r' % [(r['ruleId'], uris([r])) for r in res])
check('"findings"' in log and '::warning' not in log,
      'format json in the log')
shutil.rmtree(ws)

# 7. unreadable file: exit-code 2; an input is data, not shell
ws, st, out, log, _ = action({'files': 'missing.conf $(touch pwned)'}, {})
check(st == 'failure' and out['exit-code'] == '2',
      'a missing file: exit-code 2 (%r)' % out)
check(not os.path.exists(os.path.join(ws, 'pwned')),
      'inputs are not run as shell')
shutil.rmtree(ws)

# ---- README.md's CI examples --------------------------------------------

readme = open(os.path.join(ROOT, 'README.md')).read()


def section(title):
    m = re.search(r'^### %s\n(.*?)(?=^##)' % re.escape(title), readme,
                  re.M | re.S)
    return m.group(1) if m else ''


def yaml_blocks(text):
    return re.findall(r'^```yaml\n(.*?)^```', text, re.M | re.S)


gh = yaml_blocks(section('GitHub Actions'))
gl = yaml_blocks(section('GitLab CI'))
pc = yaml_blocks(section('pre-commit'))
check(len(gh) >= 1 and len(gl) == 1 and len(pc) == 2,
      'README CI yaml blocks: %d %d %d' % (len(gh), len(gl), len(pc)))
for b in gh + gl + pc:
    try:
        yaml.safe_load(b)
        check(True, '')
    except yaml.YAMLError as e:
        check(False, 'README yaml block does not parse: %s\n%s' % (e, b))
check('MPMLINT_REPO' not in readme, 'no undefined $MPMLINT_REPO')

# the GitHub workflow, run: checkout is the workspace, the action runs
# with its with:, upload-sarif's sarif_file must name the SARIF log
wf = yaml.safe_load(gh[0])
job = list(wf['jobs'].values())[0]
check(job['permissions'].get('security-events') == 'write',
      'the workflow may upload SARIF')
ws = workspace(conf)
ctx = actrun.Ctx({}, ROOT, ws)
ran = uploaded = 0
for s in job['steps']:
    u = s.get('uses', '')
    if u.startswith('actions/checkout@'):
        continue
    if u.startswith('mpmlint/mpmlint@'):
        check(re.fullmatch(r'mpmlint/mpmlint@(main|[0-9a-f]{40})', u)
              is not None, 'the action is pinned to main or a SHA: ' + u)
        st, out, log, _ = actrun.run_action(ACTION, s.get('with', {}), ROOT,
                                            ws)
        ctx.steps[s['id']] = out
        ctx.status = st
        ran += 1
    elif u.startswith('github/codeql-action/upload-sarif@'):
        check(actrun.condition(s.get('if'), ctx),
              'upload-sarif runs after findings (if: %r)' % s.get('if'))
        f = actrun.substitute(s['with']['sarif_file'], ctx)
        p = os.path.join(ws, f)
        check(os.path.isfile(p) and sarif_results(p) != [],
              'upload-sarif gets the SARIF log: %r' % f)
        uploaded += 1
    else:
        check(False, 'unexpected step ' + u)
check(ran == 1 and uploaded == 1, 'workflow: the action and the upload')
shutil.rmtree(ws)
# the other GitHub snippets use only declared inputs
for b in gh[1:]:
    for s in yaml.safe_load(b):
        if s.get('uses', '').startswith('mpmlint/mpmlint@'):
            bad = set(s.get('with', {})) - set(ACTION['inputs'])
            check(not bad, 'undeclared inputs %r' % bad)

# the GitLab job: its script: as the runner runs it (bash -e -o pipefail,
# one shell), mpmlint on PATH; the before_script only builds and installs
job = list(yaml.safe_load(gl[0]).values())[0]
bs = '\n'.join(job['before_script'])
check('make -C' in bs and 'install' in bs and 'git clone' in bs and
      'MPMLINT' not in bs, 'the GitLab job builds from the repository')
report = job['artifacts']['reports']['codequality']
check(job['artifacts'].get('when') == 'always', 'the report is always kept')
env = actrun.base_env()
env['PATH'] = BIN + os.pathsep + env.get('PATH', '')
for files, want in ((conf, 1), ({'conf/httpd.conf': LOAD + '\nListen 80\n'},
                                0)):
    ws = workspace(files)
    p = subprocess.run(['bash', '--noprofile', '--norc', '-eo', 'pipefail',
                        '-c', '\n'.join(job['script'])], cwd=ws, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    check(p.returncode == want, 'GitLab script exits %d, want %d: %s' % (
        p.returncode, want, p.stdout.decode()))
    rp = os.path.join(ws, report)
    issues = json.load(open(rp)) if os.path.isfile(rp) else None
    check(isinstance(issues, list) and len(issues) == want and all(
        {'description', 'check_name', 'fingerprint', 'severity',
         'location'} <= set(i) for i in issues),
          'the code-quality report: %r' % issues)
    if want:
        check(b'conf/httpd.conf:4:19: warning' in p.stdout,
              'the findings in the job log')
    shutil.rmtree(ws)

# pre-commit: the config names the hook the repository defines, rev is
# not a tag that does not exist; the hook's entry and args run; its files
# pattern matches configuration files
cfg = yaml.safe_load(pc[0])
repo = cfg['repos'][0]
hooks = yaml.safe_load(open(os.path.join(ROOT, '.pre-commit-hooks.yaml')))
tags = subprocess.run(['git', '-C', ROOT, 'tag'], stdout=subprocess.PIPE,
                      stderr=subprocess.DEVNULL).stdout.decode().split()
rev = str(repo['rev'])
check(rev in tags or rev == 'main' or re.fullmatch(r'[0-9a-f]{40}', rev),
      'rev %r is a tag that exists, main or a commit SHA' % rev)
readme_hook = yaml.safe_load(pc[1])[0]
hook = [h for h in hooks if h['id'] == repo['hooks'][0]['id']]
check(len(hook) == 1, 'the hook id exists in .pre-commit-hooks.yaml')
hook = hook[0]
check(all(hook.get(k) == v for k, v in readme_hook.items()),
      'README shows .pre-commit-hooks.yaml as it is')
check(hook['language'] == 'system' and hook['pass_filenames'] is False,
      'a system hook given the main file')
pat = re.compile(hook['files'])
for f, want in (('etc/apache2/apache2.conf', True),
                ('etc/apache2/mods-available/mpm_event.load', True),
                ('.mpmlint.yaml', True), ('sub/.mpmlint.yaml', True),
                ('README.md', False), ('etc/apache2/envvars', False)):
    check(bool(pat.search(f)) == want, 'files pattern on %s' % f)
ws = workspace(tree)
p = subprocess.run([hook['entry']] + [str(a) for a in
                   repo['hooks'][0]['args']], cwd=ws, env=env,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
check(p.returncode == 1 and
      b'etc/apache2/apache2.conf:5:19: warning' in p.stdout,
      'the hook runs: %d %s' % (p.returncode, p.stdout.decode()))
shutil.rmtree(ws)

print('ci-examples: %d passed, %d failed' % (npass, nfail))
sys.exit(1 if nfail else 0)
