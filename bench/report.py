#!/usr/bin/env python3
"""report.py OUT BENCHMARKS.md - turn bench/run's measurements (OUT/raw.tsv,
OUT/meta.tsv, the callgrind and perf profiles) into the table
(OUT/table.txt), BENCHMARKS.md and the plot's data (OUT/plot-*.dat,
OUT/systems.gp)."""
import os
import re
import statistics
import sys

OUT, MD = sys.argv[1], sys.argv[2]

NAMES = {
    "asl2c": "asl2c", "floor": "C floor (jansson)",
    "als": "aws-local-stepfunctions", "moto": "moto",
    "asl2c-t1": "asl2c, 1 thread", "asl2c-t2": "asl2c, 2 threads",
    "floor-t1": "C floor, 1 thread", "floor-t2": "C floor, 2 threads",
    "cc": "cc -O2 on asl2c's output",
    "edit-cc": "asl2c + cc + run", "edit-run": "asl2c run --no-cache",
    "edit-cached": "asl2c run (cached)",
}
PREF = ["asl2c", "asl2c-t1", "asl2c-t2", "edit-cc", "edit-run", "edit-cached",
        "floor", "floor-t1", "floor-t2", "als", "moto", "cc"]
# What a workload's size counts (callgrind counts are per one of these).
UNIT = {"loop": "transition", "choice-vars": "transition",
        "map": "item", "map-ctx": "item", "fan-in-map": "item",
        "parallel8": "item", "retry-chain": "item",
        "map-cpu": "item", "fan-in": "execution", "compile": "state",
        "fan-in-map-jsonata": "item", "map-ctx-jsonata": "item",
        "choice-vars-jsonata": "transition"}
WHAT = [
    ("loop", "Pass with States.MathAdd and a Choice, on `$`"),
    ("map", "inline Map, one Pass reading `$` per item (the fast "
            "path)"),
    ("map-cpu", "inline Map of 64 items, each a Task hashing 4 MiB "
                "(threads)"),
    ("fan-in", "the seed's example (examples/fan-in-unaligned), one "
               "execution"),
    ("fan-in-map", "the fan-in at scale: ItemSelector with "
                   "`$$.Map.Item.Value` and `.Index`, a C handler per item "
                   "(bench/handlers.c) through `lambda:invoke` with "
                   "`States.Format` in its Payload, a ResultSelector with "
                   "`States.MathAdd`, the Map's ResultSelector with "
                   "`States.ArrayLength`"),
    ("map-ctx", "the measured per-item case: ItemSelector "
                "`{\"v.$\": \"$$.Map.Item.Value\"}`, a Pass with "
                "`States.MathAdd`, a ResultSelector"),
    ("choice-vars", "a loop in variables: `Assign` with `States.MathAdd`, "
                    "a Choice (And, Not, StringEquals, NumericLessThanPath) "
                    "on `$i`, `$limit`, `$mode`"),
    ("parallel8", "inline Map, each item a Parallel of 8 branches (Pass "
                  "with `States.MathAdd` and `States.Format`) and a "
                  "ResultSelector"),
    ("fan-in-map-jsonata", "fan-in-map written in JSONata: `Items`, "
                           "`ItemSelector` with `$states.context.Map.Item.*`, "
                           "`Arguments` with `&`, `Output` with `+` and "
                           "`$count` (same output, same floor)"),
    ("map-ctx-jsonata", "map-ctx written in JSONata (same output, same "
                        "floor)"),
    ("choice-vars-jsonata", "choice-vars written in JSONata: `Assign` "
                            "with `+`, a `Condition` with `and`, `$not` "
                            "(same output, same floor)"),
    ("retry-chain", "inline Map, each item three C handler Tasks: a "
                    "retrier with backoff and full jitter (fails "
                    "`$$.State.RetryCount` < k times), catchers with "
                    "ResultPath into a Pass"),
]


# ------------------------------------------------------------------ inputs
raw = {}     # (wl, size, sys) -> {round: seconds}
order = []   # (wl, size) in bench order
for line in open(os.path.join(OUT, "raw.tsv")):
    wl, size, sysn, rnd, t = line.rstrip("\n").split("\t")
    key = (wl, int(size), sysn)
    raw.setdefault(key, {})[int(rnd)] = float(t)
    if (wl, int(size)) not in order:
        order.append((wl, int(size)))

rss, cpu, notes, meta, single = {}, {}, [], {}, set()
cg = {}      # name -> (instructions, wl, size, sys)
for line in open(os.path.join(OUT, "meta.tsv")):
    f = line.rstrip("\n").split("\t")
    if f[0] == "rss":
        wl, size, sysn = f[1], int(f[2]), f[3]
        if f[4]:
            rss[(wl, size, sysn)] = int(f[4]) / 1024.0
        try:
            cpu[(wl, size, sysn)] = float(f[5]) + float(f[6])
        except (ValueError, IndexError):
            pass
    elif f[0] == "note":
        notes.append(f[1])
    elif f[0] == "callgrind":
        m_ = re.match(r"^(.+)-(\d+)-([a-z0-9]+)$", f[1])
        if m_ and len(f) > 2 and f[2]:
            cg[f[1]] = (int(f[2]), m_.group(1), int(m_.group(2)), m_.group(3))
    elif f[0] == "single":
        single.add((f[1], int(f[2]), f[3]))
    else:
        meta[f[0]] = f[1:]


def stats(key):
    v = sorted(raw.get(key, {}).values())
    if not v:
        return None
    return statistics.median(v), v[0], v[-1], len(v)


def pair_ratio(wl, size, num, den):
    """median over rounds of t(num)/t(den), the same round; None if none."""
    a, b = raw.get((wl, size, num), {}), raw.get((wl, size, den), {})
    r = [a[k] / b[k] for k in a if k in b and b[k] > 0]
    return statistics.median(r) if r else None


def fmt_t(s):
    if s is None:
        return "-"
    if s < 1:
        return "%.1f ms" % (s * 1000) if s < 0.1 else "%.0f ms" % (s * 1000)
    return "%.2f s" % s if s < 10 else "%.1f s" % s


def fmt_n(n):
    return "{:,}".format(int(round(n)))


def fmt_x(x):
    if x is None:
        return "-"
    return "%.0fx" % x if x >= 20 else "%.2fx" % x


def base_of(wl):
    return "asl2c-t1" if wl == "map-cpu" else \
        "edit-cc" if wl.startswith("edit-") else "asl2c"


def floor_of(wl, s):
    """The floor system asl2c system s of wl is compared with."""
    if wl == "map-cpu":
        return {"asl2c-t1": "floor-t1", "asl2c-t2": "floor-t2"}.get(s)
    return "floor" if s != "floor" else None


# ------------------------------------------------------------------- table
rows = []
for wl, size in order:
    syss = [k[2] for k in raw if k[0] == wl and k[1] == size]
    syss.sort(key=lambda s: PREF.index(s) if s in PREF else 99)
    base = base_of(wl)
    for s in syss:
        st = stats((wl, size, s))
        rel = flo = None
        if s != base and (wl, size, base) in raw and wl != "compile":
            rel = pair_ratio(wl, size, s, base)
        fs = floor_of(wl, s)
        if fs and (wl, size, fs) in raw and not s.startswith("floor"):
            flo = pair_ratio(wl, size, s, fs)
        rows.append((wl, size, s, st, rss.get((wl, size, s)), rel, flo))

hdr = ("workload", "size", "system", "median", "min", "max", "n",
       "peak RSS", "time / asl2c", "time / floor")
table = []
for wl, size, s, st, r, rel, flo in rows:
    med, lo, hi, n = st
    table.append((wl, fmt_n(size), NAMES.get(s, s), fmt_t(med), fmt_t(lo),
                  fmt_t(hi), str(n) + ("*" if (wl, size, s) in single else ""),
                  "%.1f MiB" % r if r is not None else "-", fmt_x(rel),
                  fmt_x(flo)))


# ------------------------------------------------------------ the profiles
LINE = re.compile(r"^\s*([\d,]+) \(\s*([\d.]+)%\)\s+(.*)$")


def cg_entries(name, kind):
    """[(instructions, file, function, object)] of a callgrind_annotate
    listing (kind: incl or self), in its order.  Inclusive: recursion levels
    (f'2) left out, the outermost holds them; self: added to f's."""
    path = os.path.join(OUT, "%s.%s.txt" % (name, kind))
    out = []
    if not os.path.exists(path):
        return out
    for line in open(path):
        if "annotated source" in line:
            break
        m = LINE.match(line)
        if not m or "PROGRAM TOTALS" in line:
            continue
        where = m.group(3)
        om = re.search(r"\[([^\]]*)\]\s*$", where)
        if not om:
            continue
        obj = os.path.basename(om.group(1))
        where = where[:om.start()].strip()
        file_, _, fn = where.rpartition(":")
        if "'" in fn and kind == "incl":
            continue
        out.append((int(m.group(1).replace(",", "")),
                    os.path.basename(file_), fn.split("'")[0], obj))
    if kind == "self":
        tot = {}
        for n, f_, fn, obj in out:
            tot[(f_, fn, obj)] = tot.get((f_, fn, obj), 0) + n
        out = sorted(((n, f_, fn, obj) for (f_, fn, obj), n in tot.items()),
                     key=lambda e: -e[0])
    return out


HANDLED = ("fan-in-map", "retry-chain",
           "fan-in-map-jsonata")   # built with bench/handlers.c


def label(file_, fn, obj, prog):
    if obj == prog:
        if file_ in ("", "???"):
            where = "the floor" if prog.startswith("floor-") else \
                "bench/handlers.c" if prog[6:] in HANDLED and \
                not fn.startswith("st_") else "generated"
            return "`%s` (%s)" % (fn, where)
        return "`%s` (%s)" % (fn, file_)
    lib = re.sub(r"\.so.*$", "", obj) or "?"
    return "`%s` (%s)" % (fn, lib)


SKIP_INCL = {"main", "(below main)", "asl_main"}

# The runtime's concerns, by the functions that hold them (inclusive:
# concerns nest, a template's paths are inside the template's count).
# CONTAINERS hold others: left out when naming the largest parts of a miss.
CONTAINERS = {"payload templates", "InputPath + Parameters", "ResultSelector",
              "Map iterations", "Task: invoking", "Parallel branches"}
CONCERNS = [
    ("context object built for a `$$` path", [("exec.c", "asl_context_object")]),
    ("timestamps formatted (context object, history)", [("exec.c", "asl_format_time")]),
    ("payload templates (Parameters, ItemSelector, ResultSelector, Assign)",
     [("value.c", "asl_eval")]),
    ("JSONPath and context paths", [("path.c", "asl_path_get")]),
    ("intrinsic functions", [("intrinsics.c", "asl_eval_call")]),
    ("InputPath + Parameters / ItemSelector", [("state.c", "effective_input")]),
    ("ResultSelector, ResultPath, OutputPath", [("state.c", "process_result")]),
    ("payload size checks (256 KiB)", [("state.c", "json_size")]),
    ("Map iterations (each one's context, history and states)", [("map.c", "run_child")]),
    ("Map iteration context set-up", [("exec.c", "asl_ctx_child")]),
    ("history records (state events, merges, Task events)",
     [("history.c", "asl_hist_new"), ("history.c", "asl_hist_enter"),
      ("history.c", "asl_hist_exit"), ("history.c", "asl_hist_merge"),
      ("history.c", "asl_hist_started"), ("history.c", "asl_hist_end"),
      ("lambda.c", "ev_scheduled"), ("lambda.c", "ev_succeeded"),
      ("lambda.c", "ev_failed")]),
    ("Task: invoking the handler, all included", [("lambda.c", "asl_invoke")]),
    ("Task: the `lambda:invoke` response (headers, Date, trace id)",
     [("lambda.c", "invoke_response")]),
    ("Task: the handler's own work", [("lambda.c", "call_handler")]),
    ("the C handlers (bench/handlers.c), all included", [("???", "call")]),
    ("handler failures (asl_fail: the error and its cause)",
     [("lambda.c", "asl_fail")]),
    ("Task: a Lambda error (its payload as the cause)", [("lambda.c", "lambda_error")]),
    ("Retry: backoff delays", [("state.c", "retry_delay_ms")]),
    ("Catch: the error output", [("state.c", "catch_output")]),
    ("Choice rules", [("state.c", "asl_choice")]),
    ("variables (Assign)", [("state.c", "assign"), ("state.c", "commit_vars")]),
    ("Parallel branches", [("map.c", "parallel_work")]),
    ("reading the input", [("main.c", "read_input")]),
    ("printing the output", [("main.c", "json_text")]),
    ("start-up: the dynamic loader", [("rtld.c", "_dl_start")]),
    ("json_pack (jansson)", [("", "json_pack")]),
    ("malloc (libc)", [("malloc.c", "malloc")]),
    ("free (libc)", [("malloc.c", "free")]),
]


def concerns(name, units, total):
    incl = cg_entries(name, "incl")
    if not incl:
        return []
    seen = {}
    for n, file_, fn, obj in incl:
        seen.setdefault((file_, fn), n)
        seen.setdefault(("", fn), n)
    out = []
    for what, fns in CONCERNS:
        # By file and name where the file is known (static functions of
        # the same name live in several files), else by name.
        n = sum(seen.get(k, 0) if k[0] and (k[0], k[1]) in seen else
                seen.get(("", k[1]), 0) if not k[0] or k[0] != "???" else 0
                for k in fns)
        if n >= total * 0.005:
            out.append((n, what, ", ".join("`%s`" % k[1] for k in fns)))
    out.sort(key=lambda e: -e[0])
    lines = ["| per %s | share | concern | function |" % UNIT.get(
        cg[name][1], "unit"), "|---:|---:|---|---|"]
    for n, what, fns in out:
        lines.append("| %s | %.1f%% | %s | %s |" % (
            fmt_n(n / units), 100.0 * n / total, what, fns))
    return lines


def top_incl(name, units, total, k=15):
    """The runtime's functions by inclusive count; functions within 0.1% of
    the one before share its row (mostly a chain of calls)."""
    prog = "asl2c-" + cg[name][1]
    rows_ = []  # [count, [labels]]
    for n, file_, fn, obj in cg_entries(name, "incl"):
        if obj != prog or fn in SKIP_INCL:
            continue
        if rows_ and n >= 0.999 * rows_[-1][0]:
            rows_[-1][1].append(label(file_, fn, obj, prog))
            continue
        if len(rows_) == k:
            break
        rows_.append([n, [label(file_, fn, obj, prog)]])
    lines = ["| per %s | share | runtime function (inclusive) |" %
             UNIT.get(cg[name][1], "unit"), "|---:|---:|---|"]
    for n, labels in rows_:
        lines.append("| %s | %.1f%% | %s |" % (
            fmt_n(n / units), 100.0 * n / total, " ".join(
                labels[:1] + ["> " + x for x in labels[1:]])))
    return lines


def by_object(name):
    """Self instructions by object: runtime and generated code, jansson,
    libc..., as text."""
    sysn, wl = cg[name][3], cg[name][1]
    prog = ("asl2c-" if sysn == "asl2c" else "floor-") + wl
    tot = {}
    for n, file_, fn, obj in cg_entries(name, "self"):
        key = "the program (runtime, generated code, handlers)" \
            if obj == prog else re.sub(r"\.so.*$", "", obj)
        tot[key] = tot.get(key, 0) + n
    total = cg[name][0]
    parts = sorted(tot.items(), key=lambda e: -e[1])
    return ", ".join("%s %.0f%%" % (k_, 100.0 * v / total)
                     for k_, v in parts if v >= 0.01 * total)


def top_self(name, units, total, k=10):
    sysn, wl = cg[name][3], cg[name][1]
    prog = ("asl2c-" if sysn == "asl2c" else "floor-") + wl
    lines = ["| per %s | share | function (self) |" % UNIT.get(wl, "unit"),
             "|---:|---:|---|"]
    for n, file_, fn, obj in cg_entries(name, "self"):
        lines.append("| %s | %.1f%% | %s |" % (
            fmt_n(n / units), 100.0 * n / total, label(file_, fn, obj, prog)))
        if len(lines) >= k + 2:
            break
    return lines


def top_concerns(name, k=4):
    """The k largest concerns that hold no other, as text."""
    n_units, total = cg[name][2], cg[name][0]
    out = []
    for l_ in concerns(name, n_units, total)[2:]:
        c = [x.strip() for x in l_.strip("|").split("|")]
        if any(c[2].startswith(p_) for p_ in CONTAINERS):
            continue
        out.append("%s (%s instructions per %s, %s)" % (
            c[2], c[0], UNIT.get(cg[name][1], "unit"), c[1]))
        if len(out) == k:
            break
    return "; ".join(out)


def waiting(wl, size, name):
    """When asl2c's wall time is far more than its instructions need (at
    the floor's rate of the same run), a sentence saying so."""
    fl = cg_name(wl, size, "floor")
    a, f_ = stats((wl, size, "asl2c")), stats((wl, size, "floor"))
    if not fl or not a or not f_ or f_[0] <= 0:
        return ""
    rate = cg[fl][0] / f_[0]
    need = cg[name][0] / rate
    if a[0] < 3 * need:
        return ""
    txt = ("At the floor's rate in this run (%s instructions per second), "
           "asl2c's %s instructions need about %s; its median wall time is "
           "%s" % (fmt_n(rate), fmt_n(cg[name][0]), fmt_t(need), fmt_t(a[0])))
    c_ = cpu.get((wl, size, "asl2c"))
    if c_ is not None:
        txt += " (CPU time of the warm-up, user + sys: %s)" % fmt_t(c_)
    txt += ": the rest is not the state machine's work but threads " \
           "waiting for each other and spinning, which callgrind (one " \
           "thread at a time) does not count."
    t2 = stats((wl, size, "asl2c-t2"))
    if t2:
        txt += "  With 2 OpenMP threads the same run takes %s (the " \
               "`asl2c, 2 threads` row)." % fmt_t(t2[0])
    return txt


def cg_name(wl, size, sysn):
    n = "%s-%d-%s" % (wl, size, sysn)
    return n if n in cg else None


def per_unit(name):
    return cg[name][0] / cg[name][2] if name in cg else None


def marginal(wl, small, big):
    a, b = cg_name(wl, small, "asl2c"), cg_name(wl, big, "asl2c")
    if a and b:
        return (cg[b][0] - cg[a][0]) / (big - small)
    return None


# ----------------------------------------------------------------- targets
# The two sets of targets: the current ones, and the earlier ones kept to
# see them move.
SETS = {16: "current", 6: "earlier"}
targets = []   # (set, name, measured, goal, ok, miss text, topic)


def target(issue, name, value, ok, measured, goal, miss, topic):
    if value is None:
        targets.append((issue, name, "not measured", goal, None, "", topic))
    else:
        targets.append((issue, name, measured, goal, ok,
                        "" if ok else miss, topic))


# The current targets.
for wl, size in order:
    if wl.startswith("edit-") or wl in ("compile", "map-cpu-fixed"):
        continue
    for s in ("asl2c", "asl2c-t1", "asl2c-t2"):
        fs = floor_of(wl, s)
        if (wl, size, s) not in raw or not fs or (wl, size, fs) not in raw:
            continue
        x = pair_ratio(wl, size, s, fs)
        who = "" if s == "asl2c" else " (%s)" % NAMES[s].split(", ")[1]
        target(16, "%s %s%s: vs the C floor" % (wl, fmt_n(size), who), x,
               x is not None and x <= 1.5,
               "%.2fx the floor's time" % x if x else "", "<= 1.5x",
               "%.2fx the floor's time" % x if x else "", wl)
for wl in ("map-ctx", "fan-in-map", "map-ctx-jsonata", "fan-in-map-jsonata"):
    n = cg_name(wl, 10000, "asl2c")
    pu = per_unit(n) if n else None
    fl = per_unit(cg_name(wl, 10000, "floor") or "")
    target(16, "%s 10,000: instructions per item (callgrind)" % wl, pu,
           pu is not None and pu <= 4000,
           fmt_n(pu) + (" (floor: %s)" % fmt_n(fl) if fl else "")
           if pu else "", "<= 4,000",
           "%.1fx the 4,000 allowed" % (pu / 4000) if pu else "", wl)
st = stats(("loop", 1000002, "asl2c"))
tps = 1000002 / st[0] if st else None
target(16, "loop 1,000,002: transitions per second", tps,
       tps is not None and tps >= 1e7,
       "%s/s" % fmt_n(tps) if tps else "", ">= 10,000,000/s",
       "%.0f%% of the target" % (100 * tps / 1e7) if tps else "", "loop")
x = pair_ratio("map-cpu", 64, "asl2c-t1", "asl2c-t2")
target(16, "map-cpu: 2 threads vs 1", x, x is not None and x >= 1.9,
       "%.2fx faster" % x if x else "", ">= 1.9x faster",
       "%.2fx of the 1.9x asked" % x if x else "", "map-cpu")
for wl in ("map", "map-ctx", "fan-in-map"):
    a, b = rss.get((wl, 100000, "asl2c")), rss.get((wl, 100000, "floor"))
    x = a / b if a and b else None
    target(16, "%s 100,000: peak RSS vs the floor" % wl, x,
           x is not None and x <= 1.5,
           "%.2fx (%.1f MiB, floor %.1f MiB)" % (x, a, b) if x else "",
           "<= 1.5x", "%.2fx the floor's memory" % x if x else "", "memory")
for wl, size in (("edit-fan-in", 1), ("edit-fan-in-map", 10000)):
    for s in ("edit-cc", "edit-cached"):
        x = pair_ratio(wl, size, "als", s)
        if x is not None:
            targets.append((16, "%s %s: %s vs aws-local-stepfunctions" % (
                wl, fmt_n(size), NAMES[s]), "%s faster" % fmt_x(x),
                "in BENCHMARKS.md", None, "", "edit"))

# The earlier targets, kept to see them move.
for wl, size in (("loop", 10002), ("map", 10000)):
    x = pair_ratio(wl, size, "als", "asl2c")
    target(6, "%s %s: vs aws-local-stepfunctions" % (wl, fmt_n(size)), x,
           x is not None and x >= 100, fmt_x(x) + " faster" if x else "",
           ">= 100x faster", "%.0fx of the 100x asked" % x if x else "", wl)
target(6, "loop 1,000,002: transitions per second", tps,
       tps is not None and tps >= 2e6,
       "%s/s" % fmt_n(tps) if tps else "", ">= 2,000,000/s",
       "%.0f%% of the target" % (100 * tps / 2e6) if tps else "", "loop")
for wl, size in (("loop", 10002), ("loop", 1000002), ("map", 10000),
                 ("map", 100000)):
    x = pair_ratio(wl, size, "asl2c", "floor")
    target(6, "%s %s: vs the C floor" % (wl, fmt_n(size)), x,
           x is not None and x <= 2, "%.2fx the floor's time" % x if x else "",
           "<= 2x", "%.2fx the floor's time" % x if x else "", wl)
x = pair_ratio("map-cpu", 64, "asl2c-t1", "asl2c-t2")
target(6, "map-cpu: 2 threads vs 1", x, x is not None and x >= 1.8,
       "%.2fx faster" % x if x else "", ">= 1.8x faster",
       "%.2fx of the 1.8x asked" % x if x else "", "map-cpu")
st = stats(("compile", 10000, "asl2c"))
target(6, "compile 10,000 states: asl2c time", st and st[0],
       st is not None and st[0] < 1, fmt_t(st[0]) if st else "", "< 1 s",
       "%.2fx the allowed time" % st[0] if st else "", "compile")
r = rss.get(("compile", 10000, "asl2c"))
target(6, "compile 10,000 states: asl2c peak RSS", r,
       r is not None and r < 200, "%.1f MiB" % r if r else "", "< 200 MiB",
       "%.2fx the allowed memory" % (r / 200) if r else "", "compile")
st = stats(("compile", 10000, "cc"))
target(6, "compile 10,000 states: cc -O2 on the output", st and st[0],
       st is not None and st[0] < 60, fmt_t(st[0]) if st else "", "< 60 s",
       "%.2fx the allowed time" % (st[0] / 60) if st else "", "compile-cc")
r = rss.get(("map", 100000, "asl2c"))
target(6, "memory: map 100,000 peak RSS", r, r is not None and r < 150,
       "%.1f MiB" % r if r else "", "< 150 MiB",
       "%.2fx the allowed memory" % (r / 150) if r else "", "memory")


def verdict(t):
    if t[4] is None:
        return "measured" if t[2] != "not measured" else "n/a"
    return "met" if t[4] else "MISSED"


def perf_table(n=15):
    path = os.path.join(OUT, "compile.perf.txt")
    if not os.path.exists(path):
        return ["(no perf profile)"]
    lines = ["| self | symbol |", "|---:|---|"]
    for line in open(path):
        m = re.match(r"^\s*([\d.]+)%\s+(?:\S+\s+)?\[[.k]\]\s+(.*)$", line)
        if not m:
            m = re.match(r"^\s*([\d.]+)%\s+(.*)$", line)
        if m:
            lines.append("| %s%% | `%s` |" % (m.group(1), m.group(2).strip()))
        if len(lines) >= n + 2:
            break
    return lines


# ---------------------------------------------------------------- the text
def md_table(h, rows_, right=()):
    out = ["| " + " | ".join(h) + " |",
           "|" + "|".join("---:" if i in right else "---"
                          for i in range(len(h))) + "|"]
    for r_ in rows_:
        out.append("| " + " | ".join(r_) + " |")
    return out


def txt_table(h, rows_, left=(0, 2)):
    if not rows_:
        return []
    w = [max(len(h[i]), *(len(r_[i]) for r_ in rows_)) for i in range(len(h))]
    line = lambda r_: "  ".join(  # noqa: E731
        r_[i].ljust(w[i]) if i in left else r_[i].rjust(w[i])
        for i in range(len(h))).rstrip()
    return [line(h), "  ".join("-" * x for x in w)] + [line(r_) for r_ in rows_]


th = ("target", "measured", "goal", "")
t16 = [(t[1], t[2], t[3], verdict(t)) for t in targets if t[0] == 16]
t6 = [(t[1], t[2], t[3], verdict(t)) for t in targets if t[0] == 6]

# Instruction counts.
cg_rows = []
for name in sorted(cg, key=lambda n_: (cg[n_][1], cg[n_][2], cg[n_][3])):
    n, wl, size, sysn = cg[name]
    fl = cg_name(wl, size, "floor") if sysn == "asl2c" else None
    cg_rows.append((wl, fmt_n(size), NAMES.get(sysn, sysn), fmt_n(n),
                    fmt_n(n / size), UNIT.get(wl, "unit"),
                    "%.2fx" % (n / cg[fl][0]) if fl else "-"))
marg = []
for wl in ("fan-in-map", "map-ctx", "fan-in-map-jsonata", "map-ctx-jsonata"):
    m = marginal(wl, 1000, 10000)
    if m is not None:
        marg.append((wl, m))
cgh = ("workload", "size", "system", "instructions", "per unit", "unit",
       "asl2c / floor")

with open(os.path.join(OUT, "table.txt"), "w") as f:
    f.write("\n".join(txt_table(hdr, table)) + "\n\n")
    f.write("current targets\n")
    f.write("\n".join(txt_table(th, t16, left=(0, 2))) + "\n\n")
    f.write("earlier targets\n")
    f.write("\n".join(txt_table(th, t6, left=(0, 2))) + "\n\n")
    if cg_rows:
        f.write("instructions (callgrind)\n")
        f.write("\n".join(txt_table(cgh, cg_rows, left=(0, 2, 5))) + "\n")
        for wl, m in marg:
            f.write("%s: one more item costs %s instructions (10,000 items "
                    "against 1,000)\n" % (wl, fmt_n(m)))
        f.write("\n")
    for n_ in notes:
        f.write("note: %s\n" % n_)

md = []
md += ["# Benchmarks", "",
       "Generated by `make bench` (bench/run, bench/report.py); do not edit "
       "by hand: run it again.  Every number below was measured in one run "
       "of the bench, on one machine, side by side.", ""]
md += ["## Machine", ""]
if "host" in meta:
    md.append("- host: %s" % ", ".join(meta["host"]))
if "versions" in meta:
    md.append("- tools: %s" % ", ".join(meta["versions"]))
for k in ("versions_als", "versions_moto"):
    if k in meta:
        md.append("- peer: %s" % ", ".join(meta[k]))
if "load_start" in meta:
    md.append("- load average (1, 5, 15 min): %s at the start, %s at the end"
              % (meta["load_start"][0], meta.get("load_end", ["?"])[0]))
if "bench_seconds" in meta:
    md.append("- the bench took %s s" % meta["bench_seconds"][0])
md.append("")
try:
    ncpu = int(meta["host"][1].split()[0])
    load = max(float(meta["load_start"][0].split()[0]),
               float(meta.get("load_end", ["0"])[0].split()[0]))
except (KeyError, IndexError, ValueError):
    ncpu, load = 0, 0.0
if ncpu and load > ncpu / 2:
    md += ["**This machine is shared and was loaded while the bench ran** "
           "(a load average of %.1f on %d CPUs): other jobs took CPU time "
           "from the runs, so the wall times below vary from run to run by "
           "tens of percent, and ratios of two systems measured in the same "
           "round are steadier than the times.  The instruction counts "
           "(callgrind) do not depend on the load: they are the figures to "
           "trust, and the ones the speed work should be judged by." %
           (load, ncpu), ""]
else:
    md += ["The instruction counts (callgrind) do not depend on the "
           "machine's load: they are the figures to trust when two runs of "
           "the bench disagree.", ""]
md += ["## Method", "",
       "- **Whole process**: the wall time of one execution from `exec` to "
       "exit, as a user or a CI job sees it (start-up, input parsing, output "
       "included): the generated program (`--seed 1 --start-time ... "
       "--time-scale 0`), `node bench/peers/als-run.mjs` "
       "(aws-local-stepfunctions 3.0.0, Task states through its "
       "`taskResourceLocalHandlers` overrides, a `Promise.withResolvers` "
       "polyfill on Node 20), `python3 bench/peers/moto-run.py` (moto's "
       "Step Functions interpreter with `execute_state_machine`), and the "
       "hand-written C floor (bench/floor/*.c: the same JSON work with "
       "jansson directly, no interpreter; the C handlers' work is the same "
       "code, bench/handlers.h).",
       "- A warm-up run first, under `/usr/bin/time -v` (its peak RSS is the "
       "one shown; its output is checked against the first system's), then "
       "the timed runs, interleaved system by system round after round.  "
       "Runs: 21 when a run takes under 0.2 s, else 5; a run over 20 s is "
       "taken once (marked `*`: the warm-up is the measurement).",
       "- Median, min and max of the timed runs.  Ratios are computed pair "
       "by pair (the same round) and their median shown: *time / asl2c* is "
       "how many times asl2c's time the system takes (for edit-to-result, "
       "asl2c + cc + run's), *time / floor* how many times the floor's.",
       "- The 256 KiB payload limit holds, as by default, except where the "
       "output is over it (as it would be on AWS): 100,000 items, and "
       "parallel8 and retry-chain at 10,000 (`--no-payload-limit`).",
       "- Edit to result: the definition was edited, the result is wanted.  "
       "*asl2c + cc + run*: `asl2c`, `cc -O2` (with bench/handlers.c where "
       "the machine calls it), the program; *asl2c run --no-cache*: the "
       "same in one command; *asl2c run (cached)*: a run after the first, "
       "the program built once (a definition run again unchanged, as a "
       "test suite does); aws-local-stepfunctions: one whole `node` "
       "process.  fan-in-map's asl2c run loads the handlers with "
       "`--handlers-lib`.",
       "- Instruction counts from `valgrind --tool=callgrind` (1 thread), "
       "per unit of the workload's size: the whole process divided by the "
       "items or transitions, start-up and output included.  They agree "
       "between runs of the bench to about 1%, except parallel8's (see its "
       "miss).", ""]
md += ["Workloads (bench/machines/):", ""]
md += md_table(("workload", "what it does"),
               [(w, d) for w, d in WHAT]) + [""]
md += ["## Results", ""] + md_table(hdr, table, right=(1, 3, 4, 5, 6, 7, 8, 9)) + [""]
md += ["![time against work size](bench/out/plot.png)", ""]
md += ["## Targets", ""] + md_table(th, t16, right=(1,)) + [""]
md += ["The 4,000-instruction target is read on map-ctx, the per-item case "
       "measured first (26,800 per item then), and on fan-in-map, whose floor "
       "itself needs the count shown: there the target cannot be met as "
       "written, and the floor ratio is the one to follow.", ""]
md += ["## Earlier targets", ""] + \
    md_table(th, t6, right=(1,)) + [""]

if cg_rows:
    md += ["## Instruction counts (callgrind)", ""]
    md += md_table(cgh, cg_rows, right=(1, 3, 4, 6)) + [""]
    for wl, m in marg:
        md.append("- %s: one more item costs %s instructions (10,000 items "
                  "against 1,000: start-up, input and output left out)." %
                  (wl, fmt_n(m)))
    if marg:
        md.append("")

# Where the time goes, per workload.
PROFILED = ["fan-in-map", "map-ctx", "choice-vars", "parallel8",
            "retry-chain", "fan-in-map-jsonata", "map-ctx-jsonata",
            "choice-vars-jsonata", "loop", "map", "fan-in"]
md += ["## Where the time goes", "",
       "For each workload, callgrind's inclusive instruction counts of the "
       "runtime's parts, per unit of work: what the speed work should "
       "attack, largest first.  Concerns nest (a template's paths are "
       "inside the template's count), so the shares do not add up.  Then "
       "the runtime's functions by inclusive count (functions within 0.1% of "
       "each other share a row, `a > b`: mostly a chain of calls; a static "
       "function the compiler inlined counts in its caller), and where the "
       "instructions themselves are (self: by object, then by function; "
       "jansson's internal functions have no symbols, only addresses).",
       ""]
for wl in PROFILED:
    names = sorted((n for n in cg if cg[n][1] == wl and cg[n][3] == "asl2c"),
                   key=lambda n_: -cg[n_][2])
    if not names:
        continue
    name = names[0]
    total, _, size, _ = cg[name]
    fl = cg_name(wl, size, "floor")
    md += ["### %s (%s %s%s)" % (wl, fmt_n(size), UNIT.get(wl, "unit"),
                                "s" if size != 1 else ""), ""]
    line = "asl2c: %s instructions, %s per %s" % (
        fmt_n(total), fmt_n(total / size), UNIT.get(wl, "unit"))
    if fl:
        line += "; the floor: %s, %s per %s (asl2c executes %.1fx the " \
                "floor's instructions)" % (
                    fmt_n(cg[fl][0]), fmt_n(cg[fl][0] / size),
                    UNIT.get(wl, "unit"), total / cg[fl][0])
    m = marginal(wl, 1000, 10000)
    if m is not None:
        line += "; one more item: %s" % fmt_n(m)
    md += [line + ".", ""]
    md += ["By concern:", ""] + concerns(name, size, total) + [""]
    md += ["Runtime functions:", ""] + top_incl(name, size, total) + [""]
    md += ["Self, by object: %s." % by_object(name), ""]
    md += ["Self:", ""] + top_self(name, size, total) + [""]
    if fl:
        md += ["The floor, self:", ""] + top_self(fl, size, cg[fl][0], 6) + [""]

# Misses.
misses = [t for t in targets if t[4] is False]
md += ["## Misses and what the profiles show", ""]
if not misses:
    md += ["Every target is met.", ""]
TOPICS = [("fan-in-map", "fan-in-map"), ("map-ctx", "map-ctx"),
          ("choice-vars", "choice-vars"), ("parallel8", "parallel8"),
          ("retry-chain", "retry-chain"),
          ("fan-in-map-jsonata", "fan-in-map-jsonata"),
          ("map-ctx-jsonata", "map-ctx-jsonata"),
          ("choice-vars-jsonata", "choice-vars-jsonata"),
          ("loop", "loop"), ("map", "map"),
          ("fan-in", "fan-in (the seed's example, one execution)"),
          ("map-cpu", "map-cpu: threads"), ("memory", "memory"),
          ("compile", "compile: asl2c"), ("compile-cc", "compile: cc -O2")]
for topic, title in TOPICS:
    these = [t for t in misses if t[6] == topic]
    if not these:
        continue
    md += ["### %s" % title, ""]
    for t in these:
        md.append("- **%s** (%s target): %s, goal %s." % (
            t[1], SETS[t[0]], t[2], t[3]))
    md.append("")
    names = sorted((n for n in cg if cg[n][1] == topic and
                    cg[n][3] == "asl2c"), key=lambda n_: -cg[n_][2])
    if names:
        name = names[0]
        total, _, size, _ = cg[name]
        fl = cg_name(topic, size, "floor")
        txt = "callgrind at %s %s%s: %s instructions per %s" % (
            fmt_n(size), UNIT.get(topic, "unit"), "s" if size != 1 else "",
            fmt_n(total / size), UNIT.get(topic, "unit"))
        if fl:
            txt += " against the floor's %s (%.1fx)" % (
                fmt_n(cg[fl][0] / size), total / cg[fl][0])
        txt += ".  The largest parts: %s.  Where the instructions are " \
               "(self, by object): %s.  See *Where the time goes*, %s." % (
                   top_concerns(name), by_object(name), topic)
        md += [txt, ""]
        w_ = waiting(topic, size, name)
        if w_:
            md += [w_, ""]
        if topic == "parallel8" and w_:
            md += ["Each Parallel state runs its branches as an OpenMP "
                   "parallel loop of one thread per branch "
                   "(runtime/states/map.c, `parallel_work`).  Inside a Map of one "
                   "thread that team of 8 is the first active level, so "
                   "every item starts 8 threads on 2 CPUs; with "
                   "`OMP_THREAD_LIMIT=1`, or with 2 threads (the Map's "
                   "team is then the active level and the Parallel runs "
                   "serially), the waiting goes away.  libgomp's waiting "
                   "loops are instructions too: callgrind counts them, so "
                   "this workload's count varies from run to run (the "
                   "others' do not).", ""]
    elif topic == "map-cpu":
        c1, c2 = cpu.get(("map-cpu", 64, "asl2c-t1")), \
            cpu.get(("map-cpu", 64, "asl2c-t2"))
        f1 = pair_ratio("map-cpu", 64, "floor-t1", "floor-t2")
        md += ["CPU time (user + sys) of the warm-up: %s at 1 thread, %s at "
               "2 threads; the floor's own speed-up, 1 to 2 threads, is %s.  "
               "When the floor does not reach the goal either, the machine "
               "(load average above) did not give the process two free "
               "cores; when the CPU time grows with the threads, the extra "
               "work is OpenMP's (spinning, the Map's serial part)." %
               (fmt_t(c1), fmt_t(c2), fmt_x(f1)), ""]
        fx = stats(("map-cpu-fixed", 64, "asl2c-t1"))
        t1 = stats(("map-cpu", 64, "asl2c-t1"))
        if fx and t1:
            best = t1[0] / (fx[0] + (t1[0] - fx[0]) / 2)
            md += ["The same program with nothing to hash (map-cpu-fixed: "
                   "64 items of 0 MiB; start-up, input, Map, output) takes "
                   "%s: with that part serial, the best 2-thread speed-up "
                   "of this run is %.2fx." % (fmt_t(fx[0]), best), ""]
    elif topic == "memory":
        md += ["The peak RSS is the warm-up's.  Per item, asl2c holds the "
               "input, the results and each iteration's context and "
               "history; the floor holds the input and the results.  "
               "See *Where the time goes*, map-ctx, for the objects built "
               "per item.", ""]
    elif topic == "compile":
        md += ["perf, asl2c compiling the 10,000-state definition (self "
               "time):", ""] + perf_table() + [""]
    elif topic == "compile-cc":
        s_ = meta.get("compile_size", [0, 0, 0])
        md += ["The generated C is %s lines (%s bytes) from a %s-byte "
               "definition; cc's time grows with the size of the largest "
               "functions and the constant tables." % (
                   fmt_n(int(s_[2])), fmt_n(int(s_[1])),
                   fmt_n(int(s_[0]))), ""]

if os.path.exists(os.path.join(OUT, "mpi.txt")):
    md += ["## Distributed Map over MPI ranks (bench/mpi.sh)", "",
           "One OpenMP thread per rank, mpirun --oversubscribe on this "
           "machine; what the figures mean is in doc/scale.md.", "", "```"]
    md += [l_.rstrip("\n") for l_ in open(os.path.join(OUT, "mpi.txt"))
           if not l_.startswith(("real", "user", "sys")) and l_.strip()]
    md += ["```", ""]
if notes:
    md += ["## Notes", ""] + ["- %s" % n_ for n_ in notes] + [""]
if "compile_size" in meta:
    s_ = meta["compile_size"]
    md += ["The compile workload (bench/gen-compile.py) is %s bytes of JSON; "
           "asl2c's output is %s bytes, %s lines." %
           (fmt_n(int(s_[0])), fmt_n(int(s_[1])), fmt_n(int(s_[2]))), ""]

# The JSONata section: bench/jsonata/run.sh's table when bench/run measured
# it (OUT/jsonata.md), else carried over from the existing file.
JN = os.path.join(OUT, "jsonata.md")
if os.path.exists(JN):
    md += ["## JSONata engine", "",
           "`make bench-jsonata` (bench/jsonata/run.sh): each expression of "
           "bench/jsonata/workload.json evaluated repeatedly against an order "
           "of 100 items bound as `$states.input` (a jansson value in, the "
           "result a jansson value out), parse excluded; asl2c's engine in "
           "process against jsonata-js 2.0.6 (npm) in one Node process, the "
           "input a parsed JavaScript object. Both count their process's CPU "
           "time; callgrind's instructions per evaluation do not move with "
           "the machine's load. doc/jsonata.md says where the time goes.", ""]
    md += [l_.rstrip("\n") for l_ in open(JN)] + [""]
elif os.path.exists(MD):
    old = open(MD).read().split("\n")
    keep, on = [], False
    for line in old:
        if line.startswith("## "):
            on = line.startswith("## JSONata engine")
        if on:
            keep.append(line)
    if keep:
        md += keep + ([""] if keep[-1] else [])

with open(MD, "w") as f:
    f.write("\n".join(md))

# ------------------------------------------------------------ plot's data
systems = {}
for wl in ("loop", "map"):
    for s in ("asl2c", "floor", "als", "moto"):
        pts = [(size, stats((wl, size, s))) for (w, size) in order
               if w == wl and (wl, size, s) in raw]
        if not pts:
            continue
        systems.setdefault(wl, []).append(s)
        with open(os.path.join(OUT, "plot-%s-%s.dat" % (wl, s)), "w") as f:
            for size, st in sorted(pts):
                f.write("%d %.6f %.6f %.6f\n" % (size, st[0], st[1], st[2]))
with open(os.path.join(OUT, "systems.gp"), "w") as f:
    for wl in ("loop", "map"):
        f.write('%s_systems = "%s"\n' % (wl, " ".join(systems.get(wl, []))))
