// JSON API handlers for what leaves Debrief: buyers' answers (consent per answer: a key without
// answers:internal gets answers for the team only withheld), the latest themes, "send now", and the
// outgoing webhook endpoints. Each goes through its feature's service, as the pages do.
import type { Request } from 'express';
import { interviewAnswers, listAnswers } from '../answers/index.ts';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listEndpoints,
  recentDeliveries,
  sendTestEvent,
  setEndpointState,
  updateEndpoint,
  type DeliveryRow,
  type EndpointView,
} from '../hooks/index.ts';
import { isProgramInterview, sendEarly } from '../interviews/queue.ts';
import { sendInvitationNow } from '../outbox/index.ts';
import { NotFoundError } from '../lib/errors.ts';
import { latestSnapshot } from '../themes/index.ts';
import type { ApiHandler } from './define.ts';
import { apiServices } from './define.ts';
import { apiActor } from './handlers.ts';
import type { apiAnswersQuery, apiEndpointBody, apiThemesQuery, endpointIdParams, interviewIdParams } from './outbound-schemas.ts';

const mayReadInternal = (req: Request) => req.apiKey?.scopes.includes('answers:internal') ?? false;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const getInterviewAnswers: ApiHandler<{ params: typeof interviewIdParams }> = async ({ params }, req, res) => {
  res.setHeader('Cache-Control', 'no-store');
  res.json({ data: await interviewAnswers(params.id, mayReadInternal(req)) });
};

const dayMs = 86_400_000;

export const listAnswersHandler: ApiHandler<{ query: typeof apiAnswersQuery }> = async ({ query }, req, res) => {
  const { items, nextCursor } = await listAnswers(
    {
      from: query.from ? new Date(`${query.from}T00:00:00Z`) : undefined,
      // "to" names a whole day: up to the start of the next.
      to: query.to ? new Date(new Date(`${query.to}T00:00:00Z`).getTime() + dayMs) : undefined,
      outcome: query.outcome,
      competitor: query.competitor,
      segment: query.segment,
      cursor: query.cursor,
      limit: query.limit,
    },
    mayReadInternal(req),
  );
  res.setHeader('Cache-Control', 'no-store');
  res.json({ data: items, paging: { nextCursor, limit: query.limit } });
};

export const getThemes: ApiHandler<{ query: typeof apiThemesQuery }> = async ({ query }, _req, res) => {
  const snapshot = await latestSnapshot(query.set ?? 'reasons');
  res.json({
    data: snapshot
      ? {
          set: snapshot.set,
          snapshotId: snapshot.id,
          asOf: snapshot.asOf.toISOString(),
          answers: snapshot.total,
          // Quotes were made under the disclosure rule's "quote" audience: internal answers are never among them.
          themes: snapshot.themes.map((t) => ({
            id: t.id,
            label: t.label,
            size: t.size,
            share: t.share,
            terms: t.terms,
            quotes: t.quotes.map((q) => ({ text: q.text, attribution: q.attribution })),
          })),
        }
      : null,
  });
};

/** The staff page's "send now" (src/interviews/queue.ts), with the key as the actor. */
export const sendInterviewNow: ApiHandler<{ params: typeof interviewIdParams }> = async ({ params }, req, res) => {
  if (!(await isProgramInterview(params.id))) throw new NotFoundError('There is no such interview.');
  const { queue } = apiServices(res);
  await sendEarly(params.id, apiActor(req), (id, now) => sendInvitationNow(queue, id, now));
  res.json({ data: { id: params.id, state: 'planned', sent: true } });
};

// ---- Webhook endpoints ---------------------------------------------------------------------------

function presentEndpoint(e: EndpointView) {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events,
    state: e.state,
    pausedAt: iso(e.pausedAt),
    pausedReason: e.pausedReason,
    failingSince: iso(e.failingSince),
    lastSuccessAt: iso(e.lastSuccessAt),
    secretHint: e.secretHint,
    createdAt: e.createdAt.toISOString(),
  };
}

function presentDelivery(d: DeliveryRow) {
  return {
    id: d.id,
    eventId: d.eventId,
    type: d.type,
    state: d.state,
    attempts: d.attempts,
    createdAt: d.createdAt.toISOString(),
    lastAttemptAt: iso(d.lastAttemptAt),
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    nextAttemptAt: iso(d.nextAttemptAt),
  };
}

export const listHookEndpoints: ApiHandler = async (_input, _req, res) => {
  res.json({ data: (await listEndpoints()).map(presentEndpoint) });
};

export const createHookEndpoint: ApiHandler<{ body: typeof apiEndpointBody }> = async ({ body }, req, res) => {
  const { secret, endpoint } = await createEndpoint(body, apiActor(req), apiServices(res).secrets);
  res.setHeader('Cache-Control', 'no-store');
  res.status(201).location(`/api/v1/webhooks/${endpoint.id}`);
  res.json({ data: { ...presentEndpoint(endpoint), secret } });
};

async function endpointWithDeliveries(id: string) {
  return { ...presentEndpoint(await getEndpoint(id)), deliveries: (await recentDeliveries(id)).map(presentDelivery) };
}

export const getHookEndpoint: ApiHandler<{ params: typeof endpointIdParams }> = async ({ params }, _req, res) => {
  res.json({ data: await endpointWithDeliveries(params.id) });
};

export const putHookEndpoint: ApiHandler<{ params: typeof endpointIdParams; body: typeof apiEndpointBody }> = async ({ params, body }, req, res) => {
  await updateEndpoint(params.id, body, apiActor(req));
  res.json({ data: await endpointWithDeliveries(params.id) });
};

export function hookEndpointState(state: 'active' | 'paused'): ApiHandler<{ params: typeof endpointIdParams }> {
  return async ({ params }, req, res) => {
    await setEndpointState(params.id, state, apiActor(req));
    res.json({ data: await endpointWithDeliveries(params.id) });
  };
}

export const testHookEndpoint: ApiHandler<{ params: typeof endpointIdParams }> = async ({ params }, req, res) => {
  res.json({ data: await sendTestEvent(params.id, apiActor(req), apiServices(res).queue) });
};

export const deleteHookEndpoint: ApiHandler<{ params: typeof endpointIdParams }> = async ({ params }, req, res) => {
  await deleteEndpoint(params.id, apiActor(req));
  res.json({ data: { id: params.id, deleted: true } });
};
