import { describe, expect, it } from 'vitest'
import {
  type IdTicketGroup,
  idNumberHash,
  idScan,
  idTicketsOf,
  importIdIndexKey,
  maskHolderName,
  readIdNumber,
  ticketOfIdScan,
  toBase64Url,
} from '../../../worker/domain/id-index.ts'
import { newShortId } from '../../../worker/ids.ts'
import { idNumberFor } from '../../support/catalogue.ts'

const randomKey = () => toBase64Url(crypto.getRandomValues(new Uint8Array(32)))

describe('ID index (身份证核验)', () => {
  it('hashes a number however it was typed, and nothing that fails the check character', async () => {
    const key = await importIdIndexKey(randomKey())
    const id = idNumberFor(7)
    const hash = await idNumberHash(key, id)
    expect(hash).toMatch(/^[\w-]{16}$/)
    expect(await idNumberHash(key, ` ${id.slice(0, 6)} ${id.slice(6).toLowerCase()}\n`)).toBe(hash)
    const wrongCheck = `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}`
    expect(readIdNumber(wrongCheck)).toEqual({ ok: false })
    expect(await idNumberHash(key, wrongCheck)).toBeNull()
    // Another key, another hash.
    expect(await idNumberHash(await importIdIndexKey(randomKey()), id)).not.toBe(hash)
  })

  it('masks names for the gate’s screen', () => {
    expect(maskHolderName('李雷')).toBe('李*')
    expect(maskHolderName('王小明')).toBe('王*明')
    expect(maskHolderName('欧阳娜娜')).toBe('欧**娜')
    expect(maskHolderName('Dave Smith')).toBe('D*** S****')
    expect(maskHolderName(null)).toBe('')
  })

  it('reads an uploaded ID admission’s ticket, and nothing else', () => {
    expect(ticketOfIdScan(idScan('tkt_0123456789ABCDEF'))).toBe('tkt_0123456789ABCDEF')
    expect(ticketOfIdScan('tkt_0123456789ABCDEF')).toBeUndefined()
    expect(ticketOfIdScan('id:ord_0123456789ABCDEF')).toBeUndefined()
    expect(ticketOfIdScan("id:tkt_0123' OR 1")).toBeUndefined()
  })

  it('a big scenic day (50,000 real-name tickets) fits a bundle of a few MB: the entry size', async () => {
    const key = await importIdIndexKey(randomKey())
    const names = ['王*明', '李*', '欧**娜', 'D*** S****']
    const items = ['PRDADULT@09:00', 'PRDADULT@10:00', 'PRDCHILD@09:00', 'CABLECAR']
    const group: IdTicketGroup = {
      ev: 'ABCDEFGHJKMN:261205',
      nbf: 1_796_400_000,
      exp: 1_796_486_400,
      items,
      t: [],
    }
    const count = 50_000
    for (let n = 0; n < count; n++)
      group.t.push([
        (await idNumberHash(key, idNumberFor(n)))!,
        newShortId('tkt').slice(4),
        n % items.length,
        names[n % names.length]!,
      ])
    const json = new TextEncoder().encode(JSON.stringify({ groups: [group] }))
    const gzipped = await new Response(
      new Blob([json]).stream().pipeThrough(new CompressionStream('gzip')),
    ).arrayBuffer()
    const perEntry = json.byteLength / count
    const gzippedPerEntry = gzipped.byteLength / count
    console.info(
      `ID index: ${count} entries, ${(json.byteLength / 1e6).toFixed(2)} MB JSON (${perEntry.toFixed(1)} B/entry), ` +
        `${(gzipped.byteLength / 1e6).toFixed(2)} MB gzipped (${gzippedPerEntry.toFixed(1)} B/entry)`,
    )
    // 96-bit hash (16 chars) + 16-char ticket id + item + masked name + JSON punctuation.
    expect(perEntry).toBeLessThan(60)
    expect(gzippedPerEntry).toBeLessThan(45)
    expect(idTicketsOf([group])).toHaveLength(count)
  })
})
