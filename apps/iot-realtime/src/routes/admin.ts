/**
 * `/admin/vehicles`: provisioning over HTTP for tools that cannot open the database themselves
 * (the simulator against a PGlite-backed dev server). Bearer `ADMIN_TOKEN`, compared in constant
 * time; the routes do not exist when no token is configured. Tokens are returned once and never
 * logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { IotError } from '../errors.js';

const sha = (s: string) => createHash('sha256').update(s).digest();

export async function adminRoutes(app: FastifyInstance, opts: { token: string }): Promise<void> {
  const expected = sha(opts.token);
  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    // Hashing both sides makes the comparison length-independent and constant-time.
    if (!timingSafeEqual(sha(given), expected)) throw new IotError('UNAUTHORIZED');
  });

  const vinParam = { type: 'object', required: ['vin'], properties: { vin: { type: 'string', maxLength: 64 } } } as const;
  const vehicle = {
    type: 'object',
    required: ['vin', 'createdAt', 'revokedAt'],
    properties: { vin: { type: 'string' }, createdAt: { type: 'string' }, revokedAt: { type: ['string', 'null'] } },
  } as const;

  app.post(
    '/admin/vehicles',
    {
      schema: {
        body: vinParam,
        response: { 201: { type: 'object', required: ['vin', 'token'], properties: { vin: { type: 'string' }, token: { type: 'string' } } }, '4xx': { $ref: 'Error#' } },
      },
    },
    async (req, reply) => {
      const { vin } = req.body as { vin: string };
      const token = await app.iot.credentials.addVehicle(vin);
      return reply.code(201).send({ vin, token });
    },
  );

  app.delete('/admin/vehicles/:vin', { schema: { params: vinParam, response: { 204: { type: 'null' }, '4xx': { $ref: 'Error#' } } } }, async (req, reply) => {
    await app.iot.credentials.revokeVehicle((req.params as { vin: string }).vin);
    return reply.code(204).send();
  });

  app.get('/admin/vehicles', { schema: { response: { 200: { type: 'array', items: vehicle } } } }, async () => app.iot.credentials.listVehicles());
}
