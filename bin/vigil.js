#!/usr/bin/env -S node --max-semi-space-size=64
// Runs the TypeScript CLI through tsx, so `npx vigil` and `npm link` work without a build step.
// The V8 flag (a 64 MB young generation) is for `vigil serve`: ingestion allocates many
// short-lived rows, and with V8's default scavenges took a tenth of the server's time. It must
// be on the command line (setting it at run time has no effect), so `npm start` passes it too.
import { register } from 'tsx/esm/api';

register();
await import('../packages/cli/src/main.ts');
