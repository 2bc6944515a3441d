import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The node serves dist/ at its API's origin, so every URL in the build is relative to '/'.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  // `AIC_NODE_API=http://127.0.0.1:<port> npm run dev -w @aic/web`: a running node's API behind /v1.
  server: {
    proxy:
      process.env.AIC_NODE_API === undefined ? {} : { '/v1': { target: process.env.AIC_NODE_API, changeOrigin: true } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Hashed names (dist/assets/*-<hash>.js) are served immutable; index.html is not cached.
    assetsDir: 'assets',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 600,
  },
});
