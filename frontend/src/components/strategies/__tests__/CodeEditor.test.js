import { undo } from '@codemirror/commands'
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import CodeEditor from '../CodeEditor.vue'
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
