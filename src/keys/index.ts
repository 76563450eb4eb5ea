// Keys and what is signed or sealed with them: capture and staff tokens (JWT, EdDSA), webhook
// signatures (JWS, published at /.well-known/jwks.json), and face embeddings sealed at rest
// (AES-256-GCM, the session id as associated data). WebCrypto only, so Node and Workers share it.
import { CompactSign, SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK } from 'jose';
import { Problem, problem } from '../problem/index.js';

export interface Keys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
  embeddingKey: CryptoKey;
}

const ALG = 'EdDSA';
const ISSUER = 'realperson';
export const AUDIENCE = { capture: 'realperson:capture', staff: 'realperson:staff' } as const;

export async function newSigningJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
  return exportJWK(privateKey);
}

export function newEmbeddingKey(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64');
}

export async function importKeys(signingJwk: JWK, embeddingKeyB64: string): Promise<Keys> {
  const { d: _private, ...pub } = signingJwk;
  const kid = await calculateJwkThumbprint(pub);
  const privateKey = await importJWK({ ...signingJwk, alg: ALG }, ALG) as CryptoKey;
  const publicKey = await importJWK({ ...pub, alg: ALG }, ALG) as CryptoKey;
  const raw = Buffer.from(embeddingKeyB64, 'base64');
  if (raw.length !== 32) throw new Error('embedding key must be 32 bytes');
  const embeddingKey = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
  return { kid, privateKey, publicKey, publicJwk: { ...pub, kid, alg: ALG, use: 'sig' }, embeddingKey };
}

export interface CaptureClaims {
  sessionId: string;
  tenantId: string;
}

export async function issueCaptureToken(keys: Keys, claims: CaptureClaims, expiresAt: Date): Promise<string> {
  return new SignJWT({ tid: claims.tenantId })
    .setProtectedHeader({ alg: ALG, kid: keys.kid, typ: 'JWT' })
    .setIssuer(ISSUER).setAudience(AUDIENCE.capture).setSubject(claims.sessionId)
    .setIssuedAt().setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(keys.privateKey);
}

export interface StaffClaims {
  userId: string;
  role: 'reviewer' | 'security' | 'admin';
  csrf: string;
  /** the account's session epoch at sign-in; a sign-out raises it and so recalls the token */
  epoch: number;
}

export async function issueStaffToken(keys: Keys, claims: StaffClaims, ttlSeconds: number, now: Date): Promise<string> {
  return new SignJWT({ role: claims.role, csrf: claims.csrf, epoch: claims.epoch })
    .setProtectedHeader({ alg: ALG, kid: keys.kid, typ: 'JWT' })
    .setIssuer(ISSUER).setAudience(AUDIENCE.staff).setSubject(claims.userId)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(now.getTime() / 1000) + ttlSeconds)
    .sign(keys.privateKey);
}

/** Verifies alg, issuer, audience and expiry (all pinned); any failure is a 401 problem. */
async function verify(keys: Keys, token: string, audience: string, now: Date, expiredDetail: string) {
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      algorithms: [ALG], issuer: ISSUER, audience, requiredClaims: ['exp', 'sub'], currentDate: now,
    });
    return payload;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED') throw new Problem('auth.token_expired', 401, expiredDetail);
    throw new Problem('auth.invalid_token', 401, 'the token is not valid for this service');
  }
}

export async function verifyCaptureToken(keys: Keys, token: string, now: Date): Promise<CaptureClaims> {
  const payload = await verify(keys, token, AUDIENCE.capture, now, 'this capture link has expired');
  if (typeof payload.tid !== 'string') throw problem.unauthorized('the token is not valid for this service');
  return { sessionId: payload.sub!, tenantId: payload.tid };
}

export async function verifyStaffToken(keys: Keys, token: string, now: Date): Promise<StaffClaims> {
  const payload = await verify(keys, token, AUDIENCE.staff, now, 'your sign-in has expired');
  const role = payload.role;
  if (role !== 'reviewer' && role !== 'security' && role !== 'admin') throw problem.unauthorized();
  const epoch = typeof payload.epoch === 'number' && Number.isInteger(payload.epoch) ? payload.epoch : -1;
  return { userId: payload.sub!, role, csrf: String(payload.csrf ?? ''), epoch };
}

/** Compact JWS over the exact body sent, so the platform verifies bytes, not a re-serialisation. */
export async function signWebhook(keys: Keys, body: string): Promise<string> {
  return new CompactSign(new TextEncoder().encode(body))
    .setProtectedHeader({ alg: ALG, kid: keys.kid, typ: 'realperson-webhook+jws' })
    .sign(keys.privateKey);
}

/** Seals bytes to one session: the session id is authenticated data, so a row moved to another session fails to open. */
export async function seal(keys: Keys, sessionId: string, plain: Uint8Array): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: iv as BufferSource, additionalData: new TextEncoder().encode(sessionId) }, keys.embeddingKey, plain as BufferSource));
  const out = new Uint8Array(iv.length + ct.length);
  out.set(iv, 0);
  out.set(ct, iv.length);
  return out;
}

export async function open(keys: Keys, sessionId: string, sealed: Uint8Array): Promise<Uint8Array> {
  const iv = sealed.subarray(0, 12);
  const pt = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: iv as BufferSource, additionalData: new TextEncoder().encode(sessionId) }, keys.embeddingKey, sealed.subarray(12) as BufferSource);
  return new Uint8Array(pt);
}
