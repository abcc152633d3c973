#!/usr/bin/env python3
"""gen-compile.py N - print a state machine of exactly N states (N >= 18)
for the compile benchmark: a chain of blocks of 14 states each mixing Pass,
Choice, Task (Retry, Catch), a Map holding a nested Map, and a Parallel of
two branches; Pass states pad the chain to N."""
import json
import sys

FN = "arn:aws:lambda:us-east-1:000000000000:function:w%d"


def block(k, nxt):
    s = {}
    p = lambda n: "%s%d" % (n, k)  # noqa: E731
    s[p("P")] = {"Type": "Pass", "Next": p("R"),
                       "Parameters": {"x.$": "$.x",
                                      "items.$": "$.items",
                                      "tag.$": "States.Format('b{}', $.x)"}}
    s[p("R")] = {"Type": "Choice", "Default": p("L"), "Choices": [
        {"Variable": "$.x", "NumericGreaterThan": k % 7, "Next": p("H")},
        {"Variable": "$.tag", "StringMatches": "b*%d" % (k % 10),
         "Next": p("L")}]}
    s[p("H")] = {"Type": "Pass", "Result": 1, "ResultPath": "$.h",
                    "Next": p("W")}
    s[p("L")] = {"Type": "Pass", "Result": 0, "ResultPath": "$.h",
                   "Next": p("W")}
    s[p("W")] = {"Type": "Task", "Resource": FN % (k % 5),
                    "ResultPath": "$.work",
                    "Retry": [{"ErrorEquals": ["States.TaskFailed"],
                               "MaxAttempts": 2}],
                    "Catch": [{"ErrorEquals": ["States.ALL"],
                               "Next": p("E")}],
                    "Next": p("E")}
    s[p("E")] = {"Type": "Map", "ItemsPath": "$.items",
                    "ResultPath": "$.mapped",
                    "ItemProcessor": {
                        "StartAt": p("I"), "States": {
                            p("I"): {"Type": "Pass", "Next": p("N"),
                                        "Parameters": {"v.$": "$",
                                                       "sub.$": "States.Array($, 1)"}},
                            p("N"): {"Type": "Map", "ItemsPath": "$.sub",
                                         "End": True, "ItemProcessor": {
                                             "StartAt": p("F"), "States": {
                                                 p("F"): {"Type": "Pass",
                                                             "End": True}}}}}},
                    "Next": p("B")}
    s[p("B")] = {"Type": "Parallel", "ResultPath": "$.both", "Next": nxt,
                    "Branches": [
                        {"StartAt": p("BL"), "States": {
                            p("BL"): {"Type": "Pass", "Next": p("BC")},
                            p("BC"): {"Type": "Choice",
                                         "Choices": [{"Variable": "$.x",
                                                      "NumericEquals": k,
                                                      "Next": p("BD")}],
                                         "Default": p("BD")},
                            p("BD"): {"Type": "Succeed"}}},
                        {"StartAt": p("BR"), "States": {
                            p("BR"): {"Type": "Task", "Resource": FN % (k % 3),
                                         "End": True}}}]}
    return s


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    blocks, pad = divmod(n, 14)
    if blocks == 0:
        sys.exit("gen-compile.py: N must be at least 14")
    states = {}
    for k in range(blocks):
        nxt = "P%d" % (k + 1) if k + 1 < blocks else \
              ("Pad0" if pad else None)
        b = block(k, nxt or "Pad0")
        if nxt is None:
            del b["B%d" % k]["Next"]
            b["B%d" % k]["End"] = True
        states.update(b)
    for i in range(pad):
        states["Pad%d" % i] = {"Type": "Pass", "Next": "Pad%d" % (i + 1)} \
            if i + 1 < pad else {"Type": "Pass", "End": True}
    json.dump({"Comment": "bench compile: %d states" % n, "StartAt": "P0",
               "States": states}, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
