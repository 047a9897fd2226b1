import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { freePort } from "./demo-env";

// `npm start`'s server (server/serve.ts) as a child process of its own: for what only separate processes show (a
// limit shared through the database, a process's memory). Node with tsx's loader, as test/support/demo-process.ts
// runs the demo, so a signal reaches the server itself.

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export interface ServerProcess {
  url: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

/** `cwd`: another checkout's server (a benchmark's comparison). */
export async function startServerProcess(
  env: Record<string, string>,
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const port = await freePort();
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ["--import", "tsx", "server/serve.ts"], {
    cwd: options.cwd ?? ROOT,
    env: {
      ...process.env,
      CADENCE_BACKGROUND_WORK: "off",
      CADENCE_LOG_LEVEL: "silent",
      HOST: "127.0.0.1",
      ...env,
      PORT: String(port),
    },
  });
  let text = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the server did not start within ${timeoutMs} ms:\n${text}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      text += chunk.toString("utf8");
      if (text.includes("Cadence listening on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before it was ready:\n${text}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => text,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
