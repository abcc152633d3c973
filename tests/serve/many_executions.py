"""many_executions.py HOST PORT N - N executions started at once (32 client
threads on keep-alive connections), then every one must finish SUCCEEDED
with its whole history, and ListExecutions must page through all N."""
import http.client
import json
import sys
import threading
import time

HOST, PORT, N = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
SM = "arn:aws:states:us-east-1:000000000000:stateMachine:many"
local = threading.local()


def call(action, body):
    c = getattr(local, "c", None)
    if c is None:
        c = local.c = http.client.HTTPConnection(HOST, PORT, timeout=120)
    c.request("POST", "/", json.dumps(body), {
        "X-Amz-Target": "AWSStepFunctions." + action,
        "Content-Type": "application/x-amz-json-1.0"})
    r = c.getresponse()
    data = json.loads(r.read())
    if r.status != 200:
        raise RuntimeError("%s: %d %r" % (action, r.status, data))
    return data


def fail(what):
    print("FAIL: " + what, file=sys.stderr, flush=True)
    sys.exit(1)


arns = [None] * N
errors = []


def starter(k):
    try:
        for i in range(k, N, 32):
            arns[i] = call("StartExecution", {
                "stateMachineArn": SM, "name": "x%04d" % i,
                "input": json.dumps({"i": i, "items": [i, i + 1, i + 2]})})[
                    "executionArn"]
    except Exception as e:  # noqa: BLE001
        errors.append(e)


t0 = time.monotonic()
threads = [threading.Thread(target=starter, args=(k,)) for k in range(32)]
for t in threads:
    t.start()
for t in threads:
    t.join()
if errors:
    fail("StartExecution: %r" % errors[0])
print("ok: %d executions started in %.1f s" % (N, time.monotonic() - t0),
      flush=True)

pending = set(range(N))
deadline = time.monotonic() + 300
while pending and time.monotonic() < deadline:
    for i in sorted(pending):
        d = call("DescribeExecution", {"executionArn": arns[i]})
        if d["status"] == "RUNNING":
            break
        if d["status"] != "SUCCEEDED":
            fail("%s: %r" % (arns[i], d))
        out = json.loads(d["output"])
        if out["i"] != i or out["doubled"] != [2 * i, 2 * i + 2, 2 * i + 4]:
            fail("%s: output %r" % (arns[i], out))
        pending.discard(i)
    else:
        continue
    time.sleep(0.2)
if pending:
    fail("%d executions still RUNNING" % len(pending))
print("ok: all %d SUCCEEDED, outputs right, in %.1f s"
      % (N, time.monotonic() - t0), flush=True)

for i in range(N):
    h = call("GetExecutionHistory", {"executionArn": arns[i],
                                     "maxResults": 1000})
    types = [e["type"] for e in h["events"]]
    ids = [e["id"] for e in h["events"]]
    if ids != list(range(1, len(ids) + 1)) or types[0] != "ExecutionStarted" \
            or types[-1] != "ExecutionSucceeded" or \
            types.count("MapIterationSucceeded") != 3 or len(types) != 20 or \
            "nextToken" in h:
        fail("%s: history %r" % (arns[i], types))
print("ok: every history whole (20 events, ids 1..20)", flush=True)

seen, token = [], None
while True:
    body = {"stateMachineArn": SM, "maxResults": 100}
    if token:
        body["nextToken"] = token
    r = call("ListExecutions", body)
    seen += [(e["name"], e["startDate"]) for e in r["executions"]]
    token = r.get("nextToken")
    if not token:
        break
names = [n for n, _ in seen]
dates = [d for _, d in seen]
if sorted(names) != ["x%04d" % i for i in range(N)] or \
        dates != sorted(dates, reverse=True):
    fail("ListExecutions: %d names, not the %d, newest first" % (len(seen),
                                                                 N))
print("ok: ListExecutions pages through all %d, newest first" % N)
