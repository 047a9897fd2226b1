import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

// Real external data the tests read (Shopify's webhook samples and Admin schemas, CDNOW), never copied into the
// repository. Found, in order: CADENCE_SHARED_DATA; the folder shared/data beside this checkout, as on every machine
// this project is built on; beside the checkout this one was cloned from, when that is a local folder (a scratch clone
// such as `git clone -q . /tmp/fresh` then finds the same data as its original).
const besideCheckout = (checkout: string) => path.join(path.dirname(checkout), "shared", "data");
const holdsData = (folder: string) => existsSync(path.join(folder, "README.md"));

function originCheckout(checkout: string): string | null {
  try {
    const origin = execFileSync("git", ["-C", checkout, "config", "--get", "remote.origin.url"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const local = origin.startsWith("file://") ? new URL(origin).pathname : origin;
    return path.isAbsolute(local) && existsSync(local) ? path.resolve(local) : null;
  } catch {
    return null;
  }
}

/** Where the shared data is for `checkout` (when found nowhere, the folder beside it, which the error then names). */
export function locateSharedData(checkout: string, override = process.env.CADENCE_SHARED_DATA): string {
  if (override) return path.resolve(override);
  const beside = besideCheckout(checkout);
  if (holdsData(beside)) return beside;
  const origin = originCheckout(checkout);
  const besideOrigin = origin ? besideCheckout(origin) : null;
  return besideOrigin && holdsData(besideOrigin) ? besideOrigin : beside;
}

export const SHARED_DATA = locateSharedData(path.resolve(import.meta.dirname, "..", ".."));
// Child processes the tests start (servers, CLI runs) and later test workers find the same folder without asking git.
process.env.CADENCE_SHARED_DATA = SHARED_DATA;

export function sharedDataPath(...parts: string[]): string {
  return path.join(SHARED_DATA, ...parts);
}

/** Vitest global setup: one clear message instead of dozens of ENOENT failures. */
export default function checkSharedData(): void {
  if (!holdsData(SHARED_DATA)) {
    throw new Error(
      `The tests read real Shopify and CDNOW data from ${SHARED_DATA}, which is missing. ` +
        `Check out the project beside its shared/ folder, or set CADENCE_SHARED_DATA.`,
    );
  }
}
