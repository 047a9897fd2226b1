// `npm run demo`: Cadence on localhost with the embedded database, a demo shop with an offline session, and a
// generated order history replayed through the real signed-webhook endpoint. See README "The demo".
import { parseArgs } from "node:util";

const USAGE = `Usage: npm run demo [-- --reset] [--no-seed] [--shop DOMAIN] [--port N] [--customers N]

  --reset       delete the demo shop's data and start over
  --no-seed     start with an empty demo shop (no order history)
  --shop        the demo shop's domain (default cadence-demo.myshopify.com)
  --port        HTTP port (default $PORT or 3000)
  --customers   size of the generated history (default 3000 customers)`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      reset: { type: "boolean", default: false },
      "no-seed": { type: "boolean", default: false },
      shop: { type: "string", default: "cadence-demo.myshopify.com" },
      port: { type: "string" },
      customers: { type: "string", default: "3000" },
      help: { type: "boolean", short: "h", default: false },
    },
  }));
} catch (error) {
  fail((error as Error).message);
}

if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(options.shop))
  fail(`--shop must be a *.myshopify.com domain, not "${options.shop}".`);
const customers = Number(options.customers);
if (!Number.isInteger(customers) || customers < 1 || customers > 1_000_000)
  fail(`--customers must be a whole number from 1 to 1000000, not "${options.customers}".`);
if (options.port !== undefined) {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`--port must be a port number, not "${options.port}".`);
  process.env.PORT = options.port;
}
// The demo is development (with the tests, the only thing that is: app/config.server.ts). It runs outside Shopify's
// admin, so it turns the local dev shell on; configuration refuses that in production, so the demo cannot be pointed
// at a production environment by accident.
process.env.CADENCE_DEV_SHELL = "1";
process.env.NODE_ENV ??= "development";
// One JSON line per webhook would bury the URLs; the server still logs warnings and errors.
process.env.CADENCE_LOG_LEVEL ??= "warn";

const { ConfigError } = await import("../app/config.server.ts");
const { closeDatabase } = await import("../app/db.server.ts");
const { runDemo } = await import("./demo-runner/run-demo.ts");
try {
  await runDemo({ shop: options.shop, reset: options.reset, seed: !options["no-seed"], customers });
} catch (error) {
  // Detach from the embedded PostgreSQL on the way out, so a failed start does not leave it running.
  await closeDatabase().catch(() => undefined);
  if (!(error instanceof ConfigError)) throw error;
  console.error(`${error.message}\n\nThe demo runs locally only; see README "Configuration".`);
  process.exit(1);
}
