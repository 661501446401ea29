// Rollup resolves npm packages with @rollup/plugin-node-resolve; the .wasm that the package
// fetches (`new URL('…', import.meta.url)`) is emitted by @web/rollup-plugin-import-meta-assets.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { importMetaAssets } from '@web/rollup-plugin-import-meta-assets';

export default {
  input: 'src/main.js',
  output: { dir: 'dist', format: 'es' },
  plugins: [nodeResolve(), importMetaAssets()],
};
