import path from "node:path";

// Resolved from the working directory (the repository root for the app, the CLI and the tests): this module is
// also bundled into build/server, so its own URL moves.
export const EXTENSION_ROOT = path.resolve(process.env.CADENCE_EXTENSION_DIR ?? "extensions/cadence-offers");
