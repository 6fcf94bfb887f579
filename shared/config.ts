import * as z from "zod";

/**
 * Reads the settings a module needs from `process.env`, once, at cold start. A missing or bad
 * variable stops the start with a message naming it, instead of failing on the first request.
 */
export function readConfig<Shape extends z.ZodRawShape>(shape: Shape): z.infer<z.ZodObject<Shape>> {
  const result = z.object(shape).safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid configuration: ${problems.join("; ")}`);
  }
  return result.data;
}
