import { pino, type Logger } from 'pino';

/** Structured JSON logs; each HTTP request's lines carry its request id (see src/http/request-id.ts). */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: 'meridian', ...base },
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', '*.password', '*.passwordHash', '*.token', '*.secret'],
      censor: '[redacted]',
    },
  });
}
export type { Logger };
