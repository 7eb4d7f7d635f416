"""tally.py - the count a Python test script keeps.

result() counts one check and prints "FAIL name: why" for a failed one;
missing() says a binary is not built; summary() prints the script's last
line, "NAME: N passed, M failed", and gives its exit status.  Shared by
tests/hostile/caps.py, formats.py and tests/differential/readtime.py.
Standard library only; import it with tests/lib on sys.path.
"""

import os


class Tally:
    def __init__(self, name):
        self.name = name
        self.passed = self.failed = 0

    def result(self, ok, name, why=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL %s%s" % (name, ": " + why if why else ""))

    def missing(self, *paths):
        """The first of paths that is not an executable, after its FAIL
        line and a summary of one failure; None when all are there."""
        for x in paths:
            if not os.access(x, os.X_OK):
                print("FAIL: %s not built" % x)
                print("%s: 0 passed, 1 failed" % self.name)
                return x
        return None

    def summary(self):
        print("%s: %d passed, %d failed"
              % (self.name, self.passed, self.failed))
        return 1 if self.failed else 0
