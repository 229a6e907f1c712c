#!/usr/bin/python3
"""Scheduler benchmark: how late fires start (100 fires of a 1-second interval schedule running a trivial
pipeline as child processes) and the daemon's idle CPU. Needs the classes built (mvn -pl flywheel-cli -am
test-compile) and the CLI class path in $FLYWHEEL_BENCH_CP (see docs/benchmarks-schedule.md)."""
import json, os, sqlite3, statistics, subprocess, sys, tempfile, time

JAVA = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")
CP = os.environ["FLYWHEEL_BENCH_CP"]
FIRES = int(os.environ.get("FIRES", "100"))
IDLE_SECONDS = int(os.environ.get("IDLE_SECONDS", "60"))


def cli(home, *args):
    out = subprocess.run([JAVA, "-XX:TieredStopAtLevel=1", "-cp", CP, "dev.flywheel.cli.Main", "--home", home, *args],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"flywheel {' '.join(args)} failed: {out.stderr}")
    return out.stdout


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def lateness():
    home = os.path.join(tempfile.mkdtemp(prefix="flywheel-bench-"), ".flywheel")
    cli(home, "init")
    start = time.time() + 5
    start_iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(start)))
    end_iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(start) + FIRES))
    sid = json.loads(cli(home, "schedules", "create", "hello", "--interval", "1s", "--start", start_iso, "--end", end_iso,
                         "--catch-up", "ALL", "--max-concurrent", "20", "--json"))["id"]
    cli(home, "scheduler", "start", "--poll-interval", "1s", "--webhook-port", "-1")
    try:
        deadline = time.time() + FIRES + 300
        while time.time() < deadline:
            db = sqlite3.connect(os.path.join(home, "flywheel.db"))
            done = db.execute("SELECT COUNT(*) FROM fires WHERE source_id = ? AND state IN ('SUCCEEDED','FAILED','SKIPPED')",
                              (sid,)).fetchone()[0]
            db.close()
            if done >= FIRES:
                break
            time.sleep(2)
    finally:
        cli(home, "scheduler", "stop")
    db = sqlite3.connect(os.path.join(home, "flywheel.db"))
    rows = db.execute("SELECT f.fire_time, f.launched_at, r.started_at, f.state FROM fires f LEFT JOIN runs r ON r.id = f.run_id "
                      "WHERE f.source_id = ?", (sid,)).fetchall()
    decision = [l - t for t, l, _, _ in rows if l is not None]
    started = [s - t for t, _, s, _ in rows if s is not None]
    states = {}
    for r in rows:
        states[r[3]] = states.get(r[3], 0) + 1
    return {"fires": len(rows), "states": states,
            "launch_ms": {"median": statistics.median(decision), "p99": pct(decision, 99), "max": max(decision)},
            "run_started_ms": {"median": statistics.median(started), "p99": pct(started, 99), "max": max(started)}}


def idle_cpu():
    home = os.path.join(tempfile.mkdtemp(prefix="flywheel-idle-"), ".flywheel")
    cli(home, "init")
    cli(home, "schedules", "create", "hello", "--interval", "1d", "--start", "2099-01-01T00:00:00Z")
    cli(home, "scheduler", "start", "--poll-interval", "1s")
    try:
        pid = json.loads(cli(home, "scheduler", "status", "--json"))["pid"]
        time.sleep(5)
        hz = os.sysconf("SC_CLK_TCK")
        t0, c0 = time.time(), cpu_ticks(pid)
        time.sleep(IDLE_SECONDS)
        t1, c1 = time.time(), cpu_ticks(pid)
        return {"seconds": round(t1 - t0, 1), "cpu_seconds": (c1 - c0) / hz, "cpu_percent_of_one_core": round(100 * (c1 - c0) / hz / (t1 - t0), 3)}
    finally:
        cli(home, "scheduler", "stop")


if __name__ == "__main__":
    result = {"idle": idle_cpu(), "lateness": lateness()}
    print(json.dumps(result, indent=2))
