// Linear, Sequential and MLP: layers whose parameters form one tree, {layers: [{weight, bias}, {}, ...]}.
import { add, matmul, rng as makeRng, type Rng, type Tensor, type DType } from "../optim/core_api.js";
import type { Params } from "../optim/transform.js";
import { Module } from "./module.js";
import { Activation, type ActivationName } from "./activations.js";
import { glorotUniform, heNormal, zerosInit, type Initializer } from "./init.js";

export interface LinearParams { [key: string]: Tensor; weight: Tensor; bias: Tensor }

export interface LinearOptions {
  /** Generator for the initial weights (default rng(0): pass your own for independent layers). */
  rng?: Rng;
  /** Weight initializer (default glorotUniform). */
  init?: Initializer;
  bias?: boolean;
  dtype?: DType;
}

/** y = x @ weight + bias, with weight of shape (inFeatures, outFeatures) and bias (outFeatures,). */
export class Linear extends Module<LinearParams | { [key: string]: Tensor; weight: Tensor }> {
  constructor(readonly inFeatures: number, readonly outFeatures: number, options: LinearOptions = {}) {
    for (const [label, v] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      if (!(Number.isInteger(v) && v >= 1)) throw new Error(`Linear: invalid ${label} ${v} (must be an integer >= 1)`);
    }
    const r = options.rng ?? makeRng(0);
    const weight = (options.init ?? glorotUniform)(r, [inFeatures, outFeatures], options.dtype);
    super(options.bias === false ? { weight } : { weight, bias: zerosInit(r, [outFeatures], options.dtype) });
  }

  apply(params: { weight: Tensor; bias?: Tensor }, x: Tensor): Tensor {
    const y = matmul(x, params.weight);
    return params.bias === undefined ? y : add(y, params.bias);
  }
}

export interface SequentialParams { [key: string]: Params[]; layers: Params[] }

/** Layers applied in order; its parameters are {layers: [each layer's params]}, so paths read "layers.0.weight". */
export class Sequential extends Module<SequentialParams> {
  readonly layers: Module<any>[];

  constructor(layers: Module<any>[]) {
    super({ layers: layers.map((l) => l.params) });
    this.layers = layers;
  }

  override get params(): SequentialParams {
    return { layers: this.layers.map((l) => l.params) };
  }

  /** Setting the tree hands each layer its part, so sub-layers stay in sync with the model. */
  override set params(p: SequentialParams) {
    if (this.layers === undefined) return; // during construction: the getter reads the layers
    if (!Array.isArray(p.layers) || p.layers.length !== this.layers.length) {
      throw new Error(`Sequential: params.layers must have ${this.layers.length} entries`);
    }
    this.layers.forEach((l, i) => (l.params = p.layers[i]!));
  }

  apply(params: SequentialParams, x: Tensor): Tensor {
    let h = x;
    this.layers.forEach((layer, i) => (h = layer.apply(params.layers[i]!, h)));
    return h;
  }
}

export interface MLPOptions {
  /** Hidden activation (default "relu"). */
  activation?: ActivationName;
  /** Activation after the last layer (default "identity": the model outputs logits or raw values). */
  outputActivation?: ActivationName;
  /** Weight initializer (default heNormal for relu-like hidden activations, glorotUniform otherwise). */
  init?: Initializer;
  rng?: Rng;
  dtype?: DType;
}

/** Multi-layer perceptron: sizes [in, hidden..., out] -> Linear, activation, ..., Linear (+ output activation). */
export class MLP extends Sequential {
  constructor(readonly sizes: number[], options: MLPOptions = {}) {
    if (sizes.length < 2) throw new Error(`MLP: need at least [inputs, outputs], got [${sizes.join(", ")}]`);
    const activation = options.activation ?? "relu";
    const init = options.init ?? (activation === "relu" || activation === "leakyRelu" ? heNormal : glorotUniform);
    const r = options.rng ?? makeRng(0);
    const layers: Module<any>[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      layers.push(new Linear(sizes[i]!, sizes[i + 1]!, { rng: r, init, dtype: options.dtype }));
      const last = i + 2 === sizes.length;
      const act = last ? options.outputActivation ?? "identity" : activation;
      if (!last || act !== "identity") layers.push(new Activation(act));
    }
    super(layers);
  }
}
