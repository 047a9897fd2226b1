import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import path from "node:path";
import { benchServer } from "./postgres";
import type { BenchServer } from "./postgres";
import { BENCH_SHOP, loadBenchShop } from "./segment-data";

// App-proxy latency on PostgreSQL: the production server (server/serve.ts, its own process) answers signed
// /proxy requests, as Shopify forwards them from storefronts, at a fixed arrival rate (open loop: a slow answer
// does not slow the next request down). Three quarters are exposure/click beacons (an insert each), one quarter
// the JSON offer endpoint (offers + the customer's profile + the loyalty program, computed live). The sender
// shares the machine's two cores with the server and PostgreSQL, so it does as little as it can while the clock
// runs: every URL is signed beforehand, and requests go through node:http with keep-alive (fetch costs about 0.4 ms
// more CPU per request).

const ROOT = path.resolve(import.meta.dirname, "..");
const DATABASE = "cadence_bench_storefront";
const SECRET = "cadence-bench-secret";
const CUSTOMERS = 2000;

export interface PreviewLayoutShift {
  /** Cumulative layout shift of the preview page per shopper (target 0). */
  guest: number;
  customer: number;
}

export interface ProxyLatency {
  ratePerSecond: number;
  seconds: number;
  requests: number;
  failures: number;
  achievedPerSecond: number;
  /** The server's CPU time per request (its process tree; PostgreSQL's own work not included). */
  serverCpuMsPerRequest: number;
  beacon: { p50Ms: number; p99Ms: number };
  offer: { p50Ms: number; p99Ms: number };
  all: { p50Ms: number; p99Ms: number };
  layoutShift: PreviewLayoutShift;
}

/** Each customer's offer and arm, as the publisher decides and the storefront's beacons then report them. */
type Decisions = Map<string, { offer: string; arm: string }>;

async function prepareDatabase(databaseUrl: string): Promise<Decisions> {
  // Development: the server below also serves the storefront preview (the local dev shell) for the layout shift.
  Object.assign(process.env, {
    NODE_ENV: "development",
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_SECRET: SECRET,
    CADENCE_LOG_LEVEL: "warn",
  });
  const { database, closeDatabase, migrateDatabase } = await import("../app/db.server");
  const { runFullPass } = await import("../app/recompute/full-pass.server");
  const { createOffer } = await import("../app/offers/store.server");
  await migrateDatabase();
  await loadBenchShop(database().sql, CUSTOMERS);
  await runFullPass(database(), BENCH_SHOP.id);
  const prisma = database().prisma;
  await prisma.session.create({
    data: {
      id: `offline_${BENCH_SHOP.domain}`,
      shop: BENCH_SHOP.domain,
      state: "bench",
      isOnline: false,
      accessToken: "bench",
    },
  });
  const content = { headline: "An offer", ctaLabel: "Shop", ctaUrl: "/collections/all" };
  await createOffer(prisma, BENCH_SHOP.id, {
    id: "everyone",
    name: "Everyone",
    audience: { kind: "everyone" },
    content,
    status: "active",
  });
  await createOffer(prisma, BENCH_SHOP.id, {
    id: "at-risk",
    name: "At risk",
    audience: { kind: "segment", segmentKey: "at_risk" },
    content,
    status: "active",
    priority: 5,
  });
  // The server stores a beacon only for the offer and arm it decides for the shopper (app/offers/beacon.ts), so the
  // benchmark's beacons say what each storefront would have been shown.
  const { loadCustomerFacts } = await import("../app/publish/audience.server");
  const { activeOffers } = await import("../app/offers/store.server");
  const { customerMetafieldValues } = await import("../app/offers/personalise");
  const offers = await activeOffers(prisma, BENCH_SHOP.id);
  const decisions: Decisions = new Map();
  for (const facts of await loadCustomerFacts(prisma, {
    id: BENCH_SHOP.id,
    domain: BENCH_SHOP.domain,
    currencyCode: "GBP",
  })) {
    const { decision } = customerMetafieldValues(facts, offers, new Date());
    if (decision) decisions.set(facts.shopper.customerId, { offer: decision.offer.id, arm: decision.arm });
  }
  await closeDatabase();
  return decisions;
}

/** CPU time (user + system) of a process and all its descendants (the server under tsx, its job worker), in ms. */
function treeCpuMs(rootPid: number): number {
  const stats = new Map<number, { parent: number; ticks: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(entry), { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // a process that ended while being read
    }
  }
  const inTree = (pid: number): boolean =>
    pid === rootPid || (pid > 1 && stats.has(pid) && inTree(stats.get(pid)!.parent));
  let ticks = 0;
  for (const [pid, stat] of stats) if (inTree(pid)) ticks += stat.ticks;
  return ticks * 10; // Linux's USER_HZ is 100
}

async function startServer(port: number, databaseUrl: string): Promise<{ pid: number; stop(): Promise<void> }> {
  const child = spawn(
    path.join(ROOT, "node_modules", ".bin", "tsx"),
    [process.env.CADENCE_BENCH_SERVE ?? "server/serve.ts"],
    {
      cwd: ROOT,
      // The dev shell is on so the same server serves the storefront preview for the layout-shift measurement.
      env: {
        ...process.env,
        NODE_ENV: "development",
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: databaseUrl,
        SHOPIFY_API_SECRET: SECRET,
        CADENCE_LOG_LEVEL: "warn",
        CADENCE_DEV_SHELL: "1",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("Cadence listening")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50Ms: Number(percentile(sorted, 50).toFixed(2)), p99Ms: Number(percentile(sorted, 99).toFixed(2)) };
};

export async function measureProxyLatency(
  options: { ratePerSecond?: number; seconds?: number; port?: number } = {},
): Promise<ProxyLatency> {
  const rate = options.ratePerSecond ?? 200;
  const seconds = options.seconds ?? 15;
  const port = options.port ?? 4390;
  const postgres: BenchServer = await benchServer();
  const databaseUrl = await postgres.freshDatabase(DATABASE);
  const decisions = await prepareDatabase(databaseUrl);
  const { proxyParams, signProxyQuery } = await import("../app/storefront-proxy/sign");
  const server = await startServer(port, databaseUrl);
  try {
    const latencies = { beacon: [] as number[], offer: [] as number[] };
    let failures = 0;
    const agent = new Agent({ keepAlive: true });
    const signed = (index: number) => {
      const customer = String(7000000000001 + (index % CUSTOMERS));
      const beacon = index % 4 !== 3;
      const pairs: Array<[string, string]> = [...proxyParams(BENCH_SHOP.domain, customer)];
      const shown = decisions.get(customer) ?? { offer: "everyone", arm: "treatment" };
      if (beacon)
        pairs.push(
          ["type", index % 8 === 0 ? "click" : "exposure"],
          ["offer", shown.offer],
          ["arm", shown.arm],
          ["surface", "block"],
        );
      return { beacon, path: `/proxy/${beacon ? "events" : "offer"}?${signProxyQuery(pairs, SECRET)}` };
    };
    const send = ({ beacon, path: requestPath }: ReturnType<typeof signed>) =>
      new Promise<void>((resolve) => {
        const started = performance.now();
        const request = httpRequest(
          { host: "127.0.0.1", port, path: requestPath, method: beacon ? "POST" : "GET", agent },
          (response) => {
            response.resume();
            response.once("end", () => {
              if (response.statusCode !== (beacon ? 204 : 200)) failures += 1;
              (beacon ? latencies.beacon : latencies.offer).push(performance.now() - started);
              resolve();
            });
          },
        );
        request.once("error", () => {
          failures += 1;
          resolve();
        });
        request.end();
      });
    // Warm-up (JIT, connection pool, prepared plans), not measured.
    await Promise.all(Array.from({ length: 200 }, (_, index) => send(signed(CUSTOMERS * 10 + index))));
    latencies.beacon.length = 0;
    latencies.offer.length = 0;
    failures = 0;
    const total = rate * seconds;
    // Signed now: well inside the 90 s a signature stays valid for (app/storefront-proxy).
    const requests = Array.from({ length: total }, (_, index) => signed(index));
    const cpuBefore = treeCpuMs(server.pid);
    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    for (const [index, request] of requests.entries()) {
      const due = started + (index * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(send(request));
    }
    await Promise.all(inFlight);
    agent.destroy();
    const elapsed = (performance.now() - started) / 1000;
    const serverCpuMsPerRequest = Number(((treeCpuMs(server.pid) - cpuBefore) / total).toFixed(2));
    const layoutShift = await measureLayoutShift(`http://127.0.0.1:${port}/dev/storefront?shop=${BENCH_SHOP.domain}`);
    return {
      layoutShift,
      ratePerSecond: rate,
      seconds,
      requests: total,
      failures,
      achievedPerSecond: Number((total / elapsed).toFixed(1)),
      serverCpuMsPerRequest,
      beacon: summary(latencies.beacon),
      offer: summary(latencies.offer),
      all: summary([...latencies.beacon, ...latencies.offer]),
    };
  } finally {
    await server.stop();
    await postgres.dropDatabase(DATABASE);
    await postgres.release();
  }
}

// Cumulative layout shift of the storefront preview (the real block and script) in Chromium: every layout-shift
// entry without recent input, from navigation until the beacons have fired and the page has settled.
async function measureLayoutShift(previewUrl: string): Promise<PreviewLayoutShift> {
  const { launchBrowser, newPage } = await import("../test/support/browser");
  const browser = await launchBrowser();
  try {
    const cls = async (url: string) => {
      const page = await newPage(browser);
      await page.addInitScript(() => {
        const win = window as unknown as { cadenceCls: number };
        win.cadenceCls = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>)
            if (!entry.hadRecentInput) win.cadenceCls += entry.value;
        }).observe({ type: "layout-shift", buffered: true });
      });
      await page.goto(url, { waitUntil: "load" });
      await page.waitForTimeout(1500);
      const value = await page.evaluate(() => (window as unknown as { cadenceCls: number }).cadenceCls);
      await page.close();
      return Number(value.toFixed(4));
    };
    const guest = await cls(previewUrl);
    const page = await newPage(browser);
    await page.goto(previewUrl);
    const customer = await page.locator("#preview-shopper option").nth(1).getAttribute("value");
    await page.close();
    return { guest, customer: customer ? await cls(`${previewUrl}&customer=${customer}`) : Number.NaN };
  } finally {
    await browser.close();
  }
}
