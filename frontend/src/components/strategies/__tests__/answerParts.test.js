import { describe, expect, it } from 'vitest'
import { answerParts, lastCodeBlock } from '../answerParts.js'

const ANSWER = 'Voici la stratégie.\n\n```python\nclass A(Strategy):\n    pass\n```\n\nTestez-la.'

describe('answerParts', () => {
  it('splits text and code blocks in order', () => {
    expect(answerParts(ANSWER)).toEqual([
      { type: 'text', text: 'Voici la stratégie.\n', complete: true },
      { type: 'code', text: 'class A(Strategy):\n    pass', complete: true },
      { type: 'text', text: '\nTestez-la.', complete: true },
    ])
  })

  it('shows a code block still arriving as incomplete', () => {
    const parts = answerParts('Voici :\n```python\nclass A(Str')
    expect(parts.at(-1)).toEqual({ type: 'code', text: 'class A(Str', complete: false })
  })
})

describe('lastCodeBlock', () => {
  it('returns the last complete block with one final newline', () => {
    const answer = '```python\nancien = 1\n```\npuis\n```python\nclass B(Strategy):\n    pass\n\n```'
    expect(lastCodeBlock(answer)).toBe('class B(Strategy):\n    pass\n')
  })

  it('returns nothing while the only block is not closed', () => {
    expect(lastCodeBlock('```python\nclass A(Strategy):')).toBe('')
    expect(lastCodeBlock('Pas de code ici.')).toBe('')
  })
})
