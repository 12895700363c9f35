// The waiting room of one on-sale (issue 22): join (with the buyer's ID on a real-name sale, and the challenge
// when the organizer requires it), wait before opening with a countdown, then follow the place live until the
// turn comes; the admission pass is kept for this tab and the buyer goes on to the seat map or day page. The
// server keeps the place per buyer, so a reload lands here again with the same place.
import { useEffect, useRef, useState } from 'preact/hooks'
import { isValidPrcIdNumber } from '../../../worker/domain/id-number.ts'
import { ApiError, api } from '../../lib/api.ts'
import { formatTime } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Link, navigate } from '../../lib/router.tsx'
import { Button, Loading, ProblemAlert } from '../../lib/ui.tsx'
import { IdNumberField } from '../components/id-number-field.tsx'
import { keepPass, type OnSale, onSaleKey, queueApiPath, salePagePath } from './admission.ts'
import { ChallengeStep } from './challenge.tsx'
import { useQueueLive } from './live.ts'
import { queueMessages } from './messages.ts'
import { NextSteps, OpeningCountdown, QueuePlace } from './parts.tsx'
import type { QueueAnswer } from './types.ts'

/** The refusal that means the challenge must be (re)done before joining (a missing token included). */
const challengeRefused = (error: unknown) => error instanceof ApiError && error.code === 'challenge_failed'
/** Announce a new place at most this often (a polite region, not every step). */
const announceEveryMs = 30_000
/** How long "It is your turn" stays before the page moves on by itself. */
const handOffDelayMs = 1_200

function firstPositionKey(sale: OnSale) {
  return `queue-first-position:${onSaleKey(sale)}`
}
function rememberFirstPosition(sale: OnSale, position: number): number {
  try {
    const known = Number(sessionStorage.getItem(firstPositionKey(sale)))
    if (known >= position) return known
    sessionStorage.setItem(firstPositionKey(sale), String(position))
  } catch {
    // not kept: the bar starts from here
  }
  return position
}

export function WaitingRoom(props: { sale: OnSale; realName: boolean }) {
  const t = queueMessages.useT()
  const locale = useLocale()
  const { sale } = props
  const path = queueApiPath(sale)
  const [answer, setAnswer] = useState<QueueAnswer | null>(null)
  const [loadError, setLoadError] = useState<unknown>(null)
  const [joinError, setJoinError] = useState<unknown>(null)
  const [joining, setJoining] = useState(false)
  const [idNumber, setIdNumber] = useState('')
  const [token, setToken] = useState<string | null>(null)
  /** The challenge asked for by a refused join (the queue's answer may also say so up front). */
  const [challengeAsked, setChallengeAsked] = useState(false)
  /** A token was sent and refused (not merely missing): said at the check. */
  const [challengeFailed, setChallengeFailed] = useState(false)
  const [announcement, setAnnouncement] = useState('')
  const announced = useRef<{ at: number; state: string | null; position: number | null }>({
    at: 0,
    state: null,
    position: null,
  })
  const autoJoined = useRef(false)

  const load = () =>
    api<QueueAnswer>(path).then(
      (data) => setAnswer(data),
      (error) => setLoadError(error),
    )
  useEffect(() => {
    void load()
  }, [path])

  const queueState = answer?.queue.state
  const place = answer?.place ?? null
  const challengeNeeded = challengeAsked || Boolean(answer?.queue.requireChallenge)
  const following =
    answer !== null &&
    (queueState === 'before_open' || queueState === 'open') &&
    place !== null &&
    place.state === 'waiting'
  const connected = useQueueLive(sale, following, setAnswer)

  const join = async () => {
    setJoining(true)
    setJoinError(null)
    try {
      const body = {
        ...(props.realName ? { idNumber: idNumber.trim() } : {}),
        ...(token ? { challengeToken: token } : {}),
      }
      setAnswer(await api<QueueAnswer>(path, { body }))
    } catch (error) {
      if (challengeRefused(error)) {
        setChallengeAsked(true)
        setChallengeFailed(token !== null)
        setToken(null)
      } else setJoinError(error)
    } finally {
      setJoining(false)
    }
  }

  // Nothing to fill in: arriving here is asking for a place.
  const canAutoJoin = !props.realName && !challengeNeeded
  useEffect(() => {
    if (!answer || autoJoined.current || !canAutoJoin) return
    if (answer.place === null && (queueState === 'before_open' || queueState === 'open')) {
      autoJoined.current = true
      void join()
    }
  }, [answer, canAutoJoin])

  // The turn: keep the pass for this tab and go on to pick tickets.
  const pass = place?.state === 'admitted' ? place.pass : undefined
  const passExpiresAt = place?.passExpiresAt
  useEffect(() => {
    if (!pass || !passExpiresAt) return
    keepPass(sale, pass, passExpiresAt)
    setAnnouncement(t('admittedTitle'))
    const timer = setTimeout(() => navigate(salePagePath(sale), { replace: true }), handOffDelayMs)
    return () => clearTimeout(timer)
  }, [pass, passExpiresAt])

  // No waiting room (switched off, or never on): straight to the sale.
  useEffect(() => {
    if (queueState !== 'off') return
    const timer = setTimeout(() => navigate(salePagePath(sale), { replace: true }), handOffDelayMs)
    return () => clearTimeout(timer)
  }, [queueState])

  // A new place is said politely, at opening at once and then at most every 30 seconds.
  const position = place?.state === 'waiting' ? place.position : null
  useEffect(() => {
    const last = announced.current
    const now = Date.now()
    if (queueState === 'open' && position !== null && last.state === 'before_open') {
      setAnnouncement(t('announceOpened', { position }))
      announced.current = { at: now, state: queueState, position }
      return
    }
    if (position !== null && position !== last.position && now - last.at >= announceEveryMs) {
      if (last.position !== null) setAnnouncement(t('announcePosition', { position }))
      announced.current = { at: now, state: queueState ?? null, position }
      return
    }
    if (queueState && queueState !== last.state) announced.current = { ...last, state: queueState }
  }, [queueState, position])

  // Once the opening time passes the place is read again, in case no push arrives.
  const opensAt = answer?.queue.opensAt
  useEffect(() => {
    if (queueState !== 'before_open' || !opensAt) return
    const ms = Date.parse(opensAt) - Date.now()
    if (ms > 2 ** 31 - 1) return
    const timer = setTimeout(load, Math.max(0, ms) + 1_000)
    return () => clearTimeout(timer)
  }, [queueState, opensAt])

  if (loadError && !answer) return <ProblemAlert error={loadError} onRetry={() => void load()} />
  if (!answer) return <Loading />
  const kind = sale.kind
  const passMinutes = answer.queue.passMinutes ?? null
  const idReady = !props.realName || isValidPrcIdNumber(idNumber.trim())
  const joinForm = (again: boolean) => (
    <form
      class="stack"
      data-testid="queue-join"
      onSubmit={(event) => {
        event.preventDefault()
        void join()
      }}
    >
      {props.realName && (
        <>
          <IdNumberField label={t('idLabel')} value={idNumber} onInput={setIdNumber} />
          <p class="muted small">{t('idHint')}</p>
        </>
      )}
      {challengeNeeded && (
        <ChallengeStep
          siteKey={answer.queue.challengeSiteKey || TURNSTILE_SITE_KEY || null}
          token={token}
          onToken={setToken}
          failed={challengeFailed}
        />
      )}
      <ProblemAlert error={joinError} />
      <Button type="submit" variant="primary" disabled={joining || !idReady || (challengeNeeded && !token)}>
        {joining ? t('joining') : again ? t('joinAgain') : t('joinButton')}
      </Button>
    </form>
  )

  let body: preact.ComponentChildren
  if (queueState === 'sold_out') {
    body = (
      <div class="stack-tight" role="alert" data-testid="queue-sold-out">
        <h2>{t('soldOutTitle')}</h2>
        <p>{t('soldOutText')}</p>
      </div>
    )
  } else if (queueState === 'off') {
    body = (
      <p role="status" data-testid="queue-off">
        {t('offText')}
      </p>
    )
  } else if (place?.state === 'admitted') {
    body = (
      <div class="stack-tight" data-testid="queue-admitted">
        <h2>{t('admittedTitle')}</h2>
        <p>{t(kind === 'show' ? 'admittedSeats' : 'admittedDay')}</p>
        {passExpiresAt && (
          <p class="small">{t('admittedUntil', { time: formatTime(passExpiresAt, locale) })}</p>
        )}
        <Link class="button button-primary" href={salePagePath(sale)}>
          {t(kind === 'show' ? 'goSeats' : 'goDay')}
        </Link>
      </div>
    )
  } else if (place?.state === 'expired') {
    body = (
      <div class="stack-tight" data-testid="queue-expired">
        <h2>{t('expiredTitle')}</h2>
        <p>{t('expiredText')}</p>
        {joinForm(true)}
      </div>
    )
  } else if (!place) {
    body = canAutoJoin && !joinError && !challengeAsked ? <Loading /> : joinForm(false)
  } else if (queueState === 'before_open' || place.position === null) {
    body = <OpeningCountdown opensAt={answer.queue.opensAt} waiting={answer.queue.waiting} />
  } else {
    body = (
      <QueuePlace
        position={place.position}
        firstPosition={rememberFirstPosition(sale, place.position)}
        estimatedWaitSeconds={place.estimatedWaitSeconds}
        admittedPerMinute={answer.queue.admittedPerMinute}
      />
    )
  }

  return (
    <>
      <section
        class="card stack queue-card"
        aria-labelledby="queue-heading"
        data-testid="queue"
        data-queue-state={queueState}
        data-place-state={place?.state ?? 'none'}
      >
        <div class="row spread">
          <h2 id="queue-heading">{t('title')}</h2>
          {following && (
            <span
              class={`live-dot${connected ? ' live-on' : ''}`}
              data-testid="queue-live"
              data-live={connected}
            >
              {t(connected ? 'live' : 'liveOff')}
            </span>
          )}
        </div>
        {body}
        <p class="visually-hidden" aria-live="polite" data-testid="queue-announcement">
          {announcement}
        </p>
      </section>
      {queueState !== 'sold_out' && queueState !== 'off' && place?.state !== 'admitted' && (
        <NextSteps kind={kind} passMinutes={passMinutes} />
      )}
    </>
  )
}
