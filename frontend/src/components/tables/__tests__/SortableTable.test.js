import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import SortableTable from '../SortableTable.vue'

const columns = [
  { key: 'name', label: 'Nom', kind: 'text', text: (value) => value.toUpperCase() },
  { key: 'at', label: 'Quand', kind: 'time' },
  { key: 'pnl', label: 'Gain', kind: 'money' },
]
const rows = [
  { id: 1, name: 'élan', at: '2026-01-02T00:00:00Z', pnl: '10' },
  { id: 2, name: 'bravo', at: '2026-01-01T00:00:00Z', pnl: null },
  { id: 3, name: 'alpha', at: '2026-01-03T00:00:00Z', pnl: '10' },
]
const mountTable = (props = {}) => mount(SortableTable, {
  props: { columns, rows, rowKey: (row) => row.id, testPrefix: 't', ...props },
  slots: {
    row: '<template #row="{ row }"><tr data-testid="row">{{ row.id }}</tr></template>',
    empty: '<tr data-testid="empty"><td>rien</td></tr>',
  },
})
const order = (wrapper) => wrapper.findAll('[data-testid=row]').map((tr) => Number(tr.text()))

describe('SortableTable', () => {
  it('keeps the order received, then sorts by the clicked column, ascending then descending', async () => {
    const wrapper = mountTable()
    expect(order(wrapper)).toEqual([1, 2, 3])

    await wrapper.get('[data-testid=t-sort-name]').trigger('click')
    expect(order(wrapper)).toEqual([3, 2, 1]) // « é » entre « b » et « z » en français
    expect(wrapper.get('[data-testid=t-sort-name]').text()).toBe('Nom ▲')
    await wrapper.get('[data-testid=t-sort-name]').trigger('click')
    expect(order(wrapper)).toEqual([1, 2, 3])
    expect(wrapper.get('[data-testid=t-sort-name]').text()).toBe('Nom ▼')

    await wrapper.get('[data-testid=t-sort-at]').trigger('click')
    expect(order(wrapper)).toEqual([2, 1, 3])
    await wrapper.get('[data-testid=t-sort-pnl]').trigger('click')
    expect(order(wrapper)).toEqual([2, 1, 3]) // sans valeur d'abord ; à égalité, l'ordre reçu
    expect(wrapper.get('th:nth-child(3)').classes()).toContain('num')
  })

  it('starts sorted on initialSort and shows the empty slot without rows', () => {
    expect(order(mountTable({ initialSort: 'at' }))).toEqual([2, 1, 3])
    expect(mountTable({ rows: [] }).find('[data-testid=empty]').exists()).toBe(true)
  })
})
