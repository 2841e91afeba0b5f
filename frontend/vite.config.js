import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

const backendUrl = process.env.ARISTOBOT_BACKEND_URL || 'http://127.0.0.1:8000'
const previewPort = process.env.ARISTOBOT_FRONTEND_PORT

// Le navigateur ne voit qu'une origine : l'en-tête Host est conservé (pas de changeOrigin)
// pour que les contrôles CSRF/Origin de Django comparent la même adresse. Pas de `xfwd` : sans en-tête
// X-Forwarded-*, Django reconnaît le poste local (mode dev, pages de debug) derrière ce relais.
function backendProxy() {
  return {
    '/api': { target: backendUrl },
    '/admin': { target: backendUrl },
    '/static': { target: backendUrl },
    '/ws': { target: backendUrl, ws: true },
  }
}

export default defineConfig({
  plugins: [vue()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: backendProxy(),
  },
  preview: {
    host: '127.0.0.1',
    ...(previewPort ? { port: Number(previewPort), strictPort: true } : {}),
    proxy: backendProxy(),
  },
  test: {
    environment: 'jsdom',
  },
})
