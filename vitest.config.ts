import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));
const SOURCE_DIRS = ["shogi", "nn", "usi", "engine", "distill", "finetune", "arena", "reports", "experiment", "cli", "bench"];

// Tests import the TypeScript sources, but run the compiled files in dist/ as plain Node modules:
// Vite's module transform turns every imported binding into a getter call, which makes hot loops
// such as move generation about ten times slower. The global setup compiles before any test runs.
function useCompiledSources(): Plugin {
  return {
    name: "use-compiled-sources",
    enforce: "pre",
    resolveId(source, importer) {
      if (!importer || !source.startsWith(".") || !source.endsWith(".js")) return null;
      const relative = path.relative(root, path.resolve(path.dirname(importer), source));
      if (!SOURCE_DIRS.some((dir) => relative.startsWith(`${dir}${path.sep}`))) return null;
      return path.join(root, "dist", relative);
    },
  };
}

export default defineConfig({
  plugins: [useCompiledSources()],
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/helpers/build.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    server: { deps: { external: [/\/dist\//] } },
  },
});
