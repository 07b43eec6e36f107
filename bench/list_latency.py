#!/usr/bin/env python3
"""Quick list-latency harness (the full benchmark is bench/run.sh's job).

Starts target/incident-stream.jar on a fresh DATA_DIR, loads N incidents through POST /alerts,
then measures over one keep-alive HTTP connection:
  - the first page (limit 100), repeated;
  - a page DEEP pages down (its nextToken found by paging through), repeated;
  - a filtered page (severity=critical, ~1% of incidents), repeated.
Prints p50/p99 in milliseconds and the deep/first ratio.

With --instances N (default 1), N instances of the jar run as one application: the first with
the embedded broker, the others joining it (KAFKA_BOOTSTRAP_SERVERS); every list is then a
scatter-gather over N instances. Queries go to the first instance.

usage: bench/list_latency.py [--incidents 100000] [--deep 500] [--repeat 200] [--instances 1]
"""
import argparse, http.client, json, os, shutil, statistics, subprocess, sys, tempfile, time

def request(conn, method, path, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    return resp.status, data

def timed(conn, path):
    start = time.perf_counter()
    status, data = request(conn, "GET", path)
    elapsed = (time.perf_counter() - start) * 1000
    if status != 200:
        raise SystemExit(f"GET {path} -> {status} {data[:200]}")
    return elapsed, json.loads(data)

def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--incidents", type=int, default=100_000)
    ap.add_argument("--deep", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--port", type=int, default=18080)
    ap.add_argument("--instances", type=int, default=1)
    ap.add_argument("--kafka-port", type=int, default=19092)
    args = ap.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    jar = os.path.join(root, "target", "incident-stream.jar")
    if not os.path.exists(jar):
        subprocess.run(["mvn", "-B", "-q", "package", "-DskipTests"], cwd=root, check=True)
    data_dir = tempfile.mkdtemp(prefix="incident-bench-")
    procs = []
    for n in range(args.instances):
        port = args.port + n
        env = dict(os.environ, DATA_DIR=os.path.join(data_dir, f"i{n}"), HTTP_PORT=str(port), LOG_LEVEL="WARN",
                   APPLICATION_SERVER=f"127.0.0.1:{port}", EMBEDDED_KAFKA_PORT=str(args.kafka_port))
        if n > 0:
            env["KAFKA_BOOTSTRAP_SERVERS"] = f"127.0.0.1:{args.kafka_port}"
            time.sleep(8)  # let the first instance's embedded broker come up
        procs.append(subprocess.Popen(["java", "-Xmx1g", "-jar", jar], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
    try:
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
        t0 = time.time()
        while True:
            try:
                if request(conn, "GET", "/incidents?limit=1")[0] == 200:
                    break
            except OSError:
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
            if time.time() - t0 > 120:
                raise SystemExit("not ready after 120 s")
            time.sleep(0.2)
        for n in range(1, args.instances):
            other = http.client.HTTPConnection("127.0.0.1", args.port + n, timeout=60)
            while True:
                try:
                    if request(other, "GET", "/health/ready")[0] == 200 and request(conn, "GET", "/incidents?limit=1")[0] == 200:
                        break
                except OSError:
                    other = http.client.HTTPConnection("127.0.0.1", args.port + n, timeout=60)
                if time.time() - t0 > 180:
                    raise SystemExit(f"instance {n} not ready after 180 s")
                time.sleep(0.2)
        ready_s = time.time() - t0

        base = 1_764_000_000_000  # 2025-11-24, far from 'now' only in createdAt; validUntil is in the future
        valid = int(time.time() * 1000) + 24 * 3600 * 1000
        t1 = time.time()
        batch = []
        for i in range(args.incidents):
            batch.append({"alertId": f"bench-{i}", "status": "FIRING", "checkedAt": base + i * 1000, "validUntil": valid,
                          "severity": "critical" if i % 100 == 0 else ("high", "medium", "low")[i % 3],
                          "title": f"bench alert {i}", "reportData": {"value": i}})
            if len(batch) == 1000:
                status, body = request(conn, "POST", "/alerts", json.dumps(batch))
                if status != 202:
                    raise SystemExit(f"POST /alerts -> {status} {body[:200]}")
                batch = []
        if batch:
            request(conn, "POST", "/alerts", json.dumps(batch))
        while True:
            _, page = timed(conn, "/incidents?limit=1&includeCount=true")
            if page.get("count") == args.incidents:
                break
            time.sleep(0.5)
        load_s = time.time() - t1

        first = [timed(conn, "/incidents?limit=100")[0] for _ in range(args.repeat)]
        token, walk = None, []
        for _ in range(args.deep - 1):
            ms, page = timed(conn, "/incidents?limit=100" + (f"&nextToken={token}" if token else ""))
            walk.append(ms)
            token = page["nextToken"]
        deep = [timed(conn, f"/incidents?limit=100&nextToken={token}")[0] for _ in range(args.repeat)]
        filtered = [timed(conn, "/incidents?limit=100&severity=critical")[0] for _ in range(args.repeat)]
        _, fpage = timed(conn, "/incidents?limit=100&severity=critical&includeCount=true")

        print(f"instances={args.instances} incidents={args.incidents} ready_s={ready_s:.1f} load_s={load_s:.1f} ({args.incidents / load_s:.0f} alerts/s over HTTP, batches of 1000)")
        print(f"{'page':<28}{'p50 ms':>10}{'p99 ms':>10}")
        print(f"{'first (limit 100)':<28}{statistics.median(first):>10.2f}{pct(first, 99):>10.2f}")
        print(f"{'deep page ' + str(args.deep):<28}{statistics.median(deep):>10.2f}{pct(deep, 99):>10.2f}")
        print(f"{'walk pages 1..' + str(args.deep - 1):<28}{statistics.median(walk):>10.2f}{pct(walk, 99):>10.2f}")
        print(f"{'filtered (1% critical)':<28}{statistics.median(filtered):>10.2f}{pct(filtered, 99):>10.2f}   count={fpage['count']}")
        print(f"deep_first_ratio(p50)={statistics.median(deep) / statistics.median(first):.2f}")
    finally:
        for proc in reversed(procs):
            proc.terminate()
            proc.wait(timeout=60)
        shutil.rmtree(data_dir, ignore_errors=True)

if __name__ == "__main__":
    main()
