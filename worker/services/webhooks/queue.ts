/** A message on the webhook queue: "make attempt `attempt + 1` of this delivery". */
export interface WebhookDeliveryMessage {
  deliveryId: string
  /** Attempts the delivery had made when this message was sent; a message whose number is stale is dropped. */
  attempt: number
  replay?: boolean
}

/** The part of a Queue binding the publisher and the consumer use (a test can wrap it to simulate a crash). */
export interface WebhookQueue {
  send(body: WebhookDeliveryMessage, options?: QueueSendOptions): Promise<unknown>
  sendBatch(
    messages: Iterable<MessageSendRequest<WebhookDeliveryMessage>>,
    options?: QueueSendBatchOptions,
  ): Promise<unknown>
}

/** Queues take at most 100 messages per `sendBatch`. */
export async function enqueueDeliveries(queue: WebhookQueue, messages: WebhookDeliveryMessage[]) {
  for (let i = 0; i < messages.length; i += 100) {
    await queue.sendBatch(messages.slice(i, i + 100).map((body) => ({ body, contentType: 'json' as const })))
  }
}
