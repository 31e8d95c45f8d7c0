// An Elman RNN cell: h' = tanh(x @ weightIh + h @ weightHh + bias), and unroll over a sequence.
import { add, matmul, zeros, rng as makeRng, type Rng, type Tensor, type DType } from "../optim/core_api.js";
import { Module } from "./module.js";
import { activationFn, type ActivationName } from "./activations.js";
import { glorotUniform, zerosInit, type Initializer } from "./init.js";

export interface RNNCellParams { [key: string]: Tensor; weightIh: Tensor; weightHh: Tensor; bias: Tensor }

/** One recurrent step on a batch: x (batch, inputSize), h (batch, hiddenSize) -> new h (batch, hiddenSize). */
export class RNNCell extends Module<RNNCellParams> {
  private readonly fn: (x: Tensor) => Tensor;

  constructor(
    readonly inputSize: number, readonly hiddenSize: number,
    options: { rng?: Rng; init?: Initializer; activation?: ActivationName; dtype?: DType } = {},
  ) {
    const r = options.rng ?? makeRng(0);
    const init = options.init ?? glorotUniform;
    super({
      weightIh: init(r, [inputSize, hiddenSize], options.dtype),
      weightHh: init(r, [hiddenSize, hiddenSize], options.dtype),
      bias: zerosInit(r, [hiddenSize], options.dtype),
    });
    this.fn = activationFn(options.activation ?? "tanh");
  }

  /** The next hidden state; `h` defaults to zeros. */
  apply(params: RNNCellParams, x: Tensor, h?: Tensor): Tensor {
    const prev = h ?? zeros([x.shape[0]!, this.hiddenSize], { dtype: x.dtype });
    return this.fn(add(add(matmul(x, params.weightIh), matmul(prev, params.weightHh)), params.bias));
  }

  /** Runs the cell over a sequence of inputs, returning every hidden state. */
  unroll(params: RNNCellParams, xs: Tensor[], h0?: Tensor): Tensor[] {
    const states: Tensor[] = [];
    let h = h0;
    for (const x of xs) {
      h = this.apply(params, x, h);
      states.push(h);
    }
    return states;
  }
}
