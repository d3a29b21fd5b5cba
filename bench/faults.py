"""Fault scenarios against gunicorn on loopback, each bounded in time and undoing what it does.

    python bench/faults.py [--only postgres,redis,worker,timeout]

postgres: PostgreSQL restarted while readers keep asking: 503s (not hangs) while it is down,
          200s again afterwards, with the same gunicorn.
redis:    Redis stopped: reader pages still 200, /healthz 503 naming the cache; Redis started again.
worker:   wrk load while a gunicorn worker is SIGKILLed three times: respawned, >= 99% success.
timeout:  a request that outlasts the worker timeout: that worker is replaced, other readers unharmed.
The database-error-mid-save scenario is a pytest test (tests/newsroom/test_faults.py).
Other people's tests share this PostgreSQL and Redis: each outage is kept to a few seconds.
"""

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    HOST,
    REDIS_START,
    RESULTS,
    free_port,
    get,
    gunicorn,
    log,
    pg_ctl,
    prepare_database,
    reader_paths,
    server_env,
    wait_for,
    worker_pids,
)

WORKERS = 4
WORKER_TIMEOUT = 5


def request_loop(port, paths, *, seconds, threads=3, extra=()):
    """Readers asking for pages for ``seconds``; every answer with its time and latency."""
    records, lock = [], threading.Lock()
    started = time.monotonic()
    stop_at = started + seconds

    def reader(seed):
        chooser = random.Random(seed)  # noqa: S311 - page choice, not security
        while time.monotonic() < stop_at:
            path = chooser.choice([*paths, *extra])
            status, _, elapsed = get(port, path, timeout=10)
            with lock:
                records.append((time.monotonic() - started, path, status, elapsed))

    workers = [threading.Thread(target=reader, args=(n,)) for n in range(threads)]
    for thread in workers:
        thread.start()
    return workers, records


def join(workers):
    for thread in workers:
        thread.join()


def summary(records):
    statuses = Counter(str(status) for _, _, status, _ in records)
    return {
        "requests": len(records),
        "statuses": dict(statuses),
        "max_latency_s": round(max((r[3] for r in records), default=0), 3),
    }


def scenario_postgres(port, master, paths):
    before = worker_pids(master)
    workers, records = request_loop(port, paths, seconds=14, extra=["/healthz"])
    time.sleep(4)
    down_at = time.monotonic()
    log("restarting PostgreSQL")
    pg_ctl("restart")
    outage = time.monotonic() - down_at
    log(f"PostgreSQL back after {outage:.1f}s")
    join(workers)
    result = summary(records)
    tail = [r for r in records if r[0] > 14 - 3]
    result.update(
        restart_seconds=round(outage, 1),
        last_3s_all_200=all(r[2] == 200 for r in tail),
        last_3s_requests=len(tail),
        same_gunicorn_workers=worker_pids(master) == before,
        only_200_or_503=set(result["statuses"]) <= {"200", "503"},
    )
    result["passed"] = (
        result["only_200_or_503"] and result["last_3s_all_200"] and result["max_latency_s"] < 5
    )
    return result


def redis_up():
    return subprocess.run(["redis-cli", "-h", HOST, "ping"], capture_output=True).returncode == 0


def scenario_redis(port, master, paths):
    log("stopping Redis")
    subprocess.run(["redis-cli", "-h", HOST, "shutdown", "nosave"], capture_output=True)
    try:
        wait_for(lambda: not redis_up(), seconds=5)
        workers, records = request_loop(port, paths, seconds=3)
        health_down = get(port, "/healthz")
        join(workers)
    finally:
        subprocess.run(REDIS_START, check=True)
        wait_for(redis_up, seconds=10)
        log("Redis started again")
    health_up = get(port, "/healthz")
    result = summary(records)
    result.update(
        healthz_while_down=[health_down[0], json.loads(health_down[1] or b"{}")],
        healthz_after=[health_up[0], json.loads(health_up[1] or b"{}")],
    )
    result["passed"] = (
        result["statuses"] == {"200": result["requests"]}
        and health_down[0] == 503
        and json.loads(health_down[1])["failed"] == ["cache"]
        and health_up[0] == 200
    )
    return result


WRK_LUA = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {["X-Forwarded-Proto"] = "https"})
end
"""


def wrk_script(paths):
    script = RESULTS / "paths.lua"
    script.write_text(WRK_LUA % ", ".join(json.dumps(p) for p in paths))
    return script


def parse_wrk(output):
    def number(pattern):
        match = re.search(pattern, output)
        return int(match.group(1)) if match else 0

    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    socket_errors = sum(int(n) for n in errors.groups()) if errors else 0
    completed = number(r"(\d+) requests in")
    non_2xx = number(r"Non-2xx or 3xx responses: (\d+)")
    sent = completed + socket_errors
    return {
        "sent": sent,
        "completed": completed,
        "non_2xx_3xx": non_2xx,
        "socket_errors": socket_errors,
        "succeeded": completed - non_2xx,
        "success_rate": round((completed - non_2xx) / sent, 5) if sent else 0,
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
    }


def run_wrk(port, paths, *, seconds, connections=16):
    return subprocess.Popen(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(wrk_script(paths)), f"http://{HOST}:{port}"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip


def scenario_worker(port, master, paths):
    before = worker_pids(master)
    load = run_wrk(port, paths, seconds=20)
    killed = []
    for _ in range(3):
        time.sleep(5)
        victim = random.choice(worker_pids(master))  # noqa: S311
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)
        log(f"SIGKILLed worker {victim}")
    output, _ = load.communicate(timeout=60)
    wait_for(lambda: len(worker_pids(master)) == WORKERS, seconds=15)
    after = worker_pids(master)
    result = parse_wrk(output)
    result.update(
        killed=killed,
        workers_before=len(before),
        workers_after=len(after),
        killed_replaced=not set(killed) & set(after),
    )
    result["passed"] = result["success_rate"] >= 0.99 and len(after) == WORKERS
    return result


def scenario_timeout(port, master, paths):
    before = worker_pids(master)
    slow = {}

    def slow_request():
        slow["answer"] = get(port, f"/bench/slow/?seconds={WORKER_TIMEOUT + 5}", timeout=30)

    slow_thread = threading.Thread(target=slow_request)
    slow_thread.start()
    workers, records = request_loop(port, paths, seconds=WORKER_TIMEOUT + 6, threads=2)
    slow_thread.join()
    join(workers)
    wait_for(lambda: len(worker_pids(master)) == WORKERS, seconds=15)
    result = summary(records)
    status, _, elapsed = slow["answer"]
    result.update(
        slow_request=[str(status), round(elapsed, 1)],
        workers_before=before,
        workers_after=worker_pids(master),
        healthz_after=get(port, "/healthz")[0],
    )
    result["passed"] = (
        status != 200
        and result["statuses"] == {"200": result["requests"]}
        and result["healthz_after"] == 200
        and len(result["workers_after"]) == WORKERS
    )
    return result


SCENARIOS = {
    "postgres": scenario_postgres,
    "redis": scenario_redis,
    "worker": scenario_worker,
    "timeout": scenario_timeout,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SCENARIOS))
    chosen = [name.strip() for name in parser.parse_args().only.split(",") if name.strip()]
    unknown = set(chosen) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    port = free_port()
    env = server_env(
        port,
        GUNICORN_WORKERS=WORKERS,
        GUNICORN_TIMEOUT=WORKER_TIMEOUT,
        NEWSROOM_BENCH_SLOW_URL=1,
    )
    prepare_database(env)
    paths = reader_paths()
    results = {}
    with gunicorn(env, log_name="faults") as master:
        for name in chosen:
            log(f"scenario {name}")
            results[name] = SCENARIOS[name](port, master, paths)
            log(json.dumps(results[name]))
    (RESULTS / "faults.json").write_text(json.dumps(results, indent=2))
    failed = [name for name, result in results.items() if not result["passed"]]
    if failed:
        sys.exit(f"faults: failed: {', '.join(failed)} (details in bench/results/faults.json)")
    log("faults: all scenarios passed")


if __name__ == "__main__":
    main()
