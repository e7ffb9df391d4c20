// Model card: what a model is and where it came from, stored as ONNX metadata_props entries.
//
// Every entry's value is a string; structured entries hold JSON. Keys:
//   card_version   "1"
//   architecture   JSON Architecture (feature set, widths, activation, output scale)
//   feature_set    the feature set name again, for tools that read one entry only
//   score_scale    the output scale again (centipawns per logit, 600)
//   provenance     JSON Provenance
//   metrics        JSON object of named numbers or strings
//   content_hash   "sha256:<hex>" of the weights (see contentHash in weights.ts)
//   description    free text

import { type Architecture, validateArchitecture } from "./architecture.js";

export const CARD_VERSION = "1";

export interface TeacherInfo {
  /** Engine name and version, such as "Fairy-Stockfish 14 (WebAssembly)". */
  engine: string;
  /** Search settings used for labels: depth, nodes, options. */
  settings?: Record<string, unknown>;
}

export interface Provenance {
  /** Origin of the weights, such as "trained", "fine-tuned", "imported from nn.bin" or "material placeholder". */
  source: string;
  teacher?: TeacherInfo;
  /** Content hashes of the data sets used, such as "sha256:<hex>". */
  dataHashes?: string[];
  /** The model these weights started from. */
  parentModel?: { name?: string; contentHash: string };
  /** Trainer settings: optimiser, learning rate, epochs, loss. */
  training?: Record<string, unknown>;
  /** Fine-tuning mode and settings, for variants of a base model. */
  fineTuning?: Record<string, unknown>;
  notes?: string;
}

export interface ModelCard {
  architecture: Architecture;
  provenance: Provenance;
  metrics: Record<string, number | string>;
  /** Filled in by the writer from the weights; "" in a card not yet written. */
  contentHash: string;
  description?: string;
}

export type MetadataEntry = { key: string; value: string };

/** Serialises a card into metadata_props entries (see the key list at the top of this file). */
export function cardToMetadata(card: ModelCard): MetadataEntry[] {
  const entries: MetadataEntry[] = [
    { key: "card_version", value: CARD_VERSION },
    { key: "architecture", value: JSON.stringify(card.architecture) },
    { key: "feature_set", value: card.architecture.featureSet },
    { key: "score_scale", value: String(card.architecture.outputScale) },
    { key: "provenance", value: JSON.stringify(card.provenance) },
    { key: "metrics", value: JSON.stringify(card.metrics) },
    { key: "content_hash", value: card.contentHash },
  ];
  if (card.description !== undefined) entries.push({ key: "description", value: card.description });
  return entries;
}

function parseJsonEntry(key: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`metadata entry "${key}" is not valid JSON (${(error as Error).message})`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses metadata_props entries into a card; throws Error naming the missing or invalid entry.
 * The architecture is validated, so an unknown feature set is rejected here.
 */
export function cardFromMetadata(entries: MetadataEntry[]): ModelCard {
  const map = new Map(entries.map((entry) => [entry.key, entry.value]));
  const get = (key: string): string => {
    const value = map.get(key);
    if (value === undefined) throw new Error(`metadata entry "${key}" is missing; the file is not a shogi-lab model`);
    return value;
  };
  if (get("card_version") !== CARD_VERSION) {
    throw new Error(`card_version "${get("card_version")}" is not supported (expected "${CARD_VERSION}")`);
  }
  const architecture = validateArchitecture(parseJsonEntry("architecture", get("architecture")));
  if (get("feature_set") !== architecture.featureSet) {
    throw new Error(`feature_set "${get("feature_set")}" differs from the architecture's "${architecture.featureSet}"`);
  }
  if (Number(get("score_scale")) !== architecture.outputScale) {
    throw new Error(`score_scale "${get("score_scale")}" differs from the architecture's ${architecture.outputScale}`);
  }
  const provenance = parseJsonEntry("provenance", get("provenance"));
  if (!isPlainObject(provenance) || typeof provenance.source !== "string") {
    throw new Error('metadata entry "provenance" is not an object with a "source" string');
  }
  const metrics = parseJsonEntry("metrics", get("metrics"));
  if (!isPlainObject(metrics)) throw new Error('metadata entry "metrics" is not a JSON object');
  const card: ModelCard = {
    architecture,
    provenance: provenance as unknown as Provenance,
    metrics: metrics as Record<string, number | string>,
    contentHash: get("content_hash"),
  };
  if (map.has("description")) card.description = map.get("description");
  return card;
}
