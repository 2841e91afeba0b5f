import { formatDateTime } from '../format/datetime.js'
import { useAuthStore } from '../stores/auth.js'

/** Returns formatDateTime bound to the current user's display time zone (UTC by default). */
export function useDateTime() {
  const auth = useAuthStore()
  return (value) => formatDateTime(value, auth.user?.display_timezone || 'UTC')
}
