declare module 'express-formidable' {
  import type { RequestHandler } from 'express';
  export default function formidable(options?: Record<string, unknown>): RequestHandler;
}
