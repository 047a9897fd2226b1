import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";

// Comments and docs send readers to other files; a pointer to a file that moved or never existed is worse than none.

const ROOTS = [
  "app",
  "server",
  "scripts",
  "prisma",
  "bench",
  "docs",
  "extensions",
  "test",
  "README.md",
  "shopify.app.toml",
];
const TEXT = /\.(ts|tsx|mts|mjs|js|sql|prisma|md|toml|liquid)$/;

function* files(entry: string): Generator<string> {
  if (statSync(entry).isFile()) {
    if (TEXT.test(entry)) yield entry;
    return;
  }
  for (const name of readdirSync(entry)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    yield* files(path.join(entry, name));
  }
}

test("every docs/… path named in the code, the schema and the docs exists", () => {
  const missing: string[] = [];
  for (const file of ROOTS.flatMap((root) => [...files(root)])) {
    for (const match of readFileSync(file, "utf8").matchAll(/\bdocs\/[\w/.-]+?\.md\b/g)) {
      if (!existsSync(match[0])) missing.push(`${file}: ${match[0]}`);
    }
  }
  expect(missing).toEqual([]);
});

test("every relative link between the docs resolves", () => {
  const missing: string[] = [];
  for (const file of [...files("docs"), "README.md"].filter((name) => name.endsWith(".md"))) {
    for (const match of readFileSync(file, "utf8").matchAll(/\]\((?!https?:|#|mailto:)([^)#\s]+)/g)) {
      const target = path.join(path.dirname(file), match[1]!);
      // Links out of the repository (../shared/, the workplace's design notes) are not the checkout's to keep.
      if (target.startsWith("..")) continue;
      if (!existsSync(target)) missing.push(`${file}: ${match[1]}`);
    }
  }
  expect(missing).toEqual([]);
});

test("every repository file named in the code, the tests and the docs exists", () => {
  const missing: string[] = [];
  const named =
    /(?<![\w/.~-])((?:app|server|scripts|bench|prisma|test|extensions)\/[\w/.$-]*[\w$]\.(?:tsx?|mts|mjs|sql|prisma|liquid))\b/g;
  // docs/security.md names tests relative to test/.
  const testNamed = /(?<![\w/.~-])((?:unit|integration|e2e)\/[\w/.-]+\.test\.tsx?)\b/g;
  // The rooms rule's test lints made-up files: its paths are inputs, not pointers.
  const pointing = ROOTS.flatMap((root) => [...files(root)]).filter((file) => !file.endsWith("eslint-rooms.test.ts"));
  for (const file of pointing) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(named)) if (!existsSync(match[1]!)) missing.push(`${file}: ${match[1]}`);
    for (const match of text.matchAll(testNamed))
      if (!existsSync(path.join("test", match[1]!))) missing.push(`${file}: test/${match[1]}`);
  }
  expect(missing).toEqual([]);
});
