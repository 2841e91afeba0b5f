import { deleteCharBackward, indentLess, indentMore, undo } from '@codemirror/commands'
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import CodeEditor from '../CodeEditor.vue'
import { pythonNewline } from '../pythonEditing.js'
import './jsdomRange.js'

const CODE = 'from aristobot.strategies import Strategy\n\nclass A(Strategy):\n    def should_long(self)\n        return False\n'

let wrapper

function mountEditor(props = {}) {
  wrapper = mount(CodeEditor, {
    props: { 'modelValue': CODE, 'onUpdate:modelValue': (value) => wrapper.setProps({ modelValue: value }), ...props },
    attachTo: document.body,
  })
  return wrapper
}

const editorLines = () => [...wrapper.element.querySelectorAll('.cm-line')]

afterEach(() => wrapper?.unmount())

describe('CodeEditor', () => {
  it('marks the lines of the test errors, with their message under the line', async () => {
    mountEditor({ errors: [{ line: 4, column: 26, message: "':' attendu" }] })
    await nextTick()

    const marked = wrapper.element.querySelectorAll('.cm-error-line')
    expect(marked).toHaveLength(1)
    expect(marked[0].textContent).toBe('    def should_long(self)')
    expect(wrapper.get('[data-testid=editor-error-message]').text()).toBe("Ligne 4, colonne 26 : ':' attendu")
    expect(wrapper.element.querySelector('.cm-error-gutter').textContent).toContain('●')
  })

  it('clears the marks when the next test has no error', async () => {
    mountEditor({ errors: [{ line: 4, column: 1, message: 'x' }] })
    await wrapper.setProps({ errors: [] })
    expect(wrapper.element.querySelectorAll('.cm-error-line')).toHaveLength(0)
  })

  it('emits the code as it is typed', async () => {
    mountEditor()
    const view = wrapper.vm.view()
    view.dispatch({ changes: { from: view.state.doc.length, insert: '# fin\n' } })
    expect(wrapper.emitted('update:modelValue').at(-1)).toEqual([`${CODE}# fin\n`])
  })

  it('replaces the whole code in one step that undo reverts', async () => {
    mountEditor()
    wrapper.vm.replaceAll('class B(Strategy):\n    pass\n')
    const view = wrapper.vm.view()
    expect(view.state.doc.toString()).toBe('class B(Strategy):\n    pass\n')
    await nextTick()
    expect(wrapper.props('modelValue')).toBe('class B(Strategy):\n    pass\n')

    undo(view)
    expect(view.state.doc.toString()).toBe(CODE)
  })

  it('starts a fresh history when another strategy is loaded', async () => {
    mountEditor()
    await wrapper.setProps({ modelValue: 'autre = 1\n' })
    const view = wrapper.vm.view()
    expect(view.state.doc.toString()).toBe('autre = 1\n')
    undo(view)
    expect(view.state.doc.toString()).toBe('autre = 1\n')
    expect(editorLines()[0].textContent).toBe('autre = 1')
  })
})

describe('Python editing', () => {
  const TEMPLATE = 'class A(Strategy):\n    def should_long(self) -> bool:'

  function editorAt(doc) {
    mountEditor({ modelValue: doc })
    const view = wrapper.vm.view()
    view.dispatch({ selection: { anchor: view.state.doc.length } })
    return view
  }

  const lastLine = (view) => view.state.doc.line(view.state.doc.lines).text

  it('indents by 4 after a colon and dedents after return or pass', () => {
    const view = editorAt(TEMPLATE)
    pythonNewline(view)
    expect(lastLine(view)).toBe('        ')
    view.dispatch(view.state.replaceSelection('return False'))
    pythonNewline(view)
    expect(lastLine(view)).toBe('    ')
    view.dispatch(view.state.replaceSelection('def go(self):'))
    pythonNewline(view)
    view.dispatch(view.state.replaceSelection('pass'))
    pythonNewline(view)
    expect(lastLine(view)).toBe('    ')
  })

  it('keeps the indentation of an ordinary statement', () => {
    const view = editorAt(`${TEMPLATE}\n        x = 1`)
    pythonNewline(view)
    expect(lastLine(view)).toBe('        ')
  })

  it('Tab and Shift-Tab move a line by 4 spaces, Backspace removes one level', () => {
    const view = editorAt('x = 1')
    indentMore(view)
    expect(lastLine(view)).toBe('    x = 1')
    indentLess(view)
    expect(lastLine(view)).toBe('x = 1')
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: '        ' }, selection: { anchor: 8 } })
    deleteCharBackward(view)
    expect(lastLine(view)).toBe('    ')
  })
})
