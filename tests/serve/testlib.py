"""testlib.py - what the Python clients of the asl2c serve tests share:
counting checks as tests/setup.sh does (ok, fail)."""
import sys

PASSED = 0


def ok(what):
    global PASSED
    PASSED += 1
    print("ok: " + what, flush=True)


def fail(what):
    print("FAIL: " + what, file=sys.stderr, flush=True)
    sys.exit(1)


def done(name):
    print("%s: %d passed, 0 failed" % (name, PASSED))
