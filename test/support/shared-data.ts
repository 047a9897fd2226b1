import { existsSync } from "node:fs";
import path from "node:path";

// Real external data the tests read (Shopify's webhook samples and Admin schema, CDNOW): the project's sibling
// folder ../shared/data, as on every machine this project is built on; CADENCE_SHARED_DATA points elsewhere.
export const SHARED_DATA = path.resolve(process.env.CADENCE_SHARED_DATA ?? path.join(import.meta.dirname, "..", "..", "..", "shared", "data"));

export function sharedDataPath(...parts: string[]): string {
  return path.join(SHARED_DATA, ...parts);
}

/** Vitest global setup: one clear message instead of dozens of ENOENT failures. */
export default function checkSharedData(): void {
  if (!existsSync(path.join(SHARED_DATA, "README.md"))) {
    throw new Error(`The tests read real Shopify and CDNOW data from ${SHARED_DATA}, which is missing. ` + `Check out the project beside its shared/ folder, or set CADENCE_SHARED_DATA.`);
  }
}
