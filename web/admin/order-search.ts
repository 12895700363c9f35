// One search box for orders, as organizers type into it: an order number, a phone number, an email or the last 4
// characters of a visitor's ID. What was typed decides what is searched (a phone typed in "order number" mode once
// found nothing without a word).

export type OrderSearchKind = 'number' | 'phone' | 'email' | 'idTail'

export function detectOrderSearch(typed: string): { kind: OrderSearchKind; value: string } | null {
  const text = typed.trim()
  if (!text) return null
  if (text.includes('@')) return { kind: 'email', value: text.toLowerCase() }
  if (/^et\s*\d{6,}$/i.test(text)) return { kind: 'number', value: text.replace(/\s+/g, '').toUpperCase() }
  if (/^[0-9]{3}[0-9Xx]$/.test(text)) return { kind: 'idTail', value: text.toUpperCase() }
  const digits = text.replace(/[\s()+-]/g, '')
  // Order numbers are ET + 12 digits; people copying one sometimes drop the letters.
  if (/^\d{12}$/.test(digits) && !text.startsWith('+')) return { kind: 'number', value: `ET${digits}` }
  if (/^\d{7,15}$/.test(digits)) return { kind: 'phone', value: digits }
  return { kind: 'number', value: text.toUpperCase() }
}
