// Async set-up that some extractors need before analysis (loading WebAssembly grammars). Analysis itself
// is synchronous; front ends await initKubeconn() once (ESLint's plugin module does it with top-level await).
const initializers: (() => Promise<void>)[] = [];

export function registerInitializer(init: () => Promise<void>): void {
  initializers.push(init);
  ready = undefined;
}

let ready: Promise<void> | undefined;

export function initKubeconn(): Promise<void> {
  ready ??= Promise.all(initializers.map((init) => init())).then(() => undefined);
  return ready;
}
