#!/usr/bin/env python3
"""gen.py - random valid state machines for differential testing.

    gen.py SEED > machine.json          a machine (JSON on stdout)
    gen.py --input SEED > input.json    an execution input for it

Every state type (Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map),
Map and Parallel nested in each other, random paths, payload templates,
intrinsic calls, Retry and Catch, tolerated failures.  Transitions only go
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
            s["ItemProcessor"] = self.scope("item", depth + 1, r.randint(1, 3))
            if "ToleratedFailurePercentage" in s:
                # Tolerated failures are a Distributed Map's (AWS rejects
                # them in an inline Map).
                s["ItemProcessor"]["ProcessorConfig"] = {
                    "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}
            self.io(s, level, i)
            self.catch(s, later)
            self.transition(s, later)
        return s

    def machine(self):
        m = {"Comment": "generated by tests/difftest/gen.py",
             **self.scope("top", 0, self.r.randint(3, 7))}
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
