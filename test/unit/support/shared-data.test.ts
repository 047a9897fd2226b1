import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { locateSharedData } from "../../support/shared-data";

// The tests' real data lives beside the checkout, never inside it; a scratch clone (CI's, or `git clone . /tmp/x`)
// must find the same folder.

const root = mkdtempSync(path.join(tmpdir(), "cadence-shared-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const git = (...args: string[]) => execFileSync("git", args, { stdio: "ignore" });
function sharedDataBeside(folder: string): string {
  const data = path.join(folder, "shared", "data");
  mkdirSync(data, { recursive: true });
  writeFileSync(path.join(data, "README.md"), "data\n");
  return data;
}

const work = path.join(root, "work");
const original = path.join(work, "main");
mkdirSync(original, { recursive: true });
const data = sharedDataBeside(work);
git("init", "-q", original);
git(
  "-C",
  original,
  "-c",
  "user.email=t@example.com",
  "-c",
  "user.name=t",
  "commit",
  "-q",
  "--allow-empty",
  "-m",
  "init",
);
const clone = path.join(root, "elsewhere", "fresh");
git("clone", "-q", original, clone);

test("beside the checkout, as on a developer's machine", () => {
  expect(locateSharedData(original, "")).toBe(data);
});

test("a clone elsewhere of a local checkout finds the data beside that checkout", () => {
  expect(locateSharedData(clone, "")).toBe(data);
});

test("CADENCE_SHARED_DATA wins; with nothing found, the folder beside the checkout is named", () => {
  expect(locateSharedData(clone, "/srv/data")).toBe("/srv/data");
  const lone = path.join(root, "lone", "checkout");
  mkdirSync(lone, { recursive: true });
  expect(locateSharedData(lone, "")).toBe(path.join(root, "lone", "shared", "data"));
});
