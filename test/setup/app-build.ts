import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    appBuildDir: string;
  }
}

let dir: string | undefined;

/**
 * A directory for this run's production build; the first test that needs it
 * builds it (test/support/app-build.ts). Inside the project (.cache/), so the
 * server bundle resolves the project's node_modules.
 */
export function setup(project: TestProject) {
  const root = join(import.meta.dirname, "../../.cache");
  mkdirSync(root, { recursive: true });
  dir = mkdtempSync(join(root, "test-build-"));
  project.provide("appBuildDir", dir);
}

export function teardown() {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
