#!/usr/bin/env bash
# Seeds the fuzz corpora from the conformance cases: each case's definition
# (target `definition`), every string in a definition that starts with `$`
# (`jsonpath`) and every intrinsic call (`intrinsic`). The corpus is built
# at run time and never committed (see .gitignore).
#
# Usage: ./init_corpus.sh [CASES_DIR]   (default /work/shared/conformance/cases)
set -euo pipefail

cases="${1:-/work/shared/conformance/cases}"
here="$(cd "$(dirname "$0")" && pwd)"
command -v jq >/dev/null || { echo "init_corpus.sh needs jq" >&2; exit 1; }
[ -d "$cases" ] || { echo "no conformance cases at $cases" >&2; exit 1; }

mkdir -p "$here/corpus/definition" "$here/corpus/jsonpath" "$here/corpus/intrinsic"

# Writes stdin to corpus/$1/<sha1 of the content>, as cargo fuzz names inputs.
save() {
    local tmp
    tmp="$(mktemp)"
    cat >"$tmp"
    mv "$tmp" "$here/corpus/$1/$(sha1sum <"$tmp" | cut -d' ' -f1)"
}

find "$cases" -name '*.json' -print0 | while IFS= read -r -d '' case; do
    jq -c '.definition' "$case" | save definition
    jq -r '.definition | .. | strings | select(startswith("$"))' "$case" | while IFS= read -r path; do
        printf '%s' "$path" | save jsonpath
    done
    jq -r '.definition | .. | strings | select(test("^States\\.[A-Za-z0-9]+\\("))' "$case" | while IFS= read -r call; do
        printf '%s' "$call" | save intrinsic
    done
done

for target in definition jsonpath intrinsic; do
    echo "$target: $(find "$here/corpus/$target" -type f | wc -l) inputs"
done
