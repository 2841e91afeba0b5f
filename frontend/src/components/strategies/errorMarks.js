// Erreurs du dernier « Tester » dans l'éditeur : ligne surlignée, pastille dans la marge, message sous la ligne.
import { RangeSet, StateEffect, StateField } from '@codemirror/state'
import { Decoration, EditorView, GutterMarker, WidgetType, gutter } from '@codemirror/view'
import { describeError } from './labels.js'

/** Effet portant la nouvelle liste d'erreurs [{line, column, message}] (remplace les marques précédentes). */
export const setErrors = StateEffect.define()

class MessageWidget extends WidgetType {
  constructor(text) {
    super()
    this.text = text
  }

  eq(other) {
    return other.text === this.text
  }

  toDOM() {
    const element = document.createElement('div')
    element.className = 'cm-error-message'
    element.dataset.testid = 'editor-error-message'
    element.textContent = this.text
    return element
  }
}

class ErrorMarker extends GutterMarker {
  toDOM() {
    const element = document.createElement('span')
    element.textContent = '●'
    return element
  }
}
const marker = new ErrorMarker()

function build(doc, errors) {
  const ranges = []
  for (const error of errors) {
    if (!error.line || error.line > doc.lines) continue
    const line = doc.line(error.line)
    const text = describeError(error)
    ranges.push(Decoration.line({ class: 'cm-error-line', attributes: { title: text } }).range(line.from))
    ranges.push(Decoration.widget({ widget: new MessageWidget(text), block: true, side: 1 }).range(line.to))
  }
  return Decoration.set(ranges, true)
}

const errorField = StateField.define({
  create: () => Decoration.none,
  update(marks, transaction) {
    let next = marks.map(transaction.changes)
    for (const effect of transaction.effects) {
      if (effect.is(setErrors)) next = build(transaction.state.doc, effect.value)
    }
    return next
  },
  provide: (field) => EditorView.decorations.from(field),
})

const errorGutter = gutter({
  class: 'cm-error-gutter',
  markers(view) {
    const lines = []
    view.state.field(errorField).between(0, view.state.doc.length, (from, _to, decoration) => {
      if (!decoration.spec.widget) lines.push(marker.range(from))
    })
    return RangeSet.of(lines, true)
  },
})

/** L'extension : l'ajouter à l'éditeur, puis dispatch {effects: setErrors.of(errors)}. */
export const errorMarks = () => [errorField, errorGutter]
