// `shogi-lab serve`: serves a run's report on 127.0.0.1 and rebuilds it whenever the run data
// changes, so the open page follows a tournament as it goes on.
import { type Command, InvalidArgumentError } from "commander";
import { type ReportServer, type ServeEvent, startReportServer } from "../reports/serve.js";

const MAX_PORT = 65535;

export interface ServeCommandOptions {
  runDir: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port: number;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > MAX_PORT) {
    throw new InvalidArgumentError(`invalid port "${text}": give a whole number from 0 to ${MAX_PORT} (0 picks a free port)`);
  }
  return port;
}

function logEvent(event: ServeEvent): void {
  const time = new Date().toISOString();
  if (event.type === "rebuilt") process.stderr.write(`${time} report rebuilt (data version ${event.version})\n`);
  else if (event.type === "rebuild-failed") process.stderr.write(`${time} report rebuild failed, still serving the last good page: ${event.message}\n`);
  else if (event.type === "watch-failed") process.stderr.write(`${time} watching the run folder failed, rebuilding only when the page polls: ${event.message}\n`);
  else process.stderr.write(`${time} request for ${event.url} failed: ${event.message}\n`);
}

/** Starts the server and logs its rebuilds and errors to stderr. */
export function runServe(options: ServeCommandOptions): Promise<ReportServer> {
  return startReportServer({ runDir: options.runDir, port: options.port, onEvent: logEvent });
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("Serve a run's report on 127.0.0.1 and rebuild it live when run-data.json changes")
    .requiredOption("--run <dir>", "run folder that contains run-data.json")
    .option("--port <n>", "TCP port on 127.0.0.1 (0 picks a free port)", parsePort, 0)
    .action(async (values: { run: string; port: number }) => {
      const server = await runServe({ runDir: values.run, port: values.port });
      process.stdout.write(`serving ${server.url}\n`);
      const stop = (): void => {
        process.stderr.write("stopping the report server\n");
        void server.close();
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}
