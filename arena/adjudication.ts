// Game-end rules that the arena applies itself, on positions with their full history: mate,
// the try rule, fourfold repetition with perpetual check, the ply limit, declarations and
// resignation by agreement of both engines' scores.

import {
  type EnteringKingRule, SENNICHITE_COUNT, checkRepetition, declarationResult, isCheckmateOrNoMoves, isTryWin, trySquare,
} from "../shogi/rules.js";
import { legalMoves } from "../shogi/movegen.js";
import type { Position } from "../shogi/position.js";
import { type Color, isDrop, moveFrom, moveTo } from "../shogi/types.js";
import type { Score } from "../usi/grammar.js";
import type { ResignSettings } from "./plan.js";
import { type GameEnd, drawBy, lossBy, winBy } from "./termination.js";

export interface RuleSettings {
  maxPlies: number;
  mateOnLastPlyCounts: boolean;
  enteringKingRule: EnteringKingRule;
}

/**
 * Plies played in the game so far: the moves since the position's root plus the moves before it
 * that its SFEN move number states (a start position has move number 1).
 */
export function gamePlies(pos: Position): number {
  return pos.moveNumber - 1;
}

/**
 * Checks, after a move, whether the game is over. Mate comes first, so a mate given by the move
 * that reaches the ply limit wins unless `mateOnLastPlyCounts` is false. The position must hold
 * the full history from the game's start, so that repetitions are counted from there.
 */
export function adjudicateAfterMove(pos: Position, rules: RuleSettings): GameEnd | undefined {
  const mover = (pos.turn ^ 1) as Color;
  const atLimit = gamePlies(pos) >= rules.maxPlies;
  if (atLimit && !rules.mateOnLastPlyCounts) return drawBy({ kind: "max-plies", limit: rules.maxPlies });
  if (isCheckmateOrNoMoves(pos)) return winBy(mover, { kind: "checkmate" });
  if (rules.enteringKingRule === "try" && isTryWin(pos)) return winBy(mover, { kind: "try", declared: false });

  const repetition = checkRepetition(pos, SENNICHITE_COUNT);
  if (repetition.kind === "draw") return drawBy({ kind: "repetition" });
  // "win" means the side to move won because the mover checked throughout the cycle.
  if (repetition.kind === "win") return lossBy(mover, { kind: "perpetual-check" });
  if (repetition.kind === "loss") return lossBy(pos.turn, { kind: "perpetual-check" });

  if (atLimit) return drawBy({ kind: "max-plies", limit: rules.maxPlies });
  return undefined;
}

/**
 * Judges `bestmove win` by the side to move. Under the 24-point rule 24 to 30 points give a
 * draw. Under the try rule an engine may declare when a legal king move reaches the try square,
 * as YaneuraOu does. Any other declaration loses.
 */
export function judgeDeclaration(pos: Position, rule: EnteringKingRule): GameEnd {
  const declarer = pos.turn;
  if (rule === "try") {
    return canReachTrySquare(pos) ? winBy(declarer, { kind: "try", declared: true }) : lossBy(declarer, { kind: "false-declaration", rule });
  }
  const result = declarationResult(pos, rule);
  if (result === "win") return winBy(declarer, { kind: "declaration", rule });
  if (result === "draw") return drawBy({ kind: "declaration", rule });
  return lossBy(declarer, { kind: "false-declaration", rule });
}

/** Tells whether the side to move has a legal king move onto its try square. */
export function canReachTrySquare(pos: Position): boolean {
  const target = trySquare(pos.turn);
  const king = pos.kingSquare[pos.turn];
  if (king < 0) return false;
  return legalMoves(pos).some((move) => !isDrop(move) && moveFrom(move) === king && moveTo(move) === target);
}

/** Win probability of a score from the scorer's side: sigmoid(cp / scale), 1 or 0 for mate scores. */
export function winProbability(score: Score, scale: number): number {
  if (score.kind === "mate") {
    if (score.plies === "+") return 1;
    if (score.plies === "-") return 0;
    return score.plies > 0 ? 1 : 0;
  }
  return 1 / (1 + Math.exp(-score.value / scale));
}

/**
 * Tracks each side's own win probability after its moves and applies resign adjudication. A
 * side loses when its last `moves` probabilities are all at or below the threshold and the
 * opponent's last `moves` are all at or above 1 - threshold. A move without a score breaks the
 * run of that side.
 */
export class ResignTracker {
  private readonly history: [number[], number[]] = [[], []];

  constructor(
    private readonly settings: ResignSettings,
    private readonly scales: readonly [number, number],
  ) {}

  record(color: Color, score: Score | undefined): void {
    const probability = score === undefined ? Number.NaN : winProbability(score, this.scales[color]);
    const list = this.history[color];
    list.push(probability);
    if (list.length > this.settings.moves) list.shift();
  }

  /** Returns the adjudicated end when `color` (about to move) counts as lost, otherwise undefined. */
  check(color: Color): GameEnd | undefined {
    const { moves, winProbability: threshold } = this.settings;
    const own = this.history[color];
    const other = this.history[color ^ 1];
    if (own.length < moves || other.length < moves) return undefined;
    const lost = own.every((p) => p <= threshold) && other.every((p) => p >= 1 - threshold);
    return lost ? lossBy(color, { kind: "adjudicated-resign", moves, winProbability: threshold }) : undefined;
  }
}
