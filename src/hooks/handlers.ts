// Request handlers for Settings, Webhooks (admins only): the endpoints with the private-address setting,
// one endpoint with its recent deliveries, and the actions on it. A new secret is shown once, in the
// answer to the POST that made it, never kept in the session.
import type { Request, Response } from 'express';
import { actorOf } from '../accounts/index.ts';
import { ValidationError } from '../lib/errors.ts';
import { renderForm, typed, type FormState } from '../lib/http/forms.ts';
import { takeNotice } from '../lib/http/notice.ts';
import { fieldErrors, parseOrThrow } from '../lib/http/validate.ts';
import type { Queue } from '../lib/queue.ts';
import type { Secrets } from '../lib/secrets.ts';
import { hookEventLabels, hookEventTypes } from './events.ts';
import { endpointForm, endpointIdParam, settingsForm } from './schemas.ts';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  hookSettings,
  listEndpoints,
  recentDeliveries,
  rotateSecret,
  sendTestEvent,
  setAllowPrivateAddresses,
  setEndpointState,
  updateEndpoint,
} from './service.ts';

const base = '/settings/webhooks';
const title = 'Webhooks';

/** The event boxes that were ticked, as typed (for re-display). */
function ticked(body: unknown): string {
  const raw = (body && typeof body === 'object' ? (body as Record<string, unknown>).events : undefined) ?? [];
  return (Array.isArray(raw) ? raw : [raw]).filter((s): s is string => typeof s === 'string').join(',');
}

export interface HookPageDeps {
  queue: Queue;
  secrets: Secrets;
}

export function hookHandlers({ queue, secrets }: HookPageDeps) {
  async function renderIndex(res: Response, status: number, state: FormState, extra: Record<string, unknown> = {}): Promise<void> {
    renderForm(res, status, 'hooks/index', title, state, {
      endpoints: await listEndpoints(),
      settings: await hookSettings(),
      eventTypes: hookEventTypes,
      eventLabels: hookEventLabels,
      created: undefined,
      notice: undefined,
      ...extra,
    });
  }

  async function renderShow(req: Request, res: Response, status: number, state: FormState | null, extra: Record<string, unknown> = {}): Promise<void> {
    const { id } = parseOrThrow(endpointIdParam, req.params);
    const endpoint = await getEndpoint(id);
    renderForm(
      res,
      status,
      'hooks/show',
      `Webhook ${endpoint.url}`,
      state ?? { values: { url: endpoint.url, description: endpoint.description, events: endpoint.events.join(',') } },
      {
        endpoint,
        deliveries: await recentDeliveries(id),
        eventTypes: hookEventTypes,
        eventLabels: hookEventLabels,
        secret: undefined,
        notice: undefined,
        ...extra,
      },
    );
  }

  return {
    async index(req: Request, res: Response): Promise<void> {
      await renderIndex(res, 200, { values: { url: '', description: '', events: 'interview.completed' } }, { notice: takeNotice(req) });
    },

    async create(req: Request, res: Response): Promise<void> {
      const values = { ...typed(req.body, ['url', 'description']), events: ticked(req.body) };
      const parsed = endpointForm.safeParse(req.body);
      if (!parsed.success) return renderIndex(res, 400, { values, errors: fieldErrors(parsed.error) });
      try {
        const { secret, endpoint } = await createEndpoint(
          { url: parsed.data.url, description: parsed.data.description, events: parsed.data.events },
          actorOf(req),
          secrets,
        );
        // The one time the secret is shown: keep it out of every cache.
        res.set('Cache-Control', 'no-store');
        await renderIndex(res, 201, { values: { url: '', description: '', events: 'interview.completed' } }, { created: { secret, endpoint } });
      } catch (err) {
        if (err instanceof ValidationError) return renderIndex(res, 400, { values, errors: err.details ?? {} });
        throw err;
      }
    },

    async settings(req: Request, res: Response): Promise<void> {
      const parsed = settingsForm.safeParse(req.body);
      if (!parsed.success) return renderIndex(res, 400, { values: { url: '', description: '', events: '' }, errors: fieldErrors(parsed.error) });
      await setAllowPrivateAddresses(parsed.data, actorOf(req));
      req.session.notice = parsed.data
        ? 'Webhooks may now reach private and loopback addresses: only do this for receivers inside your own network.'
        : 'Webhooks can no longer reach private, loopback or link-local addresses.';
      res.redirect(303, base);
    },

    async show(req: Request, res: Response): Promise<void> {
      await renderShow(req, res, 200, null, { notice: takeNotice(req) });
    },

    async update(req: Request, res: Response): Promise<void> {
      const { id } = parseOrThrow(endpointIdParam, req.params);
      const values = { ...typed(req.body, ['url', 'description']), events: ticked(req.body) };
      const parsed = endpointForm.safeParse(req.body);
      if (!parsed.success) return renderShow(req, res, 400, { values, errors: fieldErrors(parsed.error) });
      try {
        await updateEndpoint(id, { url: parsed.data.url, description: parsed.data.description, events: parsed.data.events }, actorOf(req));
      } catch (err) {
        if (err instanceof ValidationError) return renderShow(req, res, 400, { values, errors: err.details ?? {} });
        throw err;
      }
      req.session.notice = 'Saved.';
      res.redirect(303, `${base}/${id}`);
    },

    async test(req: Request, res: Response): Promise<void> {
      const { id } = parseOrThrow(endpointIdParam, req.params);
      await sendTestEvent(id, actorOf(req), queue);
      req.session.notice = 'A test event is on its way: reload this page in a moment to see how the receiver answered.';
      res.redirect(303, `${base}/${id}`);
    },

    state(state: 'active' | 'paused') {
      return async (req: Request, res: Response): Promise<void> => {
        const { id } = parseOrThrow(endpointIdParam, req.params);
        await setEndpointState(id, state, actorOf(req));
        req.session.notice = state === 'paused' ? 'Paused: nothing is sent to this endpoint until it is resumed.' : 'Resumed: events from now on are sent.';
        res.redirect(303, `${base}/${id}`);
      };
    },

    async rotate(req: Request, res: Response): Promise<void> {
      const { id } = parseOrThrow(endpointIdParam, req.params);
      const { secret } = await rotateSecret(id, actorOf(req), secrets);
      res.set('Cache-Control', 'no-store');
      await renderShow(req, res, 200, null, { secret });
    },

    async remove(req: Request, res: Response): Promise<void> {
      const { id } = parseOrThrow(endpointIdParam, req.params);
      const endpoint = await getEndpoint(id);
      await deleteEndpoint(id, actorOf(req));
      req.session.notice = `Deleted the webhook to ${endpoint.url}.`;
      res.redirect(303, base);
    },
  };
}
