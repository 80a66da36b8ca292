# SPDX-License-Identifier: GPL-2.0
"""KTAP results of the host tests in Python: ok() prints one, status()
is the exit status (1 when one failed)."""


class Ktap:
    def __init__(self, name):
        self.name = name
        self.n = 0
        self.failed = 0

    def ok(self, cond, desc):
        self.n += 1
        if not cond:
            self.failed += 1
        print(f"{'ok' if cond else 'not ok'} {self.n} {self.name}: {desc}")

    def status(self):
        return 1 if self.failed else 0
