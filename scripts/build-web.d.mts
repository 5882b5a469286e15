// Types of build-web.mjs for the TypeScript that imports it (the portal's browser tests).
export function inputsHash(): string;
export function isPortalBuilt(): boolean;
export function ensurePortalBuilt(options?: { force?: boolean; quiet?: boolean }): Promise<boolean>;
