// The interview's state machine (src/interviews): the table says which moves exist, transition() makes
// one only when the table allows it and only from the states the caller accepts, in one conditional
// update, so when several changes race exactly one wins and the others are told they did not apply.
import { expect } from 'chai';
import mongoose, { type Types } from 'mongoose';
import {
  allowedTransitions,
  initialStates,
  interviewStates,
  openBuyerStates,
  pendingStates,
  terminalStates,
  transition,
  transitionMany,
  TransitionNotAllowedError,
  type InterviewState,
} from '../../src/interviews/index.ts';
import { Interview } from '../../src/interviews/model.ts';
import { useTestDatabase } from '../helpers/db.ts';

let n = 0;
async function interviewIn(state: InterviewState, dealId = new mongoose.Types.ObjectId()): Promise<Types.ObjectId> {
  n += 1;
  const doc = await Interview.create({
    dealId,
    planKey: `${String(dealId)}#${n}`,
    contact: { name: 'Bea Buyer', email: `bea${n}@example.com` },
    state,
    timeline: [{ state, at: new Date('2026-01-05T09:00:00Z') }],
  });
  return doc._id;
}

const stored = async (id: Types.ObjectId) => (await Interview.findById(id).lean())!;

describe('the interview state machine', () => {
  useTestDatabase('state_machine');
  const at = new Date('2026-01-06T10:00:00Z');

  it('makes an allowed move: the state, the extra fields and one timeline line, and says it applied', async () => {
    const id = await interviewIn('planned');
    const expiresAt = new Date('2026-01-20T10:00:00Z');
    expect(await transition(id, { from: ['planned'], to: 'invited', note: 'Invitation sent', set: { expiresAt }, at })).to.equal(true);
    const after = await stored(id);
    expect(after.state).to.equal('invited');
    expect(after.expiresAt?.toISOString()).to.equal(expiresAt.toISOString());
    expect(after.timeline.map((t) => [t.state, t.note ?? null])).to.deep.equal([
      ['planned', null],
      ['invited', 'Invitation sent'],
    ]);
    expect(after.timeline[1]!.at.toISOString()).to.equal(at.toISOString());
  });

  it('refuses a move the table does not allow, before writing anything', async () => {
    const planned = await interviewIn('planned');
    const completed = await interviewIn('completed');
    // A reminder for an interview that was never invited; anything out of a terminal state.
    for (const [id, move] of [
      [planned, { from: ['planned'], to: 'reminded' }],
      [planned, { from: ['planned', 'invited'], to: 'declined' }],
      [completed, { from: ['completed'], to: 'expired' }],
      [completed, { from: ['completed'], to: 'opted_out' }],
    ] as const) {
      const before = await stored(id);
      let thrown: unknown;
      try {
        await transition(id, move);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, `${move.from.join(',')} -> ${move.to}`).to.be.instanceOf(TransitionNotAllowedError);
      const after = await stored(id);
      expect(after.state).to.equal(before.state);
      expect(after.timeline).to.have.length(before.timeline.length);
    }
    // The bulk form checks the same table.
    let bulk: unknown;
    try {
      await transitionMany({ dealId: new mongoose.Types.ObjectId() }, { from: pendingStates, to: 'expired' });
    } catch (err) {
      bulk = err;
    }
    expect(bulk).to.be.instanceOf(TransitionNotAllowedError);
  });

  it('does not apply when the interview is no longer in a state the caller accepts, and changes nothing', async () => {
    const id = await interviewIn('invited');
    // The buyer completed a moment ago (another process); the expiry comes after.
    expect(await transition(id, { from: openBuyerStates, to: 'completed', at })).to.equal(true);
    const before = await stored(id);
    expect(await transition(id, { from: openBuyerStates, to: 'expired', note: 'No answer in time', set: { expiresAt: at }, at })).to.equal(false);
    const after = await stored(id);
    expect(after.state).to.equal('completed');
    expect(after.expiresAt ?? null).to.equal(null);
    expect(after.timeline.map((t) => t.state)).to.deep.equal(before.timeline.map((t) => t.state));
  });

  it('when moves race on one interview, exactly one applies and the timeline has exactly its line', async () => {
    // Read-then-write would let several see "invited" and all write: the conditional update lets one.
    for (let round = 0; round < 5; round += 1) {
      const id = await interviewIn('invited');
      const moves: InterviewState[] = ['completed', 'declined', 'expired', 'bounced', 'opted_out', 'in_progress', 'opened'];
      const results = await Promise.all([...moves, ...moves].map((to) => transition(id, { from: ['invited'], to, note: `to ${to}`, at })));
      expect(results.filter(Boolean), `round ${round}`).to.have.length(1);
      const after = await stored(id);
      const winner = [...moves, ...moves][results.indexOf(true)]!;
      expect(after.state).to.equal(winner);
      expect(after.timeline.map((t) => t.state)).to.deep.equal(['invited', winner]);
    }
  });

  it('the bulk move takes only the deal’s interviews in the accepted states', async () => {
    const dealId = new mongoose.Types.ObjectId();
    const [planned, held, invited, other] = [
      await interviewIn('planned', dealId),
      await interviewIn('held', dealId),
      await interviewIn('invited', dealId),
      await interviewIn('planned'),
    ];
    expect(await transitionMany({ dealId }, { from: pendingStates, to: 'cancelled', note: 'The deal was won.', at })).to.equal(2);
    expect((await stored(planned)).state).to.equal('cancelled');
    expect((await stored(held)).timeline.at(-1)?.note).to.equal('The deal was won.');
    expect((await stored(invited)).state).to.equal('invited');
    expect((await stored(other)).state).to.equal('planned');
  });

  it('the table covers every state: each has its moves or is terminal, and each is reached', () => {
    expect(Object.keys(allowedTransitions).sort()).to.deep.equal([...interviewStates].sort());
    for (const state of interviewStates) {
      const moves = allowedTransitions[state];
      for (const to of moves) expect(interviewStates, `${state} -> ${to}`).to.include(to);
      if (terminalStates.includes(state)) expect(moves, `${state} is terminal`).to.deep.equal([]);
      else expect(moves, `${state} is not terminal, so it has moves`).to.not.be.empty;
      const reached = initialStates.includes(state) || interviewStates.some((from) => from !== state && allowedTransitions[from].includes(state));
      expect(reached, `${state} is created so or reached from another state`).to.equal(true);
    }
  });
});
