/** `import bytes from './NAME.wasm'`: the module compiled at build time from NAME.wat.mjs (scripts/build.mjs). */
declare module '*.wasm' {
  const bytes: Uint8Array;
  export default bytes;
}

/** The part of the WebAssembly JS API the engine uses (Node has it; ES2022's lib does not declare it). */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBuffer;
    grow(deltaPages: number): number;
  }
}
