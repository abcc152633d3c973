// als-run.mjs - one execution of a state machine on aws-local-stepfunctions,
// the way a user runs it: one whole node process per execution.
//   node als-run.mjs DEFINITION.json INPUT.json
// Task states run through the library's local handler overrides
// (taskResourceLocalHandlers, keyed by state name): the same work as
// asl2c's built-in handlers, in JavaScript.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

// aws-local-stepfunctions 3.0.0 calls Promise.withResolvers (Node >= 22).
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function () {
    let resolve, reject;
    const promise = new this((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}

const { StateMachine } = await import('aws-local-stepfunctions');

const [defFile, inputFile] = process.argv.slice(2);
const definition = JSON.parse(readFileSync(defFile, 'utf8'));
const input = inputFile ? JSON.parse(readFileSync(inputFile, 'utf8')) : {};

// sha256_work: as bench/handlers.h, hash `mib` MiB of a 64 KiB block
// filled from `seed`; the hex digest.
function sha256Work(event) {
  const seed = Number(event?.seed ?? 0), mib = Number(event?.mib ?? 4);
  const block = Buffer.alloc(65536);
  let x = (BigInt(seed) * 0x9E3779B97F4A7C15n + 1n) & 0xFFFFFFFFFFFFFFFFn;
  for (let i = 0; i < block.length; i += 8) {
    x ^= x << 13n; x &= 0xFFFFFFFFFFFFFFFFn;
    x ^= x >> 7n;
    x ^= x << 17n; x &= 0xFFFFFFFFFFFFFFFFn;
    block.writeBigUInt64LE(x, i);
  }
  const h = createHash('sha256');
  for (let i = 0; i < mib * 16; i++) h.update(block);
  return h.digest('hex');
}

// The Lambda integration's response around a payload (fan-in reads Payload).
const invoke = (payload) => ({ ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 });

// process_partition: as bench/handlers.h (fan-in-map), a checksum of Key
// below 1000 as rows.
function processPartition(ev) {
  let rows = 0;
  for (const ch of Buffer.from(String(ev?.Key ?? ''))) rows = (rows * 31 + ch) >>> 0;
  const n = ev?.PartitionNumber;
  return { partition: n, position: ev?.Position, key: ev?.Key, rows: rows % 1000, valid: n % 10 !== 1 };
}

const handlers = {
  // map-cpu
  Hash: (event) => sha256Work(event),
  // fan-in (examples/fan-in-unaligned): the built-in handlers' logic
  'Generate partitions to process': () => invoke([0, 1]),
  'Submit Lambda Job': (ev) => invoke(!(ev?.Payload?.PartitionNumber === 1)),
  'Create table': () => invoke(true),
  // fan-in-map: lambda:invoke's Parameters carry the event in Payload
  'Process partition': (ev) => invoke(processPartition(ev?.Payload)),
};

// aws-local-stepfunctions 3.0.0 stores a result under a key named "$" for
// "ResultPath": "$" (the fan-in's Map iterations) instead of replacing the
// input; "$" is the default, so leaving the field out means the same.
(function dropRootResultPath(states) {
  for (const st of Object.values(states ?? {})) {
    if (st.ResultPath === '$') delete st.ResultPath;
    dropRootResultPath((st.ItemProcessor ?? st.Iterator)?.States);
    for (const b of st.Branches ?? []) dropRootResultPath(b.States);
  }
})(definition.States);

const sm = new StateMachine(definition, { validationOptions: { checkPaths: false, checkArn: false } });
const result = await sm.run(input, { overrides: { taskResourceLocalHandlers: handlers } }).result;
process.stdout.write(JSON.stringify(result) + '\n');
