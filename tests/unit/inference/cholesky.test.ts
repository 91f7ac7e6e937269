import { choleskyFactor, solveCholesky } from '../../../subgraphs/inference/flightDelay/cholesky.js';
import { createRandom } from '../vectorIndex/fixtures.js';

/** The SPD matrix of the classic worked example, whose factor is [[2, 0, 0], [6, 1, 0], [−8, 5, 3]]. */
const A = Float64Array.from([4, 12, -16, 12, 37, -43, -16, -43, 98]);

/** Builds `M Mᵀ + n I` from a random `M`, which is symmetric positive definite. */
function randomSpd(n: number, random: () => number): Float64Array {
  const m = Array.from({ length: n * n }, () => random() * 2 - 1);
  const spd = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j < n; j += 1) {
      let sum = i === j ? n : 0;
      for (let k = 0; k < n; k += 1) sum += m[i * n + k] * m[j * n + k];
      spd[i * n + j] = sum;
    }
  }
  return spd;
}

function multiply(matrix: Float64Array, x: Float64Array, n: number): number[] {
  return Array.from({ length: n }, (_, i) => x.reduce((sum, value, k) => sum + matrix[i * n + k] * value, 0));
}

describe('choleskyFactor', () => {
  it('factors the worked example', () => {
    expect(Array.from(choleskyFactor(A, 3))).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
  });

  it('rejects a matrix that is not positive definite', () => {
    // Pivot 1 is 1 − 2² = −3.
    expect(() => choleskyFactor(Float64Array.from([1, 2, 2, 1]), 2)).toThrow('The matrix is not positive definite: pivot 1 is -3.');
  });
});

describe('solveCholesky', () => {
  it('solves the hand-worked 3×3 system', () => {
    // b = A · [1, 2, 3]: 4 + 24 − 48, 12 + 74 − 129, −16 − 86 + 294.
    const b = Float64Array.from([-20, -43, 192]);
    const x = solveCholesky(A, b, 3);

    expect(x[0]).toBeCloseTo(1, 12);
    expect(x[1]).toBeCloseTo(2, 12);
    expect(x[2]).toBeCloseTo(3, 12);
  });

  it('satisfies A·x = b for a random SPD matrix', () => {
    const n = 30;
    const random = createRandom(42);
    const spd = randomSpd(n, random);
    const b = Float64Array.from({ length: n }, () => random() * 10 - 5);

    const product = multiply(spd, solveCholesky(spd, b, n), n);

    product.forEach((value, i) => expect(value).toBeCloseTo(b[i], 9));
  });

  it('leaves A and b unchanged', () => {
    const matrix = Float64Array.from(A);
    const b = Float64Array.from([-20, -43, 192]);
    solveCholesky(matrix, b, 3);

    expect(Array.from(matrix)).toEqual(Array.from(A));
    expect(Array.from(b)).toEqual([-20, -43, 192]);
  });
});
