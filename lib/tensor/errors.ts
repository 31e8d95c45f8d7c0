// Error classes thrown by the library: each message starts with the op or transform name (e.g. "mul: ...").

/** A shape problem: broadcasting, reshaping, an axis out of range, inner dimensions of a product. */
export class ShapeError extends Error {
  override name = "ShapeError";
}

/** Two tensors of different dtypes met in one op (gradlab never converts silently). */
export class DTypeError extends Error {
  override name = "DTypeError";
}

/** A misuse of an autodiff transform: bad argnums, a non-scalar output for grad, a missing derivative rule. */
export class GradError extends Error {
  override name = "GradError";
}

/** A value that is not a tensor where one is needed (or a tree leaf of the wrong kind). */
export class ValueError extends Error {
  override name = "ValueError";
}

/**
 * A tensor that does not fit in the memory gradlab may use (the system's available memory, or GRADLAB_MEMORY_LIMIT).
 * Thrown before anything is allocated, so the process and earlier tensors are unharmed; ops prefix their name.
 */
export class OutOfMemoryError extends RangeError {
  override name = "OutOfMemoryError";
}
