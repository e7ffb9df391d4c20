// Encoding detection on read and Shift_JIS encoding on write.

import { readFileSync } from "node:fs";
import path from "node:path";
import iconv from "iconv-lite";
import { describe, expect, test } from "vitest";
import { RecordError, decodeRecordBytes, encodeShiftJis, parseRecord } from "../../shogi/records/index.js";
import { SHARED_DATA, SKIP_REASON, sharedDataMissing } from "./shared-data.js";

if (sharedDataMissing) console.log(SKIP_REASON);

const KIF_TEXT = "先手：羽生\n手合割：平手\n手数----指手---------消費時間--\n   1 ７六歩(77)\n   2 投了\n";

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function cp932(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, "cp932"));
}

function catchRecordError(action: () => unknown): RecordError {
  try {
    action();
  } catch (error) {
    if (error instanceof RecordError) return error;
    throw error;
  }
  throw new Error("expected a RecordError");
}

describe("decodeRecordBytes", () => {
  test("UTF-8 with BOM", () => {
    const decoded = decodeRecordBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(KIF_TEXT)]));
    expect(decoded).toEqual({ text: KIF_TEXT, encoding: "utf-8" });
  });

  test("UTF-8 without BOM", () => {
    expect(decodeRecordBytes(utf8(KIF_TEXT))).toEqual({ text: KIF_TEXT, encoding: "utf-8" });
  });

  test("Shift_JIS", () => {
    expect(decodeRecordBytes(cp932(KIF_TEXT))).toEqual({ text: KIF_TEXT, encoding: "shift_jis" });
  });

  test("code page 932 extension characters", () => {
    const text = "備考：①髙\n";
    expect(decodeRecordBytes(cp932(text))).toEqual({ text, encoding: "shift_jis" });
  });

  test("EUC-JP when Shift_JIS fails", () => {
    const text = "N+山田将棋\n";
    const bytes = new Uint8Array(iconv.encode(text, "euc-jp"));
    expect(decodeRecordBytes(bytes)).toEqual({ text, encoding: "euc-jp" });
  });

  test("required encoding skips detection", () => {
    const error = catchRecordError(() => decodeRecordBytes(cp932(KIF_TEXT), "utf-8"));
    expect(error.code).toBe("invalid_encoding");
    expect(error.line).toBe(1);
  });

  test("garbage bytes name their line", () => {
    const bytes = new Uint8Array([...utf8("V2.2\nPI\n"), 0xff, 0xfe, 0xfd, 0x0a, ...utf8("+\n")]);
    const error = catchRecordError(() => decodeRecordBytes(bytes));
    expect(error.code).toBe("invalid_encoding");
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/line 3/);
  });

  test("damaged UTF-8 is reported as UTF-8", () => {
    const good = utf8(KIF_TEXT);
    const damaged = new Uint8Array([...good.subarray(0, 4), 0xff, ...good.subarray(4)]);
    const error = catchRecordError(() => decodeRecordBytes(damaged));
    expect(error.code).toBe("invalid_encoding");
    expect(error.line).toBe(1);
    expect(error.message).toContain("not valid utf-8");
  });

  test("NUL byte means binary data", () => {
    const error = catchRecordError(() => decodeRecordBytes(new Uint8Array([...utf8("V2.2\nPI\n"), 0x00])));
    expect(error.code).toBe("invalid_encoding");
    expect(error.line).toBe(3);
  });
});

describe("encodeShiftJis", () => {
  test("writes code page 932 bytes", () => {
    expect([...encodeShiftJis("先手")]).toEqual([0x90, 0xe6, 0x8e, 0xe8]);
  });

  test("maps the JIS wave dash to code page 932", () => {
    expect([...encodeShiftJis("\u301c")]).toEqual([0x81, 0x60]);
  });

  test("rejects characters outside code page 932", () => {
    const error = catchRecordError(() => encodeShiftJis("先手：羽生\n後手：🐟\n"));
    expect(error.code).toBe("unencodable_text");
    expect(error.line).toBe(2);
    expect(error.text).toBe("後手：🐟");
  });
});

describe.skipIf(sharedDataMissing)("same record in Shift_JIS and UTF-8", () => {
  const folder = path.join(SHARED_DATA, "sunfish-shogi__shogihome/src/tests/testdata/encoding");

  test.each([
    ["sjis.kif", "utf8.kif"],
    ["sjis.ki2", "utf8.ki2"],
  ])("%s equals %s", (shiftJisName, utf8Name) => {
    const shiftJisBytes = readFileSync(path.join(folder, shiftJisName));
    const utf8Bytes = readFileSync(path.join(folder, utf8Name));
    expect(decodeRecordBytes(shiftJisBytes).encoding).toBe("shift_jis");
    expect(decodeRecordBytes(utf8Bytes).encoding).toBe("utf-8");
    const fromShiftJis = parseRecord(shiftJisBytes);
    expect(fromShiftJis.moves).toHaveLength(4);
    expect(fromShiftJis).toEqual(parseRecord(utf8Bytes));
  });
});
