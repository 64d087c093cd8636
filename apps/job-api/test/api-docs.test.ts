/** The committed api-docs.yaml is what the route schemas generate, and Heroku can publish it. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderApiDocs } from '../src/api-docs.js';

const committed = readFileSync(new URL('../api-docs.yaml', import.meta.url), 'utf8');

describe('api-docs.yaml', () => {
  it('is current (regenerate with `pnpm --filter @ecars/job-api openapi`)', async () => {
    expect(committed).toBe(await renderApiDocs());
  });

  it('declares the operations heroku salesforce:publish imports, with the x-sfdc authorization block', () => {
    const doc = parse(committed) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string; parameters?: { name: string; in: string; schema: object }[]; 'x-sfdc'?: unknown }>>;
    };
    expect(doc.openapi).toMatch(/^3\.0/);
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(ops.map((o) => o.operationId).sort()).toEqual(['datacreate', 'datadelete', 'executeBatch', 'jobStatus']);
    for (const op of ops) {
      expect(op['x-sfdc']).toEqual({
        heroku: { authorization: { connectedApp: 'GenerateQuoteJobConnectedApp', permissionSet: 'GenerateQuoteJobPermissions' } },
      });
    }
    const create = doc.paths['/api/data/create']?.['post'];
    expect(create?.parameters).toEqual([
      expect.objectContaining({ name: 'numberOfOpportunities', in: 'query', schema: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 1000000, default: 10 }) }),
    ]);
  });

  it('uses the connected app and permission set names it is given', async () => {
    const doc = parse(await renderApiDocs({ connectedApp: 'MyApp', permissionSet: 'MyPerms' })) as {
      paths: Record<string, Record<string, { 'x-sfdc': { heroku: { authorization: object } } }>>;
    };
    expect(doc.paths['/api/executebatch']?.['post']?.['x-sfdc'].heroku.authorization).toEqual({ connectedApp: 'MyApp', permissionSet: 'MyPerms' });
  });
});
