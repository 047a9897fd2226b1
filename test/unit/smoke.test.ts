import { expect, test } from "vitest";
test("runtime is Node 22 or newer", () => {
  expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(22);
});
