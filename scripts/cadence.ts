// The operator CLI: `npm run cadence -- <command> [options]`.
// Each command lives in scripts/commands/<name>.ts and exports `summary`, `usage` and `run(argv)`.
// Commands are loaded lazily, so a command that needs no database never opens one.
import { declareProcessRole } from "../app/config.server.ts";

// The CLI serves nothing and calls no Shopify API: it needs a database (DATABASE_URL, or the embedded one beside a
// local demo, which it joins while the demo runs), not the app's secrets.
declareProcessRole("cli");

export interface CliCommand {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<CliCommand>> = {
  migrate: () => import("./commands/migrate.ts"),
  export: () => import("./commands/export.ts"),
  segment: () => import("./commands/segment.ts"),
  recompute: () => import("./commands/recompute.ts"),
  offers: () => import("./commands/offers.ts"),
  sync: () => import("./commands/sync.ts"),
  tiers: () => import("./commands/tiers.ts"),
  flow: () => import("./commands/flow.ts"),
};

function printHelp(summaries: Array<[string, string]>): void {
  const lines = [
    "Cadence operator CLI",
    "",
    "Usage: npm run cadence -- <command> [options]",
    "",
    "Commands:",
    ...summaries.map(([name, summary]) => `  ${name.padEnd(12)} ${summary}`),
    "",
    "Run `npm run cadence -- <command> --help` for a command's options.",
  ];
  process.stdout.write(lines.join("\n") + "\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    const summaries: Array<[string, string]> = [];
    for (const [key, load] of Object.entries(commands)) summaries.push([key, (await load()).summary]);
    printHelp(summaries);
    return 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`Unknown command "${name}". Run \`npm run cadence -- --help\`.\n`);
    return 2;
  }
  const command = await load();
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(command.usage.trimEnd() + "\n");
    return 0;
  }
  return command.run(rest);
}

// process.exit() drops output still queued for a pipe (a large `export … > file` was cut short): wait for both
// streams to flush what was written before exiting.
const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write("", () => resolve()));
async function exit(code: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

main(process.argv.slice(2)).then(
  (code) => exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return exit(1);
  },
);
