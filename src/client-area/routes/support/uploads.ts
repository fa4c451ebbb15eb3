import { createRequire } from 'node:module';
import type { Request, Response } from 'express';
import { ATTACHMENT_LIMITS, type IncomingFile } from '../../../domain/support/attachments.js';

/** formidable 1.x (installed with express-formidable) has no type declarations: the small part used here. */
interface FormPart extends NodeJS.EventEmitter {
  name: string | null;
  filename: string | undefined;
}
interface IncomingForm extends NodeJS.EventEmitter {
  bytesExpected: number | null;
  onPart(part: FormPart): void;
  handlePart(part: FormPart): void;
  _error(err: Error): void;
  parse(req: Request, cb: (err: Error | null, fields: Record<string, unknown>) => void): void;
}
const require = createRequire(import.meta.url);
const { IncomingForm } = require('formidable') as { IncomingForm: new (opts: Record<string, unknown>) => IncomingForm };

/** The form field holding the files (`<input type="file" name="attachments" multiple>`). */
export const FILE_FIELD = 'attachments';
/**
 * Requests larger than this are cut off unread. It leaves room for every allowed file at its limit plus the text,
 * so a file over its own limit is still read to the end and refused with a proper message (422) instead.
 */
const MAX_REQUEST_BYTES = (ATTACHMENT_LIMITS.maxFiles + 2) * ATTACHMENT_LIMITS.maxFileBytes + 512 * 1024;
const MAX_FIELDS = 30;
const MAX_FIELD_BYTES = 256 * 1024;

const httpError = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode });

export interface MessageForm {
  fields: Record<string, string>;
  files: IncomingFile[];
}

/**
 * A ticket form: multipart (with files) when the browser sends files, or a plain form otherwise (already parsed by
 * the client area's urlencoded parser). Files are kept in memory only up to the per-file limit and the allowed count;
 * beyond that the bytes are counted and dropped, so the domain can refuse the upload with the reason while nothing
 * large is ever held. Only the routes of this module parse multipart bodies.
 */
export function readMessageForm(req: Request, res: Response): Promise<MessageForm> {
  if (!req.is('multipart/form-data')) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fields = Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
    return Promise.resolve({ fields, files: [] });
  }
  const tooLarge = () => {
    // The rest of the body is not worth reading: answer and drop the connection.
    res.set('Connection', 'close');
    return httpError(413, 'The upload is too large. Attach fewer or smaller files.');
  };
  if (Number(req.get('content-length') ?? 0) > MAX_REQUEST_BYTES) return Promise.reject(tooLarge());

  return new Promise((resolve, reject) => {
    const form = new IncomingForm({ maxFieldsSize: MAX_FIELD_BYTES, maxFields: MAX_FIELDS });
    const files: Array<IncomingFile & { chunks: Buffer[] }> = [];
    let parts = 0;

    form.on('progress', (bytes: number) => {
      if (bytes > MAX_REQUEST_BYTES) form._error(tooLarge());
    });
    form.onPart = (part: FormPart) => {
      if (++parts > MAX_FIELDS + ATTACHMENT_LIMITS.maxFiles) return form._error(httpError(400, 'The form has too many fields.'));
      if (part.filename === undefined) return form.handlePart(part);
      // A file part of another name is not ours to store; an empty file input (nothing chosen) sends a nameless part.
      if (part.name !== FILE_FIELD) return void part.on('data', () => undefined);
      const file = { fileName: part.filename, data: Buffer.alloc(0), size: 0, chunks: [] as Buffer[] };
      files.push(file);
      const keep = files.length <= ATTACHMENT_LIMITS.maxFiles;
      part.on('data', (chunk: Buffer) => {
        file.size += chunk.length;
        if (keep && file.size <= ATTACHMENT_LIMITS.maxFileBytes) file.chunks.push(Buffer.from(chunk));
        else file.chunks = [];
      });
    };
    form.parse(req, (err, rawFields) => {
      if (err) {
        const status = (err as { statusCode?: number }).statusCode;
        return reject(status ? err : httpError(400, 'The form could not be read. Reload the page and try again.'));
      }
      const fields = Object.fromEntries(Object.entries(rawFields).filter((e): e is [string, string] => typeof e[1] === 'string'));
      const chosen = files.filter((f) => !(f.fileName === '' && f.size === 0));
      resolve({
        fields,
        files: chosen.map((f) => ({ fileName: f.fileName, size: f.size, data: f.size <= ATTACHMENT_LIMITS.maxFileBytes ? Buffer.concat(f.chunks) : Buffer.alloc(0) })),
      });
    });
  });
}
