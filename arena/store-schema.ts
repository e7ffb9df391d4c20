// Tables of the arena results database. Times are ISO 8601 UTC text; durations are milliseconds.

export const STORE_SCHEMA = `
CREATE TABLE IF NOT EXISTS tournaments (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('gauntlet', 'round-robin', 'sprt')),
  -- SHA-256 of the plan without its run-only fields: a rerun of the same plan resumes this row.
  plan_hash   TEXT NOT NULL UNIQUE,
  plan_json   TEXT NOT NULL,
  seed        INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('running', 'finished', 'interrupted')),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS engines (
  id             INTEGER PRIMARY KEY,
  tournament_id  INTEGER NOT NULL REFERENCES tournaments (id),
  name           TEXT NOT NULL,
  -- The executable and its arguments, as a JSON array.
  command_json   TEXT NOT NULL,
  options_json   TEXT NOT NULL,
  -- EvalFile of this project's engine, and the content hash from the model card of an .onnx model.
  model          TEXT,
  model_hash     TEXT,
  -- What the engine sent as 'id name' and 'id author'.
  usi_name       TEXT,
  usi_author     TEXT,
  UNIQUE (tournament_id, name)
);

CREATE TABLE IF NOT EXISTS games (
  id               INTEGER PRIMARY KEY,
  tournament_id    INTEGER NOT NULL REFERENCES tournaments (id),
  pair_index       INTEGER NOT NULL,
  game_in_pair     INTEGER NOT NULL CHECK (game_in_pair IN (0, 1)),
  opening_index    INTEGER NOT NULL,
  -- The opening as 'position' arguments: 'startpos moves ...' or 'sfen ... moves ...'.
  opening          TEXT NOT NULL,
  black_engine_id  INTEGER NOT NULL REFERENCES engines (id),
  white_engine_id  INTEGER NOT NULL REFERENCES engines (id),
  result           TEXT NOT NULL CHECK (result IN ('black_win', 'white_win', 'draw')),
  termination      TEXT NOT NULL,
  -- The termination with its details (illegal move, exit code, times), as JSON.
  termination_json TEXT NOT NULL,
  -- Moves in the record, opening moves included.
  plies            INTEGER NOT NULL,
  opening_plies    INTEGER NOT NULL,
  black_time_ms    INTEGER NOT NULL,
  white_time_ms    INTEGER NOT NULL,
  initial_sfen     TEXT NOT NULL,
  -- All moves from initial_sfen, opening moves first, as USI text separated by spaces.
  moves            TEXT NOT NULL,
  -- Time and reported score of each move after the opening, as JSON arrays.
  move_times_json  TEXT NOT NULL,
  scores_json      TEXT NOT NULL,
  started_at       TEXT NOT NULL,
  finished_at      TEXT NOT NULL,
  UNIQUE (tournament_id, pair_index, game_in_pair)
);
`;
