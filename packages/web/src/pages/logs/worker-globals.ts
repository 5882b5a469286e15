// Runs before the Kusto language service in its worker. The service is Bridge.NET output, which
// finds its global object as `global` when it sees CommonJS's `module` (how the bundler wraps
// it): a worker has only `self`/`globalThis`, so `global` is made to name it.
(globalThis as { global?: unknown }).global = globalThis;
export {};
