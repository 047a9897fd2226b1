import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";

// Runs the README's main command (`npm run demo`) as a child process, the way a user would, and waits for the
// line that says the seeding (or restart) is done.

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export interface DemoProcess {
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, as a process manager stops it; resolves with its exit code. */
  stop(): Promise<number | null>;
  /** Its exit code once it ends by itself (a refused start). */
  exited(): Promise<number | null>;
}

export function startDemo(args: string[], env: Record<string, string>): DemoProcess {
  // Node with tsx's loader, not the tsx command: that one relays a SIGTERM sent to it alone to the script, and kills
  // the script outright (exit 143) when the script takes over 30 ms to acknowledge, which a busy demo can. A
  // terminal's Ctrl+C reaches both processes at once and is unaffected.
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/demo.ts", ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
    },
  );
  let text = "";
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString("utf8");
    for (const listener of listeners) listener();
  };
  child.stdout.on("data", append);
  child.stderr.on("data", append);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    output: () => text,
    waitFor(pattern, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = text.match(pattern);
          if (!match) return;
          cleanup();
          resolve(match);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`demo did not print ${pattern} within ${timeoutMs} ms; it printed:\n${text}`));
        }, timeoutMs);
        const onExit = () => {
          cleanup();
          reject(new Error(`demo exited before printing ${pattern}; it printed:\n${text}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off("exit", onExit);
        };
        listeners.add(check);
        child.once("exit", onExit);
        check();
      });
    },
    exited: () => exited,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
