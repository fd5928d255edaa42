// "Send a test invitation to myself": the whole buyer path with the person testing as the buyer. A deal
// and an interview marked test, planned for now and sent through the real outbox (the real template, the
// real signer, the real link and form, the thank-you). Test records are shown to staff, tagged, and
// counted nowhere: the report's rows, themes, the gap, the overview's quotes and the API's lists leave
// them out, the contact cool-down ignores them, no rep is told and no reminder chases the tester.
import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { audit, type Actor } from '../audit/index.ts';
import { Deal } from '../deals/model.ts';
import { chooseInterviewer } from '../interviews/interviewers.ts';
import { Interview } from '../interviews/model.ts';
import { AppError } from '../lib/errors.ts';
import type { Queue } from '../lib/queue.ts';
import { loadEmailSettings, sendInvitationNow } from '../outbox/index.ts';
import { loadProgram } from '../program/index.ts';

export const testSource = 'test';

export class NoTestSignerError extends AppError {
  constructor() {
    super(409, 'no_interviewer', 'Add an interviewer first: every invitation, a test too, is signed by a real person.');
  }
}

export interface TestInvitation {
  dealId: Types.ObjectId;
  interviewId: Types.ObjectId;
  interviewer: { name: string; email: string };
}

export async function sendTestInvitation(
  tester: { name: string; email: string },
  actor: Actor,
  queue: Queue,
  mailFrom: string,
  now = new Date(),
): Promise<TestInvitation> {
  // Signed as a real invitation would be today (not counted against anyone's share of interviews).
  const interviewer = await chooseInterviewer(null, await loadProgram());
  if (!interviewer) throw new NoTestSignerError();
  const { companyName } = await loadEmailSettings(mailFrom);
  const deal = await Deal.create({
    source: testSource,
    externalId: `invitation-${now.getTime()}-${randomBytes(4).toString('hex')}`,
    name: `Test invitation for ${tester.name}`,
    buyerCompany: companyName,
    status: 'lost',
    lostAt: now,
    lossType: 'other',
    lossCount: 1,
    contacts: [{ name: tester.name, email: tester.email, primary: true }],
    test: true,
  });
  const interview = await Interview.create({
    dealId: deal._id,
    planKey: `${String(deal._id)}#1`,
    buyerCompany: companyName,
    contact: { name: tester.name, email: tester.email },
    interviewer,
    state: 'planned',
    plannedFor: now,
    timeline: [{ state: 'planned', at: now, note: `A test invitation ${tester.name} sent to themself from the set-up checklist` }],
    // No rep's notice: the dispatcher takes it as handed over.
    repNotifiedAt: now,
    test: true,
  });
  await sendInvitationNow(queue, interview._id, now);
  await audit(actor, 'setup.test_invitation', `interview ${String(interview._id)}`);
  return { dealId: deal._id, interviewId: interview._id, interviewer };
}
