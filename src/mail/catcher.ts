// The SMTP catcher: without SMTP_URL, Debrief sends its mail over real SMTP to this small server on
// 127.0.0.1, which keeps every message in the database instead of delivering it. The process that sends
// mail (the worker) runs it; any web process shows what it caught at /dev/mailbox.
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Logger } from '../lib/logger.ts';
import { addresseeOnlyHeader, caughtLimits, CaughtMail } from './model.ts';

/** Messages above this many bytes are refused (552), as a real server would. */
export const catcherSizeLimit = 10 * 1024 * 1024;

export interface Catcher {
  /** smtp://127.0.0.1:PORT, for the mailer. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections and waits (a few seconds at most) for open ones to finish. */
  stop(): Promise<void>;
}

export interface StartCatcherOptions {
  /** 0 picks any free port. */
  port: number;
  logger: Logger;
}

export class CatcherError extends Error {
  override name = 'CatcherError';
}

function smtpError(message: string, responseCode: number): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

function addressText(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');
}

/** "Name: value" header lines as { name, value }, unfolded, bounded. */
function headerPairs(parsed: ParsedMail): { name: string; value: string }[] {
  return parsed.headerLines.slice(0, caughtLimits.headers).map(({ line }) => {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : line.trim();
    const value =
      colon > 0
        ? line
            .slice(colon + 1)
            .replace(/\r?\n[ \t]+/g, ' ')
            .trim()
        : '';
    return { name, value: value.slice(0, caughtLimits.headerValueChars) };
  });
}

async function readMessage(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let kept = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    // Keep reading an oversized message to the end (the client waits for our reply), but stop keeping it.
    if (kept <= catcherSizeLimit) {
      chunks.push(chunk);
      kept += chunk.length;
    }
  }
  return Buffer.concat(chunks);
}

async function store(raw: Buffer, session: SMTPServerSession): Promise<{ messageId: string; domains: string[] }> {
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, keepCidLinks: true });
  const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
  const source = raw.toString('utf8');
  const messageId = parsed.messageId ?? '';
  await CaughtMail.create({
    receivedAt: new Date(),
    envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
    envelopeTo,
    messageId,
    subject: parsed.subject ?? '',
    from: addressText(parsed.from),
    to: addressText(parsed.to),
    replyTo: addressText(parsed.replyTo),
    headers: headerPairs(parsed),
    html: (parsed.html || '').slice(0, caughtLimits.htmlChars),
    text: (parsed.text ?? '').slice(0, caughtLimits.textChars),
    attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? '', contentType: a.contentType, size: a.size })),
    raw: source.slice(0, caughtLimits.rawChars),
    rawTruncated: source.length > caughtLimits.rawChars,
    sizeBytes: raw.length,
    addresseeOnly: parsed.headers.has(addresseeOnlyHeader.toLowerCase()),
  });
  return { messageId, domains: [...new Set(envelopeTo.map((a) => a.slice(a.lastIndexOf('@') + 1)))] };
}

export async function startCatcher({ port, logger }: StartCatcherOptions): Promise<Catcher> {
  const log = logger.child({ component: 'smtp-catcher' });
  const server = new SMTPServer({
    name: 'debrief-catcher',
    banner: 'Debrief SMTP catcher: mail is kept, never delivered',
    // Loopback only and plain text: no TLS (so no built-in test certificate) and no AUTH to get wrong.
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: catcherSizeLimit,
    disableReverseLookup: true,
    logger: false,
    maxClients: 50,
    socketTimeout: 30_000,
    closeTimeout: 3_000,
    onData(stream, session, callback) {
      readMessage(stream)
        .then(async (raw) => {
          if (stream.sizeExceeded) {
            callback(smtpError(`Message exceeds the catcher's limit of ${catcherSizeLimit} bytes`, 552));
            return;
          }
          const { messageId, domains } = await store(raw, session);
          log.info({ messageId, to: domains }, 'mail caught');
          callback(null, `Caught as ${messageId || 'a message without a Message-ID'}`);
        })
        .catch((err: unknown) => {
          // The database is away or the message is unreadable: a temporary failure, the sender retries.
          log.error({ err }, 'could not keep a caught message');
          callback(smtpError('Could not keep the message, try again later', 451));
        });
    },
  });
  server.on('error', (err) => log.warn({ err }, 'SMTP catcher connection error'));

  try {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        server.server.off('listening', onListening);
        reject(
          new CatcherError(
            err.code === 'EADDRINUSE'
              ? `Port ${port} on 127.0.0.1 is already in use: stop the other program or set SMTP_CATCHER_PORT (0 picks a free port).`
              : `The SMTP catcher could not start: ${err.message}`,
          ),
        );
      };
      const onListening = () => {
        server.server.off('error', onError);
        resolve();
      };
      server.server.once('error', onError);
      server.server.once('listening', onListening);
      server.listen(port, '127.0.0.1');
    });
  } catch (err) {
    server.close();
    throw err;
  }
  const bound = (server.server.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    url: `smtp://127.0.0.1:${bound}`,
    port: bound,
    stop: () => (stopped ??= new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}
