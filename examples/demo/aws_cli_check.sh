#!/usr/bin/env bash
# Checks that the AWS CLI gets correct answers from the loopback demo endpoint:
# `aws lightsail get-container-service-deployments --service-name demo` must return exactly the
# deployments the server served, and an unknown service must give the NotFoundException message.
#
# Usage: examples/demo/aws_cli_check.sh   (from anywhere; builds demo_server with cargo)
# Exits 0 when the check passes or when `aws` is not installed (skipped), non-zero on failure.
set -euo pipefail

if ! command -v aws >/dev/null 2>&1; then
    echo "aws_cli_check: SKIPPED: the aws CLI is not installed"
    exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "aws_cli_check: SKIPPED: python3 is needed to compare the JSON"
    exit 0
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cargo build --quiet -p lightsail-examples --bin demo_server
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
server_bin="$target/debug/demo_server"

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

"$server_bin" --timeout-secs 120 >"$tmp/server.out" 2>"$tmp/server.log" &
server_pid=$!
url=""
for _ in $(seq 1 100); do
    url="$(sed -n 's/^listening on //p' "$tmp/server.out")"
    [ -n "$url" ] && break
    sleep 0.1
done
if [ -z "$url" ]; then
    echo "aws_cli_check: FAILED: demo_server did not start" >&2
    cat "$tmp/server.log" >&2
    exit 1
fi
echo "aws_cli_check: demo endpoint $url ($(aws --version 2>&1))"

# Dummy credentials only; no profile, no config files, no instance metadata.
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
export AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null
export AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_PAGER=""
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_LIGHTSAIL

aws_call() {
    timeout 60 aws lightsail get-container-service-deployments --service-name "$1" \
        --endpoint-url "$url" --region us-east-1 --output json --cli-read-timeout 10 --cli-connect-timeout 10
}

if ! aws_call demo >"$tmp/cli.json" 2>"$tmp/cli.err"; then
    echo "aws_cli_check: FAILED: the CLI call for service demo failed:" >&2
    cat "$tmp/cli.err" "$tmp/server.log" >&2
    exit 1
fi
"$server_bin" --print-body demo >"$tmp/served.json"

python3 - "$tmp/cli.json" "$tmp/served.json" <<'PY'
import datetime, json, sys

cli = json.load(open(sys.argv[1]))
served = json.load(open(sys.argv[2]))

def epoch(value):
    """createdAt as epoch seconds: the CLI prints a number (v1) or an ISO 8601 string (v2)."""
    if isinstance(value, (int, float)):
        return float(value)
    text = value.replace("Z", "+00:00")
    return datetime.datetime.fromisoformat(text).timestamp()

def normalized(deployments):
    out = []
    for d in deployments:
        d = dict(d)
        d["createdAt"] = round(epoch(d["createdAt"]), 3)
        out.append(d)
    return out

got = normalized(cli.get("deployments", []))
want = normalized(served["deployments"])
if got != want:
    print("aws_cli_check: FAILED: the CLI's deployments differ from the served ones", file=sys.stderr)
    print("CLI:    " + json.dumps(got, sort_keys=True), file=sys.stderr)
    print("served: " + json.dumps(want, sort_keys=True), file=sys.stderr)
    sys.exit(1)
print("aws_cli_check: ok: %d deployments (versions %s) match" % (len(got), [d["version"] for d in got]))
PY

set +e
aws_call no-such-service >"$tmp/missing.out" 2>"$tmp/missing.err"
status=$?
set -e
expected='The container service "no-such-service" does not exist.'
if [ "$status" -eq 0 ] || ! grep -q "NotFoundException" "$tmp/missing.err" || ! grep -qF "$expected" "$tmp/missing.err"; then
    echo "aws_cli_check: FAILED: an unknown service should give NotFoundException: $expected (exit $status)" >&2
    cat "$tmp/missing.out" "$tmp/missing.err" >&2
    exit 1
fi
echo "aws_cli_check: ok: unknown service -> $(grep -F NotFoundException "$tmp/missing.err" | head -n 1)"
echo "aws_cli_check: PASSED"
