// Relecture déclenchée par des messages : une seule à la fois ; demandée pendant qu'elle court, elle est refaite
// une fois à la fin (une rafale de messages ne fait pas une rafale de requêtes).
export function coalesce(reread) {
  let running = null
  let again = false
  async function loop() {
    try {
      do {
        again = false
        await reread()
      } while (again)
    } finally {
      running = null
    }
  }
  return () => {
    if (running) {
      again = true
      return running
    }
    running = loop()
    return running
  }
}
