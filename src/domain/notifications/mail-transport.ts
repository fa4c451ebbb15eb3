import type { Outcome } from '../shared/outcome.js';

/**
 * What the email service needs from a mail transport (implemented over SMTP by src/integrations/mail). Kept here, on
 * the domain side, so the service can be tested and reused without nodemailer.
 */
export interface OutgoingMail {
  from: { name: string | null; address: string };
  to: string[];
  bcc: string[];
  subject: string;
  html: string | null;
  text: string;
  /** Files sent with the message (a quote's PDF). */
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

/** 'mail_not_configured' when no SMTP server is set up; 'send_failed' when the server refused or could not be reached. */
export type SendOutcome = Outcome<{ messageId: string | null; rejected: string[]; response: string | null }>;

export interface MailTransport {
  send(mail: OutgoingMail): Promise<SendOutcome>;
}
