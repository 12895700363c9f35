/**
 * A ref callback that puts the caret in the field when it first appears: the clerk types at once (keyboard first)
 * without the autofocus attribute, which would also steal focus on every re-render of a screen reader's page.
 */
export function focusOnMount(element: HTMLElement | null) {
  if (element && !element.dataset.focused) {
    element.dataset.focused = '1'
    element.focus()
  }
}

/** Yuan as typed (e.g. `200` or `12.5`) to fen, the minor units every amount travels in. */
export const yuan = (text: string) => Math.round(Number(text || '0') * 100)
