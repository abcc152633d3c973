"""gen_jsonata.py - the JSONata conformance cases (python3 stdlib only).

Called by gen.py's __main__ with gen.py's module itself:

    gen_jsonata.cases(sys.modules[__name__])

so the cases go through gen.py's add() into the same tree (areas
jsonata-fields, jsonata-states, jsonata-vars, jsonata-errors, jsonata-mixed,
jsonata-map).  One case per field that takes JSONata, per $states member,
per cause of States.QueryEvaluationError, mixed machines (JSONPath and
JSONata states in one machine) and variables shared between the two
languages.

Where the expectations come from (each case's "source"):
  * AWS's Developer Guide: transforming-data (JSONata in Step Functions,
    its $states, its errors), workflow-variables, the per-state pages;
  * executions recorded on AWS: floci-io/floci's issues and tests
    (#2662, #2665, #2689, #2736, #2737: TestState and executions on AWS,
    with the causes word for word), LocalStack's snapshots recorded on AWS
    (tests/aws/services/stepfunctions/v2/query_language);
  * the values of expressions from jsonata-js 2.0.6 (AWS's engine);
  * else reasoning from the specification, said so.
The causes are AWS's: "An error occurred while executing the state 'S'
(entered at the event id #N). The JSONata expression 'E' specified for the
field 'F' returned nothing (undefined)." or "... threw an error during
evaluation. CODE: MESSAGE", the field named by its place (Output/v,
Arguments/list[1], Choices[0]/Condition, Catch[1]/Output/v).  Where AWS's
text beyond the state's prefix is not known (a value of the wrong type or
out of range), only the prefix is checked.
"""

QEE = "States.QueryEvaluationError"
PRE = ("An error occurred while executing the state '%s' (entered at the "
       "event id #%d). ")
UNDEF = "returned nothing (undefined)."
START = "2026-01-01T00:00:00Z"
INVOKE = "arn:aws:states:::lambda:invoke"

G = None  # gen.py's module, set by cases()


def E(expr):
    """A field value that is a JSONata expression."""
    return "{% " + expr + " %}"


# ------------------------------------------------------------- sources
def _src():
    dg, rec, spec = G.DG, G.REC, G.SPEC
    return {
        "td": dg + "transforming-data",
        "tderr": dg + "transforming-data (errors: an expression that fails, "
        "a value of the wrong type, an undefined result are "
        "States.QueryEvaluationError)",
        "wv": dg + "workflow-variables",
        "choice": dg + "state-choice (Choice Rules, JSONata)",
        "map": dg + "state-map-inline (Items, ItemSelector, JSONata)",
        "dmap": dg + "state-map-distributed, input-output-itembatcher "
        "(JSONata)",
        "par": dg + "state-parallel (Arguments, JSONata)",
        "task": dg + "state-task (Arguments, Output, JSONata)",
        "wait": dg + "state-wait (Seconds, Timestamp, JSONata)",
        "fail": dg + "state-fail (Error, Cause, JSONata)",
        "ctx": dg + "input-output-contextobject ($states.context)",
        "err": dg + "concepts-error-handling (States.QueryEvaluationError "
        "is retriable and catchable)",
        "floci": rec + " (floci-io/floci#2665, #2689: TestState and "
        "executions on AWS, causes word for word)",
        "floci_fn": rec + " (floci-io/floci#2662: the Step Functions "
        "functions on AWS)",
        "floci_err": rec + " (floci-io/floci#2736, #2737, #2668: JSONata "
        "errors on AWS)",
        "ls": rec + " (LocalStack's test_mixed_query_language snapshots, "
        "recorded on AWS)",
        "items": rec + " (an Items expression that is not an array, as AWS "
        "words it: LocalStack's map state, user reports)",
        "js": dg + "transforming-data; values from jsonata-js 2.0.6",
        "spec": spec,
    }


S = {}


# ------------------------------------------------------------- machines
def jm(states, start=None, **top):
    """A JSONata machine."""
    return G.machine(states, start, QueryLanguage="JSONata", **top)


def jone(state):
    """A JSONata machine of one state named P."""
    m = G.one(state)
    m["QueryLanguage"] = "JSONata"
    return m


def jchain(*states):
    """A JSONata machine of states P0, P1, ... run in order."""
    m = G.chain(*states)
    m["QueryLanguage"] = "JSONata"
    return m


def jpass(output=None, **kw):
    s = {"Type": "Pass"}
    if output is not None:
        s["Output"] = output
    s.update(kw)
    return s


def jl(state):
    """A state of JSONata in a machine of JSONPath."""
    s = dict(state)
    s["QueryLanguage"] = "JSONata"
    return s


def echo(**kw):
    return G.task("echo", **kw)


def invoke(fn, payload=None, **kw):
    args = {"FunctionName": fn}
    if payload is not None:
        args["Payload"] = payload
    s = {"Type": "Task", "Resource": INVOKE, "Arguments": args}
    s.update(kw)
    return s


# --------------------------------------------------------------- causes
def cause(state, expr, field, ending, event=2):
    return PRE % (state, event) + (
        "The JSONata expression '%s' specified for the field '%s' %s"
        % (expr, field, ending))


def threw(code, msg):
    return "threw an error during evaluation. %s: %s" % (code, msg)


def qe(state, expr, field, ending=UNDEF, event=2):
    """States.QueryEvaluationError with AWS's cause, whole."""
    return {"error": QEE, "cause": cause(state, expr, field, ending, event)}


def qe_later(state, expr, field, ending=UNDEF):
    """The same for a state whose event id depends on the history."""
    return {"error": QEE,
            "cause_prefix": "An error occurred while executing the state "
            "'%s' (entered at the event id #" % state,
            "cause_suffix": "). The JSONata expression '%s' specified for "
            "the field '%s' %s" % (expr, field, ending)}


def qe_any(state, event=2):
    """States.QueryEvaluationError whose cause after AWS's prefix is not
    known word for word."""
    return {"error": QEE, "cause_prefix": PRE % (state, event)}


def add(area, name, definition, inp=None, source=None, **exp):
    G.add("jsonata-" + area, name, definition, inp,
          S[source] if source in S else (source or S["spec"]), **exp)


# ================================================================ fields
def fields():
    """One case per field that takes JSONata (the values they give)."""
    add("fields", "pass-output-object", jone(jpass(
        {"a": E("$states.input.x + 1"), "lit": "text", "n": None})),
        {"x": 1}, "td", output={"a": 2, "lit": "text", "n": None})
    add("fields", "pass-output-whole-expression", jone(jpass(
        E("$states.input.l[1]"))), {"l": [1, 2, 3]}, "td", output=2)
    add("fields", "pass-output-literal-number", jone(jpass(42)), {"a": 1},
        "td", output=42)
    add("fields", "pass-output-nested", jone(jpass(
        {"l": [1, E("$states.input.a"), {"b": E("$states.input.a * 2")}]})),
        {"a": 3}, "td", output={"l": [1, 3, {"b": 6}]})
    add("fields", "pass-output-strings-not-expressions", jone(jpass(
        {"p": "$.x", "q": "$states.input.x"})), {"x": 1}, "td",
        output={"p": "$.x", "q": "$states.input.x"})
    add("fields", "pass-no-output-is-input", jone(jpass()), {"k": [1]},
        "td", output={"k": [1]})
    add("fields", "pass-output-concat", jone(jpass(
        E("'Hello ' & $states.input.name"))), {"name": "World"}, "floci",
        output="Hello World")
    add("fields", "pass-output-object-constructor", jone(jpass(
        E("{'k': $states.input.a, 'n': $count($states.input.l)}"))),
        {"a": "v", "l": [1, 2]}, "js", output={"k": "v", "n": 2})
    add("fields", "pass-output-keys-not-evaluated", jone(jpass(
        {"{% 'k' %}": 1})), {}, "td", output={"{% 'k' %}": 1})
    add("fields", "task-arguments-legacy", jone(echo(Arguments={
        "a": E("$states.input.x"), "b": [True, E("$states.input.x & '!'")]})),
        {"x": "v"}, "ls", output={"a": "v", "b": [True, "v!"]})
    add("fields", "task-arguments-default-is-input", jone(echo()),
        {"k": 1}, S["spec"] + " (Arguments defaults to $states.input)",
        output={"k": 1})
    add("fields", "task-arguments-whole-expression", jone(echo(
        Arguments=E("$states.input.inner"))), {"inner": {"z": [1]}}, "td",
        output={"z": [1]})
    add("fields", "task-arguments-add", jone(G.task("add", Arguments={
        "a": E("$states.input.x"), "b": E("$states.input.x * 10")})),
        {"x": 2}, "td", output=22)
    add("fields", "task-output-from-result", jone(echo(
        Arguments={"v": 5}, Output=E("$states.result.v * 2"))), {}, "td",
        output=10)
    add("fields", "task-output-default-is-result", jone(echo(
        Arguments={"r": 1})), {"in": 0}, "td", output={"r": 1})
    add("fields", "task-lambda-invoke-payload", jone(invoke(
        "echo", {"k": E("$states.input.k")},
        Output=E("$states.result.Payload"))), {"k": [1, 2]}, "ls",
        output={"k": [1, 2]})
    add("fields", "task-lambda-invoke-status", jone(invoke(
        "echo", {}, Output=E("$states.result.StatusCode"))), {}, "ls",
        output=200)
    add("fields", "task-timeoutseconds-expression", jone(echo(
        Arguments={"a": 1}, TimeoutSeconds=E("$states.input.t"))), {"t": 30},
        "task", output={"a": 1})
    add("fields", "task-heartbeatseconds-expression", jone(echo(
        Arguments={"a": 1}, TimeoutSeconds=E("$states.input.t"),
        HeartbeatSeconds=E("$states.input.t - 10"))), {"t": 30}, "task",
        output={"a": 1})
    add("fields", "parallel-arguments", jone({
        "Type": "Parallel", "Arguments": {"v": E("$states.input.a")},
        "Branches": [G.branch(jpass()), G.branch(jpass(
            E("$states.input.v + 1")))]}), {"a": 1}, "par",
        output=[{"v": 1}, 2])
    add("fields", "parallel-output", jone({
        "Type": "Parallel", "Output": E("$count($states.result)"),
        "Branches": [G.branch(jpass()), G.branch(jpass())]}), {}, "par",
        output=2)
    add("fields", "parallel-no-arguments-is-input", jone({
        "Type": "Parallel", "Branches": [G.branch(jpass(
            E("$states.input.a")))]}), {"a": "A"}, "par", output=["A"])
    add("fields", "wait-seconds-expression", jchain(
        {"Type": "Wait", "Seconds": E("$states.input.s")},
        jpass(E("$states.context.State.EnteredTime"))), {"s": 90}, "wait",
        output="2026-01-01T00:01:30Z")
    add("fields", "wait-seconds-literal", jchain(
        {"Type": "Wait", "Seconds": 5},
        jpass(E("$states.context.State.EnteredTime"))), {}, "wait",
        output="2026-01-01T00:00:05Z")
    add("fields", "wait-timestamp-expression", jchain(
        {"Type": "Wait", "Timestamp": E("$states.input.t")},
        jpass(E("$states.context.State.EnteredTime"))),
        {"t": "2026-01-01T01:00:00Z"}, "wait",
        output="2026-01-01T01:00:00Z")
    add("fields", "wait-output", jone({"Type": "Wait", "Seconds": 0,
                                       "Output": E("$states.input.a")}),
        {"a": [7]}, "wait", output=[7])
    add("fields", "fail-error-cause-expressions", jone({
        "Type": "Fail", "Error": E("'E.' & $states.input.k"),
        "Cause": E("$string($states.input.n)")}), {"k": "Bad", "n": 12},
        "fail", error="E.Bad", cause="12")
    add("fields", "fail-error-cause-literals", jone({
        "Type": "Fail", "Error": "Literal", "Cause": "as written"}), {},
        "fail", error="Literal", cause="as written")
    add("fields", "fail-error-only-expression", jone({
        "Type": "Fail", "Error": E("$uppercase($states.input.e)")}),
        {"e": "oops"}, "fail", error="OOPS", cause=None)
    add("fields", "fail-cause-from-context", jone({
        "Type": "Fail", "Error": "E",
        "Cause": E("$states.context.State.Name & ' failed'")}), {}, "fail",
        error="E", cause="P failed")


def choice_fields():
    def cm(rules, default=True, **kw):
        rules = [dict(r) for r in rules]
        for i, r in enumerate(rules):
            r.setdefault("Next", "R%d" % i)
        c = {"Type": "Choice", "Choices": rules}
        c.update(kw)
        st = {"C": c}
        for i in range(len(rules)):
            st["R%d" % i] = jpass({"went": "R%d" % i,
                                   "in": E("$states.input")}, End=True)
        if default:
            c["Default"] = "D"
            st["D"] = jpass({"went": "D", "in": E("$states.input")}, End=True)
        return jm(st)

    two = [{"Condition": E("$states.input.n > 10")},
           {"Condition": E("$states.input.n > 5")}]
    for n, went in [(20, "R0"), (7, "R1"), (1, "D")]:
        add("fields", "choice-condition-%s" % went.lower(), cm(two),
            {"n": n}, "choice", output={"went": went, "in": {"n": n}})
    add("fields", "choice-condition-string", cm(
        [{"Condition": E("$states.input.type = 'local'")}]),
        {"type": "local"}, "choice",
        output={"went": "R0", "in": {"type": "local"}})
    add("fields", "choice-condition-and-or", cm(
        [{"Condition": E("$states.input.a != null and $states.input.a = 42 "
                         "or $states.input.b")}]), {"a": 42}, "choice",
        output={"went": "R0", "in": {"a": 42}})
    add("fields", "choice-first-match-wins", cm(
        [{"Condition": E("true")},
         {"Condition": E("$states.input.missing")}]), {}, "floci",
        output={"went": "R0", "in": {}})
    add("fields", "choice-rule-output", cm(
        [{"Condition": E("$states.input.n = 1"),
          "Output": {"doubled": E("$states.input.n * 2")}}]), {"n": 1},
        "choice", output={"went": "R0", "in": {"doubled": 2}})
    add("fields", "choice-state-output-on-default", cm(
        [{"Condition": E("false")}],
        Output={"from": "state", "n": E("$states.input.n")}), {"n": 3},
        "choice", output={"went": "D", "in": {"from": "state", "n": 3}})
    add("fields", "choice-no-output-is-input", cm(
        [{"Condition": E("$states.input.k = 'v'")}]), {"k": "v", "o": [1]},
        "choice", output={"went": "R0", "in": {"k": "v", "o": [1]}})
    add("fields", "choice-condition-from-variable", jm({
        "A": jpass(Assign={"foo": 1}, Next="C"),
        "C": {"Type": "Choice", "Choices": [
            {"Condition": E("$foo = 1"), "Next": "Y"}], "Default": "N"},
        "Y": jpass("yes", End=True), "N": jpass("no", End=True)}), {},
        "choice", output="yes")
    add("fields", "choice-no-match-no-default", cm(
        [{"Condition": E("false")}], default=False), {}, "choice",
        error="States.Runtime")


def map_fields():
    def mp(proc=None, then=None, **kw):
        """A Map named M; then: the state T after it."""
        s = {"Type": "Map", "ItemProcessor": proc or G.branch(jpass())}
        s.update(kw)
        if then is None:
            s["End"] = True
            return jm({"M": s})
        s["Next"] = "T"
        return jm({"M": s, "T": then})

    entered = jpass(E("$states.context.State.EnteredTime"), End=True)

    add("map", "items-literal", mp(Items=[1, "two", {"t": 3}]), {}, "map",
        output=[1, "two", {"t": 3}])
    add("map", "items-expression", mp(Items=E("$states.input.l")),
        {"l": [1, 2, 3]}, "map", output=[1, 2, 3])
    add("map", "items-default-is-input", mp(), ["a", "b"], "map",
        output=["a", "b"])
    add("map", "items-array-with-expressions", mp(
        Items=[E("$states.input.a"), 2, {"b": E("$states.input.a")}]),
        {"a": "A"}, "map", output=["A", 2, {"b": "A"}])
    add("map", "items-range", mp(Items=E("[1..4]")), {}, "js",
        output=[1, 2, 3, 4])
    add("map", "items-filtered", mp(Items=E("$states.input.l[v > 1][]")),
        {"l": [{"v": 1}, {"v": 2}]}, "items", output=[{"v": 2}])
    add("map", "items-empty", mp(Items=E("$states.input.l")), {"l": []},
        "map", output=[])
    add("map", "itemselector-context", mp(
        Items=["a", "b"], ItemSelector={
            "v": E("$states.context.Map.Item.Value"),
            "i": E("$states.context.Map.Item.Index"), "lit": 1}), {}, "map",
        output=[{"v": "a", "i": 0, "lit": 1}, {"v": "b", "i": 1, "lit": 1}])
    add("map", "itemselector-context-map-then-whole", mp(
        Items=["a"], ItemSelector={
            "v": E("$states.context.Map.Item.Value"),
            "sm": E("$states.context.StateMachine.Name"),
            "v2": E("$states.context.Map.Item.Value & '!'")}), {}, "map",
        output=[{"v": "a", "sm": "itemselector-context-map-then-whole",
                 "v2": "a!"}])
    add("map", "itemselector-sees-map-input", mp(
        Items=E("$states.input.l"), ItemSelector={
            "k": E("$states.input.k"),
            "v": E("$states.context.Map.Item.Value")}),
        {"l": [1, 2], "k": "K"}, "map",
        output=[{"k": "K", "v": 1}, {"k": "K", "v": 2}])
    add("map", "itemselector-whole-expression", mp(
        Items=[1, 2], ItemSelector=E("$states.context.Map.Item.Value * 10")),
        {}, "map", output=[10, 20])
    # Paths of names in $states are resolved without the engine
    # (jsonata_value.c, direct()); at its edges the engine decides: a
    # member missing, an array on the way or at the end.
    add("map", "itemselector-value-members", mp(
        Items=[{"a": {"b": 1}}, {"a": {"b": "x", "c": None}}],
        ItemSelector={"b": E("$states.context.Map.Item.Value.a.b"),
                      "c": E("$states.context.Map.Item.Value.a"),
                      "i": E("$states.context.Map.Item.Index"),
                      "k": E("$states.input.k")}),
        {"k": {"z": [1, 2]}}, "map",
        output=[{"b": 1, "c": {"b": 1}, "i": 0, "k": {"z": [1, 2]}},
                {"b": "x", "c": {"b": "x", "c": None}, "i": 1,
                 "k": {"z": [1, 2]}}])
    add("map", "itemselector-value-member-missing", mp(
        Items=[{"a": 1}, {"b": 2}],
        ItemSelector={"a": E("$states.context.Map.Item.Value.a")}), {},
        "map", **qe("M", "$states.context.Map.Item.Value.a",
                    "ItemSelector/a"))
    add("map", "itemselector-value-through-array", mp(
        Items=[{"a": [{"b": 1}, {"b": 2}]}, {"a": [{"b": 3}]}],
        ItemSelector={"b": E("$states.context.Map.Item.Value.a.b")}), {},
        "map", output=[{"b": [1, 2]}, {"b": 3}])
    add("map", "itemselector-value-array-singleton", mp(
        Items=[{"a": [7]}, {"a": [8, 9]}],
        ItemSelector={"a": E("$states.context.Map.Item.Value.a")}), {},
        "map", output=[{"a": [7]}, {"a": [8, 9]}])
    add("map", "maxconcurrency-expression", mp(
        G.branch({"Type": "Wait", "Seconds": E("$states.input")}), entered,
        Items=[5, 10], MaxConcurrency=E("$states.input.mc")), {"mc": 1},
        "map", output="2026-01-01T00:00:15Z")
    add("map", "maxconcurrency-zero-unbounded", mp(
        G.branch({"Type": "Wait", "Seconds": E("$states.input")}), entered,
        Items=[5, 10], MaxConcurrency=E("0")), {}, "map",
        output="2026-01-01T00:00:10Z")
    add("map", "output-from-result", mp(Items=[1, 2, 3],
                                        Output=E("$sum($states.result)")),
        {}, "map", output=6)
    add("map", "processor-sees-item", mp(G.branch(jpass(
        {"item": E("$states.input"), "twice": E("$states.input * 2")})),
        Items=[1, 2]), {}, "map",
        output=[{"item": 1, "twice": 2}, {"item": 2, "twice": 4}])
    add("map", "task-per-item", mp(G.branch(G.task("add", Arguments={
        "a": E("$states.input"), "b": 10})), Items=[1, 2]), {}, "map",
        output=[11, 12])
    dist = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}

    def dproc(*states):
        b = G.branch(*states)
        b["ProcessorConfig"] = dict(dist)
        return b

    add("map", "distributed-items", mp(dproc(jpass()),
                                       Items=E("$states.input.l")),
        {"l": [1, 2]}, "dmap", output=[1, 2])
    add("map", "itembatcher-expressions", mp(
        dproc(jpass()), Items=E("$states.input.l"), ItemBatcher={
            "MaxItemsPerBatch": E("$states.input.size"),
            "BatchInput": {"tag": E("$states.input.tag"), "c": 1}}),
        {"l": [1, 2, 3], "size": 2, "tag": "T"}, "dmap",
        output=[{"BatchInput": {"tag": "T", "c": 1}, "Items": [1, 2]},
                {"BatchInput": {"tag": "T", "c": 1}, "Items": [3]}])
    add("map", "itembatcher-max-bytes-expression", mp(
        dproc(jpass()), Items=["aaaa", "bbbb", "cccc", "dddd"],
        ItemBatcher={"MaxInputBytesPerBatch": E("20 + 5")}), {}, "dmap",
        output=[{"Items": ["aaaa", "bbbb"]}, {"Items": ["cccc", "dddd"]}])

    def zero_fails(**kw):
        m = mp(dproc({"Type": "Choice", "Choices": [
            {"Condition": E("$states.input = 0"), "Next": "F"}],
            "Default": "OK"}), **kw)
        s = m["States"]["M"]["ItemProcessor"]["States"]
        s["F"] = {"Type": "Fail", "Error": "Zero", "Cause": "zero"}
        s["OK"] = {"Type": "Pass", "End": True}
        return m

    add("map", "tolerated-count-expression-ok", zero_fails(
        Items=E("$states.input.l"),
        ToleratedFailureCount=E("$states.input.t")),
        {"l": [1, 0, 2], "t": 1}, "dmap",
        output=[1, {"Error": "Zero", "Cause": "zero"}, 2])
    add("map", "tolerated-count-expression-exceeded", zero_fails(
        Items=E("$states.input.l"),
        ToleratedFailureCount=E("$states.input.t")),
        {"l": [0, 0, 2], "t": 1}, "dmap",
        error="States.ExceedToleratedFailureThreshold",
        cause="The specified tolerated failure threshold was exceeded")
    add("map", "tolerated-percentage-expression-ok", zero_fails(
        Items=E("$states.input.l"),
        ToleratedFailurePercentage=E("$states.input.p")),
        {"l": [0, 1, 2, 0], "p": 50}, "dmap",
        output=[{"Error": "Zero", "Cause": "zero"}, 1, 2,
                {"Error": "Zero", "Cause": "zero"}])
    add("map", "tolerated-percentage-expression-exceeded", zero_fails(
        Items=E("$states.input.l"),
        ToleratedFailurePercentage=E("$states.input.p")),
        {"l": [0, 1, 2, 0], "p": 25}, "dmap",
        error="States.ExceedToleratedFailureThreshold")
    add("map", "iteration-fails-map-fails", mp(dproc(
        {"Type": "Fail", "Error": E("'E' & $string($states.input)"),
         "Cause": "item"}), Items=[3]), {}, "map", error="E3",
        cause="item")
    add("map", "parallel-in-map", mp(G.branch({
        "Type": "Parallel", "Arguments": {"x": E("$states.input")},
        "Branches": [G.branch(jpass(E("$states.input.x + 1")))]}),
        Items=[1, 2]), {}, "map", output=[[2], [3]])


# =============================================================== $states
def states():
    add("states", "input-whole", jone(jpass(E("$states.input"))),
        {"a": [1, {"b": None}]}, "td", output={"a": [1, {"b": None}]})
    add("states", "input-member", jone(jpass(E("$states.input.a.b"))),
        {"a": {"b": "deep"}}, "td", output="deep")
    add("states", "input-null", jone(jpass({"v": E("$states.input")})),
        G.NULL, "td", output={"v": None})
    add("states", "input-string", jone(jpass(E("$states.input & '!'"))),
        "hi", "td", output="hi!")
    add("states", "input-is-state-input-not-arguments", jone(echo(
        Arguments={"x": 1},
        Output={"in": E("$states.input"), "res": E("$states.result")})),
        {"orig": True}, "td",
        output={"in": {"orig": True}, "res": {"x": 1}})
    add("states", "result-task", jone(echo(
        Arguments={"a": [1, 2]}, Output=E("$states.result.a[1]"))), {},
        "td", output=2)
    add("states", "result-parallel", jone({
        "Type": "Parallel", "Output": {"r": E("$states.result")},
        "Branches": [G.branch(jpass(1)), G.branch(jpass("two"))]}), {},
        "td", output={"r": [1, "two"]})
    add("states", "result-map", jone({
        "Type": "Map", "Items": [1, 2], "Output": {"r": E("$states.result")},
        "ItemProcessor": G.branch(jpass(E("$states.input * 3")))}), {},
        "td", output={"r": [3, 6]})
    add("states", "result-lambda-invoke-whole", jone(invoke(
        "echo", {"p": 1}, Output=E("$sort($keys($states.result)[$ in "
                                   "['ExecutedVersion', 'Payload', "
                                   "'StatusCode']])"))), {}, "ls",
        output=["ExecutedVersion", "Payload", "StatusCode"])
    add("states", "erroroutput-catcher", jm({
        "T": G.task("fail", Arguments={"error": "MyError", "cause": "bad"},
                    Catch=[{"ErrorEquals": ["MyError"], "Next": "R",
                            "Output": {
                                "e": E("$states.errorOutput.Error"),
                                "m": E("$parse($states.errorOutput.Cause)"
                                       ".errorMessage")}}], End=True),
        "R": jpass(End=True)}), {}, "td", output={"e": "MyError", "m": "bad"})
    add("states", "erroroutput-from-fail-state", jm({
        "P": {"Type": "Parallel", "Branches": [G.branch(
            {"Type": "Fail", "Error": "Oops", "Cause": "because"})],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "R",
                       "Output": E("$states.errorOutput")}], "End": True},
        "R": jpass(End=True)}), {}, "td",
        output={"Error": "Oops", "Cause": "because"})
    add("states", "catcher-sees-state-input", jm({
        "T": G.task("fail", Arguments={"error": "E"}, Catch=[
            {"ErrorEquals": ["States.ALL"], "Next": "R", "Output": {
                "in": E("$states.input"),
                "e": E("$states.errorOutput.Error")}}], End=True),
        "R": jpass(End=True)}), {"k": 1}, "td",
        output={"in": {"k": 1}, "e": "E"})
    ctx = [
        ("execution-name", "Execution.Name", "conformance"),
        ("execution-id", "Execution.Id",
         "arn:aws:states:us-east-1:000000000000:execution:"
         "context-execution-id:conformance"),
        ("execution-input", "Execution.Input", {"a": [1]}),
        ("execution-start-time", "Execution.StartTime", START),
        ("execution-redrive-count", "Execution.RedriveCount", 0),
        ("state-name", "State.Name", "P"),
        ("state-entered-time", "State.EnteredTime", START),
        ("state-retry-count", "State.RetryCount", 0),
        ("statemachine-name", "StateMachine.Name",
         "context-statemachine-name"),
        ("statemachine-id", "StateMachine.Id",
         "arn:aws:states:us-east-1:000000000000:stateMachine:"
         "context-statemachine-id"),
    ]
    for name, path, want in ctx:
        add("states", "context-" + name, jone(jpass(
            {"v": E("$states.context." + path)})), {"a": [1]}, "ctx",
            output={"v": want})
    add("states", "context-execution-rolearn-is-string", jone(jpass(
        E("$type($states.context.Execution.RoleArn)"))), {}, "ctx",
        output="string")
    add("states", "context-state-whole", jone(jpass(
        E("$states.context.State"))), {}, "ctx",
        output={"EnteredTime": START, "Name": "P", "RetryCount": 0})
    add("states", "context-second-state", jchain(
        {"Type": "Wait", "Seconds": 3},
        jpass({"n": E("$states.context.State.Name"),
               "t": E("$states.context.State.EnteredTime")})), {}, "ctx",
        output={"n": "P1", "t": "2026-01-01T00:00:03Z"})
    add("states", "context-execution-input-unchanged", jchain(
        jpass("changed"), jpass(E("$states.context.Execution.Input"))),
        {"orig": 1}, "ctx", output={"orig": 1})
    add("states", "context-retry-count-after-retries", jone(echo(
        Arguments=E("$states.context.State.RetryCount < 2 ? $error('again')"
                    " : 'ok'"),
        Retry=[{"ErrorEquals": ["States.QueryEvaluationError"],
                "IntervalSeconds": 1, "MaxAttempts": 3}],
        Output={"r": E("$states.result"),
                "n": E("$states.context.State.RetryCount")})), {}, "err",
        output={"r": "ok", "n": 2})
    add("states", "context-map-item-in-processor-undefined", jone({
        "Type": "Map", "Items": [1], "ItemProcessor": G.branch(
            jpass(E("$states.context.Map.Item.Value")), prefix="MI")}), {},
        S["ctx"] + " ($states.context.Map only in ItemSelector)",
        **qe_later("MI0", "$states.context.Map.Item.Value", "Output"))
    add("states", "context-map-item-whole", jone({
        "Type": "Map", "Items": [7], "ItemSelector": E(
            "$states.context.Map.Item"), "ItemProcessor": G.branch(jpass())}),
        {}, "ctx", output=[{"Index": 0, "Value": 7}])
    add("states", "now-is-the-clock", jchain(
        {"Type": "Wait", "Seconds": 5}, jpass(E("$now()"))), {}, "js",
        output="2026-01-01T00:00:05.000Z")
    add("states", "millis-is-the-clock", jone(jpass(E("$millis()"))), {},
        "js", output=1767225600000)
    add("states", "fn-partition", jone(jpass(E("$partition([1,2,3,4], 2)"))),
        {}, "floci_fn", output=[[1, 2], [3, 4]])
    add("states", "fn-range", jone(jpass(E("$range(0, 6, 2)"))), {},
        "floci_fn", output=[0, 2, 4, 6])
    add("states", "fn-hash", jone(jpass(E("$hash('input', 'SHA-1')"))), {},
        "floci_fn", output="140f86aae51ab9e1cda9b4254fe98a74eb54c1a1")
    add("states", "fn-parse", jone(jpass(E("$parse('{\"a\":1}').a"))), {},
        "floci_fn", output=1)
    add("states", "fn-random-seeded", jone(jpass(E("$random(42)"))), {},
        "floci_fn", output=0.7275636800328681)
    add("states", "fn-uuid", jone(jpass(E("$length($uuid())"))), {},
        "floci_fn", output=36)
    add("states", "fn-string-large", jone(jpass({
        "under": E("$string(1e20)"), "at": E("$string(1e21)")})), {},
        S["floci"] + "; jsonata-js 2.0.6",
        output={"under": "100000000000000000000", "at": "1e+21"})



# ============================================================ variables
def variables():
    add("vars", "assign-then-read", jchain(
        jpass(Assign={"x": E("$states.input.a"), "s": "str"}),
        jpass({"x": E("$x"), "s": E("$s")})), {"a": 1}, "wv",
        output={"x": 1, "s": "str"})
    # $x and $x.a.b are read without the engine (jsonata_value.c,
    # direct()) where the engine would give the value found; at the edges
    # (an array, an array on the way, a name that is a function's, a
    # variable that is not there) the engine decides (jsonata-js 2.0.6).
    add("vars", "read-variable-paths", jchain(
        jpass(Assign={"o": {"a": {"b": "x"}}, "l": [7], "m": [{"b": 1},
                                                           {"b": 2}]}),
        jpass({"o": E("$o"), "b": E("$o.a.b"), "l": E("$l"),
               "mb": E("$m.b"), "f": E("$type($sum)")})), {}, "wv",
        output={"o": {"a": {"b": "x"}}, "b": "x", "l": [7], "mb": [1, 2],
                "f": "function"})
    add("vars", "read-variable-member-missing", jchain(
        jpass(Assign={"o": {"a": 1}}), jpass({"v": E("$o.z")})), {}, "wv",
        **qe_later("P1", "$o.z", "Output/v"))
    add("vars", "assign-not-in-output", jone(jpass(Assign={"v": 1})),
        {"a": 1}, "wv", output={"a": 1})
    add("vars", "assign-and-output-see-entry-values", jm({
        "Seed": jpass(Assign={"x": 3, "a": 6}, Next="Reassign"),
        "Reassign": jpass({"seen": E("$x")}, Assign={
            "x": E("$a"), "nextX": E("$x")}, Next="Observe"),
        "Observe": jpass({"seen": E("$states.input.seen"), "x": E("$x"),
                          "nextX": E("$nextX")}, End=True)}), {},
        S["wv"] + " (the evaluation-order example); " + S["floci"],
        output={"seen": 3, "x": 6, "nextX": 3})
    add("vars", "swap", jchain(
        jpass(Assign={"a": 1, "b": 2}),
        jpass(Assign={"a": E("$b"), "b": E("$a")}),
        jpass({"a": E("$a"), "b": E("$b")})), {}, "wv",
        output={"a": 2, "b": 1})
    add("vars", "output-does-not-see-own-assign", jchain(
        jpass(Assign={"x": "old"}),
        jpass(E("$x"), Assign={"x": "new"})), {}, "wv", output="old")
    add("vars", "assign-from-task-result", jchain(
        echo(Arguments={"v": 7}, Assign={"r": E("$states.result.v"),
                                         "i": E("$states.input.k")},
             Output="done"),
        jpass({"r": E("$r"), "i": E("$i"), "in": E("$states.input")})),
        {"k": "K"}, "wv", output={"r": 7, "i": "K", "in": "done"})
    add("vars", "assign-null-kept", jm({
        "AssignNull": jpass(Assign={"nullVariable": E("$states.input.bar")},
                            Next="ReadItBack"),
        "ReadItBack": jpass({"fromVariable": E("$nullVariable"),
                             "exists": E("$exists($nullVariable)")},
                            End=True)}), {"bar": None}, "floci",
        output={"fromVariable": None, "exists": True})
    add("vars", "assign-in-wait", jm({
        "W": {"Type": "Wait", "Seconds": 0, "Assign": {"foo": "oof"},
              "Next": "R"},
        "R": jpass({"foo": E("$foo")}, End=True)}), {}, "floci",
        output={"foo": "oof"})
    add("vars", "assign-choice-rule", jm({
        "C": {"Type": "Choice", "Choices": [
            {"Condition": E("$states.input.go"), "Next": "R",
             "Assign": {"which": "rule", "v": E("$states.input.v")}}],
            "Default": "R"},
        "R": jpass({"which": E("$which"), "v": E("$v")}, End=True)}),
        {"go": True, "v": 5}, "choice", output={"which": "rule", "v": 5})
    add("vars", "assign-choice-default", jm({
        "C": {"Type": "Choice", "Choices": [
            {"Condition": E("false"), "Next": "R"}],
            "Default": "R", "Assign": {"which": "default"}},
        "R": jpass({"which": E("$which")}, End=True)}), {}, "choice",
        output={"which": "default"})
    add("vars", "assign-catcher-error-output", jm({
        "Boom": echo(Arguments={"bad": E("$number('not-a-number')")},
                     Catch=[{"ErrorEquals": [QEE], "Next": "Report",
                             "Assign": {"caughtError": E(
                                 "$states.errorOutput.Error")}}],
                     End=True),
        "Report": jpass({"caughtError": E("$caughtError"),
                         "catchOutputError": E("$states.input.Error")},
                        End=True)}), {}, "floci",
        output={"caughtError": QEE, "catchOutputError": QEE})
    add("vars", "failed-state-assign-not-applied", jm({
        "A": jpass(Assign={"x": "before"}, Next="T"),
        "T": G.task("fail", Arguments={"error": "E"}, Assign={"x": "task"},
                    Catch=[{"ErrorEquals": ["E"], "Next": "R"}], End=True),
        "R": jpass({"x": E("$x")}, End=True)}), {}, "wv",
        output={"x": "before"})
    add("vars", "catcher-assign-and-output-see-entry-values", jm({
        "A": jpass(Assign={"x": "old"}, Next="T"),
        "T": G.task("fail", Arguments={"error": "E"}, Catch=[
            {"ErrorEquals": ["States.ALL"], "Next": "R",
             "Assign": {"x": "caught"}, "Output": {"x": E("$x")}}],
            End=True),
        "R": jpass({"in": E("$states.input"), "x": E("$x")}, End=True)}),
        {}, "wv", output={"in": {"x": "old"}, "x": "caught"})
    add("vars", "map-reads-outer", jm({
        "SetOuter": jpass(Assign={"outerVar": 42}, Next="M"),
        "M": {"Type": "Map", "Items": [1, 2], "ItemProcessor": G.branch(
            jpass({"seen": E("$outerVar"), "item": E("$states.input")},
                  Assign={"innerVar": E("$outerVar")})), "Next": "Check"},
        "Check": jpass({"iterations": E("$states.input"),
                        "outer": E("$outerVar"),
                        "innerLeaked": E("$exists($innerVar)")},
                       End=True)}), {}, "floci",
        output={"iterations": [{"seen": 42, "item": 1},
                               {"seen": 42, "item": 2}],
                "outer": 42, "innerLeaked": False})
    add("vars", "map-iteration-scope-private", jone({
        "Type": "Map", "Items": [1, 2], "MaxConcurrency": 1,
        "ItemProcessor": G.branch(jpass(Assign={"mine": E("$states.input")}),
                                  jpass(E("$mine")))}), {}, "wv",
        output=[1, 2])
    add("vars", "map-itemselector-reads-outer", jm({
        "A": jpass(Assign={"k": 10}, Next="M"),
        "M": {"Type": "Map", "Items": [1], "ItemSelector": {
            "k": E("$k"), "v": E("$states.context.Map.Item.Value")},
            "ItemProcessor": G.branch(jpass()), "End": True}}), {}, "wv",
        output=[{"k": 10, "v": 1}])
    add("vars", "parallel-branch-reads-outer", jm({
        "A": jpass(Assign={"k": "K"}, Next="P"),
        "P": {"Type": "Parallel", "Branches": [
            G.branch(jpass({"k": E("$k")})), G.branch(jpass(E("$k")))],
            "End": True}}), {}, "wv", output=[{"k": "K"}, "K"])
    add("vars", "parallel-assign-outer-scope", jm({
        "P": {"Type": "Parallel", "Branches": [G.branch(jpass(7))],
              "Assign": {"first": E("$states.result[0]")}, "Next": "R"},
        "R": jpass({"v": E("$first")}, End=True)}), {}, "wv",
        output={"v": 7})
    add("vars", "map-assign-from-result", jm({
        "M": {"Type": "Map", "Items": [1, 2, 3],
              "ItemProcessor": G.branch(jpass()),
              "Assign": {"n": E("$count($states.result)")},
              "Output": "ignored", "Next": "R"},
        "R": jpass({"n": E("$n"), "in": E("$states.input")}, End=True)}),
        {}, "wv", output={"n": 3, "in": "ignored"})
    add("vars", "expression-binding-is-local", jchain(
        jpass(E("($y := 5; $y * 2)")),
        jpass({"in": E("$states.input"), "y": E("$exists($y)")})), {},
        S["td"] + " (:= binds inside the expression only)",
        output={"in": 10, "y": False})
    add("vars", "variable-member-and-index", jchain(
        jpass(Assign={"o": {"l": [5, 6], "k": E("$states.input.v")}}),
        jpass({"a": E("$o.l[1]"), "b": E("$o.k")})), {"v": "V"}, "wv",
        output={"a": 6, "b": "V"})
    add("vars", "overwrite", jchain(
        jpass(Assign={"x": 1}), jpass(Assign={"x": E("$x + 1")}),
        jpass(E("$x"))), {}, "wv", output=2)
    add("vars", "assign-functions-of-variables", jchain(
        jpass(Assign={"l": E("[1, 2, 3]")}),
        jpass({"sum": E("$sum($l)"), "doubled": E("$l.($ * 2)")})), {},
        "js", output={"sum": 6, "doubled": [2, 4, 6]})


# ================================================================ mixed
def mixed():
    add("mixed", "jsonpath-machine-jsonata-state", G.machine({
        "JsonPathState": {"Type": "Pass", "Next": "JsonataState"},
        "JsonataState": jl(jpass({"value": E(
            "$states.input.x + $states.input.y")}, End=True))}),
        {"x": 10, "y": 20}, "floci", output={"value": 30})
    add("mixed", "jsonata-output-to-jsonpath", G.machine({
        "JSONataState": jl(jpass({"foo": "foobar",
                                  "bar": E("$states.input")},
                                 Next="JSONPathState")),
        "JSONPathState": {"Type": "Pass", "End": True}}),
        {"input_data": "test"}, "ls",
        output={"foo": "foobar", "bar": {"input_data": "test"}})
    add("mixed", "jsonpath-output-to-jsonata", G.machine({
        "JSONPathState": {"Type": "Pass", "Parameters": {
            "foo": "foobar", "bar.$": "$"}, "Next": "JSONataState"},
        "JSONataState": jl(jpass(End=True))}), {"input_data": "test"}, "ls",
        output={"foo": "foobar", "bar": {"input_data": "test"}})
    add("mixed", "jsonata-assign-jsonpath-reads", G.machine({
        "JSONataState": jl(jpass(Assign={"theAnswerVar": 42},
                                 Next="JSONPathState")),
        "JSONPathState": {"Type": "Pass", "Assign": {
            "oldAnswerVar.$": "$theAnswerVar", "theAnswerVar": 18},
            "Next": "Read"},
        "Read": {"Type": "Pass", "Parameters": {
            "old.$": "$oldAnswerVar", "new.$": "$theAnswerVar"},
            "End": True}}), {}, "ls", output={"old": 42, "new": 18})
    add("mixed", "jsonpath-assign-jsonata-reads", G.machine({
        "JSONPathState": {"Type": "Pass", "Assign": {"theAnswer": 42},
                          "Next": "JSONataState"},
        "JSONataState": jl(jpass(Assign={"oldAnswer": E("$theAnswer"),
                                         "theAnswer": 18}, Next="Read")),
        "Read": jl(jpass({"old": E("$oldAnswer"), "new": E("$theAnswer")},
                         End=True))}), {}, "ls",
        output={"old": 42, "new": 18})
    add("mixed", "jsonpath-assign-path-jsonata-reads", G.machine({
        "A": {"Type": "Pass", "Assign": {"v.$": "$.a", "n.$": "$$.State.Name",
                                         "s.$": "States.Format('{}-{}', $.a,"
                                         " 1)"}, "Next": "B"},
        "B": jl(jpass({"v": E("$v"), "n": E("$n"), "s": E("$s")},
                      End=True))}), {"a": "x"}, "wv",
        output={"v": "x", "n": "A", "s": "x-1"})
    add("mixed", "jsonata-assign-intrinsic-reads", G.machine({
        "A": jl(jpass(Assign={"l": E("[1, 2, 3]"), "o": {"k": "v"}},
                      Next="B")),
        "B": {"Type": "Pass", "Parameters": {
            "n.$": "States.ArrayLength($l)", "k.$": "$o.k"}, "End": True}}),
        {}, "wv", output={"n": 3, "k": "v"})
    add("mixed", "jsonata-legacy-lambda-to-jsonpath", G.machine({
        "JsonataState": jl(echo(Arguments={"Payload": {"foo": "foo-1"}},
                                Assign={"resultsVar": E("$states.result")},
                                Output={"results": E("$states.result")},
                                Next="JsonPathState")),
        "JsonPathState": {"Type": "Pass", "Parameters": {
            "out.$": "$", "var.$": "$resultsVar"}, "End": True}}), {}, "ls",
        output={"out": {"results": {"Payload": {"foo": "foo-1"}}},
                "var": {"Payload": {"foo": "foo-1"}}})
    add("mixed", "jsonpath-legacy-lambda-to-jsonata", G.machine({
        "JsonPathState": echo(Parameters={"Payload": {"foo": "foo-1"}},
                              Assign={"resultsVar.$": "$"},
                              Next="JsonataState"),
        "JsonataState": jl(jpass({"in": E("$states.input"),
                                  "var": E("$resultsVar")}, End=True))}),
        {}, "ls", output={"in": {"Payload": {"foo": "foo-1"}},
                          "var": {"Payload": {"foo": "foo-1"}}})
    add("mixed", "jsonpath-data-to-jsonata-invoke", G.machine({
        "StateJsonPath": {"Type": "Pass", "Assign": {
            "answer": 42, "inputData.$": "$.enigma.mystery"},
            "Next": "StateJsonata"},
        "StateJsonata": jl(invoke("echo", {
            "theQuestion": E("$inputData.riddle"),
            "theAnswer": E("$answer")},
            Output=E("$states.result.Payload"), End=True))}),
        {"enigma": {"mystery": {"riddle": "What?"}}}, "ls",
        output={"theQuestion": "What?", "theAnswer": 42})
    add("mixed", "jsonata-map-children-are-jsonpath", G.machine({
        "M": jl({"Type": "Map", "Items": E("$states.input.l"),
                 "ItemProcessor": G.branch({"Type": "Pass", "Parameters": {
                     "v.$": "$"}}), "End": True})}), {"l": [1, 2]},
        S["spec"] + " (the states of a Map or Parallel default to the "
        "machine's language, not their parent's)",
        output=[{"v": 1}, {"v": 2}])
    add("mixed", "jsonpath-map-jsonata-child", G.machine({
        "M": {"Type": "Map", "ItemsPath": "$.l", "ItemProcessor": G.branch(
            jl(jpass(E("$states.input * 2")))), "End": True}}),
        {"l": [1, 2]}, "spec", output=[2, 4])
    add("mixed", "jsonpath-parallel-jsonata-branch", G.machine({
        "P": {"Type": "Parallel", "Branches": [
            G.branch(jl(jpass(E("$states.input.a")))),
            G.branch({"Type": "Pass", "InputPath": "$.a"})],
            "ResultSelector": {"both.$": "$"}, "End": True}}), {"a": 1},
        "spec", output={"both": [1, 1]})
    add("mixed", "jsonpath-choice-reads-jsonata-var", G.machine({
        "A": jl(jpass(Assign={"n": E("$states.input.n")}, Next="C")),
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$n", "NumericEquals": 3, "Next": "Y"}],
            "Default": "N"},
        "Y": {"Type": "Pass", "Result": "y", "End": True},
        "N": {"Type": "Pass", "Result": "n", "End": True}}), {"n": 3}, "wv",
        output="y")
    add("mixed", "jsonata-choice-reads-jsonpath-var", G.machine({
        "A": {"Type": "Pass", "Assign": {"n.$": "$.n"}, "Next": "C"},
        "C": jl({"Type": "Choice", "Choices": [
            {"Condition": E("$n = 3"), "Next": "Y"}], "Default": "N"}),
        "Y": {"Type": "Pass", "Result": "y", "End": True},
        "N": {"Type": "Pass", "Result": "n", "End": True}}), {"n": 4}, "wv",
        output="n")
    add("mixed", "jsonpath-resultpath-to-jsonata", G.machine({
        "A": {"Type": "Pass", "Result": {"r": 1}, "ResultPath": "$.res",
              "Next": "B"},
        "B": jl(jpass({"r": E("$states.input.res.r"),
                       "k": E("$states.input.k")}, End=True))}), {"k": "K"},
        "spec", output={"r": 1, "k": "K"})
    add("mixed", "jsonpath-catcher-to-jsonata", G.machine({
        "T": G.task("fail", Parameters={"error": "E1"}, Catch=[
            {"ErrorEquals": ["States.ALL"], "ResultPath": "$.err",
             "Next": "B"}], End=True),
        "B": jl(jpass({"e": E("$states.input.err.Error"),
                       "k": E("$states.input.k")}, End=True))}), {"k": 1},
        "spec", output={"e": "E1", "k": 1})
    add("mixed", "jsonata-catcher-to-jsonpath", G.machine({
        "T": jl(G.task("fail", Arguments={"error": "E2"}, Catch=[
            {"ErrorEquals": ["States.ALL"], "Next": "B",
             "Output": {"e": E("$states.errorOutput.Error")}}], End=True)),
        "B": {"Type": "Pass", "Parameters": {"e.$": "$.e"}, "End": True}}),
        {}, "spec", output={"e": "E2"})
    add("mixed", "jsonata-state-context-in-jsonpath-machine", G.machine({
        "First": {"Type": "Pass", "Next": "Second"},
        "Second": jl(jpass({"n": E("$states.context.State.Name"),
                            "x": E("$states.context.Execution.Input.x")},
                           End=True))}), {"x": 5}, "ctx",
        output={"n": "Second", "x": 5})
    add("mixed", "jsonata-error-caught-by-jsonpath-parallel", G.machine({
        "P": {"Type": "Parallel", "Branches": [G.branch(
            jl(jpass({"v": E("$states.input.missing")})), prefix="JQ")],
            "Catch": [{"ErrorEquals": [QEE], "ResultPath": "$.err",
                       "Next": "R"}], "End": True},
        "R": {"Type": "Pass", "Parameters": {"e.$": "$.err.Error"},
              "End": True}}), {}, "err", output={"e": QEE})
    add("mixed", "jsonata-undefined-in-jsonpath-machine", G.machine({
        "A": {"Type": "Pass", "Next": "B"},
        "B": jl(jpass({"v": E("$states.input.missing")}, End=True))}), {},
        "floci", **qe_later("B", "$states.input.missing", "Output/v"))
    add("mixed", "jsonpath-reads-variable-jsonata-never-set", G.machine({
        "A": jl(jpass(Assign={"x": 1}, Next="B")),
        "B": {"Type": "Pass", "Parameters": {"v.$": "$y"}, "End": True}}),
        {}, S["wv"] + " (a variable never assigned); States.Runtime in a "
        "JSONPath state", **G.rt_in("B"))
    add("mixed", "jsonata-reads-variable-jsonpath-never-set", G.machine({
        "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "B"},
        "B": jl(jpass({"v": E("$y")}, End=True))}), {},
        S["wv"] + " (JSONata: the undefined variable is an undefined "
        "result, AWS-recorded)", **qe_later("B", "$y", "Output/v"))


# =============================================================== errors
MISSING = "$states.input.missing"
WRONG = {"string": "'x'", "real": "1.5", "bool": "true", "null": "null",
         "array": "[1]", "object": "{'k': 1}", "negative": "-1",
         "zero": "0", "number": "5"}


def undefined_results():
    """An expression that returns nothing: the field named by its place."""
    m = E(MISSING)
    fl, sp = "floci", S["spec"] + " (the field named by its place, as " \
        "AWS names Output/v, Arguments/X and Choices[1]/Output/v: " \
        "floci-io/floci#2665, #2689)"
    one = [
        ("output-whole", jpass(m), "Output", fl),
        ("output-member", jpass({"v": m}), "Output/v", fl),
        ("output-nested-member", jpass({"a": {"b": m}}), "Output/a/b", sp),
        ("output-array-item", jpass({"l": [1, m]}), "Output/l[1]", sp),
        ("output-top-array-item", jpass([m]), "Output[0]", sp),
        ("assign-member", jpass(Assign={"x": m}), "Assign/x", fl),
        ("assign-nested", jpass(Assign={"o": {"a": m}}), "Assign/o/a", sp),
        ("arguments-member", echo(Arguments={"x": m}), "Arguments/x", fl),
        ("arguments-nested", echo(Arguments={"Input": {"pushLocation": m}}),
         "Arguments/Input/pushLocation", S["spec"] + "; a recorded AWS "
         "cause (Arguments/Input/pushLocation) in a public repository"),
        ("arguments-whole", echo(Arguments=m), "Arguments", sp),
        ("arguments-lambda-invoke-payload", invoke("echo", {"id": m}),
         "Arguments/Payload/id", sp),
        ("task-output", echo(Arguments={}, Output={"r": m}), "Output/r", sp),
        ("task-assign", echo(Arguments={}, Assign={"r": m}), "Assign/r",
         sp),
        ("parallel-arguments", {"Type": "Parallel", "Arguments": {"v": m},
                                "Branches": [G.branch(jpass())]},
         "Arguments/v", sp),
        ("parallel-output", {"Type": "Parallel", "Output": m,
                             "Branches": [G.branch(jpass())]}, "Output", sp),
        ("wait-seconds", {"Type": "Wait", "Seconds": m}, "Seconds", fl),
        ("wait-timestamp", {"Type": "Wait", "Timestamp": m}, "Timestamp",
         sp),
        ("wait-output", {"Type": "Wait", "Seconds": 0, "Output": m},
         "Output", sp),
        ("fail-error", {"Type": "Fail", "Error": m, "Cause": "boom"},
         "Error", fl),
        ("fail-cause", {"Type": "Fail", "Error": "Boom", "Cause": m},
         "Cause", fl),
        ("task-timeoutseconds", echo(Arguments={}, TimeoutSeconds=m),
         "TimeoutSeconds", sp),
        ("task-heartbeatseconds", echo(Arguments={}, TimeoutSeconds=100,
                                       HeartbeatSeconds=m),
         "HeartbeatSeconds", sp),
        ("map-items", {"Type": "Map", "Items": m,
                       "ItemProcessor": G.branch(jpass())}, "Items", fl),
        ("map-maxconcurrency", {"Type": "Map", "Items": [1, 2],
                                "MaxConcurrency": m,
                                "ItemProcessor": G.branch(jpass())},
         "MaxConcurrency", fl),
        ("map-itemselector", {"Type": "Map", "Items": [1],
                              "ItemSelector": {"v": m},
                              "ItemProcessor": G.branch(jpass())},
         "ItemSelector/v", sp),
        ("map-output", {"Type": "Map", "Items": [1], "Output": {"o": m},
                        "ItemProcessor": G.branch(jpass())}, "Output/o", sp),
    ]
    for name, state, field, src in one:
        add("errors", "undefined-" + name, jone(state), {}, src,
            **qe("P", MISSING, field))
    dist = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}
    for name, field in [("tolerated-count", "ToleratedFailureCount"),
                        ("tolerated-percentage",
                         "ToleratedFailurePercentage")]:
        proc = G.branch(jpass())
        proc["ProcessorConfig"] = dict(dist)
        add("errors", "undefined-map-" + name, jone({
            "Type": "Map", "Items": [1], field: m, "ItemProcessor": proc}),
            {}, sp, **qe("P", MISSING, field))
    for name, batcher in [("maxitems", {"MaxItemsPerBatch": m}),
                          ("batchinput", {"MaxItemsPerBatch": 2,
                                          "BatchInput": {"k": m}})]:
        proc = G.branch(jpass())
        proc["ProcessorConfig"] = dict(dist)
        add("errors", "undefined-itembatcher-" + name, jone({
            "Type": "Map", "Items": [1], "ItemBatcher": batcher,
            "ItemProcessor": proc}), {},
            S["spec"] + " (the field's name under ItemBatcher is not known "
            "word for word)", error=QEE,
            cause_prefix=PRE % ("P", 2) + "The JSONata expression '%s' "
            "specified for the field '" % MISSING, cause_suffix="' " + UNDEF)

    def choice(rules, **kw):
        c = {"Type": "Choice", "Choices": rules, "Default": "D"}
        c.update(kw)
        return jm({"C": c, "Y": jpass(End=True), "D": jpass(End=True)})

    add("errors", "undefined-choice-condition-first", choice(
        [{"Condition": m, "Next": "Y"}]), {}, fl,
        **qe("C", MISSING, "Choices[0]/Condition"))
    add("errors", "undefined-choice-condition-second", choice(
        [{"Condition": E("false"), "Next": "Y"},
         {"Condition": m, "Next": "Y"}]), {}, fl,
        **qe("C", MISSING, "Choices[1]/Condition"))
    add("errors", "undefined-choice-rule-output", choice(
        [{"Condition": E("false"), "Next": "Y"},
         {"Condition": E("true"), "Output": {"v": m}, "Next": "Y"}]), {},
        fl, **qe("C", MISSING, "Choices[1]/Output/v"))
    add("errors", "undefined-choice-rule-assign", choice(
        [{"Condition": E("true"), "Assign": {"x": m}, "Next": "Y"}]), {}, fl,
        **qe("C", MISSING, "Choices[0]/Assign/x"))
    add("errors", "undefined-choice-state-output", choice(
        [{"Condition": E("false"), "Next": "Y"}], Output={"v": m}), {}, sp,
        **qe("C", MISSING, "Output/v"))
    add("errors", "undefined-choice-state-assign", choice(
        [{"Condition": E("false"), "Next": "Y"}], Assign={"v": m}), {}, sp,
        **qe("C", MISSING, "Assign/v"))
    bad_args = {"MessageBody": "m", "MessageGroupId": m}
    add("errors", "undefined-catcher-output", jm({
        "Boom": echo(Arguments=bad_args, Catch=[
            {"ErrorEquals": ["States.Timeout"], "Next": "Caught"},
            {"ErrorEquals": [QEE], "Output": {"v": m}, "Next": "Caught"}],
            End=True),
        "Caught": jpass(End=True)}), {}, fl,
        **qe("Boom", MISSING, "Catch[1]/Output/v"))
    add("errors", "undefined-catcher-assign", jm({
        "Boom": echo(Arguments=bad_args, Catch=[
            {"ErrorEquals": ["States.ALL"], "Assign": {"x": m},
             "Next": "Caught"}], End=True),
        "Caught": jpass(End=True)}), {}, sp,
        **qe("Boom", MISSING, "Catch[0]/Assign/x"))
    add("errors", "undefined-variable", jone(jpass({"v": E("$nope")})), {},
        S["wv"] + " (a variable never assigned: undefined, AWS-recorded)",
        **qe("P", "$nope", "Output/v"))
    add("errors", "undefined-in-second-state", jchain(
        jpass(), jpass({"v": m})), {}, fl,
        **qe_later("P1", MISSING, "Output/v"))
    add("errors", "undefined-assign-then-read", jm({
        "Bind": jpass(Assign={"x": m}, Next="Read"),
        "Read": jpass({"got": E("$x")}, End=True)}), {}, fl,
        **qe("Bind", MISSING, "Assign/x"))
    add("errors", "undefined-in-map-iteration", jone({
        "Type": "Map", "Items": [1, 2], "ItemProcessor": G.branch(
            jpass({"v": E("$states.input.missing")}), prefix="UI")}), {},
        S["spec"] + " (the iteration's error fails the Map)",
        **qe_later("UI0", MISSING, "Output/v"))
    add("errors", "undefined-in-parallel-branch", jone({
        "Type": "Parallel", "Branches": [G.branch(
            jpass(Assign={"a": m}), prefix="UB")]}), {},
        S["spec"] + " (the branch's error fails the Parallel)",
        **qe_later("UB0", MISSING, "Assign/a"))


def evaluation_errors():
    """An expression that throws: AWS's cause ends with jsonata-js's code
    and message."""
    fe, js = "floci_err", S["td"] + "; the message is jsonata-js 2.0.6's"
    cases = [
        ("t2001-plus-string", "'x' + 1", "T2001",
         'The left side of the "+" operator must evaluate to a number', js),
        ("t2002-plus-string", "1 + 'x'", "T2002",
         'The right side of the "+" operator must evaluate to a number', js),
        ("t1006-eval", "$eval('1+1')", "T1006",
         "Attempted to invoke a non-function", fe),
        ("t1006-unknown-function", "$nosuch(1)", "T1006",
         "Attempted to invoke a non-function", js),
        ("t0410-signature", "$abs('x')", "T0410",
         'Argument 1 of function "abs" does not match function signature',
         fe),
        ("t0412-array-of-numbers", "$sum(['a'])", "T0412",
         'Argument 1 of function "sum" must be an array of "numbers"', fe),
        ("d3030-number-cast", "$number('not-a-number')", "D3030",
         'Unable to cast value to a number: "not-a-number"', js),
        ("d3137-error-function", "$error('custom')", "D3137", "custom", js),
        ("d3141-assert", "$assert(false, 'no')", "D3141", "no", js),
    ]
    for name, expr, code, msg, src in cases:
        add("errors", "throws-" + name, jone(jpass({"v": E(expr)})), {}, src,
            **qe("P", expr, "Output/v", threw(code, msg)))
    add("errors", "throws-on-input-value", jone(jpass(
        E("$states.input.s * 2"))), {"s": "two"}, js,
        **qe("P", "$states.input.s * 2", "Output", threw(
            "T2001", 'The left side of the "*" operator must evaluate to '
            'a number')))
    add("errors", "throws-in-arguments", jone(echo(
        Arguments={"bad": E("$number('x')")})), {}, js,
        **qe("P", "$number('x')", "Arguments/bad", threw(
            "D3030", 'Unable to cast value to a number: "x"')))
    add("errors", "throws-in-condition", jm({
        "C": {"Type": "Choice", "Choices": [
            {"Condition": E("$states.input.s > 1"), "Next": "Y"}],
            "Default": "Y"},
        "Y": jpass(End=True)}), {"s": [1, 2]}, js,
        **qe("C", "$states.input.s > 1", "Choices[0]/Condition", threw(
            "T2010", 'The expressions either side of operator ">" must '
            'evaluate to numeric or string values')))
    add("errors", "throws-in-items", jone({
        "Type": "Map", "Items": E("$error('no items')"),
        "ItemProcessor": G.branch(jpass())}), {}, js,
        **qe("P", "$error('no items')", "Items",
             threw("D3137", "no items")))
    add("errors", "throws-in-fail-error", jone({
        "Type": "Fail", "Error": E("$abs('x')"), "Cause": "c"}), {}, fe,
        **qe("P", "$abs('x')", "Error", threw(
            "T0410", 'Argument 1 of function "abs" does not match function '
            'signature')))
    add("errors", "throws-in-assign", jone(jpass(Assign={
        "x": E("$sum(['a'])")})), {}, fe,
        **qe("P", "$sum(['a'])", "Assign/x", threw(
            "T0412", 'Argument 1 of function "sum" must be an array of '
            '"numbers"')))


def wrong_types():
    """A value of the wrong type or out of range for its field:
    States.QueryEvaluationError (the text after AWS's prefix is not known
    word for word for every field, so only the prefix is checked)."""
    src = "tderr"
    fields = [
        ("timeoutseconds", ["string", "real", "bool", "null", "array",
                            "object", "zero", "negative"],
         lambda v: echo(Arguments={}, TimeoutSeconds=E(v))),
        ("heartbeatseconds", ["string", "real", "zero"],
         lambda v: echo(Arguments={}, TimeoutSeconds=100,
                        HeartbeatSeconds=E(v))),
        ("wait-seconds", ["string", "real", "bool", "null", "array",
                          "object", "negative"],
         lambda v: {"Type": "Wait", "Seconds": E(v)}),
        ("wait-timestamp", ["number", "bool", "array"],
         lambda v: {"Type": "Wait", "Timestamp": E(v)}),
        ("map-maxconcurrency", ["string", "negative", "bool"],
         lambda v: {"Type": "Map", "Items": [1], "MaxConcurrency": E(v),
                    "ItemProcessor": G.branch(jpass())}),
        ("map-items", ["string", "number", "bool", "null"],
         lambda v: {"Type": "Map", "Items": E(v),
                    "ItemProcessor": G.branch(jpass())}),
        ("fail-error", ["number", "bool", "array", "object"],
         lambda v: {"Type": "Fail", "Error": E(v), "Cause": "c"}),
        ("fail-cause", ["number", "bool", "array", "object"],
         lambda v: {"Type": "Fail", "Error": "E", "Cause": E(v)}),
    ]
    for field, kinds, make in fields:
        for k in kinds:
            add("errors", "wrong-type-%s-%s" % (field, k), jone(make(
                WRONG[k])), {}, src, **qe_any("P"))
    for k in ["string", "number", "null", "array", "object"]:
        add("errors", "wrong-type-choice-condition-" + k, jm({
            "C": {"Type": "Choice", "Choices": [
                {"Condition": E(WRONG[k]), "Next": "Y"}], "Default": "Y"},
            "Y": jpass(End=True)}), {}, src, **qe_any("C"))
    add("errors", "wrong-type-map-items-object-expression", jone({
        "Type": "Map", "Items": E("$states.input.o"),
        "ItemProcessor": G.branch(jpass())}), {"o": {"a": 1}}, "items",
        error=QEE, cause_prefix=cause(
            "P", "$states.input.o", "Items", "returned an unexpected result "
            "type. Expected 'array', but was 'object'"))
    add("errors", "wrong-type-map-default-items-not-array", jone({
        "Type": "Map", "ItemProcessor": G.branch(jpass())}), {"a": 1},
        S["spec"] + " (Map state input must be an array, "
        "AWS-recorded)", error=QEE,
        cause_prefix=PRE % ("P", 2) + "Map state input must be an array "
        "but was: ")
    add("errors", "wrong-type-wait-timestamp-not-a-date", jone({
        "Type": "Wait", "Timestamp": E("'not a date'")}), {},
        S["spec"] + " (AWS-recorded: The Timestamp field cannot "
        "be parsed ...)", error=QEE, cause_prefix=PRE % ("P", 2))


def catching():
    """States.QueryEvaluationError is catchable and retriable (AWS docs),
    unlike States.Runtime."""
    bad = E("$number('not-a-number')")
    full = cause("T", "$number('not-a-number')", "Arguments/bad", threw(
        "D3030", 'Unable to cast value to a number: "not-a-number"'))
    for name, errs in [("by-name", [QEE]), ("by-states-all",
                                           ["States.ALL"])]:
        add("errors", "caught-" + name, jm({
            "T": echo(Arguments={"bad": bad}, Catch=[
                {"ErrorEquals": errs, "Next": "R"}], End=True),
            "R": jpass(End=True)}), {}, "err",
            output={"Error": QEE, "Cause": full})
    add("errors", "not-caught-by-other-name", jm({
        "T": echo(Arguments={"bad": bad}, Catch=[
            {"ErrorEquals": ["States.Timeout"], "Next": "R"}], End=True),
        "R": jpass(End=True)}), {}, "err", error=QEE, cause=full)
    add("errors", "retried-then-fails", jm({
        "T": echo(Arguments={"bad": bad}, Retry=[
            {"ErrorEquals": [QEE], "IntervalSeconds": 1, "MaxAttempts": 2}],
            End=True)}), {}, "err", error=QEE, cause=full)
    add("errors", "retried-then-caught", jm({
        "T": echo(Arguments={"bad": bad}, Retry=[
            {"ErrorEquals": [QEE], "IntervalSeconds": 2, "MaxAttempts": 1}],
            Catch=[{"ErrorEquals": [QEE], "Next": "R", "Output": {
                "t": E("$states.context.State.EnteredTime")}}], End=True),
        "R": jpass({"caught": E("$states.input.t"),
                    "now": E("$states.context.State.EnteredTime")},
                   End=True)}), {}, "err",
        output={"caught": START, "now": "2026-01-01T00:00:02Z"})
    add("errors", "parallel-catches-branch-error", jm({
        "P": {"Type": "Parallel", "Branches": [G.branch(jpass(
            {"r": E("$abs('x')")}))], "Catch": [
                {"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
            "End": True},
        "Caught": jpass({"caught": True, "e": E("$states.input.Error")},
                        End=True)}), {}, "floci",
        output={"caught": True, "e": QEE})
    add("errors", "map-catches-iteration-error", jm({
        "M": {"Type": "Map", "Items": [1, 0], "ItemProcessor": G.branch(
            jpass(E("$states.input = 0 ? $error('zero') : $states.input")),
            prefix="MC"),
            "Catch": [{"ErrorEquals": [QEE], "Next": "Caught",
                       "Output": E("$states.errorOutput.Error")}],
            "End": True},
        "Caught": jpass(End=True)}), {}, "err", output=QEE)
    add("errors", "fail-state-error-replaced", jm({
        "P": {"Type": "Parallel", "Branches": [G.branch(
            {"Type": "Fail", "Error": E(MISSING), "Cause": "c"},
            prefix="FR")],
            "Catch": [{"ErrorEquals": ["MeantError"], "Next": "R"},
                      {"ErrorEquals": [QEE], "Next": "Q"}], "End": True},
        "R": jpass("meant", End=True), "Q": jpass("query", End=True)}), {},
        "floci", output="query")


def more_failures():
    """More places an expression fails, and Fail states whose Error and
    Cause are expressions (failing executions that are the fields'
    ordinary results)."""
    m = E(MISSING)
    dist = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}
    sp = S["spec"] + " (the field named by its place, as AWS names " \
        "Output/v, Arguments/X and Choices[1]/Output/v: floci-io/floci" \
        "#2665, #2689)"
    und = [
        ("map-itemselector-whole", {"Type": "Map", "Items": [1],
                                    "ItemSelector": m,
                                    "ItemProcessor": G.branch(jpass())},
         "ItemSelector"),
        ("map-assign", {"Type": "Map", "Items": [1], "Assign": {"n": m},
                        "ItemProcessor": G.branch(jpass())}, "Assign/n"),
        ("parallel-assign", {"Type": "Parallel", "Assign": {"p": m},
                             "Branches": [G.branch(jpass())]}, "Assign/p"),
        ("wait-assign", {"Type": "Wait", "Seconds": 0, "Assign": {"w": m}},
         "Assign/w"),
        ("lambda-invoke-functionname", invoke(m, {}),
         "Arguments/FunctionName"),
        ("output-deep", jpass({"a": [{"b": [0, m]}]}), "Output/a[0]/b[1]"),
        ("arguments-array-item", echo(Arguments=[1, 2, m]),
         "Arguments[2]"),
    ]
    for name, state, field in und:
        add("errors", "undefined-" + name, jone(state), {}, sp,
            **qe("P", MISSING, field))
    add("errors", "undefined-catcher-output-whole", jm({
        "T": echo(Arguments={"b": E("$error('x')")}, Catch=[
            {"ErrorEquals": [QEE], "Output": m, "Next": "R"}], End=True),
        "R": jpass(End=True)}), {}, sp, **qe("T", MISSING, "Catch[0]/Output"))
    add("errors", "undefined-choice-rule-output-whole", jm({
        "C": {"Type": "Choice", "Choices": [
            {"Condition": E("true"), "Output": m, "Next": "Y"}],
            "Default": "Y"},
        "Y": jpass(End=True)}), {}, sp,
        **qe("C", MISSING, "Choices[0]/Output"))
    # ItemReader and ResultWriter: their Arguments, ReaderConfig's
    # MaxItems (evaluated before anything is read or written).
    rd = {"Resource": "arn:aws:states:::s3:getObject",
          "ReaderConfig": {"InputType": "JSON"},
          "Arguments": {"Bucket": "b", "Key": "k"}}
    for name, reader, writer in [
            ("itemreader-arguments", dict(rd, Arguments={
                "Bucket": "b", "Key": m}), None),
            ("itemreader-maxitems", dict(rd, ReaderConfig={
                "InputType": "JSON", "MaxItems": m}), None),
            ("resultwriter-arguments", None, {
                "Resource": "arn:aws:states:::s3:putObject",
                "Arguments": {"Bucket": "b", "Prefix": m}})]:
        proc = G.branch(jpass())
        proc["ProcessorConfig"] = dict(dist)
        st = {"Type": "Map", "ItemProcessor": proc}
        if reader:
            st["ItemReader"] = reader
        else:
            st["Items"] = [1]
            st["ResultWriter"] = writer
        add("errors", "undefined-" + name, jone(st), {},
            S["spec"] + " (the field named under ItemReader or "
            "ResultWriter: not known word for word)", error=QEE,
            cause_prefix=PRE % ("P", 2) + "The JSONata expression '%s' "
            "specified for the field '" % MISSING, cause_suffix="' " + UNDEF)
    # An expression that throws, in each kind of field.
    err = "$error('stop')"
    th = threw("D3137", "stop")
    js = S["td"] + "; the message is jsonata-js 2.0.6's"
    dproc = G.branch(jpass())
    dproc["ProcessorConfig"] = dist
    thr = [
        ("wait-seconds", {"Type": "Wait", "Seconds": E(err)}, "Seconds"),
        ("wait-timestamp", {"Type": "Wait", "Timestamp": E(err)},
         "Timestamp"),
        ("timeoutseconds", echo(Arguments={}, TimeoutSeconds=E(err)),
         "TimeoutSeconds"),
        ("heartbeatseconds", echo(Arguments={}, TimeoutSeconds=10,
                                  HeartbeatSeconds=E(err)),
         "HeartbeatSeconds"),
        ("maxconcurrency", {"Type": "Map", "Items": [1],
                            "MaxConcurrency": E(err),
                            "ItemProcessor": G.branch(jpass())},
         "MaxConcurrency"),
        ("itemselector", {"Type": "Map", "Items": [1],
                          "ItemSelector": {"v": E(err)},
                          "ItemProcessor": G.branch(jpass())},
         "ItemSelector/v"),
        ("tolerated-count", {"Type": "Map", "Items": [1],
                             "ToleratedFailureCount": E(err),
                             "ItemProcessor": dproc},
         "ToleratedFailureCount"),
        ("fail-cause", {"Type": "Fail", "Error": "E", "Cause": E(err)},
         "Cause"),
        ("arguments-whole", echo(Arguments=E(err)), "Arguments"),
        ("parallel-arguments", {"Type": "Parallel", "Arguments": {
            "v": E(err)}, "Branches": [G.branch(jpass())]}, "Arguments/v"),
        ("map-output", {"Type": "Map", "Items": [1], "Output": E(err),
                        "ItemProcessor": G.branch(jpass())}, "Output"),
        ("output-array-item", jpass([E(err)]), "Output[0]"),
    ]
    for name, state, field in thr:
        add("errors", "throws-in-" + name, jone(state), {}, js,
            **qe("P", err, field, th))
    add("errors", "throws-in-choice-rule-assign", jm({
        "C": {"Type": "Choice", "Choices": [
            {"Condition": E("true"), "Assign": {"x": E(err)}, "Next": "Y"}],
            "Default": "Y"},
        "Y": jpass(End=True)}), {}, js,
        **qe("C", err, "Choices[0]/Assign/x", th))
    add("errors", "throws-in-catcher-assign", jm({
        "T": G.task("fail", Arguments={}, Catch=[
            {"ErrorEquals": ["States.ALL"], "Assign": {"x": E(err)},
             "Next": "R"}], End=True),
        "R": jpass(End=True)}), {}, js,
        **qe("T", err, "Catch[0]/Assign/x", th))
    # Fail states: Error and Cause from what the state sees.
    fs = S["fail"]
    add("fields", "fail-error-from-variable", jm({
        "A": jpass(Assign={"code": "Custom.Code"}, Next="F"),
        "F": {"Type": "Fail", "Error": E("$code"),
              "Cause": E("'code ' & $code")}}), {}, fs,
        error="Custom.Code", cause="code Custom.Code")
    add("fields", "fail-cause-json-text", jone({
        "Type": "Fail", "Error": "E", "Cause": E("$string($states.input)")}),
        {"k": "v"}, S["fail"] + "; jsonata-js 2.0.6 ($string)",
        error="E", cause='{"k":"v"}')
    add("fields", "fail-cause-from-execution-input", jchain(
        jpass("changed"), {"Type": "Fail", "Error": "E", "Cause": E(
            "$states.context.Execution.Input.why")}), {"why": "because"},
        fs, error="E", cause="because")
    add("fields", "fail-after-wait-time", jchain(
        {"Type": "Wait", "Seconds": 60},
        {"Type": "Fail", "Error": "Late",
         "Cause": E("$states.context.State.EnteredTime")}), {}, fs,
        error="Late", cause="2026-01-01T00:01:00Z")
    for n, want in [(1, "Small"), (100, "Big")]:
        add("fields", "fail-chosen-by-input-%d" % n, jm({
            "C": {"Type": "Choice", "Choices": [
                {"Condition": E("$states.input.n > 10"), "Next": "Big"}],
                "Default": "Small"},
            "Big": {"Type": "Fail", "Error": "Big",
                    "Cause": E("$string($states.input.n)")},
            "Small": {"Type": "Fail", "Error": "Small",
                      "Cause": E("$string($states.input.n)")}}), {"n": n},
            S["choice"], error=want, cause=str(n))
    add("map", "fail-in-iteration-names-item", jone({
        "Type": "Map", "Items": ["a", "b"], "MaxConcurrency": 1,
        "ItemProcessor": G.branch({
            "Type": "Fail", "Error": E("'Item.' & $uppercase($states.input)"),
            "Cause": E("$states.input")})}), {}, S["map"],
        error="Item.A", cause="a")
    add("mixed", "jsonpath-machine-jsonata-fail", G.machine({
        "A": {"Type": "Pass", "Parameters": {"e.$": "$.err"}, "Next": "F"},
        "F": jl({"Type": "Fail", "Error": E("$states.input.e"),
                 "Cause": E("$states.context.State.Name")})}),
        {"err": "From.Input"}, "spec", error="From.Input", cause="F")
    add("mixed", "jsonata-var-in-jsonpath-errorpath", G.machine({
        "A": jl(jpass(Assign={"e": E("'E.' & $states.input.k")},
                      Next="F")),
        "F": {"Type": "Fail", "ErrorPath": "$e", "Cause": "c"}}),
        {"k": "x"}, "wv", error="E.x", cause="c")
    add("mixed", "jsonpath-var-in-jsonata-fail", G.machine({
        "A": {"Type": "Pass", "Assign": {"e.$": "$.k"}, "Next": "F"},
        "F": jl({"Type": "Fail", "Error": E("$e"), "Cause": E("$e & '!'")})}),
        {"k": "Q"}, "wv", error="Q", cause="Q!")


def errors():
    undefined_results()
    evaluation_errors()
    wrong_types()
    catching()
    more_failures()


def cases(gen):
    """Add every JSONata case through gen.py's add()."""
    global G
    G = gen
    S.update(_src())
    fields()
    choice_fields()
    map_fields()
    states()
    variables()
    mixed()
    errors()
