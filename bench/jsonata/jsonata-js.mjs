// jsonata-js.mjs - the same workload through jsonata-js (npm), in one Node
// process: evaluations per CPU second (the process's, all its threads:
// V8's collector and compiler threads are part of the cost), parse
// excluded.  The input is parsed once into JavaScript objects and bound as
// $states.input, as a Node runtime would hold a state's input.
import fs from 'node:fs';
import jsonata from 'jsonata';
const [, , workload, input, seconds = '1'] = process.argv;
const w = JSON.parse(fs.readFileSync(workload, 'utf8'));
const data = JSON.parse(fs.readFileSync(input, 'utf8'));
const bindings = { states: { input: data } };
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
for (const x of w.expressions) {
  const e = jsonata(x.expr);
  let n = 0;
  const t0 = cpu();
  let t = 0;
  do {
    for (let k = 0; k < 100; k++) await e.evaluate(undefined, bindings);
    n += 100;
    t = cpu() - t0;
  } while (t < Number(seconds));
  console.log(`${x.name}\t${Math.round(n / t)}`);
}
