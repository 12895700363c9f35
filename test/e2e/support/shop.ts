// Steps shared by the shop's browser tests.
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { withCheckCharacter } from '../../../worker/domain/id-number.ts'

/** A checksum-valid PRC ID number for someone born on `birth` (YYYYMMDD); `serial` makes it unique. */
export function idNumberFor(birth: string, serial: number): string {
  return withCheckCharacter(`110105${birth}${String(serial).padStart(3, '0')}`)
}

/** From the checkout page: give an email, create the order, pay on the sandbox page, come back to the order. */
export async function payAtCheckout(page: Page, email: string) {
  await page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor()
  await page.getByLabel('Email').fill(email)
  await page.getByRole('button', { name: /^Pay / }).click()
  await page.waitForURL(/\/api\/payments\/sandbox\/checkout\//)
  await page.getByRole('button', { name: /^(Pay|支付) ¥/ }).click()
  await page.getByTestId('back-to-order').click()
  await page.waitForURL(/\/orders\/ord_/)
  await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor()
}

/** Waits until every QR image on the page has loaded and decoded to a real picture. */
export async function expectQrCodesLoaded(page: Page, count: number) {
  const images = page.locator('img.qr')
  await expect.poll(() => images.count(), { timeout: 30_000 }).toBe(count)
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll<HTMLImageElement>('img.qr')].every(
        (img) => img.complete && img.naturalWidth > 0,
      ),
    undefined,
    { timeout: 30_000 },
  )
}
