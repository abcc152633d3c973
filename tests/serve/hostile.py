"""hostile.py HOST PORT - malformed, oversized and unauthenticated-looking
requests to asl2c serve: each gets AWS's error shape and status (or, for
what is not HTTP, a closed connection), and the service goes on."""
import http.client
import json
import socket
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import done, fail, ok  # noqa: E402
import time

HOST, PORT = sys.argv[1], int(sys.argv[2])


def call(method, path, body=b"", headers=None, target=None):
    c = http.client.HTTPConnection(HOST, PORT, timeout=30)
    h = dict(headers or {})
    if target:
        h["X-Amz-Target"] = target
        h.setdefault("Content-Type", "application/x-amz-json-1.0")
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data


def sfn(action, body, headers=None):
    if not isinstance(body, bytes):
        body = json.dumps(body).encode()
    return call("POST", "/", body, headers, "AWSStepFunctions." + action)


def expect(what, got, status, etype, rest=False):
    st, h, data = got
    if st != status:
        fail("%s: status %d, not %d: %r" % (what, st, status, data[:300]))
    if not h.get("x-amzn-requestid"):
        fail("%s: no x-amzn-RequestId" % what)
    if etype is None:
        return json.loads(data) if data else None
    if h.get("x-amzn-errortype") != etype:
        fail("%s: x-amzn-ErrorType %r, not %s" % (what,
             h.get("x-amzn-errortype"), etype))
    body = json.loads(data)
    if rest:
        if body.get("Type") != "User" or not body.get("message"):
            fail("%s: REST error body %r" % (what, body))
    elif body.get("__type") != etype or not body.get("message"):
        fail("%s: JSON 1.0 error body %r" % (what, body))
    return body


# No Authorization, no signature, no credentials at all: answered.
expect("unsigned ListStateMachines", sfn("ListStateMachines", {}), 200, None)
expect("a bogus signature", sfn("ListStateMachines", {}, {
    "Authorization": "AWS4-HMAC-SHA256 Credential=nobody/20260101/xx/states/"
                     "aws4_request, SignedHeaders=host, Signature=00"}),
    200, None)
ok("requests without credentials or with a wrong signature are answered "
   "(nothing is authenticated)")

expect("unknown action", sfn("Nope", {}), 400, "UnknownOperationException")
expect("another service", call("POST", "/", b"{}", None,
                               "DynamoDB_20120810.ListTables"),
       400, "UnknownOperationException")
expect("an odd target", call("POST", "/", b"{}", None,
                             "AWSStepFunctions.List/../x"),
       400, "UnknownOperationException")
expect("GET with a target", call("GET", "/", b"", None,
                                 "AWSStepFunctions.ListStateMachines"),
       400, "UnknownOperationException")
expect("no target", call("POST", "/", b"{}"), 404,
       "UnknownOperationException", rest=True)
expect("another path", call("GET", "/admin"), 404,
       "UnknownOperationException", rest=True)
ok("unknown operations: UnknownOperationException")

for what, body in [("not JSON", b"{nope"), ("an array", b"[]"),
                   ("a string", b'"x"'), ("invalid UTF-8", b'{"a": "\xff"}'),
                   ("a NUL", b'{"a": "\\u0000"}'),
                   ("duplicate keys", b'{"a": 1, "a": 2}'),
                   ("deep nesting", b"[" * 100000),
                   ("trailing data", b"{} {}")]:
    expect(what, sfn("ListStateMachines", body), 400,
           "SerializationException")
expect("a number for a string", sfn("DescribeStateMachine",
                                    {"stateMachineArn": 5}),
       400, "SerializationException")
expect("a missing field", sfn("DescribeStateMachine", {}), 400,
       "ValidationException")
expect("maxResults too large", sfn("ListStateMachines", {"maxResults": 1001}),
       400, "ValidationException")
expect("a forged nextToken", sfn("ListStateMachines", {"nextToken": "abc"}),
       400, "InvalidToken")
expect("an ARN of another kind", sfn("DescribeExecution", {
    "executionArn": "arn:aws:states:us-east-1:000000000000:stateMachine:x"}),
    400, "InvalidArn")
expect("an ARN that is none", sfn("DescribeExecution",
                                  {"executionArn": "x" * 5000}),
       400, "InvalidArn")
ok("malformed bodies: SerializationException, ValidationException, "
   "InvalidToken, InvalidArn")

big = b'{"definition": "' + b"x" * (9 << 20) + b'"}'
expect("a 9 MiB body", sfn("ValidateStateMachineDefinition", big), 413,
       "RequestEntityTooLargeException")
# A Content-Length that no body follows: refused before it is read.
s = socket.create_connection((HOST, PORT), timeout=30)
s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions."
          b"ListStateMachines\r\nContent-Length: 99999999999\r\n\r\n{}")
reply = s.recv(4096)
s.close()
if not reply.startswith(b"HTTP/1.1 413"):
    fail("a huge Content-Length: %r" % reply[:200])
# Chunked, with no Content-Length: counted as it comes.
s = socket.create_connection((HOST, PORT), timeout=30)
s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions."
          b"ListStateMachines\r\nTransfer-Encoding: chunked\r\n\r\n")
chunk = b"x" * (1 << 20)
try:
    for _ in range(10):
        s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
    s.sendall(b"0\r\n\r\n")
    reply = s.recv(4096)
except OSError:
    reply = b"HTTP/1.1 413 (closed early)"
s.close()
if not reply.startswith(b"HTTP/1.1 413"):
    fail("a chunked 10 MiB body: %r" % reply[:200])
big = b'{"Code": {"ZipFile": "' + b"A" * (71 << 20) + b'"}}'
expect("a 71 MiB CreateFunction", call("POST", "/2015-03-31/functions", big),
       413, "RequestEntityTooLargeException", rest=True)
ok("oversized bodies (9 MiB, a huge Content-Length, 10 MiB chunked, a 71 "
   "MiB zip file): 413 RequestEntityTooLargeException")

expect("a bad function name", call("GET", "/2015-03-31/functions/a%20b"), 400,
       "ValidationException", rest=True)
expect("a qualifier", call("GET", "/2015-03-31/functions/x:1:2"), 400,
       "ValidationException", rest=True)
expect("a function that is not", call("GET", "/2015-03-31/functions/nope"),
       404, "ResourceNotFoundException", rest=True)
expect("an invoke of none", call("POST",
                                 "/2015-03-31/functions/nope/invocations",
                                 b"{}"),
       404, "ResourceNotFoundException", rest=True)
expect("CreateFunction not JSON", call("POST", "/2015-03-31/functions",
                                       b"{nope"),
       400, "InvalidRequestContentException", rest=True)
expect("a wrong method", call("PATCH", "/2015-03-31/functions/x"), 400,
       "UnknownOperationException", rest=True)
ok("Lambda routes: ValidationException, ResourceNotFoundException, "
   "InvalidRequestContentException, UnknownOperationException")

# What is not HTTP at all, and a connection dropped mid-request.
for junk in [b"\x00\x01\x02garbage\r\n\r\n", b"GET\r\n\r\n",
             b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n{}",
             b"POST / HTTP/9.9\r\n" + b"X-A: " + b"b" * 100000 + b"\r\n\r\n"]:
    s = socket.create_connection((HOST, PORT), timeout=30)
    try:
        s.sendall(junk)
        s.shutdown(socket.SHUT_WR)
        s.recv(4096)
    except OSError:
        pass
    s.close()
expect("still there", sfn("ListStateMachines", {}), 200, None)
ok("garbage, a short body, a 100 KB header, a dropped connection: the "
   "service goes on")
done("hostile")
