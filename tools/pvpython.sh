#!/usr/bin/env bash
# Runs a pvpython script headless: finds pvpython (PATH, or /opt/pvpython where
# tools/install_deps.sh unpacks Debian's python3-paraview) and starts it under a
# private Xvfb display with a 24-bit screen (ParaView's OpenGL needs one).
#   tools/pvpython.sh SCRIPT.py [ARGS...]
set -uo pipefail
pv=$(command -v pvpython || true)
[ -n "$pv" ] || pv=/opt/pvpython/usr/bin/pvpython
[ -x "$pv" ] || { echo "pvpython.sh: pvpython not found (run tools/install_deps.sh)" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "pvpython.sh: xvfb-run not found (apt-get install xvfb)" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# On a busy machine ParaView sometimes cannot connect to a just-started Xvfb ("bad X
# server connection"); that says nothing about the script, so try a fresh display.
for attempt in 1 2 3; do
  xvfb-run -a -n $((100 + ($$ + 97 * attempt) % 800)) -s "-screen 0 1280x1024x24" "$pv" "$@" 2>"$log"
  status=$?
  if [ "$status" -ne 0 ] && grep -q "bad X server connection" "$log"; then
    echo "pvpython.sh: Xvfb connection failed (attempt $attempt), retrying" >&2
    sleep 1
    continue
  fi
  cat "$log" >&2
  exit "$status"
done
cat "$log" >&2
exit "$status"
