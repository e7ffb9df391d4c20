import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LeafEvaluator, openLeafEvaluator } from "../../engine/mcts-eval.js";
import { LeafExpander } from "../../engine/mcts-expand.js";
import {
  MctsNode, NODE_PENDING, NODE_TERMINAL, PROOF_LOSS, PROOF_NONE, PROOF_WIN, findChild, setEdges,
} from "../../engine/mcts-node.js";
import { MCTS_PARAMS, type MctsParams } from "../../engine/mcts-params.js";
import { HeuristicPriors, POLICY_SIZE, policyIndex } from "../../engine/mcts-priors.js";
import { reportedLines, valueToCp } from "../../engine/mcts-report.js";
import { reuseSubtree } from "../../engine/mcts-runner.js";
import { type MctsLimits, type MctsOutcome, MctsSearch } from "../../engine/mcts-search.js";
import { replay } from "../../engine/search-runner.js";
import { encodeFeatureBatch } from "../../nn/feature-batch.js";
import { OnnxEvaluator } from "../../nn/onnx-evaluator.js";
import { MAX_MOVES, generateLegal, hasLegalMove, legalMoves } from "../../shogi/movegen.js";
import { Position } from "../../shogi/position.js";
import { MOVE_NONE, WHITE, type Move } from "../../shogi/types.js";
import { makeUsiMove, parseUsiMove } from "../../shogi/usi-move.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const MODEL = path.join(root, "models/base.onnx");
const RULES = { enteringKingRule: "csa27" } as const;
/** A middle game with drops in hand, from the search bench. */
const MIDDLE_GAME = "ln2k2nl/1r1g2gs1/2pspp1p1/p2p2p1p/1p7/P1P2P1PP/1PSPPSP2/2GK3R1/LN3G1NL b Bb 25";
const MATE_IN_ONE = "4k4/9/4P4/9/9/9/9/9/4K4 b G 1";
/** A published three-ply tsume: silver drop, then the bishop's long check. */
const MATE_IN_THREE = "3sks3/9/4S4/9/9/8B/9/9/9 b S 1";
const TREE_BYTES = 256 * 2 ** 20;

let onnx: LeafEvaluator;

beforeAll(async () => {
  onnx = await openLeafEvaluator({ model: MODEL, device: "cpu", threads: 1 });
});

afterAll(async () => {
  await onnx?.close();
});

function limits(extra: Partial<MctsLimits>): MctsLimits {
  return { batchSize: 64, memoryBytes: TREE_BYTES, ...extra };
}

async function search(sfen: string, extra: Partial<MctsLimits>, params: MctsParams = MCTS_PARAMS): Promise<MctsOutcome> {
  return new MctsSearch(onnx, params).search(Position.fromSfen(sfen), new MctsNode(MOVE_NONE, -1), limits(extra), RULES);
}

/** Tells whether every reply to `move` leaves the attacker a mate in one. */
function forcesMateInThree(sfen: string, move: Move): boolean {
  const pos = Position.fromSfen(sfen);
  pos.doMove(move);
  if (!pos.inCheck()) return false;
  return legalMoves(pos).every((reply) => {
    pos.doMove(reply);
    const mates = legalMoves(pos).some((attack) => {
      pos.doMove(attack);
      const mated = !hasLegalMove(pos);
      pos.undoMove();
      return mated;
    });
    pos.undoMove();
    return mates;
  });
}

describe("tree search batching", () => {
  it("fills batches to more than half the batch size", async () => {
    for (const batchSize of [16, 64]) {
      const outcome = await search(MIDDLE_GAME, { playouts: 3000, batchSize });
      const meanBatch = outcome.stats.evaluated / outcome.stats.batches;
      expect(meanBatch, `mean batch at BatchSize ${batchSize}`).toBeGreaterThan(batchSize / 2);
    }
  });

  it("runs exactly the playouts of go nodes", async () => {
    const outcome = await search(MIDDLE_GAME, { playouts: 777 });
    expect(outcome.stats.playouts).toBe(777);
    expect(outcome.reason).toBe("playouts");
    expect(outcome.root.visits).toBe(777);
    expect(outcome.root.virtualLoss).toBe(0);
  });

  it("leaves the position as it found it", async () => {
    const pos = Position.fromSfen(MIDDLE_GAME);
    const before = pos.sfen();
    await new MctsSearch(onnx).search(pos, new MctsNode(MOVE_NONE, -1), limits({ playouts: 500 }), RULES);
    expect(pos.sfen()).toBe(before);
    expect(pos.ply).toBe(0);
  });

  it("stops when the poll says so, dropping the batches out", async () => {
    const started = performance.now();
    const outcome = await new MctsSearch(onnx).search(Position.fromSfen(MIDDLE_GAME), new MctsNode(MOVE_NONE, -1), limits({}), RULES, {
      shouldStop: () => performance.now() - started > 300,
    });
    expect(outcome.reason).toBe("stop");
    expect(performance.now() - started).toBeLessThan(1000);
    expect(outcome.root.virtualLoss).toBe(0);
    expect(legalMoves(Position.fromSfen(MIDDLE_GAME))).toContain(outcome.bestMove);
  });

  it("rejects when the evaluator fails, leaving the position intact", async () => {
    const failing: LeafEvaluator = {
      name: "failing", device: "cpu", fallbackReason: undefined, hasPolicy: false,
      createBatch: (capacity) => {
        const batch = onnx.createBatch(capacity);
        return {
          capacity,
          get size() {
            return batch.size;
          },
          add: (pos) => batch.add(pos),
          clear: () => batch.clear(),
          run: () => Promise.reject(new Error("the evaluation thread exited")),
        };
      },
      close: async () => undefined,
    };
    const pos = Position.fromSfen(MIDDLE_GAME);
    const searching = new MctsSearch(failing).search(pos, new MctsNode(MOVE_NONE, -1), limits({ playouts: 500 }), RULES);
    await expect(searching).rejects.toThrow("the evaluation thread exited");
    expect(pos.sfen()).toBe(Position.fromSfen(MIDDLE_GAME).sfen());
  });

  it("stops at the soft time limit", async () => {
    const outcome = await search(MIDDLE_GAME, { softMs: 300, hardMs: 300 });
    expect(["time", "early"]).toContain(outcome.reason);
    expect(outcome.stats.ms).toBeLessThan(800);
  });

  it("plays only a move that searchmoves allows", async () => {
    const pos = Position.fromSfen(MIDDLE_GAME);
    const only = parseUsiMove(pos, "9f9e");
    expect(only).not.toBe(MOVE_NONE);
    const outcome = await search(MIDDLE_GAME, { playouts: 300, searchMoves: [only] });
    expect(makeUsiMove(outcome.bestMove)).toBe("9f9e");
    expect(outcome.pv[0]).toBe(outcome.bestMove);
  });

  it("stops when the tree reaches its memory budget", async () => {
    const outcome = await search(MIDDLE_GAME, { playouts: 100_000, memoryBytes: 2 ** 20 });
    expect(outcome.reason).toBe("memory");
    expect(outcome.stats.playouts).toBeLessThan(100_000);
  });
});

describe("tree search mates", () => {
  it("finds a mate in one by a drop", async () => {
    const outcome = await search(MATE_IN_ONE, { playouts: 500 });
    expect(makeUsiMove(outcome.bestMove)).toBe("G*5b");
    expect(reportedLines(outcome, 1)[0].score).toEqual({ kind: "mate", plies: 1 });
  });

  it("proves a mate in three by tree search alone", async () => {
    const outcome = await search(MATE_IN_THREE, { playouts: 20_000 }, { ...MCTS_PARAMS, rootMateNodes: 0 });
    expect(outcome.reason).toBe("solved");
    expect(outcome.root.proof).toBe(PROOF_WIN);
    expect(reportedLines(outcome, 1)[0].score).toEqual({ kind: "mate", plies: 3 });
    expect(forcesMateInThree(MATE_IN_THREE, outcome.bestMove), makeUsiMove(outcome.bestMove)).toBe(true);
    expect(outcome.pv).toHaveLength(3);
  });

  it("takes a mate in three from the root mate solver", async () => {
    const outcome = await search(MATE_IN_THREE, { playouts: 20_000 });
    expect(outcome.mateLine).toHaveLength(3);
    expect(outcome.stats.playouts).toBe(0);
    expect(forcesMateInThree(MATE_IN_THREE, outcome.bestMove)).toBe(true);
  });
});

describe("leaf expansion", () => {
  function expand(sfen: string, moves: string[], drawAtPly?: number): MctsNode {
    const node = new MctsNode(MOVE_NONE, 0);
    new LeafExpander({ enteringKingRule: "csa27", drawAtPly }).expandLeaf(node, replay(sfen, moves));
    return node;
  }

  it("proves a side without legal moves lost", () => {
    const node = expand("4k4/4G4/4P4/9/9/9/9/9/4K4 w - 1", []);
    expect(node.status).toBe(NODE_TERMINAL);
    expect(node.proof).toBe(PROOF_LOSS);
    expect(node.proofPlies).toBe(0);
  });

  it("proves a mate in one won and keeps the mating move", () => {
    const node = expand(MATE_IN_ONE, []);
    expect(node.proof).toBe(PROOF_WIN);
    expect(makeUsiMove(node.proofMove)).toBe("G*5b");
  });

  it("scores a repetition as a draw", () => {
    const node = expand("startpos", ["5i5h", "5a5b", "5h5i", "5b5a"]);
    expect(node.status).toBe(NODE_TERMINAL);
    expect(node.proof).toBe(PROOF_NONE);
    expect(node.terminalValue).toBe(0);
  });

  it("scores a perpetual check as a win for the checked side", () => {
    // Black's rook checks on every move of the cycle; White, to move, is the checked side.
    const node = expand("4k4/9/9/9/9/9/9/9/R3K4 b - 1", ["9i9a", "5a5b", "9a9b", "5b5a", "9b9a"]);
    expect(node.status).toBe(NODE_TERMINAL);
    expect(node.terminalValue).toBe(1);
  });

  it("scores the ply limit as a draw", () => {
    const node = expand("startpos", ["7g7f"], 1);
    expect(node.status).toBe(NODE_TERMINAL);
    expect(node.terminalValue).toBe(0);
  });

  it("proves a declaration win", () => {
    const node = expand("8G/4K4/+P+P+P+P+P+P+P+P+P/9/9/9/9/9/4k4 b 2R2B 1", []);
    expect(node.proof).toBe(PROOF_WIN);
  });

  it("leaves an ordinary leaf pending with its legal moves", () => {
    const node = expand("startpos", []);
    expect(node.status).toBe(NODE_PENDING);
    expect(node.edgeCount()).toBe(30);
  });
});

describe("priors", () => {
  it("sum to one and put a free rook capture first", () => {
    const pos = Position.fromSfen("4k4/9/9/9/4r4/9/9/4R4/4K4 b - 1");
    const moves = new Int32Array(MAX_MOVES);
    const count = generateLegal(pos, moves, 0);
    const priors = new Float32Array(count);
    new HeuristicPriors().compute(pos, moves, count, priors);
    const sum = priors.reduce((total, prior) => total + prior, 0);
    expect(sum).toBeCloseTo(1, 5);
    const node = new MctsNode(MOVE_NONE, -1);
    setEdges(node, moves, priors, count);
    expect(makeUsiMove(node.edgeMove(0))).toBe("5h5e");
    for (let i = 1; i < count; i++) expect(node.edgePrior(i)).toBeLessThanOrEqual(node.edgePrior(i - 1));
  });

  it("give every legal move its own policy index", () => {
    for (const sfen of [MIDDLE_GAME, "lr6l/3g1kg2/p2pp2s+P/2Ps1ppp1/8L/P1nP2PR1/1P3PS2/1SGK5/LN3G3 b BNNPPPbpp 1"]) {
      const pos = Position.fromSfen(sfen);
      const indices = legalMoves(pos).map((move) => policyIndex(move, pos.turn));
      expect(new Set(indices).size).toBe(indices.length);
      for (const index of indices) expect(index >= 0 && index < POLICY_SIZE).toBe(true);
    }
  });

  it("index White's moves as Black's on the rotated board", () => {
    const black = Position.fromSfen("startpos");
    const white = Position.fromSfen("lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL w - 1");
    expect(policyIndex(parseUsiMove(white, "3c3d"), WHITE)).toBe(policyIndex(parseUsiMove(black, "7g7f"), black.turn));
  });
});

describe("reporting", () => {
  it("converts values to centipawns on the sigmoid(cp / 600) scale", () => {
    expect(valueToCp(0)).toBe(0);
    // p = sigmoid(1) is a value of 2p - 1 = tanh(1/2).
    expect(valueToCp(Math.tanh(0.5))).toBe(600);
    expect(valueToCp(-Math.tanh(0.5))).toBe(-600);
    expect(Number.isFinite(valueToCp(1))).toBe(true);
  });
});

describe("tree reuse", () => {
  it("keeps the subtree of the moves played", async () => {
    const pos = Position.startpos();
    const start = new MctsNode(MOVE_NONE, -1);
    const outcome = await new MctsSearch(onnx).search(pos, start, limits({ playouts: 2000 }), RULES);
    const first = outcome.pv[0];
    const reply = outcome.pv[1];
    const kept = { sfen: "startpos", moves: [], root: outcome.root, key: "k", bytes: outcome.stats.treeBytes };
    const moves = [makeUsiMove(first), makeUsiMove(reply)];
    const reused = reuseSubtree(kept, { sfen: "startpos", moves }, "k");
    expect(reused).toBe(findChild(findChild(start, first)!, reply));
    expect(reused!.visits).toBeGreaterThan(0);
    expect(reuseSubtree(kept, { sfen: "startpos", moves }, "other settings")).toBeNull();
    expect(reuseSubtree(kept, { sfen: MIDDLE_GAME, moves }, "k")).toBeNull();
  });
});

describe("leaf evaluators", () => {
  it("return ONNX Runtime's scores from the worker thread and inline", async () => {
    const inline = await openLeafEvaluator({ model: MODEL, device: "cpu", threads: 1, threading: "inline" });
    const reference = await OnnxEvaluator.create(MODEL, { device: "cpu" });
    try {
      const positions = [Position.startpos(), Position.fromSfen(MIDDLE_GAME), Position.fromSfen(MATE_IN_THREE)];
      const expected = await reference.evaluateBatch(encodeFeatureBatch(reference.features, positions));
      for (const evaluator of [onnx, inline]) {
        const batch = evaluator.createBatch(8);
        for (const pos of positions) batch.add(pos);
        const { scores } = await batch.run();
        expect(Array.from(scores.subarray(0, positions.length))).toEqual(Array.from(expected.subarray(0, positions.length)));
      }
    } finally {
      await inline.close();
      await reference.release();
    }
  });
});
