import { describe, expect, it } from 'vitest'
import {
  newPartnerSecret,
  openPartnerSecret,
  sealPartnerSecret,
} from '../../../worker/services/partner-secrets.ts'

describe('partner secrets at rest', () => {
  it('round-trips, never stores the secret in clear, and uses a fresh IV each time', async () => {
    const secret = newPartnerSecret()
    expect(secret).toMatch(/^psk_[A-Za-z0-9_-]{43}$/)
    const a = await sealPartnerSecret('master', 'ptn_1', secret)
    const b = await sealPartnerSecret('master', 'ptn_1', secret)
    expect(a).not.toBe(b)
    expect(a).not.toContain(secret.slice(4))
    expect(await openPartnerSecret('master', 'ptn_1', a)).toBe(secret)
  })

  it('refuses a ciphertext moved to another partner or read under another master secret', async () => {
    const sealed = await sealPartnerSecret('master', 'ptn_1', newPartnerSecret())
    await expect(openPartnerSecret('master', 'ptn_2', sealed)).rejects.toThrow()
    await expect(openPartnerSecret('other-master', 'ptn_1', sealed)).rejects.toThrow()
  })
})
