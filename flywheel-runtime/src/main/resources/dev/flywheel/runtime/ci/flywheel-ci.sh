#!/bin/sh
# Flywheel's CI entry point, written by `flywheel ci init`. Any CI system can call it; the generated GitHub and GitLab
# workflows do.
#
#   ci/flywheel-ci.sh pull-request   staging run, judged against production; report in $FLYWHEEL_REPORT_DIR
#   ci/flywheel-ci.sh main           the same run on the merged code, then the accepted version goes to production
#
# Exit codes: 0 the gate passed (and, on main, production was updated); 20 the gate rejected the new version (fail
# the check; nothing reaches production); anything else: the run or the release failed (see the log).
# Secrets come from the environment the CI system gives (database password, S3 keys); none is written here.
set -eu

PIPELINE="${FLYWHEEL_PIPELINE:-{{pipeline}}}"
STAGING_STACK="${FLYWHEEL_STAGING_STACK:-{{staging}}}"
PRODUCTION_STACK="${FLYWHEEL_PRODUCTION_STACK:-{{production}}}"
REPORT_DIR="${FLYWHEEL_REPORT_DIR:-flywheel-report}"
FLYWHEEL="${FLYWHEEL:-flywheel}"
# Extra arguments of the run, such as parameters a pull request changes: -p train_xgboost.rounds=60
RUN_ARGS="${FLYWHEEL_RUN_ARGS:-}"

run_staging() {
    mkdir -p "$REPORT_DIR"
    $FLYWHEEL run "$PIPELINE" --stack "$STAGING_STACK" --baseline-stack "$PRODUCTION_STACK" \
        --report "$REPORT_DIR/report.md" --report-json "$REPORT_DIR/report.json" $RUN_ARGS
}

case "${1:-}" in
    pull-request)
        run_staging
        ;;
    main)
        run_staging
        $FLYWHEEL ci release --report "$REPORT_DIR/report.json" --deploy
        ;;
    *)
        echo "usage: $0 pull-request|main" >&2
        exit 2
        ;;
esac
