// Tunable numbers of the search, in one table. Margins are in centipawns, depths in plies.
export const SEARCH_PARAMS = {
  /** Reverse futility: a node of depth d whose static eval beats beta by d times this is cut. */
  reverseFutilityMargin: 110,
  reverseFutilityMaxDepth: 6,
  /** Null move: minimum depth, base reduction, and one more ply of reduction per this much depth. */
  nullMoveMinDepth: 3,
  nullMoveBaseReduction: 3,
  nullMoveDepthDivisor: 4,
  /** Late-move pruning: at depth d, quiet moves after 6 + d * d are skipped. */
  lateMovePruningMaxDepth: 3,
  lateMovePruningBase: 6,
  /** Late-move reduction formula: r = base + log(depth) * log(moveCount) / divisor. */
  lmrMinDepth: 3,
  lmrBase: 0.5,
  lmrDivisor: 2.2,
  /** Aspiration window half-width at the first try, and from which depth it is used. */
  aspirationDelta: 40,
  aspirationMinDepth: 4,
  /** Quiescence: captures gaining less than this above alpha are skipped (delta pruning). */
  deltaMargin: 200,
  /** Quiescence plies after which only stand-pat is returned outside check. */
  quiescenceMaxPlies: 12,
  /** Search stops to look at the clock and the stop flag every this many nodes. */
  checkInterval: 512,
} as const;
