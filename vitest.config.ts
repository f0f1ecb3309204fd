import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/**/*.test.ts", "test/**/*.test.ts", "extensions/*/tests/**/*.test.ts"],
    // The tester ships untranspiled imports of the extension API; vitest must process it.
    server: { deps: { inline: ["@shopify/ui-extensions-tester"] } },
    globalSetup: ["test/setup/postgres.ts", "test/setup/app-build.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
