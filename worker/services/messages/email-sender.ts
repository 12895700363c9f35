// Email through Cloudflare Email Service: the Worker's `send_email` binding (wrangler.toml `[[send_email]]`), sent
// with its structured form `send({ from, to, subject, text, html })`, which answers the provider's `messageId`.
import type { MessageSender } from './sender.ts'
import { MessageSendError } from './sender.ts'

/** The `send_email` binding (a test may hand a recording stand-in of the same shape). */
export type EmailBinding = SendEmail

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** The text as HTML: paragraphs and line breaks kept, links clickable, everything else escaped. */
export function textToHtml(text: string): string {
  const paragraphs = text.split(/\n{2,}/).map((paragraph) =>
    escapeHtml(paragraph)
      .replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`)
      .replace(/\n/g, '<br>'),
  )
  return `<!doctype html><html><body>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</body></html>`
}

/** `"票务通知 <no-reply@tickets.example>"` or a bare address. */
export function parseFrom(from: string): string | { email: string; name: string } {
  const match = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from)
  if (!match) return from.trim()
  return match[1] ? { email: match[2]!, name: match[1].replace(/^"|"$/g, '') } : match[2]!
}

export function cloudflareEmailSender(binding: EmailBinding, from: string): MessageSender {
  const sender = parseFrom(from)
  return {
    channel: 'email',
    async send(message) {
      try {
        const { messageId } = await binding.send({
          from: sender,
          to: message.to,
          subject: message.subject.replace(/[\r\n]+/g, ' '),
          text: message.body,
          html: textToHtml(message.body),
        })
        return { providerMessageId: messageId ?? null }
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        // The binding refuses a sender or recipient it is not allowed: no retry changes that.
        throw new MessageSendError(`email not sent: ${reason.slice(0, 300)}`, /not allowed/.test(reason))
      }
    },
  }
}
