import { formatDateTime } from '../format/datetime.js'
import { useAuthStore } from '../stores/auth.js'

/** Retourne formatDateTime lié au fuseau d'affichage de l'utilisateur (UTC par défaut). */
export function useDateTime() {
  const auth = useAuthStore()
  return (value) => formatDateTime(value, auth.user?.display_timezone || 'UTC')
}
