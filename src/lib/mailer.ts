// Sends Debrief's email over SMTP (nodemailer, pooled): to SMTP_URL in production, else to the SMTP
// catcher. One recipient per message, short timeouts, no retries of its own: the job that sends decides
// whether to try again, with isPermanentSmtpFailure(). Logs carry the Message-ID and the recipient's
// domain, never a body, an address or a credential.
import nodemailer from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { Logger } from './logger.ts';

export interface OutgoingMail {
  /** One address, with or without a display name ("Ada <ada@example.com>"). */
  to: string;
  subject: string;
  html: string;
  text: string;
  replyTo?: string;
  /** The From's display name ("Ada Lovelace"); the address is always the configured From address. */
  fromName?: string;
  /** Extra headers such as List-Unsubscribe; not the ones the mailer sets itself (From, To, Subject...). */
  headers?: Record<string, string>;
  /** "<id@domain>"; when given it is kept, so a retried job sends the same Message-ID. */
  messageId?: string;
}

export interface SendResult {
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** The server's last reply, such as "250 OK". */
  response: string;
}

export interface Mailer {
  /** Where mail goes, without credentials: for logs and pages. */
  readonly description: string;
  send(msg: OutgoingMail): Promise<SendResult>;
  /** Closes the pooled connections; messages still queued fail. */
  close(): Promise<void>;
}

export interface CreateMailerOptions {
  /** smtp:// or smtps://, credentials allowed in the URL. */
  smtpUrl: string;
  /** The From of every message: "address" or "Name <address>". */
  from: string;
  logger: Logger;
}

/** A message the mailer refuses before any connection: sending it again would not help. */
export class InvalidMailError extends Error {
  override name = 'InvalidMailError';
  readonly code = 'EINVALIDMAIL';
  /** The message field at fault: only a bad `to` is the recipient's; any other is the sender's. */
  constructor(
    message: string,
    readonly field: 'to' | 'message' = 'message',
  ) {
    super(message);
  }
}

const mailboxPattern = /^[^\s@<>]+@[^\s@<>]+$/;
const headerNamePattern = /^[A-Za-z0-9][A-Za-z0-9-]{0,75}$/;
// Headers the mailer writes from the message's own fields or that belong to the transport.
const reservedHeaders = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'sender',
  'subject',
  'message-id',
  'date',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'return-path',
  'received',
]);
const lineBreak = /[\r\n]/;

/** The one mailbox in `value`, or an InvalidMailError naming `field`. */
function singleAddress(value: unknown, field: string): string {
  const fault = field === 'to' ? 'to' : 'message';
  if (typeof value !== 'string' || lineBreak.test(value)) throw new InvalidMailError(`${field} must be one email address`, fault);
  const parsed = addressparser(value, { flatten: true });
  if (parsed.length !== 1) throw new InvalidMailError(`${field} must be exactly one email address (one recipient per message)`, fault);
  const address = parsed[0]!.address;
  if (!mailboxPattern.test(address)) throw new InvalidMailError(`${field} is not a valid email address`, fault);
  return address;
}

function checkMessage(msg: OutgoingMail): { recipient: string } {
  if (Array.isArray(msg.to)) throw new InvalidMailError('to must be one address: send one message per recipient');
  const recipient = singleAddress(msg.to, 'to');
  if (msg.replyTo !== undefined) singleAddress(msg.replyTo, 'replyTo');
  if (msg.fromName !== undefined && (typeof msg.fromName !== 'string' || lineBreak.test(msg.fromName) || msg.fromName.length > 200)) {
    throw new InvalidMailError('fromName must be one line of text');
  }
  if (typeof msg.subject !== 'string' || lineBreak.test(msg.subject)) throw new InvalidMailError('subject must be one line of text');
  if (typeof msg.html !== 'string' || typeof msg.text !== 'string') throw new InvalidMailError('both an html and a text part are required');
  for (const [name, value] of Object.entries(msg.headers ?? {})) {
    if (!headerNamePattern.test(name) || reservedHeaders.has(name.toLowerCase())) throw new InvalidMailError(`header ${name} cannot be set here`);
    if (typeof value !== 'string' || lineBreak.test(value) || value.length > 900) throw new InvalidMailError(`header ${name} must be one line of text`);
  }
  if (msg.messageId !== undefined && !/^<[^<>\s@]+@[^<>\s@]+>$/.test(msg.messageId)) throw new InvalidMailError('messageId must look like <id@domain>');
  return { recipient };
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

function addressList(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((a: unknown) => (typeof a === 'string' ? a : String((a as { address?: unknown }).address ?? '')));
}

/** "Acme <news@acme.example>" -> { name: "Acme", address: "news@acme.example" }; a bare address has no name. */
export function mailFromParts(mailFrom: string): { name: string; address: string } {
  const named = /^\s*(?:"([^"]*)"|([^<]*?))\s*<([^<>\s]+)>\s*$/.exec(mailFrom);
  if (named) return { name: (named[1] ?? named[2] ?? '').trim(), address: named[3]! };
  return { name: '', address: mailFrom.trim() };
}

/** smtps://user:pass@host:465?x=y -> smtps://host:465: what logs and pages may show. */
export function describeSmtpUrl(smtpUrl: string): string {
  try {
    const url = new URL(smtpUrl);
    return `${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ''}`;
  } catch {
    return 'an SMTP server (unreadable SMTP_URL)';
  }
}

interface SmtpErrorLike {
  code?: unknown;
  originalCode?: unknown;
  responseCode?: unknown;
  command?: unknown;
}

/**
 * Whether sending the same message again is pointless. Permanent: the mailer refused the message, the
 * server answered 5xx (except 503, "bad sequence of commands", a session problem), or nodemailer found an
 * address unusable (EENVELOPE without a reply). Temporary: 4xx replies, connection refused, timeouts,
 * socket and DNS errors, and failed authentication (our configuration, not the message: once it is
 * fixed, a retry goes through). Anything unknown counts as temporary: the caller's retries are bounded.
 */
export function isPermanentSmtpFailure(err: unknown): boolean {
  if (err instanceof InvalidMailError) return true;
  if (!err || typeof err !== 'object') return false;
  const e = err as SmtpErrorLike;
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') return false;
  if (typeof e.responseCode === 'number') return e.responseCode >= 500 && e.responseCode < 600 && e.responseCode !== 503;
  return e.code === 'EENVELOPE';
}

/**
 * Whether the failure is about the recipient's address (a bad `to`, a server's answer to RCPT TO), the one
 * kind that may mark a buyer bounced and suppress the address. Anything else is ours (the message, the
 * From, the server's configuration or reachability): fixed on our side, the same email goes through.
 */
export function blamesRecipient(err: unknown): boolean {
  if (err instanceof InvalidMailError) return err.field === 'to';
  if (!err || typeof err !== 'object') return false;
  const e = err as SmtpErrorLike;
  if (typeof e.responseCode === 'number') return e.command === 'RCPT TO';
  return e.code === 'EENVELOPE';
}

/** A short reason safe to log or store ("550 on RCPT TO", "ECONNREFUSED"): no addresses, no server text. */
export function smtpFailureSummary(err: unknown): string {
  if (err instanceof InvalidMailError) return `refused by the mailer: ${err.message}`;
  if (!err || typeof err !== 'object') return 'unknown error';
  const e = err as SmtpErrorLike;
  if (typeof e.responseCode === 'number') return `${e.responseCode}${typeof e.command === 'string' ? ` on ${e.command}` : ''}`;
  const code = typeof e.originalCode === 'string' ? e.originalCode : typeof e.code === 'string' ? e.code : undefined;
  return code ?? 'unknown error';
}

export function createMailer({ smtpUrl, from, logger }: CreateMailerOptions): Mailer {
  const log = logger.child({ component: 'mailer' });
  const transport = nodemailer.createTransport(
    {
      url: smtpUrl,
      pool: true,
      maxConnections: 5,
      // Failures go back to the caller at once; its job retries with backoff.
      maxRequeues: 0,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 10_000,
      dnsTimeout: 10_000,
      // Close idle pooled connections ourselves, before the socket timeout would.
      idleTimeout: 5_000,
      logger: false,
      debug: false,
      disableFileAccess: true,
      disableUrlAccess: true,
    },
    { from },
  );
  const description = describeSmtpUrl(smtpUrl);
  const fromAddress = addressparser(from, { flatten: true })[0]?.address ?? from;

  return {
    description,
    async send(msg) {
      const { recipient } = checkMessage(msg);
      const toDomain = domainOf(recipient);
      try {
        const info = await transport.sendMail({
          ...(msg.fromName !== undefined ? { from: { name: msg.fromName, address: fromAddress } } : {}),
          to: msg.to,
          subject: msg.subject,
          html: msg.html,
          text: msg.text,
          ...(msg.replyTo !== undefined ? { replyTo: msg.replyTo } : {}),
          ...(msg.headers ? { headers: msg.headers } : {}),
          ...(msg.messageId !== undefined ? { messageId: msg.messageId } : {}),
        });
        const result: SendResult = {
          messageId: info.messageId,
          accepted: addressList(info.accepted),
          rejected: addressList(info.rejected),
          response: String(info.response ?? ''),
        };
        log.info({ messageId: result.messageId, toDomain }, 'mail sent');
        return result;
      } catch (err) {
        const e = (err ?? {}) as SmtpErrorLike;
        log.warn(
          { messageId: msg.messageId, toDomain, code: e.code, responseCode: e.responseCode, permanent: isPermanentSmtpFailure(err) },
          `mail not sent: ${smtpFailureSummary(err)}`,
        );
        throw err;
      }
    },
    async close() {
      transport.close();
    },
  };
}
