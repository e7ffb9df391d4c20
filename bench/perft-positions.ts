// Perft positions of the benchmark with their known leaf counts.
//
// Source: published perft counts for these two positions, all of which Fairy-Stockfish 11.1
// (Debian package) reproduced on this project's machines, and shogiops for the start position to
// depth 4 and for matsuri to depth 2.

export interface PerftPosition {
  name: string;
  sfen: string;
  /** Depth that the engines and the project's perft search by default. */
  defaultDepth: number;
  /** Known leaf counts: counts[d - 1] is perft(d). Deeper levels are unchecked. */
  counts: readonly number[];
}

export const START_POSITION: PerftPosition = {
  name: "start",
  sfen: "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1",
  defaultDepth: 5,
  counts: [30, 900, 25_470, 719_731, 19_861_490],
};

/** A middle-game position with many captures, promotions and drops, often called "matsuri". */
export const MATSURI_POSITION: PerftPosition = {
  name: "matsuri",
  sfen: "l6nl/5+P1gk/2np1S3/p1p4Pp/3P2Sp1/1PPb2P1P/P5GS1/R8/LN4bKL w RGgsn5p 1",
  defaultDepth: 3,
  counts: [207, 28_684, 4_809_015],
};

export const PERFT_POSITIONS: readonly PerftPosition[] = [START_POSITION, MATSURI_POSITION];

/** Returns the known perft(depth) of `position`, or undefined past the known depths. */
export function knownCount(position: PerftPosition, depth: number): number | undefined {
  return position.counts[depth - 1];
}
