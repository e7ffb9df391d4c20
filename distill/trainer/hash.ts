// SHA-256 of data files, for the model card and the checkpoint fingerprint.

import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

const HASH_PREFIX = "sha256:";

/** "sha256:<hex>" of a file's bytes, read as a stream. */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return HASH_PREFIX + hash.digest("hex");
}
