// Tunable numbers of the PUCT tree search (SearchMode mcts), in one table. Values and Q are on the
// scale [-1, 1] (loss to win); prior logits are in units of the softmax temperature below.
// NOTE: these values are starting points from the PUCT literature (AlphaZero, Leela Chess Zero),
// not tuned for this engine.
export const MCTS_PARAMS = {
  /** Exploration constant of PUCT at a node with few visits. */
  cpuct: 1.8,
  /** The exploration constant grows by cpuctFactor * ln((N + cpuctBase) / cpuctBase) with N visits. */
  cpuctBase: 19652,
  cpuctFactor: 2.0,
  /** First-play urgency: an unvisited child counts as the parent's Q less this times sqrt(visited prior). */
  fpuReduction: 0.3,
  /** Visits that each pending playout adds, as losses, to every node on its path (virtual loss). */
  virtualLoss: 1,
  /** Maximum batches submitted to the evaluator whose results have not come back. */
  batchesInFlight: 2,
  /** Descents per batch, as a multiple of the batch size, before a short batch is sent anyway. */
  descentsPerLeaf: 4,
  /** Descents per batch that may end on a pending leaf, as a share of the batch size. */
  collisionShare: 0.5,
  /** Nodes the df-pn mate solver may use at the root before the tree search starts; 0 disables it. */
  rootMateNodes: 20_000,
  /** Share of the soft time limit that the root mate solver may use, and its milliseconds at most. */
  rootMateTimeShare: 0.1,
  rootMateMaxMs: 200,
  /** Milliseconds between two looks at the stop flag while a batch is being evaluated. */
  pollMs: 5,
  /** A timed search stops early once the second-best move cannot catch up in the time left. */
  earlyStopMinMs: 50,
} as const;

/** Prior logits of the move-ordering heuristics (see mcts-priors.ts), before the temperature. */
export const PRIOR_WEIGHTS = {
  /** Softmax temperature: higher spreads the priors more evenly. */
  temperature: 1.0,
  /** Centipawns of captured material or promotion gain per logit unit. */
  materialScale: 300,
  check: 1.5,
  /** A drop within this many squares (king distance) of the enemy king. */
  nearKingDistance: 2,
  dropNearKing: 0.8,
  /** A piece moved or dropped onto a square the opponent attacks and we do not defend. */
  hangingScale: 300,
  /** A piece that is attacked and moves to a square the opponent does not attack. */
  escape: 0.7,
  /** A king move when not in check. */
  kingMove: -0.6,
} as const;

/** The table's shape with plain numbers, so that tests and tools can pass other values. */
export type MctsParams = { readonly [Name in keyof typeof MCTS_PARAMS]: number };
