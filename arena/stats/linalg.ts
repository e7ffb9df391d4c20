// Dense linear algebra for the small symmetric positive-definite systems of the pool fit.

export type Matrix = number[][];

/**
 * Computes the lower-triangular Cholesky factor L with L * L^T = matrix.
 * Returns null when the matrix is not (numerically) positive definite.
 */
export function cholesky(matrix: readonly (readonly number[])[]): Matrix | null {
  const size = matrix.length;
  const lower: Matrix = matrix.map(() => new Array<number>(size).fill(0));
  for (let row = 0; row < size; row++) {
    for (let column = 0; column <= row; column++) {
      let sum = matrix[row][column];
      for (let k = 0; k < column; k++) sum -= lower[row][k] * lower[column][k];
      if (row === column) {
        if (!(sum > 0)) return null;
        lower[row][row] = Math.sqrt(sum);
      } else {
        lower[row][column] = sum / lower[column][column];
      }
    }
  }
  return lower;
}

/** Solves L * L^T * x = rhs for x, given the Cholesky factor L. */
export function choleskySolve(lower: Matrix, rhs: readonly number[]): number[] {
  const size = lower.length;
  const y = new Array<number>(size).fill(0);
  for (let row = 0; row < size; row++) {
    let sum = rhs[row];
    for (let k = 0; k < row; k++) sum -= lower[row][k] * y[k];
    y[row] = sum / lower[row][row];
  }
  const x = new Array<number>(size).fill(0);
  for (let row = size - 1; row >= 0; row--) {
    let sum = y[row];
    for (let k = row + 1; k < size; k++) sum -= lower[k][row] * x[k];
    x[row] = sum / lower[row][row];
  }
  return x;
}

/** Inverts a symmetric positive-definite matrix given its Cholesky factor L. */
export function choleskyInverse(lower: Matrix): Matrix {
  const size = lower.length;
  const columns = lower.map((_, column) => {
    const unit = new Array<number>(size).fill(0);
    unit[column] = 1;
    return choleskySolve(lower, unit);
  });
  return columns.map((_, row) => columns.map((column) => column[row]));
}
