/**
 * Solves `A x = b` for a symmetric positive-definite `A` (row-major `n × n`) by the Cholesky
 * decomposition `A = L Lᵀ`, then forward and back substitution. `A` and `b` are not modified.
 *
 * @throws Error naming the pivot when `A` is not positive definite
 */
export function solveCholesky(matrix: Float64Array, rhs: Float64Array, n: number): Float64Array {
  const lower = choleskyFactor(matrix, n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    let sum = rhs[i];
    for (let k = 0; k < i; k += 1) sum -= lower[i * n + k] * y[k];
    y[i] = sum / lower[i * n + i];
  }

  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i -= 1) {
    let sum = y[i];
    for (let k = i + 1; k < n; k += 1) sum -= lower[k * n + i] * x[k];
    x[i] = sum / lower[i * n + i];
  }
  return x;
}

/** Computes the lower-triangular `L` of `A = L Lᵀ` (Cholesky–Banachiewicz, row by row). */
export function choleskyFactor(matrix: Float64Array, n: number): Float64Array {
  const lower = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j <= i; j += 1) {
      let sum = matrix[i * n + j];
      for (let k = 0; k < j; k += 1) sum -= lower[i * n + k] * lower[j * n + k];
      if (i === j) {
        if (!(sum > 0)) throw new Error(`The matrix is not positive definite: pivot ${i} is ${sum}.`);
        lower[i * n + i] = Math.sqrt(sum);
      } else {
        lower[i * n + j] = sum / lower[j * n + j];
      }
    }
  }
  return lower;
}
