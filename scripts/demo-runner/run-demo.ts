import { config } from "../../app/config.server.ts";
import { removeEarlierEngine } from "../../app/database/embedded-postgres.ts";
import { closeDatabase, database, migrateDatabase } from "../../app/db.server.ts";
import { runFullPass } from "../../app/recompute/full-pass.server.ts";
import { syncCounts } from "../../app/shop-overview/sync-counts.ts";
import { ensureBuild } from "../../server/ensure-build.ts";
import { startServer } from "../../server/start-server.ts";
import type { RunningServer } from "../../server/start-server.ts";
import { stopOnSignal } from "../../server/stop-on-signal.ts";
import { ensureDemoOffers } from "./demo-offers.ts";
import { ensureDemoShop, resetDemoShop } from "./demo-shop.ts";
import { reportReencryption } from "../../server/seal-tokens.ts";
import { seedDemoHistory } from "./seed-history.ts";

export interface DemoOptions {
  shop: string;
  reset: boolean;
  seed: boolean;
  customers: number;
}

async function listen(port: number): Promise<RunningServer> {
  try {
    // The job workers start after the seeding and the first full pass: the history's webhooks would otherwise queue
    // thousands of profile refreshes that the full pass makes pointless, taking the CPU the seeding needs.
    return await startServer({ port, backgroundWork: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    console.error(`Port ${port} is in use. Stop what is using it, or run: npm run demo -- --port ${port + 1}`);
    await closeDatabase();
    process.exit(1);
  }
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const settings = config();
  ensureBuild(console.log);
  // A data folder from before the embedded PostgreSQL holds PGlite files it cannot read; starting over removes them.
  if (options.reset && !settings.databaseUrl && removeEarlierEngine(settings.dataDir))
    console.log(`Removed the earlier PGlite database from ${settings.dataDir}.`);
  await migrateDatabase();
  const prisma = database().prisma;
  if (options.reset) {
    await resetDemoShop(database(), options.shop);
    console.log(`Reset: ${options.shop} starts over.`);
  }
  await ensureDemoShop(prisma, options.shop, settings.scopes, "GBP");
  await reportReencryption(prisma, settings.tokenKeys);

  const server = await listen(settings.port);
  const where = settings.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `the embedded PostgreSQL in ${settings.dataDir}`;
  const shopParam = encodeURIComponent(options.shop);
  // The URLs come first: the admin is usable while the history is still arriving.
  console.log(`Cadence is running at ${server.url} on ${where}.

  Admin (embedded pages, local shell):  ${server.url}/dev/shell?shop=${shopParam}
  Storefront preview:                   ${server.url}/dev/storefront?shop=${shopParam}
`);

  stopOnSignal(server);

  const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: options.shop } });
  if (options.seed && !shop.demoSeededAt) {
    // Today (UTC midnight) ends the history, so the shop's customers look alive now. Delivery IDs are stable, so
    // a seeding interrupted by Ctrl+C resumes on the next start: what already arrived is skipped as a duplicate.
    const today = new Date(new Date().toISOString().slice(0, 10) + "T00:00:00Z");
    // The loopback address, not "localhost", which may resolve to an IPv6 address the server does not listen on.
    const seeded = await seedDemoHistory({
      baseUrl: `http://127.0.0.1:${server.port}`,
      secret: settings.apiSecret,
      shop: options.shop,
      customers: options.customers,
      end: today,
    });
    if (seeded.failed === 0) await prisma.shop.update({ where: { id: shop.id }, data: { demoSeededAt: new Date() } });
    else
      console.error(
        `${seeded.failed} demo webhooks were not accepted (see the log above); the next start retries them.`,
      );
  } else if (shop.demoSeededAt) {
    console.log(`${options.shop} already holds its demo history (npm run demo -- --reset starts over).`);
  }

  // The demo's pages and storefront preview need labels straight away, not after tonight's scheduled pass.
  const pass = await runFullPass(database(), shop.id, {});
  if (pass.status === "done")
    console.log(
      `Segmented ${pass.customers} customers in ${(pass.millis / 1000).toFixed(
        1,
      )} s (profiles, tiers, RFM, lifecycle, predictions).`,
    );
  const offers = await ensureDemoOffers(prisma, shop.id);
  if (offers > 0) console.log(`Created ${offers} demo offers (one per tier, win-back, guest welcome).`);
  await server.startBackgroundWork();

  const counts = await syncCounts(prisma, options.shop);
  console.log(`
${options.shop}: ${counts?.orders ?? 0} orders, ${counts?.customers ?? 0} customers (PostgreSQL).
Export them (also while the demo runs):  npm run cadence -- export customers --shop ${options.shop}

Press Ctrl+C to stop. Data stays in ${
    settings.databaseUrl ? "PostgreSQL" : settings.dataDir
  }; restart with npm run demo.`);
}
