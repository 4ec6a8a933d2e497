#!/bin/sh
# Gate a change of the Cognito/IAM setup in any CI, or as a git hook
# (docs/ci.md): compares BASE_REF (default origin/main) with the working
# tree, then runs the spec's assertions on the working tree.
#
#   docs/examples/gate.sh origin/main   # in CI, before merging
#   docs/examples/gate.sh HEAD          # as .git/hooks/pre-commit
#
# POOLSCOPE_INPUTS (default infra) and POOLSCOPE_SPEC (default
# poolscope-spec.toml) are relative to the repository root. Exits with the
# worst of the two exit codes of docs/cli.md: 2 (unreadable inputs or
# spec), then 1 (new access, a violated assertion), then 3 (undecided).
set -u
base_ref=${1:-origin/main}
inputs=${POOLSCOPE_INPUTS:-infra}
spec=${POOLSCOPE_SPEC:-poolscope-spec.toml}

cd "$(git rev-parse --show-toplevel)" || exit 2
base=$(mktemp -d) || exit 2
trap 'git worktree remove --force "$base/tree" >/dev/null 2>&1; rm -rf "$base"' EXIT
git worktree add --detach "$base/tree" "$base_ref" >/dev/null 2>&1 || {
    echo "gate.sh: cannot check out $base_ref" >&2
    exit 2
}

poolscope diff --base "$base/tree/$inputs" --head "$inputs"
diff_status=$?
poolscope check "$inputs" --spec "$spec"
check_status=$?

worst=0
for status in $diff_status $check_status; do
    case "$worst:$status" in
        2:*) ;;
        *:2) worst=2 ;;
        1:*) ;;
        *:1) worst=1 ;;
        *:3) worst=3 ;;
    esac
done
exit $worst
