// The esbuild plugin for the engine's WebAssembly kernels, shared by scripts/build.mjs and the
// dev scripts that bundle the engine (test/e2e/inspector-dev.mjs).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * WebAssembly kernels: a source imports './wasm/NAME.wasm'; the text comes from the generator
 * NAME.wat.mjs beside it (its export `NAMEWat()` returns the text), compiled here with wabt and
 * inlined into the bundle as a Uint8Array (esbuild's binary loader).
 */
let wabtReady;
export const wasmFromWat = {
  name: 'wasm-from-wat',
  setup(build) {
    build.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: join(args.resolveDir, args.path.replace(/\.wasm$/, '.wat.mjs')), namespace: 'wat' }));
    build.onLoad({ filter: /.*/, namespace: 'wat' }, async (args) => {
      const generator = await import(pathToFileURL(args.path).href);
      const name = args.path.split(/[\\/]/).pop().replace(/\.wat\.mjs$/, '');
      const text = generator[`${name}Wat`]();
      wabtReady ??= import('wabt').then((m) => m.default());
      const wabt = await wabtReady;
      const module = wabt.parseWat(`${name}.wat`, text, { simd: true });
      try {
        module.validate();
        return { contents: module.toBinary({}).buffer, loader: 'binary', watchFiles: [args.path] };
      } finally {
        module.destroy();
      }
    });
  },
};

