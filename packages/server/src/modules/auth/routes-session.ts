import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.js';
import type { AuditNote } from '../audit/index.js';
import { LOGIN_URL } from './limits.js';
import { LoginBody, Me, PasswordChange, User } from './schemas.js';
import { SESSION_COOKIE, type AuthService } from './service.js';

export interface SessionRouteOptions {
  auth: AuthService;
  absoluteHours: number;
  /** PUBLIC_URL is https: cookies are Secure even when TLS ends at a proxy in front of us. */
  publicHttps: boolean;
}

/** `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`, `GET /api/v1/auth/me`. */
export const sessionRoutes: FastifyPluginAsyncTypebox<SessionRouteOptions> = async (app, { auth, absoluteHours, publicHttps }) => {
  const cookieOptions = (req: FastifyRequest) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: publicHttps || req.protocol === 'https',
  });

  app.post(LOGIN_URL, {
    config: { access: 'public' },
    schema: { summary: 'Log in (sets the session cookie)', tags: ['security'], body: LoginBody, response: { 200: Type.Object({ user: User }) } },
  }, async (req, reply) => {
    const r = await auth.sessions.login(req.body.username, req.body.password, req.ip);
    if (!r.ok) {
      const actor = { kind: 'user' as const, id: '', name: r.known ?? 'unknown user' };
      const note: AuditNote = { action: 'auth.login_failed', actor };
      req.auditNote = note;
      throw new AppError('unauthorized', 'invalid username or password');
    }
    req.auditNote = { action: 'auth.login', target: r.user.id, actor: { kind: 'user', id: r.user.id, name: r.user.username } };
    void reply.setCookie(SESSION_COOKIE, r.sessionId, { ...cookieOptions(req), maxAge: absoluteHours * 3600 });
    return { user: r.user };
  });

  app.post('/api/v1/auth/logout', {
    config: { access: 'public' },
    schema: { summary: 'Log out (revokes the session)', tags: ['security'], response: { 204: Type.Null() } },
  }, async (req, reply) => {
    const id = req.cookies[SESSION_COOKIE];
    if (id) {
      const who = await auth.sessions.authenticate(id).catch(() => null);
      await auth.sessions.logout(id);
      if (who) req.auditNote = { action: 'auth.logout', target: who.id, actor: who };
    }
    void reply.clearCookie(SESSION_COOKIE, cookieOptions(req));
    return reply.status(204).send(null);
  });

  app.post('/api/v1/auth/password', {
    config: { access: 'read' },
    schema: { summary: 'Change your own password (ends your other sessions)', tags: ['security'], body: PasswordChange, response: { 204: Type.Null() } },
  }, async (req, reply) => {
    if (req.principal.kind !== 'user') throw new AppError('forbidden', 'only a logged-in user has a password');
    const ok = await auth.users.changeOwnPassword(req.principal.name, req.body.current_password, req.body.new_password, req.cookies[SESSION_COOKIE]);
    if (!ok) throw new AppError('forbidden', 'the current password is not right');
    req.auditNote = { action: 'user.password', target: req.principal.id };
    return reply.status(204).send(null);
  });

  app.get('/api/v1/auth/me', {
    config: { access: 'read' },
    schema: { summary: 'The caller: user or API key', tags: ['security'], response: { 200: Me } },
  }, async (req) => req.principal);
};
