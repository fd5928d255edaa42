// The OpenAPI document: valid OpenAPI 3.1, public, and describing exactly the route table the router
// serves, with the request schemas the router validates with.
import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import { z } from 'zod';
import { apiRoutes } from '../../src/api/routes.ts';
import { lossTypes } from '../../src/deals/model.ts';
import { useTestApp } from '../helpers/app.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { apiCall, apiClient } from './client.ts';

// biome-ignore-start lint/suspicious/noExplicitAny: the OpenAPI document is read as JSON; the validator checks its shape
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, any>; securitySchemes: Record<string, any> };
};
// biome-ignore-end lint/suspicious/noExplicitAny: the OpenAPI document is read as JSON

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const refName = (ref: string) => ref.replace('#/components/schemas/', '');

describe('the OpenAPI document', () => {
  useTestDatabase('api_openapi');
  const app = useTestApp();
  let doc: Doc;
  beforeEach(async () => {
    await clearCollections();
    const res = await apiCall(app.url, 'GET', '/api/v1/openapi.json');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.contain('application/json');
    expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    doc = res.json as Doc;
  });

  it('is served without a key and is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).to.equal('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors, JSON.stringify(result.errors, null, 2)).to.equal(undefined);
    expect(result.valid).to.equal(true);
    expect(doc.components.securitySchemes.apiKey).to.include({ type: 'http', scheme: 'bearer' });
  });

  it('has exactly the operations of the route table, each with its scope', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.sort()).to.deep.equal(apiRoutes.map((r) => `${r.method.toUpperCase()} ${openApiPath(r.path)}`).sort());
    for (const route of apiRoutes) {
      const op = doc.paths[openApiPath(route.path)]![route.method]!;
      expect(op.operationId).to.equal(route.operationId);
      if (route.access === 'public') expect(op.security, route.operationId).to.deep.equal([]);
      else expect(op.security, route.operationId).to.deep.equal([{ apiKey: route.access === 'any' ? [] : [route.access] }]);
      if (route.access === 'read' || route.access === 'write') {
        expect(op['x-required-scope']).to.equal(route.access);
        expect(op.responses).to.have.property('403');
      }
      for (const status of Object.keys(route.responses)) expect(op.responses, route.operationId).to.have.property(status);
      for (const name of route.path.match(/:(\w+)/g)?.map((p) => p.slice(1)) ?? []) {
        expect(
          op.parameters.find((p: { name: string; in: string }) => p.name === name && p.in === 'path'),
          `${route.operationId} ${name}`,
        ).to.be.an('object');
      }
      expect(Boolean(op.requestBody), route.operationId).to.equal(Boolean(route.input.body));
    }
    // The existing endpoints are there too.
    for (const path of ['/me', '/deals', '/interviews', '/privacy/export', '/privacy/erase', '/program', '/deals/{source}/{externalId}/lost']) {
      expect(doc.paths, path).to.have.property(path);
    }
  });

  it('describes the bodies with the schemas the router validates with', () => {
    const lost = doc.paths['/deals/{source}/{externalId}/lost']!.post;
    const loss = doc.components.schemas[refName(lost.requestBody.content['application/json'].schema.$ref)];
    expect(loss.properties.lossType.enum).to.deep.equal([...lossTypes]);
    expect(loss.required).to.include.members(['lossType', 'reasonCode']);
    expect(loss.additionalProperties).to.equal(false);
    expect(loss.properties.lostAt).to.deep.equal({ type: 'string', format: 'date-time' });

    const dealBody = doc.components.schemas[refName(doc.paths['/deals/{source}/{externalId}']!.put.requestBody.content['application/json'].schema.$ref)];
    expect(dealBody.properties).not.to.have.property('source');
    expect(dealBody.required).to.include.members(['name', 'buyerCompany']);
    expect(dealBody.properties.contacts.items.additionalProperties).to.equal(false);

    const program = doc.components.schemas[refName(doc.paths['/program']!.put.requestBody.content['application/json'].schema.$ref)];
    expect(program.required).to.have.members([
      'coolOffBusinessDays',
      'timeZone',
      'sendFrom',
      'sendUntil',
      'minimumAmount',
      'segments',
      'contactCooldownDays',
      'holdOffHours',
      'reasons',
      'interviewerBySegment',
    ]);
    expect(program.properties.coolOffBusinessDays).to.include({ minimum: 0, maximum: 30 });
    expect(program.properties.reasons).to.include({ minItems: 1, maxItems: 30 });
    expect(program.properties.reasons.items.properties.code.pattern).to.equal('^[a-z0-9_]+$');
    // GET answers what PUT takes.
    const getProgram = doc.components.schemas[refName(doc.paths['/program']!.get.responses['200'].content['application/json'].schema.$ref)];
    expect(getProgram.properties.data.$ref).to.equal('#/components/schemas/Program');

    const states = doc.paths['/interviews']!.get.parameters.find((p: { name: string }) => p.name === 'state');
    expect(states.in).to.equal('query');
    expect(JSON.stringify(states.schema)).to.contain('in_progress');
    const plan = doc.components.schemas.InterviewPlan;
    expect(plan.properties.outcome.enum).to.deep.equal(['planned', 'excluded', 'already_lost', 'duplicate']);
  });

  it('every request schema in the table refuses unknown fields, as the document says', () => {
    for (const route of apiRoutes) {
      for (const schema of [route.input.body, route.input.query, route.input.params]) {
        if (!schema) continue;
        const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { additionalProperties?: unknown };
        expect(json.additionalProperties, route.operationId).to.equal(false);
      }
    }
  });

  it('the router serves every documented operation (a key is asked for, not a 404), and nothing else', async () => {
    // answers:internal only widens what read shows: it opens no operation on its own.
    const { key } = await apiClient(app.url, ['answers:internal']);
    for (const route of apiRoutes) {
      const path = route.path.replace(':source', 'crm').replace(':externalId', 'D-1');
      const res = await apiCall(
        app.url,
        route.method.toUpperCase(),
        `/api/v1${path}`,
        route.access === 'public' ? undefined : key,
        route.input.body ? {} : undefined,
      );
      const expected = route.access === 'public' || route.access === 'any' ? 200 : 403;
      expect(res.status, `${route.method} ${route.path}`).to.equal(expected);
    }
    expect((await apiCall(app.url, 'GET', '/api/v1/docs/secret', key)).status).to.equal(404);
  });
});
