#!/usr/bin/env bash
# Fails (listing the files) when any C++ file differs from clang-format's output.
set -uo pipefail
cd "$(dirname "$0")/.."
bad=0
for f in $(git ls-files '*.cpp' '*.hpp' '*.h' 2>/dev/null || find include src tests -name '*.[ch]pp'); do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || { echo "not clang-formatted: $f"; bad=1; }
done
[ "$bad" -eq 0 ] && echo "check_format.sh: all files formatted"
exit "$bad"
