// `npm install` runs this (postinstall) to generate the Prisma client; npm blocks Prisma's own install scripts.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { prismaCliEnv } from "./prisma-env.mjs";

const result = spawnSync(path.resolve("node_modules", ".bin", "prisma"), ["generate", "--no-hints"], {
  stdio: "inherit",
  env: prismaCliEnv(),
});
process.exit(result.status ?? 1);
