// A bare SMTP server for fault tests and drills: it counts what arrives (Message-ID and recipient) and
// can go away and come back on the same port, so that senders meet refused connections in between.
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './process.ts';

export interface Received {
  messageId: string;
  to: string;
}

export interface SmtpSink {
  readonly port: number;
  readonly url: string;
  readonly received: Received[];
  /** Codes of connections that broke off (a killed sender gives ECONNRESET). */
  readonly connectionErrors: string[];
  /** Stops listening: connections are refused until start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startSmtpSink(port?: number): Promise<SmtpSink> {
  const listenPort = port ?? (await freePort());
  const received: Received[] = [];
  const connectionErrors: string[] = [];
  let server: SMTPServer | undefined;
  const start = async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((mail) => {
            for (const rcpt of session.envelope.rcptTo) received.push({ messageId: mail.messageId ?? '', to: rcpt.address });
            callback();
          })
          .catch((err: Error) => callback(err));
      },
    });
    const s = server;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(listenPort, '127.0.0.1', () => {
        s.off('error', reject);
        // A sender killed mid-message resets its connection: smtp-server reports that as an 'error' on the
        // server, which would be thrown in the test process. The lost message is the drill's point, not a fault.
        s.on('error', (err: NodeJS.ErrnoException) => connectionErrors.push(err.code ?? err.message));
        resolve();
      });
    });
  };
  await start();
  return {
    port: listenPort,
    url: `smtp://127.0.0.1:${listenPort}`,
    received,
    connectionErrors,
    async stop() {
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    start,
  };
}
