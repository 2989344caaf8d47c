import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { jwtVerify, SignJWT } from 'jose';
import type { SimConfig } from './config';
import { HttpError, readBody } from './http';

export interface SimAuth {
  /** POST /oauth/token (client credentials, in the form or as HTTP Basic). */
  issueToken(req: IncomingMessage): Promise<unknown>;
  /** Checks the bearer token of a service call; throws a 401 HttpError. */
  authenticate(req: IncomingMessage): Promise<void>;
}

/** OAuth 2.0 client credentials with HS256 JWTs signed by a key that lives as long as the simulator. */
export function createAuth(config: () => SimConfig): SimAuth {
  const jwtSecret = randomBytes(32);
  const verifiedTokens = new Map<string, number>();

  async function issueToken(req: IncomingMessage): Promise<unknown> {
    const form = new URLSearchParams(await readBody(req));
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    const basic = req.headers.authorization?.match(/^Basic\s+(.+)$/i)?.[1];
    if (basic) {
      const [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id ?? '');
      clientSecret = decodeURIComponent(secret ?? '');
    }
    const current = config();
    if (form.get('grant_type') !== 'client_credentials') throw new HttpError(400, 'unsupported_grant_type');
    if (clientId !== current.clientId || clientSecret !== current.clientSecret) throw new HttpError(401, 'invalid_client');
    const expiresIn = current.tokenLifetimeSeconds;
    const token = await new SignJWT({ scope: 'orders payments notifications' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(clientId)
      .setIssuer('order-stager-simulator')
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
      .sign(jwtSecret);
    return { access_token: token, token_type: 'Bearer', expires_in: expiresIn };
  }

  async function authenticate(req: IncomingMessage): Promise<void> {
    const token = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token) throw new HttpError(401, 'MISSING_TOKEN', { 'www-authenticate': 'Bearer' });
    const nowSeconds = Date.now() / 1000;
    const cachedExp = verifiedTokens.get(token);
    if (cachedExp !== undefined) {
      if (cachedExp > nowSeconds) return;
      throw new HttpError(401, 'TOKEN_EXPIRED', { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    try {
      const { payload } = await jwtVerify(token, jwtSecret, { issuer: 'order-stager-simulator', algorithms: ['HS256'] });
      if (verifiedTokens.size > 10_000) verifiedTokens.clear();
      verifiedTokens.set(token, payload.exp ?? 0);
    } catch (error) {
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw new HttpError(401, expired ? 'TOKEN_EXPIRED' : 'INVALID_TOKEN', { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
  }

  return { issueToken, authenticate };
}
