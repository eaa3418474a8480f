"""What the tools' check scripts share: the ok / FAIL log, running a tool with this
interpreter, and recognising a PNG file."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def run_tool(tool, *args):
    """(exit status, stdout, stderr) of tools/TOOL run with this interpreter."""
    p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", tool), *args],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return p.returncode, p.stdout, p.stderr


def is_png(path, min_bytes):
    if not os.path.isfile(path):
        return False
    with open(path, "rb") as f:
        return f.read(8) == b"\x89PNG\r\n\x1a\n" and os.path.getsize(path) >= min_bytes
