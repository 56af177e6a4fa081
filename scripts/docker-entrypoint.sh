#!/bin/sh
# Container start (Dockerfile ENTRYPOINT): prepare the embedded default on DATABASE_PATH, then
# replace this shell with the Next.js standalone server so it receives signals directly.
#
# The prepare step (prepare.cjs, bundled from scripts/prepare.ts by deploy/docker/bundle-prepare.mjs)
# applies migrations, loads the bundled catalog once, simulates users when there are no
# interactions and trains a model when none serves. Every step is skipped when already done, so
# restarts on an existing volume take a second; the first start on an empty volume took 12–30 s here.
set -eu

# Everything lives next to this script: server.js, prepare.cjs, drizzle/, .next/, node_modules/.
# server.js chdirs there too; the prepare step reads drizzle/ relative to the working directory.
cd "$(dirname "$0")"

DATABASE_PATH="${DATABASE_PATH:-/data/matinee.db}"
export DATABASE_PATH

# In the background, with TERM and INT passed on: as PID 1 (Kubernetes runs no init) the shell
# would otherwise ignore the SIGTERM of a pod deleted during a first start's prepare, which then
# waits out the grace period for its SIGKILL. prepare's steps are transactions: a stop loses
# nothing, and the next start goes on from there.
node prepare.cjs &
prepare_pid=$!
trap 'kill -TERM "$prepare_pid" 2>/dev/null || true' TERM INT
status=0
wait "$prepare_pid" || status=$?
# a signal ends `wait` early: wait again for prepare itself to stop
if [ "$status" -gt 128 ] && kill -0 "$prepare_pid" 2>/dev/null; then
  status=0
  wait "$prepare_pid" || status=$?
fi
trap - TERM INT
[ "$status" -eq 0 ] || exit "$status"

# Like `npm start`: without AUTH_SECRET, generate one once and keep it beside the database, so
# sessions survive restarts. Production deployments should set AUTH_SECRET from a secret store.
if [ -z "${AUTH_SECRET:-}" ]; then
  secret_file="$(dirname "$DATABASE_PATH")/.auth-secret"
  if [ ! -s "$secret_file" ]; then
    (umask 077 && node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64"))' >"$secret_file")
  fi
  echo "auth: AUTH_SECRET not set; using the generated secret in $secret_file (set AUTH_SECRET in production)" >&2
  AUTH_SECRET="$(cat "$secret_file")"
  export AUTH_SECRET
fi

exec node server.js
