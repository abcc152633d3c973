// jsonata-js.mjs - the same workload through jsonata-js (npm), in one Node
// process: evaluations per second, parse excluded.
import fs from 'node:fs';
import jsonata from 'jsonata';
const [, , workload, input, seconds = '1'] = process.argv;
const w = JSON.parse(fs.readFileSync(workload, 'utf8'));
const data = JSON.parse(fs.readFileSync(input, 'utf8'));
const bindings = { states: { input: data } };
for (const x of w.expressions) {
  const e = jsonata(x.expr);
  let n = 0;
  const t0 = process.hrtime.bigint();
  let t = 0;
  do {
    for (let k = 0; k < 100; k++) await e.evaluate(undefined, bindings);
    n += 100;
    t = Number(process.hrtime.bigint() - t0) / 1e9;
  } while (t < Number(seconds));
  console.log(`${x.name}\t${Math.round(n / t)}`);
}
