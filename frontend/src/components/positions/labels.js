// Libellés des positions affichées ; quantités, prix et P&L viennent du serveur (Decimal, exécutions réelles).

export const STATUS_LABELS = {
  opening: 'ouverture en cours',
  open: 'ouverte',
  closing: 'clôture en cours',
  closed: 'clôturée',
  failed: 'échec',
}

export const quoteOf = (position) => position.symbol.split('/')[1] ?? ''
export const baseOf = (position) => position.symbol.split('/')[0] ?? ''
