// The emails page: marketers rewrite what buyers get, preview it rendered by the real template, and
// bad input comes back with what they typed and the error beside the field.
import { expect } from 'chai';
import { loadEmailSettings } from '../../src/outbox/settings.ts';
import { defaultEmailTexts } from '../../src/outbox/texts.ts';
import { settingsToForm } from '../../src/outbox/handlers.ts';
import { buildUser, testPassword } from '../factories/users.ts';
import { useTestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';

describe('the emails page', () => {
  useTestDatabase('email_settings');
  const app = useTestApp();
  let c: Client;
  beforeEach(async () => {
    await clearCollections();
    await buildUser('admin');
    const marketer = await buildUser('marketer');
    c = new Client(app.url);
    await c.signIn(marketer.email, testPassword);
  });

  it('previews an edited invitation through the real template without saving it, then saves it', async () => {
    const form = settingsToForm(await loadEmailSettings());
    const edited = {
      ...form,
      companyName: 'Acme & Co',
      invitationSubject: 'Quick one, {first_name}?',
      invitationBody: 'Hi {first_name},\n\nWhy <b>not</b> us?',
    };
    const preview = await c.submit('/settings/emails', '/settings/emails', { ...edited, action: 'preview-invitation' });
    expect(preview.status).to.equal(200);
    expect(preview.body).to.contain('Quick one, Jordan?');
    // The email's HTML comes in a sandboxed frame of its own, from the draft just previewed: the buyer's
    // words stay text, and the frame's policy lets its inline styles in and nothing else.
    const src = /<iframe[^>]*\ssrc="([^"]+)"/.exec(preview.body)?.[1]?.replace(/&amp;/g, '&');
    expect(src).to.match(/^\/settings\/emails\/preview\/invitation\?v=/);
    const frame = await c.get(src!);
    expect(frame.status).to.equal(200);
    expect(frame.body).to.contain('Why &lt;b&gt;not&lt;/b&gt; us?').and.contain('SAMPLE-LINK');
    expect(frame.headers.get('content-security-policy')).to.equal(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox",
    );
    expect((await loadEmailSettings()).texts.invitation.subject).to.equal(defaultEmailTexts.invitation.subject);

    const saved = await c.submit('/settings/emails', '/settings/emails', { ...edited, reminderDays: '3, 7', action: 'save' });
    expect(saved.status).to.equal(303);
    const settings = await loadEmailSettings();
    expect(settings).to.deep.include({ companyName: 'Acme & Co', reminderDays: [3, 7] });
    expect(settings.texts.invitation.body).to.equal('Hi {first_name},\n\nWhy <b>not</b> us?');
  });

  it('refuses unknown placeholders and a cadence out of order, keeping what was typed', async () => {
    const form = settingsToForm(await loadEmailSettings());
    const res = await c.submit('/settings/emails', '/settings/emails', {
      ...form,
      reminderDays: '9, 4',
      reminderBody: 'Hello {firstname}, still there?',
      action: 'save',
    });
    expect(res.status).to.equal(400);
    expect(res.body).to.contain('{firstname} is not a placeholder we know');
    expect(res.body).to.contain('in increasing order');
    expect(res.body).to.contain('Hello {firstname}, still there?');
    expect(res.body).to.contain('value="9, 4"');
    expect((await loadEmailSettings()).reminderDays).to.deep.equal([4, 9]);
  });

  it('refuses a company name with a line break: buyers’ emails come from it', async () => {
    const form = settingsToForm(await loadEmailSettings());
    const res = await c.submit('/settings/emails', '/settings/emails', { ...form, companyName: 'Acme\r\nBcc: spy@evil.example', action: 'save' });
    expect(res.status).to.equal(400);
    expect(res.body).to.contain('Use one line');
    expect((await loadEmailSettings()).companyName).not.to.contain('Bcc');
  });
});
