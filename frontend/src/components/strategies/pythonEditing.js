// Édition Python : unité d'indentation de 4 espaces, Tab / Maj-Tab indentent / désindentent de 4,
// Entrée indente après « : » et désindente après return, pass, raise, break, continue.
import { indentLess, indentMore, insertNewlineAndIndent } from '@codemirror/commands'
import { getIndentUnit, indentUnit } from '@codemirror/language'
import { Prec } from '@codemirror/state'
import { keymap } from '@codemirror/view'

const BLOCK_END = /^\s*(return|pass|raise|break|continue)\b/

function leadingSpaces(text) {
  return text.length - text.trimStart().length
}

/** Entrée : nouvelle ligne indentée ; après une instruction qui termine un bloc, un niveau de moins. */
export function pythonNewline(view) {
  const { state } = view
  const before = state.doc.lineAt(state.selection.main.head)
  const ended = BLOCK_END.test(before.text.slice(0, state.selection.main.head - before.from))
  insertNewlineAndIndent(view)
  if (!ended || !state.selection.ranges.every((range) => range.empty)) return true
  const line = view.state.doc.lineAt(view.state.selection.main.head)
  const current = leadingSpaces(line.text)
  const wanted = Math.max(0, leadingSpaces(before.text) - getIndentUnit(view.state))
  if (current > wanted) view.dispatch({ changes: { from: line.from + wanted, to: line.from + current }, userEvent: 'input' })
  return true
}

export const pythonEditing = [
  indentUnit.of('    '),
  Prec.high(keymap.of([
    { key: 'Enter', run: pythonNewline },
    { key: 'Tab', run: indentMore, shift: indentLess },
  ])),
]
