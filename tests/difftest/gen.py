#!/usr/bin/env python3
"""gen.py - random valid state machines for differential testing.

    gen.py SEED > machine.json          a machine (JSON on stdout)
    gen.py --input SEED > input.json    an execution input for it

Every state type (Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map),
Map and Parallel nested in each other, random paths, payload templates,
intrinsic calls, Retry and Catch, tolerated failures.  Some machines are
JSONata machines, and in the others some states are JSONata states (their
Arguments, Output, Assign, Condition, Items, ItemSelector, Seconds,
Timestamp, MaxConcurrency, Error and Cause random expressions over $states
and the variables, Catchers with Output and Assign).  Transitions only go
forward, so every execution ends.  The tasks call the handlers of
tests/difftest/handlers.c.  Python 3 standard library only.
"""
import json
import random
import sys

HANDLERS = ["echo", "add", "flaky", "boom", "shape"]


def reachable(start, states):
    """The states reachable from start, in their original order."""
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        s = states[name]
        todo += [s[k] for k in ("Next", "Default") if k in s]
        todo += [c["Next"] for c in s.get("Choices", []) + s.get("Catch", [])]
    return {k: v for k, v in states.items() if k in seen}


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.count = 0
        self.jsonata = False  # a JSONata machine: every state is JSONata
        self.vars = []        # the variables JSONata states assign
        self.dist = 0         # inside a Distributed Map's processor (it
                              # cannot reference the outer variables)

    def name(self, kind):
        self.count += 1
        return "S%d %s" % (self.count, kind)

    # ---------------------------------------------------------- data
    def path(self, level, definite=False):
        """A path into the input at this level: mostly present, sometimes
        not, sometimes indefinite (never when a Reference Path is needed,
        definite=True)."""
        r = self.r
        if level == "top":
            opts = ["$.n", "$.s", "$.items", "$.o", "$.o.k", "$.items[0]",
                    "$.items[-1].v", "$.o.list[1]", "$['s']", "$"]
        else:
            opts = ["$.v", "$.w", "$.i", "$.items", "$.items[0].w", "$"]
        rare = ["$.items[*].v", "$..v", "$.items[1:3]",
                "$.items[?(@.v > 1)].w", "$.o.list[0,2]", "$..*"]
        if r.random() < 0.02:
            return "$.missing"
        if definite:
            return r.choice(opts)
        return r.choice(rare) if r.random() < 0.15 else r.choice(opts)

    def ref_path(self, i):
        r = self.r.random()
        if r < 0.6:
            return "$.r%d" % i
        if r < 0.75:
            return "$.o.r%d" % i
        if r < 0.85:
            return None  # discard the result
        return "$"

    def intrinsic(self, level, depth=0):
        r = self.r
        p = lambda: self.path(level)
        num = "$.n" if level == "top" else "$.v"
        sval = "$.s" if level == "top" else "$.w"
        calls = [
            lambda: "States.Format('{} and {}', %s, %s)" % (p(), p()),
            lambda: "States.MathAdd(%s, %d)" % (num, r.randint(-5, 5)),
            lambda: "States.ArrayLength($.items)",
            lambda: "States.UUID()",
            lambda: "States.MathRandom(1, %d)" % r.randint(2, 1000),
            lambda: "States.Hash(%s, '%s')" % (sval, r.choice(
                ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"])),
            lambda: "States.JsonToString(%s)" % p(),
            lambda: "States.StringSplit('a,b,,c', ',')",
            lambda: "States.ArrayRange(%d, %d, %d)" % (
                r.randint(0, 3), r.randint(4, 20), r.randint(1, 4)),
            lambda: "States.Base64Encode(%s)" % sval,
            lambda: "States.Base64Decode('aGVsbG8=')",
            lambda: "States.ArrayUnique(States.Array(1, 2, 2, %s))" % num,
            lambda: "States.ArrayPartition($.items, %d)" % r.randint(1, 3),
            lambda: "States.ArrayContains($.items, %s)" % p(),
            lambda: "States.ArrayGetItem($.items, %d)" % r.randint(0, 4),
            lambda: "States.StringToJson('{\"a\": [1, 2]}')",
            lambda: "States.Array(%s, 'x', 1.5, null, true)" % p(),
        ]
        if level == "top":
            calls.append(lambda: "States.JsonMerge($.o, $.o, false)")
        if depth < 1 and r.random() < 0.2:
            return "States.Format('[{}]', %s)" % self.intrinsic(level, depth + 1)
        return r.choice(calls)()

    def template(self, level, size=None, in_selector=False):
        r = self.r
        t = {}
        for k in range(size if size is not None else r.randint(1, 4)):
            x = r.random()
            key = "f%d" % k
            if x < 0.35:
                t[key + ".$"] = self.path(level)
            elif x < 0.7:
                t[key + ".$"] = self.intrinsic(level)
            elif x < 0.8:
                t[key + ".$"] = r.choice(["$$.Execution.Name", "$$.State.Name",
                                          "$$.Execution.StartTime",
                                          "$$.State.EnteredTime"])
            elif x < 0.9:
                t[key] = {"nested.$": self.path(level), "lit": [1, "two"]}
            else:
                t[key] = r.choice([1, "text", None, True, [1, {"a": "$.x"}]])
        return t

    # -------------------------------------------------------- states
    # (AWS rejects unreachable states: only the reachable ones are kept.)
    def scope(self, level, depth, n=None):
        """A StartAt/States object of n states in a forward-only DAG."""
        r = self.r
        n = n if n is not None else r.randint(2, 5)
        names = []
        kinds = []
        for i in range(n):
            k = r.choices(["Pass", "Task", "Choice", "Wait", "Parallel",
                           "Map", "Fail", "Succeed"],
                          [12, 12, 6, 2, 4 if depth < 2 else 0,
                           5 if depth < 2 else 0, 1, 1])[0]
            if i == n - 1 and k == "Choice":
                k = "Pass"
            kinds.append(k)
            names.append(self.name(k))
        states = {}
        for i, (k, nm) in enumerate(zip(kinds, names)):
            later = names[i + 1:]
            if self.jsonata:
                states[nm] = self.jstate(k, i, later, level, depth)
            elif r.random() < 0.25:
                states[nm] = self.jstate(k, i, later, level, depth)
                states[nm]["QueryLanguage"] = "JSONata"
            else:
                states[nm] = self.state(k, i, later, level, depth)
        return {"StartAt": names[0], "States": reachable(names[0], states)}

    def transition(self, s, later):
        if later:
            s["Next"] = later[0] if self.r.random() < 0.7 else self.r.choice(later)
        else:
            s["End"] = True

    def io(self, s, level, i, result=True):
        r = self.r
        if r.random() < 0.1:
            s["InputPath"] = "$"
        if result:
            rp = self.ref_path(i)
            if rp != "$" or r.random() < 0.3:
                s["ResultPath"] = rp
        if r.random() < 0.1:
            s["OutputPath"] = "$"

    def catch(self, s, later):
        r = self.r
        if r.random() < 0.5:
            s["Retry"] = [{"ErrorEquals": [r.choice(["Flaky.Error", "States.TaskFailed",
                                                      "States.ALL"])],
                           "IntervalSeconds": r.randint(1, 3),
                           "MaxAttempts": r.randint(0, 3),
                           "BackoffRate": r.choice([1, 1.5, 2]),
                           **({"JitterStrategy": "FULL"} if r.random() < 0.3 else {})}]
        if later and r.random() < 0.5:
            s["Catch"] = [{"ErrorEquals": ["States.ALL"],
                           "ResultPath": r.choice(["$.error", None, "$"]),
                           "Next": r.choice(later)}]

    def state(self, k, i, later, level, depth):
        r = self.r
        s = {"Type": k}
        if k == "Pass":
            x = r.random()
            if x < 0.4:
                s["Parameters"] = self.template(level)
            elif x < 0.6:
                s["Result"] = {"k%d" % i: r.randint(0, 9), "t": "x"}
            self.io(s, level, i)
            self.transition(s, later)
        elif k == "Task":
            fn = r.choices(HANDLERS, [4, 3, 4, 1, 3])[0]
            if r.random() < 0.5:
                s["Resource"] = "arn:aws:states:::lambda:invoke"
                s["Parameters"] = {"FunctionName": fn, "Payload": self.template(level)}
                if r.random() < 0.7:
                    s["ResultSelector"] = {"p.$": "$.Payload",
                                           "code.$": "$.StatusCode"}
            else:
                s["Resource"] = "arn:aws:lambda:us-east-1:000000000000:function:" + fn
                if r.random() < 0.5:
                    s["Parameters"] = self.template(level)
            self.io(s, level, i)
            self.catch(s, later)
            self.transition(s, later)
        elif k == "Choice":
            var = self.path(level, definite=True)
            num = "$.n" if level == "top" else "$.v"
            sval = "$.s" if level == "top" else "$.w"
            rules = [
                {"Variable": num, "NumericGreaterThan": r.randint(0, 5)},
                {"Variable": sval, "StringMatches": r.choice(["a*", "*1", "w*"])},
                {"Variable": var, "IsPresent": True},
                {"And": [{"Variable": num, "IsNumeric": True},
                         {"Not": {"Variable": num, "NumericEquals": 2}}]},
                {"Or": [{"Variable": sval, "StringEquals": "abc"},
                        {"Variable": num, "NumericLessThanEquals": 1}]},
            ]
            choices = []
            for _ in range(r.randint(1, 3)):
                rule = dict(r.choice(rules))
                rule["Next"] = r.choice(later)
                choices.append(rule)
            s["Choices"] = choices
            s["Default"] = r.choice(later)
        elif k == "Wait":
            s["Seconds"] = r.randint(0, 3600)
            self.transition(s, later)
        elif k == "Fail":
            s["Error"] = "Gen.Failed"
            s["Cause"] = "state %d" % i
        elif k == "Succeed":
            pass
        elif k == "Parallel":
            s["Branches"] = [self.scope(level, depth + 1, r.randint(1, 3))
                             for _ in range(r.randint(1, 3))]
            if r.random() < 0.3:
                s["ResultSelector"] = {"first.$": "$[0]", "all.$": "$"}
            self.io(s, level, i)
            self.catch(s, later)
            self.transition(s, later)
        elif k == "Map":
            s["ItemsPath"] = "$.items"
            s["ItemSelector"] = {"v.$": "$$.Map.Item.Value.v",
                                 "w.$": "$$.Map.Item.Value.w",
                                 "i.$": "$$.Map.Item.Index",
                                 "items.$": "$.items"}
            s["MaxConcurrency"] = r.choice([0, 0, 1, 2, 3])
            if r.random() < 0.3:
                s["ToleratedFailurePercentage"] = r.choice([0, 50, 100])
            d = "ToleratedFailurePercentage" in s
            self.dist += d
            s["ItemProcessor"] = self.scope("item", depth + 1, r.randint(1, 3))
            self.dist -= d
            if "ToleratedFailurePercentage" in s:
                # Tolerated failures are a Distributed Map's (AWS rejects
                # them in an inline Map).
                s["ItemProcessor"]["ProcessorConfig"] = {
                    "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}
            self.io(s, level, i)
            self.catch(s, later)
            self.transition(s, later)
        return s

    # ------------------------------------------------------- JSONata
    # A JSONata state's fields: expressions over $states.input (the
    # state's input), $states.context, $states.result (Task, Map,
    # Parallel), $states.errorOutput (Catchers) and the variables, guarded
    # with $exists (a variable may not be assigned on the path taken).
    def jexpr(self, level):
        """A JSONata expression (without its {% %})."""
        r = self.r
        num = "$states.input.n" if level == "top" else "$states.input.v"
        sval = "$states.input.s" if level == "top" else "$states.input.w"
        x = r.random()
        if x < 0.03:
            return "$states.input.missing"   # undefined: the state fails
        if x < 0.05:
            return "$error('generated')"
        opts = [
            lambda: "%s + %d" % (num, r.randint(-5, 5)),
            lambda: "$count($states.input.items)",
            lambda: "$sum($states.input.items.v)",
            lambda: "$uppercase(%s)" % sval,
            lambda: "$string(%s) & '-' & $states.context.State.Name" % num,
            lambda: "[$states.input.items[v > 1].w]",
            lambda: "$uuid()",
            lambda: "$random()",
            lambda: "$hash($string($states.input), '%s')" % r.choice(
                ["MD5", "SHA-1", "SHA-256", "SHA-512"]),
            lambda: "$states.context.Execution.Name",
            lambda: "$states.context.State.EnteredTime",
            lambda: "$now()",
            lambda: "$millis()",
            lambda: "$partition([1, 2, 3, 4, 5], %d)" % r.randint(1, 3),
            lambda: "$range(0, %d, %d)" % (r.randint(3, 12),
                                          r.randint(1, 3)),
            lambda: "{'k': $states.input.o.k, 'l': $states.input.o.list[1]}",
            lambda: "$keys($states.input)",
            lambda: "[$states.input.items.{'w': w, 'i': $string(v)}]",
            lambda: "($t := %s; $type($t) = 'number' ? $t * 2 : $t)" % num,
        ]
        if self.vars and not self.dist:
            v = r.choice(self.vars)
            opts.append(lambda: "$exists($%s) ? $%s : 'unset'" % (v, v))
        return r.choice(opts)()

    def jtemplate(self, level):
        """An Arguments or Output value: JSON with expressions inside."""
        r = self.r
        t = {}
        for k in range(r.randint(1, 4)):
            x = r.random()
            key = "f%d" % k
            if x < 0.7:
                t[key] = "{% " + self.jexpr(level) + " %}"
            elif x < 0.85:
                t[key] = {"nested": "{% " + self.jexpr(level) + " %}",
                          "lit": [1, "two", None]}
            else:
                t[key] = r.choice([1, "text", None, True, "$.not.a.path"])
        return t

    def joutput(self, i, result):
        """An Output that keeps the input's fields (when it is an object)
        and adds r<i>: the result (result is its expression) or a value."""
        x = result or self.jexpr("top")
        return ("{%% $type($states.input) = 'object' ? $merge([$states."
                "input, {'r%d': %s}]) : {'input': $states.input, 'r%d': %s} "
                "%%}" % (i, x, i, x))

    def jassign(self, s, level, result=None):
        if self.r.random() < 0.35:
            name = "v%d" % (len(self.vars) + 1)
            s["Assign"] = {name: "{% " + (result or self.jexpr(level))
                           + " %}"}
            self.vars.append(name)

    def jcondition(self, level):
        r = self.r
        num = "$states.input.n" if level == "top" else "$states.input.v"
        sval = "$states.input.s" if level == "top" else "$states.input.w"
        opts = ["$type(%s) = 'number' and %s > %d" % (num, num,
                                                      r.randint(0, 5)),
                "$count($states.input.items) > %d" % r.randint(0, 4),
                "$contains($string($states.input), 'w1')",
                "$exists(%s) and %s = 'abc'" % (sval, sval),
                "$states.context.State.RetryCount = 0"]
        if self.vars and not self.dist:
            opts.append("$exists($%s)" % r.choice(self.vars))
        return "{% " + r.choice(opts) + " %}"

    def jcatch(self, s, later):
        r = self.r
        if r.random() < 0.5:
            s["Retry"] = [{"ErrorEquals": [r.choice(
                ["Flaky.Error", "States.TaskFailed", "States.ALL",
                 "States.QueryEvaluationError"])],
                "IntervalSeconds": r.randint(1, 3),
                "MaxAttempts": r.randint(0, 3)}]
        if later and r.random() < 0.5:
            c = {"ErrorEquals": ["States.ALL"], "Next": r.choice(later)}
            if r.random() < 0.6:
                c["Output"] = {"err": "{% $states.errorOutput.Error %}",
                               "in": "{% $states.input %}"}
            if r.random() < 0.3:
                name = "v%d" % (len(self.vars) + 1)
                c["Assign"] = {name: "{% $states.errorOutput.Cause %}"}
                self.vars.append(name)
            s["Catch"] = [c]

    def jstate(self, k, i, later, level, depth):
        r = self.r
        s = {"Type": k}
        if k == "Pass":
            if r.random() < 0.6:
                s["Output"] = self.joutput(i, None)
            self.jassign(s, level)
            self.transition(s, later)
        elif k == "Task":
            fn = r.choices(HANDLERS, [4, 3, 4, 1, 3])[0]
            if r.random() < 0.5:
                s["Resource"] = "arn:aws:states:::lambda:invoke"
                s["Arguments"] = {"FunctionName": fn,
                                  "Payload": self.jtemplate(level)}
                res = "$states.result.Payload"
            else:
                s["Resource"] = ("arn:aws:lambda:us-east-1:000000000000:"
                                 "function:" + fn)
                if r.random() < 0.6:
                    s["Arguments"] = self.jtemplate(level)
                res = "$states.result"
            if r.random() < 0.7:
                s["Output"] = self.joutput(i, res)
            self.jassign(s, level, res if r.random() < 0.5 else None)
            self.jcatch(s, later)
            self.transition(s, later)
        elif k == "Choice":
            choices = []
            for _ in range(r.randint(1, 3)):
                rule = {"Condition": self.jcondition(level),
                        "Next": r.choice(later)}
                if r.random() < 0.3:
                    rule["Output"] = self.joutput(i, None)
                self.jassign(rule, level)
                choices.append(rule)
            s["Choices"] = choices
            s["Default"] = r.choice(later)
        elif k == "Wait":
            x = r.random()
            if x < 0.4:
                s["Seconds"] = "{% $count($states.input.items) * 10 %}"
            elif x < 0.7:
                s["Timestamp"] = "{%% $fromMillis($millis() + %d) %%}" % (
                    1000 * r.randint(0, 3600))
            else:
                s["Seconds"] = r.randint(0, 3600)
            self.jassign(s, level)
            self.transition(s, later)
        elif k == "Fail":
            s["Error"] = "{% 'Gen.' & $string($count($states.input.items)) %}"
            s["Cause"] = "{% $states.context.State.Name %}"
        elif k == "Succeed":
            if r.random() < 0.3:
                s["Output"] = self.joutput(i, None)
        elif k == "Parallel":
            s["Branches"] = [self.scope(level, depth + 1, r.randint(1, 3))
                             for _ in range(r.randint(1, 3))]
            if r.random() < 0.4:
                s["Arguments"] = self.jtemplate(level)
            if r.random() < 0.6:
                s["Output"] = self.joutput(i, "$states.result")
            self.jassign(s, level, "$count($states.result)")
            self.jcatch(s, later)
            self.transition(s, later)
        elif k == "Map":
            s["Items"] = "{% $states.input.items %}"
            s["ItemSelector"] = {
                "v": "{% $states.context.Map.Item.Value.v %}",
                "w": "{% $states.context.Map.Item.Value.w %}",
                "i": "{% $states.context.Map.Item.Index %}",
                "items": "{% $states.input.items %}"}
            s["MaxConcurrency"] = r.choice([0, 1, 2, "{% 3 %}"])
            if r.random() < 0.3:
                s["ToleratedFailurePercentage"] = r.choice(
                    [0, 50, "{% 100 %}"])
            d = "ToleratedFailurePercentage" in s
            self.dist += d
            s["ItemProcessor"] = self.scope("item", depth + 1,
                                            r.randint(1, 3))
            self.dist -= d
            if "ToleratedFailurePercentage" in s:
                s["ItemProcessor"]["ProcessorConfig"] = {
                    "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}
            if r.random() < 0.6:
                s["Output"] = self.joutput(i, "$states.result")
            self.jassign(s, level, "$count($states.result)")
            self.jcatch(s, later)
            self.transition(s, later)
        return s

    def machine(self):
        self.jsonata = self.r.random() < 0.25
        m = {"Comment": "generated by tests/difftest/gen.py",
             **self.scope("top", 0, self.r.randint(3, 7))}
        if self.jsonata:
            m["QueryLanguage"] = "JSONata"
        if self.r.random() < 0.2:
            m["TimeoutSeconds"] = self.r.randint(60, 100000)
        return m

    def input(self):
        r = self.r
        items = [{"v": k, "w": "w%d" % k} for k in range(r.randint(0, 5))]
        return {"n": r.randint(0, 5), "s": r.choice(["abc", "a1", "zz"]),
                "items": items, "o": {"k": "v", "list": [1, 2, 3]}}


def main(argv):
    if len(argv) == 3 and argv[1] == "--input":
        print(json.dumps(Gen(int(argv[2]) * 7919).input()))
    elif len(argv) == 2:
        print(json.dumps(Gen(int(argv[1])).machine(), indent=1))
    else:
        sys.stderr.write("usage: gen.py SEED | gen.py --input SEED\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
