import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpReceiver {
  port: number;
  mails: ParsedMail[];
  logins: string[];
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server) that requires the given login and parses every mail with mailparser. */
export async function startSmtpReceiver(user: string, pass: string): Promise<SmtpReceiver> {
  const rec: SmtpReceiver = { port: 0, mails: [], logins: [], close: () => new Promise((r) => server.close(() => r())) };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      rec.logins.push(auth.username ?? '');
      if (auth.username === user && auth.password === pass) cb(null, { user });
      else cb(new Error('invalid credentials'));
    },
    onData(stream, _session, cb) {
      simpleParser(stream).then((mail) => {
        rec.mails.push(mail);
        cb();
      }, cb);
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  rec.port = (server.server.address() as AddressInfo).port;
  return rec;
}
