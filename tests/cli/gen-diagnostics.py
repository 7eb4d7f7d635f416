#!/usr/bin/env python3
# gen-diagnostics.py - regenerate the DIAGNOSTICS section of man/mpmlint.1
# from the rule catalogue and rules/explain_*.def, through
# `mpmlint --list-rules -f json`.
#
#   python3 tests/cli/gen-diagnostics.py build/mpmlint man/mpmlint.1          # rewrite
#   python3 tests/cli/gen-diagnostics.py --check build/mpmlint man/mpmlint.1  # diff only
#
# The section lies between the two marker comments below; the rest of the
# page is written by hand.  The result is committed.
import json
import re
import subprocess
import sys

BEGIN = '.\\" BEGIN GENERATED DIAGNOSTICS: tests/cli/gen-diagnostics.py'
END = '.\\" END GENERATED DIAGNOSTICS'


def esc(s):
    """Escape text for roff: backslashes, and a leading dot or quote."""
    s = s.replace('\\', '\\e')
    if s.startswith('.') or s.startswith("'"):
        s = '\\&' + s
    return s


def fold(line, width=78):
    """Break a long sentence at spaces; mandoc -T lint wants <= 80 bytes."""
    out = []
    while len(line) > width and ' ' in line[:width]:
        cut = line.rfind(' ', 0, width)
        out.append(line[:cut])
        line = line[cut + 1:]
        if line.startswith(('.', "'")):
            line = '\\&' + line
    out.append(line)
    return out


def sentences(text, lead=''):
    """Each sentence starts a source line, as mdoc(7) asks."""
    out = []
    for part in re.split(r'(?<=[.?!"])  +', text.strip()):
        part = re.sub(r'\s+', ' ', part)
        if part:
            if lead:
                part = lead + ' ' + part
                lead = ''
            out += fold(esc(part))
    return out


def entry(r):
    lines = ['.It Sy %s Cm %s Pq %s' % (r['id'], r['name'], r['severity'])]
    summary = r['summary'][0].upper() + r['summary'][1:]
    if not summary.endswith('.'):
        summary += '.'
    lines += sentences(summary)
    for key, label in (('what', 'What httpd does:'),
                       ('why', 'Why it matters:'),
                       ('fix', 'How to fix it:')):
        if key in r:
            lines.append('.Pp')
            lines += sentences(r[key], label)
    if 'example' in r:
        lines.append('.Bd -literal -offset indent')
        lines += ['\\&' + l.replace('\\', '\\e') if l.startswith(('.', "'"))
                  else l.replace('\\', '\\e')
                  for l in r['example'].split('\n')]
        lines.append('.Ed')
    return lines


def generate(mpmlint):
    out = subprocess.run([mpmlint, '--list-rules', '-f', 'json'],
                         check=True, capture_output=True, text=True).stdout
    rules = json.loads(out)
    lines = [BEGIN,
             'Every finding names its rule id in brackets.',
             'The rules, with their default severity:',
             '.Bl -tag -width Ds']
    for r in rules:
        lines += entry(r)
    lines += ['.El', END]
    return '\n'.join(lines) + '\n'


def main(argv):
    check = False
    if argv and argv[0] == '--check':
        check = True
        argv = argv[1:]
    if len(argv) != 2:
        sys.stderr.write('usage: gen-diagnostics.py [--check] MPMLINT PAGE\n')
        return 2
    mpmlint, page = argv
    text = open(page).read()
    b = text.find(BEGIN)
    e = text.find(END)
    if b < 0 or e < 0:
        sys.stderr.write('%s: no generated DIAGNOSTICS markers\n' % page)
        return 1
    e += len(END) + 1
    new = text[:b] + generate(mpmlint) + text[e:]
    if check:
        if new != text:
            sys.stderr.write('%s: DIAGNOSTICS is out of date; run '
                             'tests/cli/gen-diagnostics.py\n' % page)
            return 1
        return 0
    with open(page, 'w') as f:
        f.write(new)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
