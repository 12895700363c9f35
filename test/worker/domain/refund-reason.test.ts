import { describe, expect, it } from 'vitest'
import { englishStatusReason } from '../../../worker/domain/order-status-reason.ts'
import { refundReasonOf, refundReasonText } from '../../../worker/domain/refund-reason.ts'

// A refund's stored reason read back as a code the apps word in their language: every text the server writes
// maps to its code with its params, the order's own reason maps to `order_status`, staff's words stay a note.

describe('refund reasons as codes', () => {
  it('reads each text the server writes back as its code and params', () => {
    expect(refundReasonOf(refundReasonText.buyerRequest, null)).toEqual({ code: 'buyer_request', params: {} })
    expect(refundReasonOf(refundReasonText.showCancelled('暴雨停演'), null)).toEqual({
      code: 'show_cancelled',
      params: { note: '暴雨停演' },
    })
    expect(refundReasonOf(refundReasonText.partnerCancelled('customer changed plans'), null)).toEqual({
      code: 'partner_cancelled',
      params: { note: 'customer changed plans' },
    })
    expect(refundReasonOf(refundReasonText.cascaded('T-2026-00042'), null)).toEqual({
      code: 'cascaded',
      params: { order: 'T-2026-00042' },
    })
    expect(refundReasonOf(refundReasonText.rebookDifference('T-2026-00043'), null)).toEqual({
      code: 'rebook_difference',
      params: { order: 'T-2026-00043' },
    })
    expect(refundReasonOf(refundReasonText.balanceAfterClose, null).code).toBe('balance_after_close')
  })

  it('names the order’s own reason when the refund carries it, and keeps staff’s words as typed', () => {
    const late = englishStatusReason({ code: 'paid_late_refunded' })
    expect(refundReasonOf(late, late)).toEqual({ code: 'order_status', params: {} })
    // The same words on another order's refund are only a note.
    expect(refundReasonOf(late, null)).toEqual({ code: 'note', params: { note: late } })
    expect(refundReasonOf('观众临时有事', null)).toEqual({ code: 'note', params: { note: '观众临时有事' } })
    // A note that merely starts like a server text is still read by its pattern only when it matches whole.
    expect(refundReasonOf('Cascaded from the refund of order', null).code).toBe('note')
  })
})
