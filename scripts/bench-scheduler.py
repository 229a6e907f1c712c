#!/usr/bin/python3
"""Scheduler benchmark (see docs/benchmarks-schedule.md):
  idle   - the daemon's CPU over 60 s with nothing due (poll interval 1 s)
  spawn  - 100 fires of a 1-second schedule whose "run" is a stub launcher script that only records when it
           started: the daemon's launch decision plus process spawn, without a JVM per run
  jvm    - fires of a 3-second schedule running the trivial 'hello' pipeline through 'flywheel run' in a child
           JVM: when the run is recorded as started, relative to the fire's due time
Needs the classes built (mvn -pl flywheel-cli -am test-compile) and the CLI class path in $FLYWHEEL_BENCH_CP."""
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


def lateness(fires, interval, stub):
    home = os.path.join(tempfile.mkdtemp(prefix="flywheel-bench-"), ".flywheel")
    cli(home, "init")
    start = time.time() + 8
    start_iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(start)))
    end_iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(start) + fires * interval))
    sid = json.loads(cli(home, "schedules", "create", "hello", "--interval", f"{interval}s", "--start", start_iso, "--end", end_iso,
                         "--catch-up", "ALL", "--max-concurrent", "20", "--json"))["id"]
    env_launcher = None
    stamps = os.path.join(os.path.dirname(home), "stub-starts.txt")
    if stub:
        env_launcher = os.path.join(os.path.dirname(home), "stub-launcher.sh")
        with open(env_launcher, "w") as f:
            # args: --home H run NAME --trigger T ...; records its own start time and the trigger, then exits
            f.write(f"#!/bin/sh\necho \"$(date +%s%3N) $6\" >> {stamps}\n")
        os.chmod(env_launcher, 0o755)
        os.environ["FLYWHEEL_LAUNCHER"] = env_launcher
    cli(home, "scheduler", "start", "--poll-interval", "1s", "--webhook-port", "-1")
    os.environ.pop("FLYWHEEL_LAUNCHER", None)
    FIRES = fires
    try:
        deadline = time.time() + FIRES * interval + 300
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
    if stub:
        due = {f"schedule:{sid}@" + time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t / 1000)): t for t, _, _, _ in rows}
        started = []
        with open(stamps) as f:
            for line in f:
                ms, trigger = line.split()
                started.append(int(ms) - due[trigger])
    states = {}
    for r in rows:
        states[r[3]] = states.get(r[3], 0) + 1
    return {"fires": len(rows), "states": states,
            "launch_ms": {"median": statistics.median(decision), "p99": pct(decision, 99), "max": max(decision)},
            ("process_started_ms" if stub else "run_started_ms"):
                {"n": len(started), "median": statistics.median(started), "p99": pct(started, 99), "max": max(started)}}


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
    modes = sys.argv[1:] or ["idle", "spawn", "jvm"]
    for mode in modes:
        if mode == "idle":
            r = idle_cpu()
        elif mode == "spawn":
            r = lateness(FIRES, 1, True)
        else:
            r = lateness(int(os.environ.get("JVM_FIRES", "30")), 3, False)
        print(json.dumps({mode: r}), flush=True)
