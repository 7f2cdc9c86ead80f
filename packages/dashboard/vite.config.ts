import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// `npm run dev -w @logsage/dashboard`: a dev server on :5173 whose API calls go to a running LogSage.
const target = process.env.LOGSAGE_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist',
    // The api role serves these files; hashed names get immutable caching, index.html never caches.
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          // ECharts stays in the overview's lazy chunk: a named chunk was preloaded by every page.
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender') || id.includes('vue-echarts')) return undefined;
          if (id.includes('node_modules/element-plus') || id.includes('@element-plus')) return 'element';
          if (id.includes('node_modules/')) return 'vendor';
          return undefined;
        },
      },
    },
  },
  server: { proxy: { '/api': { target, changeOrigin: false }, '/healthz': target, '/readyz': target } },
});
