#!/usr/bin/env bash
# apt-get update + install "$@" (as root), for setup.sh. Another apt-get or dpkg (unattended-upgrades,
# a second setup.sh, a provisioning script) may hold apt's locks for a while: wait for it instead of
# failing at once.
#   apt-get install waits on the dpkg lock itself with DPkg::Lock::Timeout. apt-get update takes the
#   lists lock, which that option does not cover on every apt: it is retried while the lock is held.
#   PACE_APT_LOCK_TIMEOUT   how long to wait for a lock, in seconds (default 600)
#   PACE_APT_RETRY_SECONDS  pause between two tries of apt-get update (default 5)
set -euo pipefail

TIMEOUT=${PACE_APT_LOCK_TIMEOUT:-600}
PAUSE=${PACE_APT_RETRY_SECONDS:-5}
export DEBIAN_FRONTEND=noninteractive

err=$(mktemp)
trap 'rm -f "$err"' EXIT
deadline=$(( $(date +%s) + TIMEOUT ))
until apt-get update -qq -o DPkg::Lock::Timeout="$TIMEOUT" 2>"$err"; do
  if grep -qiE 'could not get lock|unable to lock|another process' "$err" && [ "$(date +%s)" -lt "$deadline" ]; then
    echo "apt-install.sh: another apt-get or dpkg holds the lock; trying again in ${PAUSE}s" >&2
    sleep "$PAUSE"
  else
    cat "$err" >&2
    echo "apt-install.sh: apt-get update failed" >&2
    exit 1
  fi
done
apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout="$TIMEOUT" "$@" >/dev/null
