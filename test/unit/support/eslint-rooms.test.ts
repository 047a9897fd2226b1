import { ESLint } from "eslint";
import { expect, test } from "vitest";
import { FLOORS, roomOf } from "../../../eslint-rooms.js";

// `npm run lint` keeps the rooms acyclic: a room imports only from lower floors. Checked through the project's own
// ESLint configuration, on code written as if it were in a given file.

const eslint = new ESLint();
const roomErrors = async (filePath: string, code: string) =>
  (await eslint.lintText(code, { filePath }))[0]!.messages
    .filter((message) => message.ruleId === "cadence/rooms")
    .map((message) => message.message);

test("a lower room importing a higher one is refused; the other way round passes", async () => {
  expect(
    await roomErrors(
      "app/segments/example.ts",
      `import { x } from "~/recompute/full-pass.server";\nexport const y = x;\n`,
    ),
  ).toEqual(["app/segments (floor 2) may not import app/recompute (floor 4): rooms import only from lower floors."]);
  expect(
    await roomErrors("app/recompute/example.ts", `import { x } from "~/segments/classify";\nexport const y = x;\n`),
  ).toEqual([]);
  expect(
    await roomErrors(
      "app/profiles/example.ts",
      `import { x } from "../publish/publisher.server";\nexport const y = x;\n`,
    ),
  ).toHaveLength(1);
  expect(
    await roomErrors(
      "app/routes/example.tsx",
      `import { x } from "./other";\nimport { y } from "~/admin-data/shop.server";\nexport const z = [x, y];\n`,
    ),
  ).toEqual([]);
});

test("two rooms on one floor may not import each other, and a new folder needs a floor", async () => {
  expect(
    await roomErrors("app/publish/example.ts", `import { x } from "~/webhooks.server";\nexport const y = x;\n`),
  ).toHaveLength(1);
  expect(
    await roomErrors("app/brand-new/example.ts", `import { x } from "~/money/decimal";\nexport const y = x;\n`),
  ).toEqual(["app/brand-new is not a room of FLOORS in eslint-rooms.js: give it a floor."]);
});

test("rooms are app's folders and top-level modules, and the top folders", () => {
  expect(roomOf("app/recompute/full-pass.server.ts")).toBe("app/recompute");
  expect(roomOf("app/db.server.ts")).toBe("app/db");
  expect(roomOf("app/db.server")).toBe("app/db");
  expect(roomOf("server/start-server.ts")).toBe("server");
  expect(new Set(FLOORS.flat()).size).toBe(FLOORS.flat().length);
});
