#!/usr/bin/env bash
# Runs a pvpython script headless: finds pvpython (PATH, or /opt/pvpython where
# tools/install_deps.sh unpacks Debian's python3-paraview) and starts it on a
# private Xvfb display with a 24-bit screen (ParaView's OpenGL needs one).
#   tools/pvpython.sh SCRIPT.py [ARGS...]
#
# Xvfb is started here rather than through xvfb-run: with -displayfd the server
# picks a free display itself and names it only once it accepts connections, so
# parallel tests on a busy machine neither race for a display number nor connect
# too early (xvfb-run did both, and ParaView aborted with "bad X server connection").
set -uo pipefail
pv=$(command -v pvpython || true)
[ -n "$pv" ] || pv=/opt/pvpython/usr/bin/pvpython
[ -x "$pv" ] || { echo "pvpython.sh: pvpython not found (run tools/install_deps.sh)" >&2; exit 1; }
command -v Xvfb >/dev/null || { echo "pvpython.sh: Xvfb not found (apt-get install xvfb)" >&2; exit 1; }

work=$(mktemp -d)
xvfb_pid=
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# Starts Xvfb and sets $display; returns non-zero (after printing Xvfb's own
# messages) when the server dies or is not ready within 60 s.
start_xvfb() {
  : >"$work/display"
  Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp -ac 3>"$work/display" 2>"$work/xvfb.log" &
  xvfb_pid=$!
  for _ in $(seq 600); do
    if grep -q '^[0-9][0-9]*$' "$work/display" 2>/dev/null; then
      display=:$(head -n1 "$work/display")
      return 0
    fi
    kill -0 "$xvfb_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "pvpython.sh: Xvfb did not start; its messages:" >&2
  cat "$work/xvfb.log" >&2
  kill "$xvfb_pid" 2>/dev/null
  wait "$xvfb_pid" 2>/dev/null
  xvfb_pid=
  return 1
}

status=1
for attempt in 1 2 3 4 5; do
  start_xvfb || { sleep 1; continue; }
  DISPLAY=$display "$pv" "$@" 2>"$work/pv.log"
  status=$?
  if [ "$status" -ne 0 ] && grep -q "bad X server connection" "$work/pv.log"; then
    alive=$(kill -0 "$xvfb_pid" 2>/dev/null && echo "still running" || echo "gone")
    echo "pvpython.sh: could not connect to Xvfb on $display (attempt $attempt; the server is $alive); its messages:" >&2
    cat "$work/xvfb.log" >&2
    kill "$xvfb_pid" 2>/dev/null
    wait "$xvfb_pid" 2>/dev/null
    xvfb_pid=
    sleep 1
    continue
  fi
  cat "$work/pv.log" >&2
  exit "$status"
done
[ -f "$work/pv.log" ] && cat "$work/pv.log" >&2
exit "$status"
