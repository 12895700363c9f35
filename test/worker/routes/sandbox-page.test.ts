// The sandbox payment page speaks the buyer's language (the shop's `lang` cookie, else Accept-Language, `?lang=`
// to switch) and says what is paid for; its result page tells the outcome in that language, not raw statuses.
import { describe, expect, it } from 'vitest'
import { ApiClient } from '../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../support/catalogue.ts'

let keys = 0

async function pendingOrder() {
  const show = await showOnSale(gridChart(2, 10))
  const buyer = new ApiClient()
  const hold = await ok(
    buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 2) }),
    201,
  )
  const res = await buyer.fetch('/api/orders', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': `sandbox-page-${Date.now()}-${keys++}`,
    },
    body: JSON.stringify({ kind: 'show', showId: show.showId, holdId: hold.id, email: 'buyer@example.com' }),
  })
  const created = await ok(res, 201)
  return { buyer, created, page: new URL(created.checkoutUrl).pathname }
}

/** The page's text as a person reads it: tags dropped, whitespace collapsed. */
const visibleText = (html: string) =>
  html
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()

async function open(buyer: ApiClient, path: string, headers: Record<string, string> = {}, lang?: string) {
  const session = buyer.cookie
  if (lang) buyer.cookie = `${session}; lang=${lang}`
  const res = await buyer.fetch(path, { headers })
  buyer.cookie = session
  expect(res.status).toBe(200)
  return res.text()
}

describe('sandbox payment page', () => {
  it('is in Chinese for a buyer whose shop is in Chinese: title, amount in yuan, event and buttons', async () => {
    const { buyer, created, page } = await pendingOrder()
    const html = await open(buyer, page, { 'accept-language': 'en-US,en;q=0.9' }, 'zh-CN')
    expect(html).toContain('<html lang="zh-CN">')
    expect(html).toContain('name="viewport" content="width=device-width, initial-scale=1"')
    const text = visibleText(html)
    expect(text).toContain('模拟支付')
    expect(text).toContain('Gala')
    expect(text).toContain(`订单 ${created.order.number}`)
    expect(text).toContain('支付 ¥200.00')
    expect(text).toContain('模拟支付失败')
    expect(text).toContain('锁定过期后再支付')
    expect(text).toMatch(/时间 \d{1,2}月\d{1,2}日 周[一二三四五六日] \d{2}:\d{2}/)
    expect(text).not.toMatch(/Sandbox|Pay after|Fail the payment/)
  })

  it('is in English for an English browser without the cookie, and ?lang switches it', async () => {
    const { buyer, page } = await pendingOrder()
    const english = visibleText(await open(buyer, page, { 'accept-language': 'en-GB,en;q=0.9,zh;q=0.5' }))
    expect(english).toContain('Test payment')
    expect(english).toContain('Pay ¥200.00')
    expect(english).toContain('Make the payment fail')
    expect(english).toContain('中文')
    expect(english).not.toMatch(/支付|订单/)

    const switched = visibleText(await open(buyer, `${page}?lang=zh-CN`, { 'accept-language': 'en' }))
    expect(switched).toContain('支付 ¥200.00')
  })

  it('tells the outcome in the buyer’s language, with the way back to the order', async () => {
    const { buyer, created, page } = await pendingOrder()
    const action = `${page}/complete?lang=zh-CN`
    const failed = await buyer.fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=fail',
    })
    const failedText = visibleText(await failed.text())
    expect(failedText).toContain('支付失败，未扣款')
    expect(failedText).toContain('待支付')
    expect(failedText).not.toContain('pending')

    const paid = await buyer.fetch(action.replace('zh-CN', 'en'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=pay',
    })
    const paidHtml = await paid.text()
    expect(visibleText(paidHtml)).toContain('Payment received')
    expect(visibleText(paidHtml)).toContain('Paid')
    expect(paidHtml).toContain(`href="/orders/${created.orderId}"`)
    expect(visibleText(paidHtml)).toContain('Back to your order')
  })
})
