import busboy from "busboy";
import { ValidationError } from "../domain/errors.ts";

/**
 * The one file of a `multipart/form-data` body (a browser form or `curl -F file=@report.csv`).
 * No file, or more than one, is a 400: which file was meant cannot be guessed.
 */
export function singleFileOf(body: Buffer, contentType: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const files: Buffer[] = [];
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { "content-type": contentType } });
    } catch (error) {
      reject(
        new ValidationError([{ path: "body", message: "not a valid multipart/form-data body" }], {
          cause: error,
        }),
      );
      return;
    }
    parser.on("file", (_field, stream) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => files.push(Buffer.concat(chunks)));
    });
    parser.on("error", (error) =>
      reject(
        new ValidationError([{ path: "body", message: "not a valid multipart/form-data body" }], {
          cause: error,
        }),
      ),
    );
    parser.on("close", () => {
      const [file] = files;
      if (files.length === 1 && file) resolve(file);
      else
        reject(
          new ValidationError([{ path: "file", message: `send exactly one file (got ${files.length})` }]),
        );
    });
    parser.end(body);
  });
}

/**
 * The text fields of a form body in either encoding a browser or a mail provider may use
 * (`application/x-www-form-urlencoded`, `multipart/form-data`); RFC 8058 allows both for the
 * one-click unsubscribe POST. A field sent twice keeps its first value.
 */
export function formFieldsOf(body: Buffer, contentType: string): Promise<Record<string, string>> {
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "multipart/form-data") {
    const fields: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(body.toString("utf8"))) fields[name] ??= value;
    return Promise.resolve(fields);
  }
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const invalid = (error: unknown) =>
      reject(
        new ValidationError([{ path: "body", message: "not a valid multipart/form-data body" }], {
          cause: error,
        }),
      );
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { "content-type": contentType } });
    } catch (error) {
      invalid(error);
      return;
    }
    parser.on("field", (name, value) => {
      fields[name] ??= value;
    });
    parser.on("file", (_name, stream) => stream.resume());
    parser.on("error", invalid);
    parser.on("close", () => resolve(fields));
    parser.end(body);
  });
}
