// Resident memory of valueAndGrad(sum(x*x)) on 1e7 float64 in a fresh process: growth on the first call (results plus
// whatever the kernels keep) and across later calls; bench/lib.ts runs it as a child and prints the figures.
import * as gl from "../lib/index.js";

const N = 10_000_000;
const rss = (): number => process.memoryUsage().rss;
const settle = (): Promise<void> => new Promise((done) => setTimeout(done, 20));

const x = gl.tensor(Float64Array.from({ length: N }, (_, i) => Math.sin(i)));
const valueAndGrad = gl.valueAndGrad((t: gl.Tensor) => gl.sum(gl.mul(t, t)));
await settle();
const before = rss();
let kept = valueAndGrad(x);
const afterFirst = rss();
const later: number[] = [];
for (let call = 2; call <= 8; call++) {
  await settle();
  kept = valueAndGrad(x);
  later.push(rss());
}
if (!Number.isFinite((kept[0] as gl.Tensor).item())) throw new Error("first_call_rss: the value is not finite");
// Later calls: from the third call on (by then one earlier result may wait for the collector while the next is made).
process.stdout.write(JSON.stringify({ tensorBytes: N * 8, first: afterFirst - before, later: later[later.length - 1]! - later[1]! }));
