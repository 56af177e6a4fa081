#!/bin/sh
# One sharded training run (cronjob-train.yaml runs this in a kubectl image):
#   Indexed Job (every shard) -> wait for complete -> finalize Job (gate + atomic switch) -> wait.
# Exits non-zero on any failure, so the CronJob's Job is marked failed; serving stays on the model
# it had unless the finalize Job succeeded. A run that cannot finish (the shards or the finalize Job
# failed) is marked failed by an abort Job (`--abort --run`), which deletes its partial rows, rather
# than left `training` until the next training run takes it for abandoned.
#
# Environment: NAMESPACE (the pod's namespace, from the downward API); TRAIN_RUN_ID to reuse a given
# id (default train-<UTC timestamp>); TEMPLATES (default: this script's directory).
set -eu

NAMESPACE="${NAMESPACE:?NAMESPACE is not set}"
TEMPLATES="${TEMPLATES:-$(dirname "$0")}"
SHARDS_TIMEOUT=3600   # seconds; the shards Job's own activeDeadlineSeconds is 3600 too
FINALIZE_TIMEOUT=900
ABORT_TIMEOUT=300     # the abort Job's activeDeadlineSeconds

RUN_ID="${TRAIN_RUN_ID:-train-$(date -u +%Y%m%d%H%M%S)}"
# It names the Jobs (matinee-RUN_ID-finalize) and their pods (matinee-RUN_ID-INDEX): DNS labels.
case "$RUN_ID" in
  "" | *[!a-z0-9-]* | -* | *-) echo "train: run id '$RUN_ID' must be lowercase letters, digits and inner dashes" >&2; exit 2 ;;
esac
if [ "${#RUN_ID}" -gt 40 ]; then echo "train: run id '$RUN_ID' is longer than 40 characters" >&2; exit 2; fi

k() { kubectl --namespace "$NAMESPACE" "$@"; }

# Train with the image that serves, so shards, finalize and the servers agree on the schema and
# the model format.
IMAGE="$(k get deployment matinee -o jsonpath='{.spec.template.spec.containers[?(@.name=="matinee")].image}')"
if [ -z "$IMAGE" ]; then echo "train: no matinee container in deployment/matinee" >&2; exit 1; fi

# render TEMPLATE: the Job manifest with this run's id and image filled in.
render() {
  sed -e "s|__RUN_ID__|$RUN_ID|g" -e "s|__IMAGE__|$IMAGE|g" "$TEMPLATES/$1"
}

# wait_complete JOB SECONDS: returns once JOB is Complete; fails as soon as it is Failed, or when
# SECONDS have passed. (kubectl wait watches for one condition only, so it waits in 30 s slices
# and looks for Failed in between.)
wait_complete() {
  deadline=$(( $(date +%s) + $2 ))
  until k wait --for=condition=complete --timeout=30s "$1" >/dev/null 2>&1; do
    if [ "$(k get "$1" -o jsonpath='{.status.conditions[?(@.type=="Failed")].status}')" = "True" ]; then
      echo "train: $1 failed: $(k get "$1" -o jsonpath='{.status}')" >&2
      return 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "train: $1 not complete after $2 s: $(k get "$1" -o jsonpath='{.status}')" >&2
      return 1
    fi
  done
  echo "train: $1 complete"
}

# abort_run: mark the run failed and delete its rows (train.cjs --abort), then exit 1. The shards Job
# has failed (Kubernetes stops its pods) or run past its deadline; a shard still running stops at
# its next look at the run. Whether or not the abort Job succeeds, this run has failed.
abort_run() {
  echo "train: marking run $RUN_ID failed" >&2
  if abort_job="$(render job-abort.yaml | k create -f - -o name)"; then
    echo "train: created $abort_job"
    wait_complete "$abort_job" "$ABORT_TIMEOUT" || echo "train: $abort_job did not complete: run $RUN_ID may still be running (train.cjs --abort --run $RUN_ID marks it failed)" >&2
  fi
  exit 1
}

echo "train: run $RUN_ID on $IMAGE in namespace $NAMESPACE"

shards_job="$(render job-shards.yaml | k create -f - -o name)"
echo "train: created $shards_job"
wait_complete "$shards_job" "$SHARDS_TIMEOUT" || abort_run

finalize_job="$(render job-finalize.yaml | k create -f - -o name)"
echo "train: created $finalize_job"
wait_complete "$finalize_job" "$FINALIZE_TIMEOUT" || abort_run

echo "train: run $RUN_ID finalized; serving switched to its model"
