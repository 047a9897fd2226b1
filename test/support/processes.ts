import { readdirSync, readFileSync } from "node:fs";

// Processes as Linux's /proc shows them (CI runs on Linux): which children a process has, and whether one still runs.

export interface ChildProcessInfo {
  pid: number;
  niceness: number;
  commandLine: string;
}

export function childProcesses(parentPid: number): ChildProcessInfo[] {
  const children: ChildProcessInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // After the command name in parentheses: state, ppid, …; niceness is field 19 of stat(5).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) !== parentPid) continue;
      children.push({
        pid: Number(entry),
        niceness: Number(fields[16]),
        commandLine: readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " "),
      });
    } catch {
      // a process that ended while being read
    }
  }
  return children;
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until `condition` holds; throws, naming `what`, after `timeoutMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * An environment for a child process. Remix's global types declare NODE_ENV always set, but an operator's shell may
 * leave it unset, which is what the production-start tests need to reproduce.
 */
export function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return env as unknown as NodeJS.ProcessEnv;
}
