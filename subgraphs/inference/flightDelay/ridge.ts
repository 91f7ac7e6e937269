import { solveCholesky } from './cholesky.js';

/** A linear model `y = x · weights + bias`. */
export interface LinearModel {
  readonly weights: Float64Array;
  readonly bias: number;
}

/**
 * Accumulates the normal equations of a linear regression with an intercept: `XᵀX` and `Xᵀy` of
 * the rows `[x, 1]`. Only non-zero features are visited, so a one-hot row costs its non-zeros
 * squared, not the full width squared.
 */
export class NormalEquations {
  readonly size: number;
  readonly gram: Float64Array;
  readonly moment: Float64Array;
  rows = 0;
  private readonly active: Int32Array;
  private readonly values: Float64Array;

  constructor(readonly width: number) {
    this.size = width + 1;
    this.gram = new Float64Array(this.size * this.size);
    this.moment = new Float64Array(this.size);
    this.active = new Int32Array(this.size);
    this.values = new Float64Array(this.size);
  }

  /** Adds the row of `features` starting at `offset`, with target `y`. */
  add(features: Float32Array, offset: number, y: number): void {
    let count = 0;
    for (let j = 0; j < this.width; j += 1) {
      const value = features[offset + j];
      if (value !== 0) {
        this.active[count] = j;
        this.values[count] = value;
        count += 1;
      }
    }
    this.active[count] = this.width;
    this.values[count] = 1;
    count += 1;

    for (let a = 0; a < count; a += 1) {
      const row = this.active[a] * this.size;
      this.moment[this.active[a]] += this.values[a] * y;
      for (let b = 0; b < count; b += 1) this.gram[row + this.active[b]] += this.values[a] * this.values[b];
    }
    this.rows += 1;
  }
}

/**
 * Fits ridge regression in closed form: solves `(XᵀX + λ n D) w = Xᵀy`, where `D` is the identity
 * except for the intercept, which is not penalised. Scaling `λ` by the row count `n` keeps its
 * meaning independent of the sample size.
 */
export function fitRidge(equations: NormalEquations, lambda: number): LinearModel {
  const { size, width } = equations;
  const penalised = Float64Array.from(equations.gram);
  for (let j = 0; j < width; j += 1) penalised[j * size + j] += lambda * equations.rows;

  const solution = solveCholesky(penalised, equations.moment, size);
  return { weights: solution.subarray(0, width), bias: solution[width] };
}

/** Evaluates the model on a row-major matrix of `width` columns, in double precision. */
export function predictLinear(model: LinearModel, features: Float32Array, width: number): Float64Array {
  const rows = features.length / width;
  const result = new Float64Array(rows);
  for (let i = 0; i < rows; i += 1) {
    let sum = model.bias;
    for (let j = 0; j < width; j += 1) sum += features[i * width + j] * model.weights[j];
    result[i] = sum;
  }
  return result;
}
