// A shogi position with do/undo over a preallocated state stack.
//
// Board state (mailbox, bitboards, line occupancy, hands, king squares, pawn files) is updated in
// place by doMove and restored by undoMove. The state stack stores, per ply, the move, the captured
// piece, the key after the move and the checkers of the side to move; keys and checkers are copied
// on push, everything else is recomputed on undo from the move and the captured piece.

import { BETWEEN_BB, SQUARE_BIT, SQUARE_WORD, WORDS, isEmptyBB } from "./bitboard.js";
import {
  BISHOP_EMPTY_BB, LANCE_BB, LANCE_EMPTY_BB, LINE_DIAG_DIFF, LINE_DIAG_SUM, LINE_FILE, LINE_KINDS,
  LINE_NB, LINE_RANK, ROOK_EMPTY_BB, SLIDE_BB, SQUARE_LINE, SQUARE_LINE_BIT, STEP_BB, lanceEntry,
  slideEntry,
} from "./attacks.js";
import { type Setup, SfenError, makeSfen, parseSfen, validateSetup } from "./sfen.js";
import {
  BISHOP, BLACK, DRAGON, GOLD, HORSE, KING, KNIGHT, LANCE, MOVE_NULL, PAWN, PRO_KNIGHT, PRO_LANCE,
  PRO_PAWN, PRO_SILVER, PROMOTED, ROOK, SILVER, SQUARE_NB, WHITE, type Color, type Move, isDrop,
  isPromotion, makePiece, moveFrom, moveTo, pieceType, rawType,
} from "./types.js";
import {
  HAND_COUNT_NB, ZOBRIST_HAND_HI, ZOBRIST_HAND_LO, ZOBRIST_PIECE_HI, ZOBRIST_PIECE_LO, ZOBRIST_SIDE_HI,
  ZOBRIST_SIDE_LO,
} from "./zobrist.js";

/** Bitboard slots: one per piece code (0..31), then one per colour, then all occupied squares. */
export const COLOR_SLOT = 32;
export const OCCUPIED_SLOT = 34;
/** Union of gold-moving pieces (gold and the four promoted minors), one slot per colour. */
export const GOLDS_SLOT = 35;
const BB_SLOTS = 37;
const INITIAL_STACK = 256;

export class Position {
  /** Piece code on each square. */
  readonly board = new Uint8Array(SQUARE_NB);
  /** Pieces in hand, indexed by color * 8 + piece type (PAWN..GOLD). */
  readonly hands = new Uint8Array(16);
  /** Bitboards by slot (see COLOR_SLOT etc.), slot * 3 words each. */
  readonly bb = new Int32Array(BB_SLOTS * WORDS);
  /** Occupancy mask of each of the 52 board lines (see attacks.ts). */
  readonly lineOcc = new Int32Array(LINE_NB);
  /** King square per colour, -1 when that side has no king (tsume and test positions). */
  readonly kingSquare = new Int32Array([-1, -1]);
  /** Files holding an unpromoted pawn, as 9-bit masks per colour. */
  readonly pawnFiles = new Int32Array(2);
  turn: Color = BLACK;
  /** Number of moves done since the root position. */
  ply = 0;
  /** Move number of the root position, from SFEN. */
  rootMoveNumber = 1;
  keyLo = 0;
  keyHi = 0;

  private capacity = 0;
  stackMove = new Int32Array(0);
  stackCaptured = new Uint8Array(0);
  stackKeyLo = new Int32Array(0);
  stackKeyHi = new Int32Array(0);
  /** Checkers of the side to move at each ply, 3 words per ply. */
  stackCheckers = new Int32Array(0);

  private readonly scratch = new Int32Array(WORDS * 4);

  constructor() {
    this.grow(INITIAL_STACK);
  }

  /** Builds a position from SFEN text; throws SfenError on invalid text or an illegal position. */
  static fromSfen(text: string): Position {
    const position = new Position();
    position.setSetup(parseSfen(text), text);
    return position;
  }

  static startpos(): Position {
    return Position.fromSfen("startpos");
  }

  /** Replaces the whole position after validating it; the history is cleared. Throws SfenError. */
  setSetup(setup: Setup, sourceText = ""): void {
    validateSetup(setup, sourceText || undefined);
    this.board.fill(0);
    this.bb.fill(0);
    this.lineOcc.fill(0);
    this.pawnFiles.fill(0);
    this.kingSquare[0] = this.kingSquare[1] = -1;
    this.keyLo = this.keyHi = 0;
    for (let sq = 0; sq < SQUARE_NB; sq++) if (setup.board[sq] !== 0) this.put(setup.board[sq], sq);
    this.hands.set(setup.hands);
    for (let i = 0; i < 16; i++) this.hashHand(i);
    this.turn = setup.turn;
    if (this.turn === WHITE) {
      this.keyLo ^= ZOBRIST_SIDE_LO;
      this.keyHi ^= ZOBRIST_SIDE_HI;
    }
    this.rootMoveNumber = setup.moveNumber;
    this.ply = 0;
    this.storeState(0, 0, 0);
    const them = (this.turn ^ 1) as Color;
    if (this.kingSquare[them] >= 0) {
      this.attackersTo(this.kingSquare[them], this.turn, this.scratch, 0);
      if (!isEmptyBB(this.scratch, 0)) {
        throw new SfenError("opponent_in_check", "the side not to move is in check", sourceText || makeSfen(this.setup()));
      }
    }
  }

  /** Copies the position into a plain setup. */
  setup(): Setup {
    return {
      board: this.board.slice(),
      hands: this.hands.slice(),
      turn: this.turn,
      moveNumber: this.moveNumber,
    };
  }

  /** Canonical SFEN of the position, with its move number. */
  sfen(): string {
    return makeSfen(this.setup());
  }

  get moveNumber(): number {
    return this.rootMoveNumber + this.ply;
  }

  clone(): Position {
    const copy = new Position();
    copy.setSetup(this.setup());
    return copy;
  }

  handCount(color: Color, type: number): number {
    return this.hands[color * 8 + type];
  }

  /** Tells whether the side to move is in check. */
  inCheck(): boolean {
    return !isEmptyBB(this.stackCheckers, this.ply * WORDS);
  }

  /** Returns the move that led to the current position, or 0 at the root. */
  lastMove(): Move {
    return this.ply > 0 ? this.stackMove[this.ply] : 0;
  }

  /** Plays a legal move; the caller guarantees legality (see movegen.ts). */
  doMove(move: Move): void {
    const us = this.turn;
    const to = moveTo(move);
    let captured = 0;
    if (isDrop(move)) {
      const type = moveFrom(move);
      this.setHand(us * 8 + type, this.hands[us * 8 + type] - 1);
      this.put(makePiece(us, type), to);
    } else {
      const from = moveFrom(move);
      const piece = this.board[from];
      captured = this.board[to];
      if (captured !== 0) {
        this.remove(captured, to);
        const handIndex = us * 8 + rawType(pieceType(captured));
        this.setHand(handIndex, this.hands[handIndex] + 1);
      }
      this.remove(piece, from);
      this.put(isPromotion(move) ? piece + PROMOTED : piece, to);
    }
    this.toggleSide();
    this.ply++;
    if (this.ply >= this.capacity) this.grow(this.capacity * 2);
    this.storeState(this.ply, move, captured);
  }

  /** Takes back the last move done with doMove. */
  undoMove(): void {
    const move = this.stackMove[this.ply];
    const captured = this.stackCaptured[this.ply];
    this.ply--;
    this.turn = (this.turn ^ 1) as Color;
    const us = this.turn;
    const to = moveTo(move);
    if (isDrop(move)) {
      const type = moveFrom(move);
      this.remove(makePiece(us, type), to);
      this.hands[us * 8 + type]++;
    } else {
      const moved = this.board[to];
      this.remove(moved, to);
      this.put(isPromotion(move) ? moved - PROMOTED : moved, moveFrom(move));
      if (captured !== 0) {
        this.put(captured, to);
        this.hands[us * 8 + rawType(pieceType(captured))]--;
      }
    }
    this.keyLo = this.stackKeyLo[this.ply];
    this.keyHi = this.stackKeyHi[this.ply];
  }

  /** Passes the move (for null-move pruning); only valid when the side to move is not in check. */
  doNullMove(): void {
    this.toggleSide();
    this.ply++;
    if (this.ply >= this.capacity) this.grow(this.capacity * 2);
    this.storeState(this.ply, MOVE_NULL, 0);
  }

  undoNullMove(): void {
    this.ply--;
    this.turn = (this.turn ^ 1) as Color;
    this.keyLo = this.stackKeyLo[this.ply];
    this.keyHi = this.stackKeyHi[this.ply];
  }

  /** Writes the bitboard of `by`'s pieces that attack sq into out[offset..offset+2]. */
  attackersTo(sq: number, by: Color, out: Int32Array, offset: number): void {
    this.attackersWithOcc(sq, by, this.lineOcc, out, offset);
  }

  /** Tells whether `by` attacks sq under the current occupancy. */
  isAttacked(sq: number, by: Color): boolean {
    this.attackersWithOcc(sq, by, this.lineOcc, this.scratch, 0);
    return !isEmptyBB(this.scratch, 0);
  }

  /** Tells whether `by` attacks sq when the piece on `ignored` is lifted off the board. */
  isAttackedWithout(sq: number, by: Color, ignored: number): boolean {
    this.toggleLines(ignored);
    this.attackersWithOcc(sq, by, this.lineOcc, this.scratch, 0);
    this.toggleLines(ignored);
    return !isEmptyBB(this.scratch, 0);
  }

  /** Flips the occupancy bits of sq in its four lines (lifts or restores a piece for x-ray tests). */
  toggleLines(sq: number): void {
    for (let kind = 0; kind < LINE_KINDS; kind++) {
      this.lineOcc[SQUARE_LINE[sq * LINE_KINDS + kind]] ^= SQUARE_LINE_BIT[sq * LINE_KINDS + kind];
    }
  }

  private attackersWithOcc(sq: number, by: Color, lineOcc: Int32Array, out: Int32Array, offset: number): void {
    const bb = this.bb;
    const other = (by ^ 1) as Color;
    const c = by << 4;
    const pawn = (makePiece(other, PAWN) * SQUARE_NB + sq) * WORDS;
    const knight = (makePiece(other, KNIGHT) * SQUARE_NB + sq) * WORDS;
    const silver = (makePiece(other, SILVER) * SQUARE_NB + sq) * WORDS;
    const gold = (makePiece(other, GOLD) * SQUARE_NB + sq) * WORDS;
    const king = (KING * SQUARE_NB + sq) * WORDS;
    const lance = lanceEntry(other, sq, lineOcc);
    const file = slideEntry(sq, LINE_FILE, lineOcc);
    const rank = slideEntry(sq, LINE_RANK, lineOcc);
    const sum = slideEntry(sq, LINE_DIAG_SUM, lineOcc);
    const diff = slideEntry(sq, LINE_DIAG_DIFF, lineOcc);
    for (let k = 0; k < WORDS; k++) {
      const rooks = bb[(c + ROOK) * WORDS + k] | bb[(c + DRAGON) * WORDS + k];
      const bishops = bb[(c + BISHOP) * WORDS + k] | bb[(c + HORSE) * WORDS + k];
      const kings = bb[(c + KING) * WORDS + k] | bb[(c + HORSE) * WORDS + k] | bb[(c + DRAGON) * WORDS + k];
      out[offset + k] =
        (STEP_BB[pawn + k] & bb[(c + PAWN) * WORDS + k]) |
        (STEP_BB[knight + k] & bb[(c + KNIGHT) * WORDS + k]) |
        (STEP_BB[silver + k] & bb[(c + SILVER) * WORDS + k]) |
        (STEP_BB[gold + k] & bb[(GOLDS_SLOT + by) * WORDS + k]) |
        (STEP_BB[king + k] & kings) |
        (LANCE_BB[lance + k] & bb[(c + LANCE) * WORDS + k]) |
        ((SLIDE_BB[file + k] | SLIDE_BB[rank + k]) & rooks) |
        ((SLIDE_BB[sum + k] | SLIDE_BB[diff + k]) & bishops);
    }
  }

  /**
   * Writes into out[offset..offset+2] the pieces of colour `owner` that alone block a slider of
   * `slidersOf` from the king of `kingColor`. With owner = kingColor these are the pinned pieces;
   * with owner = slidersOf they are the pieces whose move can give a discovered check.
   */
  blockers(kingColor: Color, slidersOf: Color, owner: Color, out: Int32Array, offset: number): void {
    out[offset] = out[offset + 1] = out[offset + 2] = 0;
    const ksq = this.kingSquare[kingColor];
    if (ksq < 0) return;
    const bb = this.bb;
    const c = slidersOf << 4;
    const candidates = this.scratch;
    const lance = (kingColor * SQUARE_NB + ksq) * WORDS;
    for (let k = 0; k < WORDS; k++) {
      const rooks = bb[(c + ROOK) * WORDS + k] | bb[(c + DRAGON) * WORDS + k];
      const bishops = bb[(c + BISHOP) * WORDS + k] | bb[(c + HORSE) * WORDS + k];
      candidates[WORDS + k] =
        (ROOK_EMPTY_BB[ksq * WORDS + k] & rooks) |
        (BISHOP_EMPTY_BB[ksq * WORDS + k] & bishops) |
        (LANCE_EMPTY_BB[lance + k] & bb[(c + LANCE) * WORDS + k]);
    }
    for (let k = 0; k < WORDS; k++) {
      let word = candidates[WORDS + k];
      while (word !== 0) {
        const bit = word & -word;
        word ^= bit;
        const slider = k * 27 + 31 - Math.clz32(bit);
        this.addSoleBlocker(ksq, slider, owner, out, offset);
      }
    }
  }

  private addSoleBlocker(ksq: number, slider: number, owner: Color, out: Int32Array, offset: number): void {
    const between = (ksq * SQUARE_NB + slider) * WORDS;
    const occ = OCCUPIED_SLOT * WORDS;
    let count = 0;
    let word = 0;
    let index = 0;
    for (let k = 0; k < WORDS; k++) {
      const w = BETWEEN_BB[between + k] & this.bb[occ + k];
      if (w === 0) continue;
      if ((w & (w - 1)) !== 0) return;
      count++;
      word = w;
      index = k;
    }
    if (count !== 1) return;
    if ((this.bb[(COLOR_SLOT + owner) * WORDS + index] & word) !== 0) out[offset + index] |= word;
  }

  private storeState(ply: number, move: Move, captured: number): void {
    this.stackMove[ply] = move;
    this.stackCaptured[ply] = captured;
    this.stackKeyLo[ply] = this.keyLo;
    this.stackKeyHi[ply] = this.keyHi;
    const ksq = this.kingSquare[this.turn];
    if (ksq >= 0) {
      this.attackersTo(ksq, (this.turn ^ 1) as Color, this.stackCheckers, ply * WORDS);
    } else {
      this.stackCheckers.fill(0, ply * WORDS, ply * WORDS + WORDS);
    }
  }

  private toggleSide(): void {
    this.turn = (this.turn ^ 1) as Color;
    this.keyLo ^= ZOBRIST_SIDE_LO;
    this.keyHi ^= ZOBRIST_SIDE_HI;
  }

  private setHand(index: number, count: number): void {
    this.hashHand(index);
    this.hands[index] = count;
    this.hashHand(index);
  }

  private hashHand(index: number): void {
    const entry = index * HAND_COUNT_NB + Math.min(this.hands[index], HAND_COUNT_NB - 1);
    this.keyLo ^= ZOBRIST_HAND_LO[entry];
    this.keyHi ^= ZOBRIST_HAND_HI[entry];
  }

  /** Places a piece on an empty square, updating every derived structure and the key. */
  private put(piece: number, sq: number): void {
    this.board[sq] = piece;
    this.toggleBits(piece, sq);
  }

  /** Removes a piece from its square, updating every derived structure and the key. */
  private remove(piece: number, sq: number): void {
    this.board[sq] = 0;
    this.toggleBits(piece, sq);
  }

  private toggleBits(piece: number, sq: number): void {
    const word = SQUARE_WORD[sq];
    const bit = SQUARE_BIT[sq];
    const color = piece >> 4;
    const type = piece & 15;
    const bb = this.bb;
    bb[piece * WORDS + word] ^= bit;
    bb[(COLOR_SLOT + color) * WORDS + word] ^= bit;
    bb[OCCUPIED_SLOT * WORDS + word] ^= bit;
    if (type === GOLD || (type >= PRO_PAWN && type <= PRO_SILVER)) bb[(GOLDS_SLOT + color) * WORDS + word] ^= bit;
    else if (type === PAWN) this.pawnFiles[color] ^= 1 << ((sq / 9) | 0);
    else if (type === KING) this.kingSquare[color] = this.board[sq] === 0 ? -1 : sq;
    this.toggleLines(sq);
    this.keyLo ^= ZOBRIST_PIECE_LO[piece * SQUARE_NB + sq];
    this.keyHi ^= ZOBRIST_PIECE_HI[piece * SQUARE_NB + sq];
  }

  private grow(capacity: number): void {
    const copyInt = (old: Int32Array, size: number): Int32Array<ArrayBuffer> => {
      const next = new Int32Array(size);
      next.set(old);
      return next;
    };
    this.stackMove = copyInt(this.stackMove, capacity);
    this.stackKeyLo = copyInt(this.stackKeyLo, capacity);
    this.stackKeyHi = copyInt(this.stackKeyHi, capacity);
    this.stackCheckers = copyInt(this.stackCheckers, capacity * WORDS);
    const captured = new Uint8Array(capacity);
    captured.set(this.stackCaptured);
    this.stackCaptured = captured;
    this.capacity = capacity;
  }
}
