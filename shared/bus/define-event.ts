import type { z } from "zod";

/**
 * One bus event: its detail-type and the schema of its detail. Rules (CDK and local), publishers
 * and consumers import the same definition, so an event's name and shape live in one place. This
 * module stays free of AWS clients so that the CDK app can import the catalogue.
 */
/** Source of every event Convene publishes; rules match on it. */
export const eventSource = "convene";

export interface BusEvent<Schema extends z.ZodType = z.ZodType> {
  detailType: string;
  schema: Schema;
}

export function defineEvent<Schema extends z.ZodType>(detailType: string, schema: Schema): BusEvent<Schema> {
  return { detailType, schema };
}

/** An event and its detail, ready to publish. */
export type BusMessage = { detailType: string; detail: unknown };

export function message<Schema extends z.ZodType>(
  event: BusEvent<Schema>,
  detail: z.input<Schema>,
): BusMessage {
  return { detailType: event.detailType, detail: event.schema.parse(detail) };
}
