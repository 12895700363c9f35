// Every action that moves money asks first: a modal dialog names the order or show, the amount and what happens,
// and nothing is sent until the organizer confirms (pretix and Hi.Events ask the same way).
import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { Button, ProblemAlert } from '../lib/ui.tsx'
import { adminMessages } from './messages.ts'

export interface MoneyConfirmation {
  title: string
  /** The money that moves, formatted (e.g. ¥560.00). */
  amount: string
  /** What the amount is (e.g. "Refund to the buyer"). */
  amountLabel: string
  /** What will happen, one line each. */
  details: ComponentChildren[]
  confirmLabel: string
  run: () => Promise<void>
}

export function ConfirmMoneyDialog(props: { confirmation: MoneyConfirmation | null; onClose: () => void }) {
  const t = adminMessages.useT()
  const dialog = useRef<HTMLDialogElement>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const { confirmation } = props
  useEffect(() => {
    const element = dialog.current
    if (!element) return
    if (confirmation && !element.open) {
      setError(null)
      element.showModal()
    }
    if (!confirmation && element.open) element.close()
  }, [confirmation])
  const confirm = async () => {
    if (!confirmation) return
    setBusy(true)
    setError(null)
    try {
      await confirmation.run()
      props.onClose()
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }
  return (
    <dialog
      ref={dialog}
      class="confirm-dialog"
      aria-labelledby="confirm-title"
      data-testid="confirm-money"
      onClose={() => confirmation && props.onClose()}
    >
      {confirmation && (
        <div class="stack">
          <h2 id="confirm-title">{confirmation.title}</h2>
          <p class="confirm-amount">
            <span>{confirmation.amountLabel}</span>
            <strong data-testid="confirm-amount">{confirmation.amount}</strong>
          </p>
          <ul class="confirm-details">
            {confirmation.details.map((line, index) => (
              <li key={index}>{line}</li>
            ))}
          </ul>
          <ProblemAlert error={error} />
          <div class="confirm-actions">
            <Button onClick={props.onClose} disabled={busy}>
              {t('confirmGoBack')}
            </Button>
            <Button variant="danger" onClick={confirm} disabled={busy}>
              {confirmation.confirmLabel}
            </Button>
          </div>
        </div>
      )}
    </dialog>
  )
}
