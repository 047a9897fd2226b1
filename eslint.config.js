import tseslint from "typescript-eslint";
import { roomsRule } from "./eslint-rooms.js";

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", "data/**", "extensions/**/assets/**", "test-results/**", ".cache/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["warn", "error", "info"] }],
      // Types come in an import of their own (`import type { … }`): a value import then lists only what runs, and
      // stays short enough to fit a line.
      "no-restricted-syntax": [
        "error",
        { selector: "ImportSpecifier[importKind='type']", message: "Import types in their own `import type { … }`." },
      ],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}", "server/**/*.{ts,mts,mjs}", "scripts/**/*.{ts,mts,mjs}"],
    plugins: { cadence: { rules: { rooms: roomsRule } } },
    rules: { "cadence/rooms": "error" },
  },
  {
    files: ["server/**", "scripts/**", "bench/**", "test/**"],
    rules: { "no-console": "off" },
  },
);
