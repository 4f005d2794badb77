#!/usr/bin/env bash
# Drops stale test executables from the shared cargo target directory.
#
# Every checkout of this repository (ours and CI's fresh clones) builds its own
# set of test binaries in the same target directory, under different hashes, and
# a changed dependency set leaves the old ones behind. Only the newest binary of
# each name is kept; cargo relinks any other it still needs.
set -euo pipefail
deps="${1:?usage: prune-test-binaries.sh TARGET_DIR/debug/deps}"
[ -d "$deps" ] || exit 0
find "$deps" -maxdepth 1 -type f -executable -printf '%T@ %f\n' \
  | sort -rn \
  | awk '{ name = $2; sub(/-[0-9a-f]+$/, "", name); if (seen[name]++) print $2 }' \
  | while read -r stale; do rm -f -- "$deps/$stale"; done
