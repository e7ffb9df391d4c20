// A loopback HTTP server for the report of a run that is still going on. It serves the run folder
// (the page at /report/index.html links to the KIF records beside it), rebuilds the report when
// run-data.json changes, and replies to the page's polls at /live/version with the latest version.
// It binds 127.0.0.1 only and rejects requests whose Host header names another host.

import { type FSWatcher, createReadStream, statSync, watch } from "node:fs";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { LIVE_PAGE_PATH, LIVE_VERSION_PATH, type LiveVersion } from "./client/live.js";
import { buildReport } from "./build.js";
import { RUN_DATA_FILE } from "./run-data.js";

export const LOOPBACK_HOST = "127.0.0.1";
/** Wait after the last change of run-data.json before rebuilding, so a burst of writes costs one build. */
export const REBUILD_DELAY_MS = 150;

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json; charset=utf-8",
  ".kif": "text/plain; charset=utf-8",
  ".csa": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/** An event of the server, for the caller to log. */
export type ServeEvent =
  | { type: "rebuilt"; version: string }
  | { type: "rebuild-failed"; message: string }
  | { type: "watch-failed"; message: string }
  | { type: "request-failed"; url: string; message: string };

export interface ServeOptions {
  runDir: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  onEvent?: (event: ServeEvent) => void;
}

export interface ReportServer {
  /** Address of the page, such as "http://127.0.0.1:43121/report/index.html". */
  readonly url: string;
  readonly port: number;
  /** Version of the latest successful build. */
  version(): string;
  /** Stops watching, closes open connections and the server. */
  close(): Promise<void>;
}

interface LiveState {
  runDir: string;
  version: string;
  error?: string;
  /** mtime and size of run-data.json at the latest build attempt. */
  stamp: string;
  timer?: NodeJS.Timeout;
  onEvent: (event: ServeEvent) => void;
}

/** Builds the report once (throwing if that fails), then serves it with live rebuilds. */
export async function startReportServer(options: ServeOptions): Promise<ReportServer> {
  const runDir = path.resolve(options.runDir);
  const state: LiveState = { runDir, version: "", stamp: dataStamp(runDir), onEvent: options.onEvent ?? (() => undefined) };
  state.version = buildReport(runDir).version;

  const server = createServer((request, response) => handleRequest(state, server, request, response));
  await listen(server, options.port);
  const watcher = watchRunData(state);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${LOOPBACK_HOST}:${port}${LIVE_PAGE_PATH}`,
    port,
    version: () => state.version,
    close: () => closeServer(server, watcher, state),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, LOOPBACK_HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

async function closeServer(server: Server, watcher: FSWatcher, state: LiveState): Promise<void> {
  watcher.close();
  clearTimeout(state.timer);
  const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  server.closeAllConnections();
  await closed;
}

/** mtime and size of run-data.json, or "missing". */
function dataStamp(runDir: string): string {
  try {
    const stats = statSync(path.join(runDir, RUN_DATA_FILE));
    return `${stats.mtimeMs}:${stats.size}`;
  } catch {
    return "missing";
  }
}

/** Watches the run folder itself, because the runner replaces run-data.json by renaming a new file over it. */
function watchRunData(state: LiveState): FSWatcher {
  const watcher = watch(state.runDir, (_event, filename) => {
    if (filename !== null && filename !== RUN_DATA_FILE) return;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => rebuildIfChanged(state), REBUILD_DELAY_MS);
  });
  // Polls of /live/version still find changes by the file's mtime, so a failed watcher only delays rebuilds.
  watcher.on("error", (error) => state.onEvent({ type: "watch-failed", message: error.message }));
  return watcher;
}

/** Rebuilds when run-data.json differs from the latest build attempt; a failed build keeps the last good page. */
function rebuildIfChanged(state: LiveState): void {
  const stamp = dataStamp(state.runDir);
  if (stamp === state.stamp) return;
  state.stamp = stamp;
  try {
    state.version = buildReport(state.runDir).version;
    state.error = undefined;
    state.onEvent({ type: "rebuilt", version: state.version });
  } catch (error) {
    state.error = (error as Error).message;
    state.onEvent({ type: "rebuild-failed", message: state.error });
  }
}

function handleRequest(state: LiveState, server: Server, request: IncomingMessage, response: ServerResponse): void {
  const port = (server.address() as AddressInfo).port;
  if (!isLoopbackHost(request.headers.host, port)) return sendText(response, 403, "forbidden: the Host header must name this loopback server");
  if (request.method !== "GET" && request.method !== "HEAD") return sendText(response, 405, "method not allowed: use GET or HEAD");
  const url = new URL(request.url ?? "/", `http://${LOOPBACK_HOST}:${port}`);
  if (url.pathname === "/") {
    response.writeHead(302, { location: LIVE_PAGE_PATH }).end();
    return;
  }
  if (url.pathname === LIVE_VERSION_PATH) {
    rebuildIfChanged(state);
    const body: LiveVersion = state.error === undefined ? { version: state.version } : { version: state.version, error: state.error };
    response.writeHead(200, { "content-type": CONTENT_TYPES[".json"], "cache-control": "no-store" }).end(JSON.stringify(body));
    return;
  }
  sendFile(state, request, response, url.pathname);
}

/** True for a Host header of 127.0.0.1 or localhost at `port`, which keeps other sites' pages (DNS rebinding) out. */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  return host === `${LOOPBACK_HOST}:${port}` || host === `localhost:${port}`;
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { "content-type": CONTENT_TYPES[".txt"] }).end(`${text}\n`);
}

/** Serves a file of the run folder; paths that leave the folder, folders and missing files get 404. */
function sendFile(state: LiveState, request: IncomingMessage, response: ServerResponse, pathname: string): void {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname).replace(/^\/+/, "");
  } catch {
    return sendText(response, 400, `bad request: invalid percent-encoding in ${pathname}`);
  }
  const file = path.resolve(state.runDir, relative);
  const inside = path.relative(state.runDir, file);
  if (relative.includes("\0") || inside.startsWith("..") || path.isAbsolute(inside)) return sendText(response, 404, "not found");
  let size: number;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) return sendText(response, 404, "not found");
    size = stats.size;
  } catch {
    return sendText(response, 404, "not found");
  }
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
  response.writeHead(200, { "content-type": type, "content-length": size, "cache-control": "no-cache", "x-content-type-options": "nosniff" });
  if (request.method === "HEAD") return void response.end();
  createReadStream(file)
    .on("error", (error) => {
      state.onEvent({ type: "request-failed", url: pathname, message: error.message });
      response.destroy(error);
    })
    .pipe(response);
}
