// Découpe la réponse de l'assistant (markdown) en texte et blocs de code, même pendant qu'elle arrive.

const FENCE = /^```([\w+-]*)\s*$/

/**
 * Découpe une réponse en [{type: 'text' | 'code', text, complete}], dans l'ordre ; un bloc de code dont la
 * clôture n'est pas encore arrivée a complete = false.
 */
export function answerParts(answer) {
  const parts = []
  let current = { type: 'text', lines: [], complete: true }
  const flush = () => {
    const text = current.lines.join('\n')
    if (current.type === 'code' || text.trim()) parts.push({ type: current.type, text, complete: current.complete })
  }
  for (const line of answer.split('\n')) {
    const fence = line.trim().match(FENCE)
    if (fence && current.type === 'text') {
      flush()
      current = { type: 'code', lines: [], complete: false }
    } else if (fence && current.type === 'code' && !fence[1]) {
      current.complete = true
      flush()
      current = { type: 'text', lines: [], complete: true }
    } else {
      current.lines.push(line)
    }
  }
  flush()
  return parts
}

/** Le code à mettre dans l'éditeur : le dernier bloc complet de la réponse (avec un saut de ligne final), ou ''. */
export function lastCodeBlock(answer) {
  const blocks = answerParts(answer).filter((part) => part.type === 'code' && part.complete && part.text.trim())
  return blocks.length ? `${blocks.at(-1).text.replace(/\s+$/, '')}\n` : ''
}
