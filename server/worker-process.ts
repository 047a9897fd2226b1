import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { setPriority } from "node:os";
import path from "node:path";

// The server's job workers in a child process (CADENCE_BACKGROUND_WORK=process, PostgreSQL's default). A full pass
// or a profile refresh computes for seconds; in the server's own event loop that time would be taken from webhook
// and storefront answers, which Shopify wants within 5 s and shoppers within milliseconds. In a process of its own,
// at a lower scheduling priority, it takes only the CPU they leave. The child restarts if it dies.

const ROOT = path.resolve(import.meta.dirname, "..");
const WORKER = path.join(ROOT, "server", "worker.ts");
/** Lower than the server's (0), so the kernel prefers the server when both want a core. */
const WORKER_NICENESS = 10;
const RESTART_DELAY_MS = 5_000;
/** How long start-up waits for the worker's "ready" before going on without it (it keeps starting meanwhile). */
const READY_WAIT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export interface WorkerProcess {
  stop(): Promise<void>;
}

function startChild(): { child: ChildProcess; ready: Promise<boolean> } {
  // Through tsx, as every script here runs, whatever started the server.
  const child = fork(WORKER, [], { cwd: ROOT, execArgv: ["--import", "tsx"], env: process.env, stdio: "inherit" });
  if (child.pid) {
    try {
      setPriority(child.pid, WORKER_NICENESS);
    } catch {
      // A platform that refuses leaves the worker at the server's priority: slower answers under load, nothing worse.
    }
  }
  // true once it reports ready; false if it exits first (the supervisor restarts it).
  const ready = new Promise<boolean>((resolve) => {
    child.once("message", () => resolve(true));
    child.once("exit", () => resolve(false));
  });
  return { child, ready };
}

/**
 * Forks the worker and resolves once its job workers run, or after READY_WAIT_MS without them: on a loaded machine a
 * process at a lower priority can take that long to start, and the server must not fail for it (the jobs wait in
 * the queue). It is restarted whenever it exits, until stop().
 */
export async function startWorkerProcess(log: (message: string) => void): Promise<WorkerProcess> {
  let stopped = false;
  let current = startChild();
  const supervise = (child: ChildProcess) =>
    child.once("exit", (code, signal) => {
      if (stopped) return;
      log(`The worker process exited (${signal ?? code}); restarting it in ${RESTART_DELAY_MS / 1000} s.`);
      setTimeout(() => {
        if (stopped) return;
        current = startChild();
        supervise(current.child);
      }, RESTART_DELAY_MS).unref();
    });
  supervise(current.child);
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<"waited">((resolve) => (timer = setTimeout(() => resolve("waited"), READY_WAIT_MS)));
  const outcome = await Promise.race([current.ready, waited]);
  clearTimeout(timer);
  if (outcome === "waited")
    log(
      `The worker process has not reported ready after ${
        READY_WAIT_MS / 1000
      } s (a busy machine?); going on while it starts.`,
    );
  return {
    async stop() {
      stopped = true;
      const { child } = current;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
