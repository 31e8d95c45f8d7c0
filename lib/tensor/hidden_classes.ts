// Keeps one example object of each class whose objects are all short-lived (tensors in a loop of temporaries, the
// trace of each gradient), for as long as the library is loaded.
//
// Why: V8's optimized code refers to the hidden classes (maps) of the objects it handles weakly, and a full collection
// that finds no live object of a class drops that class's map and throws away every function optimized against it
// (`--trace-deopt`: "weak objects"). gradlab's pool runs full collections in long loops over big tensors, and
// notebooks and benchmarks run them too; after one, 10,000 Rosenbrock gradients took 95 ms instead of 17 while V8
// optimized everything again. One live example keeps each map, so a collection costs only its own time.

const examples: object[] = [];

/** Keeps `example` alive for good; call it once per class, at module evaluation, with an object made as all others are. */
export function keepHiddenClass(example: object): void {
  examples.push(example);
}
