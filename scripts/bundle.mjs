// Bundles the Action (dist/index.js), the CLI (dist/cli.js) and the suite harness (dist/harness.js)
// with esbuild: ESM, source maps, everything inlined except the native loader, which stays in
// native/ beside dist/ so it can find the platform's .node file next to itself.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';


rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

/** Keeps `native/index.js` out of the bundle, imported from dist/ by a relative path. */
const nativeExternal = {
  name: 'native-external',
  setup(b) {
    b.onResolve({ filter: /native\/index\.js$/ }, () => ({ path: '../native/index.js', external: true }));
  },
};

await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli.ts', harness: 'src/measure/harness.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [nativeExternal],
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);",
  },
});
