# actrun.py - run a composite GitHub Action's steps on this machine the
# way GitHub's runner does, for tests/ci-examples.sh.
#
# What is emulated: `${{ ... }}` expressions in `with:`, `env:`, `if:`
# and `run:` (inputs.*, github.*, runner.*, steps.*.outputs.*, env.*,
# success(), failure(), always(), ==, !=, &&, ||, !); inputs' defaults;
# `shell: bash` run as `bash --noprofile --norc -eo pipefail FILE` in the
# workspace with GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_WORKSPACE,
# RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP set; outputs read back from
# GITHUB_OUTPUT (NAME=VALUE lines and NAME<<EOF blocks).
# `uses: actions/cache@*` is a cache miss (or a hit with cache_hit=True)
# and nothing else; any other `uses:` is refused.
import os
import re
import subprocess
import tempfile

EXPR = re.compile(r'\$\{\{\s*(.*?)\s*\}\}', re.S)
TOKEN = re.compile(r"\s*(?:(\|\||&&|==|!=|!|\(|\))|'((?:[^']|'')*)'|"
                   r"([A-Za-z_][A-Za-z0-9_.-]*)(\(\))?|(\d+))")


class Ctx:
    def __init__(self, inputs, action_path, workspace, status='success'):
        self.inputs = inputs
        self.action_path = action_path
        self.workspace = workspace
        self.steps = {}
        self.env = {}
        self.status = status

    def lookup(self, name):
        parts = name.split('.')
        if parts[0] == 'inputs':
            return self.inputs.get(parts[1], '')
        if parts[0] == 'github':
            return {'action_path': self.action_path,
                    'workspace': self.workspace}.get(parts[1], '')
        if parts[0] == 'runner':
            return {'os': 'Linux', 'arch': 'X64'}.get(parts[1], '')
        if parts[0] == 'steps' and len(parts) == 4 and parts[2] == 'outputs':
            return self.steps.get(parts[1], {}).get(parts[3], '')
        if parts[0] == 'env':
            return self.env.get(parts[1], '')
        raise ValueError('unsupported expression name %r' % name)


def _tokens(s):
    out, i = [], 0
    while i < len(s):
        m = TOKEN.match(s, i)
        if not m or m.end() == i:
            if s[i:].strip() == '':
                break
            raise ValueError('cannot read expression %r at %d' % (s, i))
        i = m.end()
        if m.group(1):
            out.append(('op', m.group(1)))
        elif m.group(2) is not None:
            out.append(('str', m.group(2).replace("''", "'")))
        elif m.group(3):
            out.append(('call' if m.group(4) else 'name', m.group(3)))
        else:
            out.append(('str', m.group(5)))
    return out


def evaluate(expr, ctx):
    """The value of a GitHub expression: a string, or a bool."""
    toks = _tokens(expr)
    pos = [0]

    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else (None, None)

    def take():
        pos[0] += 1
        return toks[pos[0] - 1]

    def primary():
        kind, v = take()
        if kind == 'op' and v == '(':
            r = orexpr()
            take()
            return r
        if kind == 'op' and v == '!':
            return not truthy(primary())
        if kind == 'str':
            return v
        if kind == 'call':
            return {'success': ctx.status == 'success',
                    'failure': ctx.status == 'failure',
                    'always': True, 'cancelled': False}[v]
        if kind == 'name':
            if v in ('true', 'false'):
                return v == 'true'
            return ctx.lookup(v)
        raise ValueError('unexpected %r in %r' % (v, expr))

    def cmp():
        a = primary()
        while peek() in (('op', '=='), ('op', '!=')):
            op = take()[1]
            b = primary()
            eq = str(a).lower() == str(b).lower() if isinstance(a, bool) or \
                isinstance(b, bool) else a == b
            a = eq if op == '==' else not eq
        return a

    def andexpr():
        a = cmp()
        while peek() == ('op', '&&'):
            take()
            b = cmp()
            a = b if truthy(a) else a
        return a

    def orexpr():
        a = andexpr()
        while peek() == ('op', '||'):
            take()
            b = andexpr()
            a = a if truthy(a) else b
        return a

    r = orexpr()
    if pos[0] != len(toks):
        raise ValueError('trailing tokens in %r' % expr)
    return r


def truthy(v):
    return v not in ('', False, None, '0', 0)


def substitute(text, ctx):
    def rep(m):
        v = evaluate(m.group(1), ctx)
        return ('true' if v else 'false') if isinstance(v, bool) else str(v)
    return EXPR.sub(rep, text)


def condition(cond, ctx):
    """A step's if: (implicitly wrapped in success() unless it calls a
    status function), with or without ${{ }}."""
    if cond is None:
        return ctx.status == 'success'
    cond = str(cond).strip()
    m = EXPR.fullmatch(cond)
    if m:
        cond = m.group(1)
    r = truthy(evaluate(cond, ctx))
    if not re.search(r'\b(success|failure|always|cancelled)\(\)', cond):
        r = r and ctx.status == 'success'
    return r


def read_outputs(path):
    out = {}
    with open(path) as f:
        lines = f.read().split('\n')
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r'^([^=<]+)<<(.+)$', line)
        if m:
            val = []
            i += 1
            while i < len(lines) and lines[i] != m.group(2):
                val.append(lines[i])
                i += 1
            out[m.group(1)] = '\n'.join(val)
        elif '=' in line:
            k, v = line.split('=', 1)
            out[k] = v
        i += 1
    return out


def base_env():
    """The environment a runner gives a step: no make or build settings
    of the test run leak in (B, OPT, SANFLAGS, MAKEFLAGS, ...)."""
    keep = ('PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'USER', 'SHELL')
    return {k: v for k, v in os.environ.items() if k in keep}


def run_action(action, with_, action_path, workspace, cache_hit=False,
               extra_env=None):
    """Run action (the parsed action.yml) with the inputs with_.
    Returns (status, outputs, log, ctx): status 'success' or 'failure',
    the action's outputs, the steps' combined output (stdout+stderr)
    and the context (ctx.steps holds every step's outputs)."""
    inputs = {}
    declared = action.get('inputs', {})
    for k in with_:
        if k not in declared:
            raise ValueError('unknown input %r' % k)
    for k, spec in declared.items():
        v = with_.get(k, (spec or {}).get('default', ''))
        if v is None:
            v = ''
        if isinstance(v, bool):
            v = 'true' if v else 'false'
        if (spec or {}).get('required') and str(v) == '':
            raise ValueError('input %r is required' % k)
        inputs[k] = str(v)
    ctx = Ctx(inputs, action_path, workspace)
    assert action['runs']['using'] == 'composite'
    log = []
    tmp = tempfile.mkdtemp(prefix='actrun.')
    for n, step in enumerate(action['runs']['steps']):
        sid = step.get('id', '_%d' % n)
        if not condition(step.get('if'), ctx):
            log.append('## skipped: %s\n' % step.get('name', sid))
            continue
        log.append('## %s\n' % step.get('name', sid))
        if 'uses' in step:
            if not step['uses'].startswith('actions/cache@'):
                raise ValueError('cannot emulate %s' % step['uses'])
            w = {k: substitute(str(v), ctx) for k, v in
                 step.get('with', {}).items()}
            if not w.get('path') or not w.get('key'):
                raise ValueError('actions/cache without path or key: %r' % w)
            ctx.steps[sid] = {'cache-hit': 'true' if cache_hit else '',
                              '_path': w['path'], '_key': w['key']}
            continue
        assert step.get('shell') == 'bash', 'shell: bash expected'
        env = base_env()
        env.update(extra_env or {})
        outf = os.path.join(tmp, 'output.%d' % n)
        open(outf, 'w').close()
        env.update({'GITHUB_ACTION_PATH': action_path,
                    'GITHUB_OUTPUT': outf, 'GITHUB_WORKSPACE': workspace,
                    'GITHUB_ACTIONS': 'true', 'CI': 'true',
                    'RUNNER_OS': 'Linux', 'RUNNER_ARCH': 'X64',
                    'RUNNER_TEMP': tmp})
        for k, v in (step.get('env') or {}).items():
            env[k] = substitute(str(v), ctx)
        script = os.path.join(tmp, 'step.%d.sh' % n)
        with open(script, 'w') as f:
            f.write(substitute(step['run'], ctx))
        p = subprocess.run(['bash', '--noprofile', '--norc', '-eo',
                            'pipefail', script], cwd=workspace, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        log.append(p.stdout.decode('utf-8', 'replace'))
        ctx.steps[sid] = read_outputs(outf)
        if p.returncode != 0:
            log.append('## exit %d\n' % p.returncode)
            ctx.status = 'failure'
    outputs = {k: substitute(str(v.get('value', '')), ctx)
               for k, v in (action.get('outputs') or {}).items()}
    return ctx.status, outputs, ''.join(log), ctx
