// Vite builds the portal into dist/, which the server serves from its own origin
// (packages/server/src/api/portal-routes.ts). Hashed file names under assets/ are what lets
// the server cache them for a year.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: true,
    target: 'es2022',
    // The first page loads React and Fluent UI's core; pages come in chunks of their own. The one
    // chunk above this is the Kusto language service (about 8 MB, Microsoft's Kusto.Language
    // compiled to JavaScript), loaded by the Logs page's editor into a worker of its own.
    chunkSizeWarningLimit: 9000,
    rolldownOptions: {
      onwarn(warning, warn) {
        // Known, from @kusto/language-service inside that worker: its Bridge.NET runtime probes for
        // Node's `fs` (absent in a browser, which it handles), and its bundled Newtonsoft.Json holds a
        // direct eval (a warning about minifying around it; Microsoft ships it so). Any other warning is shown.
        const text = `${warning.code ?? ''} ${warning.message}`;
        if (/@kusto[\\/]language-service/.test(text) && (/EVAL/.test(text) || /"fs"/.test(text))) return;
        warn(warning);
      },
      output: {
        // React changes less often than the portal: its own chunk stays cached across releases.
        codeSplitting: {
          groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ }],
        },
      },
    },
  },
});
