// Inviting friends to a group: the system share sheet (Web Share API: WeChat, Messages, … on a phone) when the
// browser has one, else copying the link, with feedback either way; the link itself stays visible to copy by hand.
// Also the member centre's invite-a-friend link (`label` names that link there).
import { useState } from 'preact/hooks'
import { Button } from '../../lib/ui.tsx'
import { groupBuyMessages } from './group-buy-messages.ts'

type Outcome = 'shared' | 'copied' | 'select' | null

export function GroupShare(props: { url: string; title: string; text: string; label?: string }) {
  const t = groupBuyMessages.useT()
  const [outcome, setOutcome] = useState<Outcome>(null)
  const canShare = typeof navigator !== 'undefined' && typeof navigator.share === 'function'

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.url)
      setOutcome('copied')
    } catch {
      // No clipboard permission (e.g. plain http): select the text so the buyer can copy it by hand.
      const input = document.getElementById('share-link') as HTMLInputElement | null
      input?.focus()
      input?.select()
      setOutcome(document.execCommand?.('copy') ? 'copied' : 'select')
    }
  }
  const share = async () => {
    try {
      await navigator.share({ title: props.title, text: props.text, url: props.url })
      setOutcome('shared')
    } catch (failure) {
      // Closing the sheet is no failure; any other refusal falls back to copying.
      if (failure instanceof DOMException && failure.name === 'AbortError') return
      await copy()
    }
  }

  return (
    <div class="stack">
      <div class="row share-actions">
        {canShare && (
          <Button variant="primary" onClick={share} data-testid="share-button">
            {t('shareTo')}
          </Button>
        )}
        <Button variant={canShare ? 'secondary' : 'primary'} onClick={copy}>
          {t('copy')}
        </Button>
      </div>
      <label for="share-link">{props.label ?? t('shareLink')}</label>
      <input
        id="share-link"
        class="share-link"
        readOnly
        value={props.url}
        data-testid="share-link"
        onFocus={(e) => (e.target as HTMLInputElement).select()}
      />
      <p role="status" aria-live="polite" class="small" data-testid="share-feedback">
        {outcome === 'shared'
          ? t('shared')
          : outcome === 'copied'
            ? t('copied')
            : outcome === 'select'
              ? t('copyByHand')
              : ''}
      </p>
    </div>
  )
}
