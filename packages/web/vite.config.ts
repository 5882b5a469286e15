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
    // The first page loads React and Fluent UI's core; pages come in chunks of their own.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // React changes less often than the portal: its own chunk stays cached across releases.
        codeSplitting: {
          groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ }],
        },
      },
    },
  },
});
