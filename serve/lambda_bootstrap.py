"""lambda_bootstrap.py - runs one invocation of a Python Lambda function for
asl2c serve, as Lambda's Python runtime does.

    python3 lambda_bootstrap.py FUNCTION_FOLDER [LOG_FILE]

FUNCTION_FOLDER holds function.json (the function's configuration, as
CreateFunction answered it, and "Task": the folder of its code) and task/,
its unpacked zip file.  The event comes as JSON on stdin; the handler's
return value goes as JSON on stdout, or, when it fails, Lambda's error
object: errorMessage, errorType, requestId and stackTrace, whose files in
the function's folder are shown under /var/task/, as on Lambda.  The
function's print() output goes to stderr (what LogType "Tail" reads) and
to LOG_FILE, the function's log, with the runtime's START, END and REPORT
lines.  The Timeout stops the function
(Sandbox.Timedout).  Standard library only.
"""
import importlib
import io
import json
import os
import resource
import signal
import sys
import time
import traceback
import uuid

TASK_ROOT = "/var/task"


class Log(io.TextIOBase):
    """The function's log: each write to stderr and to the log file (opened
    to append: invocations that run at once add whole lines)."""

    def __init__(self, stream, path):
        self.stream = stream
        self.file = open(path, "a", encoding="utf-8", buffering=1) \
            if path else None

    def write(self, text):
        self.stream.write(text)
        self.stream.flush()
        if self.file:
            self.file.write(text)
        return len(text)

    def flush(self):
        self.stream.flush()
        if self.file:
            self.file.flush()

    def runtime_line(self, text):
        """A line of the runtime's own (START, END, REPORT): the log file
        only; whoever reads stderr frames it (LogType Tail)."""
        if self.file:
            self.file.write(text)


class LambdaContext:
    """What Lambda's Python runtime hands a handler as its context."""

    def __init__(self, conf, request_id, deadline):
        self.function_name = conf["FunctionName"]
        self.function_version = conf.get("Version", "$LATEST")
        self.invoked_function_arn = conf["FunctionArn"]
        self.memory_limit_in_mb = str(conf.get("MemorySize", 128))
        self.aws_request_id = request_id
        self.log_group_name = "/aws/lambda/" + self.function_name
        self.log_stream_name = time.strftime("%Y/%m/%d/[$LATEST]") + \
            uuid.uuid4().hex
        self.identity = None
        self.client_context = None
        self._deadline = deadline

    def get_remaining_time_in_millis(self):
        return max(int((self._deadline - time.monotonic()) * 1000), 0)


def error_object(message, error_type, request_id, stack):
    return {"errorMessage": message, "errorType": error_type,
            "requestId": request_id, "stackTrace": stack}


def stack_trace(tb, task):
    """The frames from the handler down, with the function's files under
    /var/task, as traceback.format_list prints them."""
    frames = traceback.extract_tb(tb)
    for i, frame in enumerate(frames):
        if frame.filename != __file__:
            frames = frames[i:]
            break
    else:
        frames = []
    out = []
    for frame in frames:
        name = frame.filename
        if name.startswith(task + os.sep):
            name = TASK_ROOT + name[len(task):]
        out.append(traceback.FrameSummary(name, frame.lineno, frame.name,
                                          line=frame.line))
    return traceback.format_list(out)


class Fault(Exception):
    """An error of the runtime itself (Runtime.*), before the handler
    runs."""

    def __init__(self, error_type, message, stack=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.stack = stack or []


def load_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise Fault("Runtime.MalformedHandlerName",
                    "Bad handler '{}': {}".format(handler, e))
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise Fault("Runtime.BuiltInModuleConflict",
                        "Cannot use built-in module {} as a handler module"
                        .format(modname))
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise Fault("Runtime.ImportModuleError",
                    "Unable to import module '{}': {}".format(modname, e))
    except SyntaxError as e:
        raise Fault("Runtime.UserCodeSyntaxError",
                    "Syntax error in module '{}': {}".format(modname, e),
                    ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno,
                                                      e.text)])
    try:
        return getattr(module, fname)
    except AttributeError:
        raise Fault("Runtime.HandlerNotFound",
                    "Handler '{}' missing on module '{}'".format(fname,
                                                                 modname))


def main():
    folder = sys.argv[1]
    with open(os.path.join(folder, "function.json")) as f:
        spec = json.load(f)
    conf, task = spec["Configuration"], spec["Task"]
    request_id = os.environ.get("ASL2C_REQUEST_ID") or str(uuid.uuid4())
    timeout = float(conf.get("Timeout", 3))
    raw = sys.stdin.buffer.read()

    # fd 1 is the result channel: the function's own output (print(), and
    # a C extension writing to fd 1) goes to stderr, fd 2, and print()'s
    # to the log file too.
    result = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    log = Log(io.TextIOWrapper(os.fdopen(1, "wb", buffering=0),
                               encoding="utf-8", line_buffering=True),
              sys.argv[2] if len(sys.argv) > 2 else None)
    sys.stdout = log
    sys.stderr = log

    region = conf["FunctionArn"].split(":")[3]
    env = dict((conf.get("Environment") or {}).get("Variables") or {})
    env.update({
        "AWS_LAMBDA_FUNCTION_NAME": conf["FunctionName"],
        "AWS_LAMBDA_FUNCTION_VERSION": conf.get("Version", "$LATEST"),
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(conf.get("MemorySize", 128)),
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/" + conf["FunctionName"],
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_EXECUTION_ENV": "AWS_Lambda_" + conf.get("Runtime", "python3"),
        "LAMBDA_TASK_ROOT": task,
        "_HANDLER": conf["Handler"],
    })
    os.environ.update(env)
    os.chdir(task)
    sys.path.insert(0, task)

    start = time.monotonic()
    deadline = start + timeout
    log.runtime_line("START RequestId: %s Version: %s\n"
                     % (request_id, conf.get("Version", "$LATEST")))

    def finish(answer):
        ms = (time.monotonic() - start) * 1000
        log.runtime_line("END RequestId: %s\n" % request_id)
        log.runtime_line(
            "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms"
            "\tMemory Size: %s MB\tMax Memory Used: %d MB\n"
            % (request_id, ms, int(ms) + 1, conf.get("MemorySize", 128),
               resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024))
        log.flush()
        result.write(answer)
        result.write("\n")
        result.flush()

    def timed_out(signum, frame):
        message = "RequestId: %s Error: Task timed out after %.2f seconds" \
            % (request_id, timeout)
        log.write("%s %s Task timed out after %.2f seconds\n"
                  % (time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
                     request_id, timeout))
        finish(json.dumps(error_object(message, "Sandbox.Timedout",
                                       request_id, [])))
        os._exit(0)

    def failed(error_type, message, stack):
        log.write("[ERROR] %s: %s\n" % (error_type, message))
        if stack:
            log.write("Traceback (most recent call last):\n"
                      + "".join(stack))
        finish(json.dumps(error_object(message, error_type, request_id,
                                       stack)))

    signal.signal(signal.SIGALRM, timed_out)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        event = json.loads(raw.decode("utf-8") or "{}")
        handler = load_handler(conf["Handler"])
        answer = handler(event, LambdaContext(conf, request_id, deadline))
    except Fault as e:
        signal.setitimer(signal.ITIMER_REAL, 0)
        failed(e.error_type, e.message, e.stack)
        return
    except SystemExit as e:
        # The runtime process ended: Lambda reports the exit.
        signal.setitimer(signal.ITIMER_REAL, 0)
        code = e.code if isinstance(e.code, int) else (0 if e.code is None
                                                       else 1)
        failed("Runtime.ExitError", "RequestId: %s Error: Runtime exited "
               "with error: exit status %d" % (request_id, code), [])
        return
    except Exception as e:  # noqa: BLE001 - the function's error
        signal.setitimer(signal.ITIMER_REAL, 0)
        failed(type(e).__name__, str(e), stack_trace(e.__traceback__, task))
        return
    signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        text = json.dumps(answer)
    except (TypeError, ValueError) as e:
        failed("Runtime.MarshalError",
               "Unable to marshal response: %s" % e, [])
        return
    finish(text)


if __name__ == "__main__":
    main()
