import * as z from "zod";

/**
 * One bus event: its detail-type and the schema of its detail. Rules (CDK and local), publishers
 * and consumers import the same definition, so an event's name and shape live in one place. This
 * module stays free of AWS clients so that the CDK app can import the catalogue.
 */
/** Source of every event Convene publishes; rules match on it. */
export const eventSource = "convene";

export interface BusEvent<DetailType extends string = string, Schema extends z.ZodType = z.ZodType> {
  detailType: DetailType;
  schema: Schema;
}

export function defineEvent<const DetailType extends string, Schema extends z.ZodType>(
  detailType: DetailType,
  schema: Schema,
): BusEvent<DetailType, Schema> {
  return { detailType, schema };
}

/** The detail of an event, as its consumers get it once parsed with its schema. */
export type DetailOf<Event extends BusEvent> = z.infer<Event["schema"]>;

/** An event and its detail, ready to publish. */
export type BusMessage = { detailType: string; detail: unknown };

/** A stored `BusMessage` (an outbox item's, a lease's resume message), checked as it is read back. */
export const busMessageSchema = z.object({ detailType: z.string().min(1), detail: z.unknown() });

export function message<Schema extends z.ZodType>(
  event: BusEvent<string, Schema>,
  detail: z.input<Schema>,
): BusMessage {
  return { detailType: event.detailType, detail: event.schema.parse(detail) };
}
