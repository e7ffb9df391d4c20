import { writeFileSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readRunData, RUN_DATA_FILE, writeRunData } from "../../reports/run-data.js";
import { type ReportServer, startReportServer } from "../../reports/serve.js";
import { copyFixture, removeDir } from "./helpers.js";

const UPDATE_TIMEOUT_MS = 10_000;
const POLL_MS = 50;

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends a request with the path and Host header as given, which fetch would normalise. */
function rawRequest(port: number, options: { path: string; method?: string; host?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers = { host: options.host ?? `127.0.0.1:${port}` };
    const outgoing = request({ host: "127.0.0.1", port, path: options.path, method: options.method ?? "GET", headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

async function liveVersion(server: ReportServer): Promise<{ version: string; error?: string }> {
  const response = await fetch(new URL("/live/version", server.url));
  return (await response.json()) as { version: string; error?: string };
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + UPDATE_TIMEOUT_MS;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${UPDATE_TIMEOUT_MS} ms; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

describe("startReportServer", () => {
  let runDir: string;
  let server: ReportServer | undefined;

  beforeEach(async () => {
    runDir = copyFixture("shogi-lab-serve-");
    server = await startReportServer({ runDir, port: 0 });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    removeDir(runDir);
  });

  it("listens on 127.0.0.1 at a free port", () => {
    const live = server as ReportServer;
    expect(live.port).toBeGreaterThan(0);
    expect(live.url).toBe(`http://127.0.0.1:${live.port}/report/index.html`);
  });

  it("serves the page and its files", async () => {
    const live = server as ReportServer;
    const page = await fetch(live.url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toContain("quick-sweep-01");
    const svg = await fetch(new URL("/report/elo-vs-base.svg", live.url));
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    const game = readRunData(runDir).games[0];
    const kif = await fetch(new URL(`/${game.kif}`, live.url));
    expect(kif.status).toBe(200);
    expect(await kif.text()).toContain("#KIF version=2.0");
    const root = await fetch(new URL("/", live.url), { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/report/index.html");
  });

  it("reflects changed run data", async () => {
    const live = server as ReportServer;
    const before = await liveVersion(live);
    expect(before.version).toBe(live.version());
    const data = readRunData(runDir);
    data.run.name = "renamed-while-running";
    writeRunData(runDir, data);
    const after = await waitFor(() => liveVersion(live), (value) => value.version !== before.version);
    expect(after.error).toBeUndefined();
    expect(await (await fetch(live.url)).text()).toContain("renamed-while-running");
  });

  it("keeps the last page when the data breaks", async () => {
    const live = server as ReportServer;
    const before = await liveVersion(live);
    writeFileSync(path.join(runDir, RUN_DATA_FILE), "{ broken");
    const after = await waitFor(() => liveVersion(live), (value) => value.error !== undefined);
    expect(after.version).toBe(before.version);
    expect(after.error).toContain("is not valid JSON");
    expect((await fetch(live.url)).status).toBe(200);
  });

  it("rejects paths outside the run folder", async () => {
    const live = server as ReportServer;
    for (const pathname of ["/%2e%2e/%2e%2e/etc/passwd", "/../../etc/passwd", "/report/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd", "/games"]) {
      expect((await rawRequest(live.port, { path: pathname })).status, pathname).toBe(404);
    }
    expect((await rawRequest(live.port, { path: "/%E0%A4%A" })).status).toBe(400);
  });

  it("rejects other hosts and methods", async () => {
    const live = server as ReportServer;
    expect((await rawRequest(live.port, { path: "/report/index.html", host: "attacker.example:80" })).status).toBe(403);
    expect((await rawRequest(live.port, { path: "/report/index.html", host: `localhost:${live.port}` })).status).toBe(200);
    expect((await rawRequest(live.port, { path: "/report/index.html", method: "POST" })).status).toBe(405);
  });

  it("stops cleanly", async () => {
    const live = server as ReportServer;
    const url = live.url;
    await live.close();
    server = undefined;
    await expect(fetch(url)).rejects.toThrow();
  });
});

describe("startReportServer without data", () => {
  it("rejects a folder without run data", async () => {
    const runDir = copyFixture("shogi-lab-serve-");
    try {
      writeFileSync(path.join(runDir, RUN_DATA_FILE), "[]");
      await expect(startReportServer({ runDir, port: 0 })).rejects.toThrow(/run-data: expected an object/);
    } finally {
      removeDir(runDir);
    }
  });
});
