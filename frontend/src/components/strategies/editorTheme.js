// Couleurs de l'éditeur tirées des jetons de design (variables CSS) : suivent le thème sombre ou clair.
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language'
import { EditorView } from '@codemirror/view'
import { tags } from '@lezer/highlight'

const base = EditorView.theme({
  '&': { backgroundColor: 'var(--surface-alt)', color: 'var(--text)', fontSize: '13px' },
  '.cm-content': { fontFamily: "'JetBrains Mono', 'Fira Code', monospace", caretColor: 'var(--primary)' },
  '.cm-cursor': { borderLeftColor: 'var(--primary)' },
  '.cm-gutters': { backgroundColor: 'var(--surface)', color: 'var(--text-muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'rgba(127, 127, 127, 0.08)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: 'var(--glow)' },
  '.cm-error-line': { backgroundColor: 'rgba(255, 0, 85, 0.14)' },
  '.cm-error-gutter': { color: 'var(--danger)', width: '14px', textAlign: 'center' },
  '.cm-error-message': {
    color: 'var(--danger)',
    fontFamily: 'Inter, system-ui, sans-serif',
    fontSize: '12px',
    padding: '1px 8px 3px',
    borderLeft: '2px solid var(--danger)',
  },
})

const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword], color: 'var(--primary)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--success)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--code-number)' },
  { tag: tags.comment, color: 'var(--text-muted)', fontStyle: 'italic' },
  { tag: [tags.function(tags.definition(tags.variableName)), tags.definition(tags.className)], fontWeight: '600' },
  { tag: tags.self, color: 'var(--code-accent)' },
])

export const editorTheme = [base, syntaxHighlighting(highlight)]
