import path from "node:path";

// The rooms of the code (docs/architecture.md): folders of app/ (and app's top-level modules), the server, the
// scripts. A room may import from rooms on lower floors only, so no two rooms can import each other. Written here
// rather than taken from eslint-plugin-import's no-restricted-paths, which needs a TypeScript resolver (a native
// install-time download) to follow the `~/` alias; this rule resolves the two forms the code uses, `~/x` and `./x`.

/** Lowest floor first. A room not listed (a new folder) must be added before its files pass. */
export const FLOORS = [
  [
    "app/client-address",
    "app/csv",
    "app/database",
    "app/dev-shell",
    "app/logging",
    "app/money",
    "app/request-body",
    "app/root",
    "app/shop-overview",
  ],
  ["app/profiles", "app/retention", "app/sessions", "app/shopify-admin"],
  ["app/config", "app/segments"],
  ["app/db", "app/storefront-contract"],
  ["app/queue", "app/recompute", "server"],
  ["app/exports", "app/privacy"],
  ["app/ingest", "app/offers"],
  ["app/publish", "app/shopify", "app/webhooks"],
  ["app/admin-data", "app/flow-action", "app/storefront-proxy", "scripts"],
  ["app/admin-request", "app/admin-ui", "app/customer-account", "app/jobs", "app/storefront-preview"],
  ["app/offers-admin"],
  ["app/entry", "app/routes"],
];

const floorOf = new Map(FLOORS.flatMap((rooms, floor) => rooms.map((room) => [room, floor])));

/** The room of a path relative to the repository: app/<folder>, app/<module> for app's own files, or the top folder. */
export function roomOf(relative) {
  const parts = relative.split("/");
  if (parts[0] !== "app") return parts[0];
  if (parts.length > 2) return `app/${parts[1]}`;
  return `app/${parts[1].replace(/\.(tsx?|mts|mjs|js)$/, "").replace(/\.server$/, "")}`;
}

export const roomsRule = {
  meta: {
    type: "problem",
    docs: { description: "A room imports only from rooms on lower floors (eslint-rooms.js FLOORS)" },
    schema: [],
    messages: {
      upward:
        "{{from}} (floor {{fromFloor}}) may not import {{to}} (floor {{toFloor}}): rooms import only from lower floors.",
      unlisted: "{{room}} is not a room of FLOORS in eslint-rooms.js: give it a floor.",
    },
  },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join("/");
    const from = roomOf(file);
    const fromFloor = floorOf.get(from);
    const check = (node, specifier) => {
      if (typeof specifier !== "string") return;
      let target;
      if (specifier.startsWith("~/")) target = `app/${specifier.slice(2)}`;
      else if (specifier.startsWith("."))
        target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      else return;
      const to = roomOf(target);
      if (to === from) return;
      if (fromFloor === undefined) return context.report({ node, messageId: "unlisted", data: { room: from } });
      const toFloor = floorOf.get(to);
      if (toFloor === undefined) return context.report({ node, messageId: "unlisted", data: { room: to } });
      if (toFloor >= fromFloor) context.report({ node, messageId: "upward", data: { from, to, fromFloor, toFloor } });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === "Literal" && check(node.source, node.source.value),
    };
  },
};
