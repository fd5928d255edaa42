// When interview invitations go out after a loss: cool-off, sending hours, weekends, holidays, time
// zones and daylight-saving changes. Instants are written with their offset so each case reads as
// the local time it is about.
import { makeRng } from '../../src/themes/pipeline/prng.ts';
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { ValidationError } from '../../src/lib/errors.ts';
import { isValidTimeZone } from '../../src/lib/time-zones.ts';
import {
  addBusinessDays,
  computeSendTime,
  defaultSendWindow,
  nextSendableTime,
  parseSendWindowRules,
  sendWindowRulesSchema,
  SendWindowRulesError,
  type SendWindowRules,
} from '../../src/program/schedule.ts';

function rules(overrides: Partial<SendWindowRules> = {}): SendWindowRules {
  return { ...defaultSendWindow, programTimeZone: 'Europe/Berlin', ...overrides };
}

const at = (iso: string) => new Date(iso);

/** The send instant as local wall-clock time, e.g. 'Thu 2026-05-14 10:30', read by luxon. */
function local(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).setLocale('en').toFormat('ccc yyyy-MM-dd HH:mm');
}

function problemsOf(input: unknown): string[] {
  try {
    parseSendWindowRules(input);
  } catch (err) {
    expect(err).to.be.instanceOf(SendWindowRulesError).and.instanceOf(ValidationError);
    return (err as SendWindowRulesError).problems;
  }
  throw new Error('expected the rules to be refused');
}

describe('interview invitation send time', () => {
  describe('with the default rules (3 business days, 09:00 to 17:00, Saturday and Sunday off)', () => {
    it('contacts a buyer lost on Monday at 10:30 on Thursday at 10:30', () => {
      const { sendAt, timeZone, reason } = computeSendTime(at('2026-05-11T10:30:00+02:00'), rules());
      expect(local(sendAt, 'Europe/Berlin')).to.equal('Thu 2026-05-14 10:30');
      expect(sendAt.toISOString()).to.equal('2026-05-14T08:30:00.000Z');
      expect(timeZone).to.equal('Europe/Berlin');
      expect(reason).to.match(/^3 business days after the loss, at 10:30 Europe\/Berlin \(the program's time zone/);
    });

    it('contacts a buyer lost on Friday at 18:00 on Wednesday when sending hours open', () => {
      const { sendAt } = computeSendTime(at('2026-05-15T18:00:00+02:00'), rules());
      expect(local(sendAt, 'Europe/Berlin')).to.equal('Wed 2026-05-20 09:00');
    });

    it('counts a Saturday loss from Monday, so the buyer hears from us on Thursday at 09:00', () => {
      const { sendAt, reason } = computeSendTime(at('2026-05-16T11:00:00+02:00'), rules());
      expect(local(sendAt, 'Europe/Berlin')).to.equal('Thu 2026-05-21 09:00');
      expect(reason).to.contain('counted from Monday').and.contain('at 09:00 Europe/Berlin');
    });

    it('contacts a buyer lost at 20:00 when sending hours open on the third business day', () => {
      const { sendAt } = computeSendTime(at('2026-05-12T20:00:00+02:00'), rules());
      expect(local(sendAt, 'Europe/Berlin')).to.equal('Fri 2026-05-15 09:00');
    });

    it('contacts a buyer lost before sending hours when they open on the third business day', () => {
      const { sendAt } = computeSendTime(at('2026-05-12T07:15:00+02:00'), rules());
      expect(local(sendAt, 'Europe/Berlin')).to.equal('Fri 2026-05-15 09:00');
    });

    it('treats the closing time as outside the sending hours', () => {
      expect(local(computeSendTime(at('2026-05-11T16:59:00+02:00'), rules()).sendAt, 'Europe/Berlin')).to.equal('Thu 2026-05-14 16:59');
      expect(local(computeSendTime(at('2026-05-11T17:00:00+02:00'), rules()).sendAt, 'Europe/Berlin')).to.equal('Thu 2026-05-14 09:00');
    });

    it('keeps the seconds of the loss, so the invitation is never earlier than the cool-off', () => {
      const { sendAt } = computeSendTime(at('2026-05-11T10:30:42.500+02:00'), rules());
      expect(sendAt.toISOString()).to.equal('2026-05-14T08:30:42.500Z');
    });
  });

  describe('without a cool-off', () => {
    const noCoolOff = rules({ coolOffBusinessDays: 0 });

    it('invites at once when the loss falls inside sending hours', () => {
      const lostAt = at('2026-05-12T11:45:00+02:00');
      const { sendAt, reason } = computeSendTime(lostAt, noCoolOff);
      expect(sendAt.getTime()).to.equal(lostAt.getTime());
      expect(reason).to.match(/^no cool-off: the next sending time, at 11:45 Europe\/Berlin/);
    });

    it('invites the next business morning when the loss falls in the evening', () => {
      const { sendAt } = computeSendTime(at('2026-05-12T20:00:00+02:00'), noCoolOff);
      expect(local(sendAt, 'Europe/Berlin')).to.equal('Wed 2026-05-13 09:00');
    });

    it('invites the same morning when the loss falls before sending hours', () => {
      const { sendAt } = computeSendTime(at('2026-05-12T06:00:00+02:00'), noCoolOff);
      expect(local(sendAt, 'Europe/Berlin')).to.equal('Tue 2026-05-12 09:00');
    });

    it('invites on Monday morning when the loss falls on Friday evening or at the weekend', () => {
      expect(local(computeSendTime(at('2026-05-15T17:30:00+02:00'), noCoolOff).sendAt, 'Europe/Berlin')).to.equal('Mon 2026-05-18 09:00');
      expect(local(computeSendTime(at('2026-05-17T10:00:00+02:00'), noCoolOff).sendAt, 'Europe/Berlin')).to.equal('Mon 2026-05-18 09:00');
    });
  });

  describe('time zones', () => {
    // 14:30 UTC on a Monday is 10:30 in New York (inside sending hours) and 23:30 in Tokyo (after them).
    const lostAt = at('2026-05-11T14:30:00Z');

    it("uses the buyer's time zone when it is valid, so buyers in different zones get different instants", () => {
      const newYork = computeSendTime(lostAt, rules(), 'America/New_York');
      const tokyo = computeSendTime(lostAt, rules(), 'Asia/Tokyo');
      expect(local(newYork.sendAt, 'America/New_York')).to.equal('Thu 2026-05-14 10:30');
      expect(local(tokyo.sendAt, 'Asia/Tokyo')).to.equal('Thu 2026-05-14 09:00');
      expect(newYork.sendAt.getTime()).not.to.equal(tokyo.sendAt.getTime());
      expect(newYork.timeZone).to.equal('America/New_York');
      expect(tokyo.timeZone).to.equal('Asia/Tokyo');
      expect(newYork.reason).to.equal("3 business days after the loss, at 10:30 America/New_York (the buyer's time zone)");
    });

    it("uses the program's time zone when the buyer's is missing, and says so", () => {
      for (const missing of [undefined, null, '', '  ']) {
        const result = computeSendTime(lostAt, rules(), missing);
        expect(result.timeZone).to.equal('Europe/Berlin');
        expect(local(result.sendAt, 'Europe/Berlin')).to.equal('Thu 2026-05-14 16:30');
        expect(result.reason).to.contain("(the program's time zone; the buyer's is unknown)");
      }
    });

    it("uses the program's time zone when the buyer's is not a valid IANA zone, and names it", () => {
      for (const invalid of ['Mars/Olympus', '+02:00', 'GMT+2 ', 'Europe/Berlin; DROP']) {
        const result = computeSendTime(lostAt, rules(), invalid);
        expect(result.timeZone, invalid).to.equal('Europe/Berlin');
        expect(result.reason).to.contain(`the buyer's "${invalid}" is not a valid time zone`);
      }
    });

    it('recognises IANA zone names and nothing else', () => {
      expect(isValidTimeZone('Europe/Berlin')).to.equal(true);
      expect(isValidTimeZone('UTC')).to.equal(true);
      expect(isValidTimeZone('America/Argentina/Buenos_Aires')).to.equal(true);
      expect(isValidTimeZone('Mars/Olympus')).to.equal(false);
      expect(isValidTimeZone('+01:00')).to.equal(false);
      expect(isValidTimeZone('')).to.equal(false);
      expect(isValidTimeZone(' Europe/Berlin')).to.equal(false);
    });
  });

  describe('business days', () => {
    it('skips holidays while counting the cool-off', () => {
      const christmas = rules({ holidays: ['2026-12-24', '2026-12-25', '2026-12-31'] });
      const { sendAt } = computeSendTime(at('2026-12-22T10:00:00+01:00'), christmas);
      // Wed 23 (1), Thu 24 and Fri 25 holidays, Mon 28 (2), Tue 29 (3)
      expect(local(sendAt, 'Europe/Berlin')).to.equal('Tue 2026-12-29 10:00');
    });

    it('counts a loss on a holiday from the next business day', () => {
      const { sendAt, reason } = computeSendTime(at('2026-12-25T10:00:00+01:00'), rules({ holidays: ['2026-12-25'] }));
      expect(local(sendAt, 'Europe/Berlin')).to.equal('Thu 2026-12-31 09:00');
      expect(reason).to.contain('counted from Monday');
    });

    it('does not send on a holiday even without a cool-off', () => {
      const { sendAt } = computeSendTime(at('2026-12-23T18:00:00+01:00'), rules({ coolOffBusinessDays: 0, holidays: ['2026-12-24', '2026-12-25'] }));
      expect(local(sendAt, 'Europe/Berlin')).to.equal('Mon 2026-12-28 09:00');
    });

    it('follows a custom weekend: Friday and Saturday off for a buyer in Dubai', () => {
      const gulf = rules({ weekendDays: [5, 6] });
      // Thursday 10:00: Sun (1), Mon (2), Tue (3)
      const thursday = computeSendTime(at('2026-05-14T10:00:00+04:00'), gulf, 'Asia/Dubai');
      expect(local(thursday.sendAt, 'Asia/Dubai')).to.equal('Tue 2026-05-19 10:00');
      // Friday is a day off, Sunday a working day: counted from Sunday, Mon (1), Tue (2), Wed (3)
      const friday = computeSendTime(at('2026-05-15T10:00:00+04:00'), gulf, 'Asia/Dubai');
      expect(local(friday.sendAt, 'Asia/Dubai')).to.equal('Wed 2026-05-20 09:00');
      expect(friday.reason).to.contain('counted from Sunday');
    });

    it('adds business days at the same wall-clock time, ignoring sending hours', () => {
      const late = addBusinessDays(at('2026-05-15T22:15:00+02:00'), 1, rules(), 'Europe/Berlin');
      expect(local(late, 'Europe/Berlin')).to.equal('Mon 2026-05-18 22:15');
      const same = at('2026-05-16T12:00:00Z');
      expect(addBusinessDays(same, 0, rules(), 'Europe/Berlin').getTime()).to.equal(same.getTime());
      expect(() => addBusinessDays(same, -1, rules(), 'Europe/Berlin')).to.throw(RangeError, /whole number/);
    });

    it('finds the next sendable moment, or keeps one that already is', () => {
      const inside = at('2026-05-13T12:00:00+02:00');
      expect(nextSendableTime(inside, rules(), 'Europe/Berlin').getTime()).to.equal(inside.getTime());
      expect(local(nextSendableTime(at('2026-05-16T12:00:00+02:00'), rules(), 'Europe/Berlin'), 'Europe/Berlin')).to.equal('Mon 2026-05-18 09:00');
      expect(() => nextSendableTime(inside, rules(), 'Nowhere/Else')).to.throw(RangeError, /not a valid IANA time zone/);
    });
  });

  describe('daylight-saving changes keep the local time', () => {
    const cases: [string, string, string, string][] = [
      // zone, loss (local 09:00 on the Thursday before the change), expected local send, expected UTC
      ['Europe/Berlin', '2026-03-26T09:00:00+01:00', 'Tue 2026-03-31 09:00', '2026-03-31T07:00:00.000Z'],
      ['Europe/Berlin', '2026-10-22T09:00:00+02:00', 'Tue 2026-10-27 09:00', '2026-10-27T08:00:00.000Z'],
      ['America/New_York', '2026-03-05T09:00:00-05:00', 'Tue 2026-03-10 09:00', '2026-03-10T13:00:00.000Z'],
      ['America/New_York', '2026-10-29T09:00:00-04:00', 'Tue 2026-11-03 09:00', '2026-11-03T14:00:00.000Z'],
    ];
    for (const [zone, loss, expectedLocal, expectedUtc] of cases) {
      it(`sends at 09:00 ${zone} across the change after ${loss.slice(0, 10)}`, () => {
        const { sendAt } = computeSendTime(at(loss), rules({ programTimeZone: 'UTC' }), zone);
        expect(local(sendAt, zone)).to.equal(expectedLocal);
        expect(sendAt.toISOString()).to.equal(expectedUtc);
      });
    }

    it('opens at 09:00 local on the Monday after a Friday-evening loss across the spring change', () => {
      const { sendAt } = computeSendTime(at('2026-03-27T18:00:00+01:00'), rules({ coolOffBusinessDays: 1 }));
      expect(sendAt.toISOString()).to.equal('2026-03-30T07:00:00.000Z');
    });

    describe('around the clock, seven days a week', () => {
      const always = rules({ weekendDays: [], sendFrom: '00:00', sendUntil: '24:00' });

      it('moves a local time the clocks skip to the first instant after the gap (02:30 becomes 03:00)', () => {
        const { sendAt } = computeSendTime(at('2026-03-28T02:30:00+01:00'), { ...always, coolOffBusinessDays: 1 });
        expect(sendAt.toISOString()).to.equal('2026-03-29T01:00:00.000Z');
        expect(local(sendAt, 'Europe/Berlin')).to.equal('Sun 2026-03-29 03:00');
      });

      it('takes the first of the two 02:30s on the night the clocks go back', () => {
        const sendAt = addBusinessDays(at('2026-10-24T02:30:00+02:00'), 1, always, 'Europe/Berlin');
        expect(sendAt.toISOString()).to.equal('2026-10-25T00:30:00.000Z');
      });

      it('opens a window that starts in the gap at the first valid instant', () => {
        const sendAt = nextSendableTime(at('2026-03-29T00:30:00+01:00'), { ...always, sendFrom: '02:30' }, 'Europe/Berlin');
        expect(sendAt.toISOString()).to.equal('2026-03-29T01:00:00.000Z');
      });

      it('skips a day whose whole window the clocks jump over', () => {
        const sendAt = nextSendableTime(at('2026-03-29T00:30:00+01:00'), { ...always, sendFrom: '02:00', sendUntil: '02:45' }, 'Europe/Berlin');
        expect(local(sendAt, 'Europe/Berlin')).to.equal('Mon 2026-03-30 02:00');
      });

      it('reopens a window for the repeated hour when the clocks go back', () => {
        // 02:45 summer time is past a 02:00-02:30 window; the clocks then show 02:00 again, in winter time.
        const sendAt = nextSendableTime(at('2026-10-25T02:45:00+02:00'), { ...always, sendFrom: '02:00', sendUntil: '02:30' }, 'Europe/Berlin');
        expect(sendAt.toISOString()).to.equal('2026-10-25T01:00:00.000Z');
      });
    });
  });

  describe('validating the rules', () => {
    it('fills the defaults and accepts the default rules', () => {
      expect(parseSendWindowRules({ programTimeZone: 'Europe/Berlin' })).to.deep.equal({
        coolOffBusinessDays: 3,
        programTimeZone: 'Europe/Berlin',
        sendFrom: '09:00',
        sendUntil: '17:00',
        weekendDays: [6, 7],
        holidays: [],
      });
      expect(sendWindowRulesSchema.safeParse(defaultSendWindow).success).to.equal(true);
    });

    it('refuses a time that is not HH:MM', () => {
      expect(problemsOf(rules({ sendFrom: '9:00' }))).to.deep.equal(['sendFrom: must be a time of day as HH:MM, from 00:00 to 23:59']);
      expect(problemsOf(rules({ sendUntil: '25:00' }))).to.deep.equal(['sendUntil: must be a time of day as HH:MM, from 00:01 to 24:00']);
    });

    it('refuses sending hours that close before they open', () => {
      expect(problemsOf(rules({ sendFrom: '17:00', sendUntil: '09:00' }))).to.deep.equal([
        'sendUntil: must be later than sendFrom (the sending hours close after they open)',
      ]);
      expect(problemsOf(rules({ sendFrom: '09:00', sendUntil: '09:00' }))).to.have.length(1);
    });

    it('refuses an unknown time zone', () => {
      expect(problemsOf(rules({ programTimeZone: 'Europe/Atlantis' }))).to.deep.equal(['programTimeZone: must be an IANA time zone such as Europe/Berlin']);
    });

    it('refuses a weekend that covers the whole week, and weekday numbers out of range', () => {
      expect(problemsOf(rules({ weekendDays: [1, 2, 3, 4, 5, 6, 7] }))).to.deep.equal([
        'weekendDays: cannot cover all 7 days of the week: nothing would ever be sent',
      ]);
      expect(problemsOf(rules({ weekendDays: [0, 6] })).join()).to.contain('weekendDays.0: must be ISO weekday numbers');
    });

    it('refuses a cool-off outside 0 to 30 business days, and holidays that are not dates', () => {
      expect(problemsOf(rules({ coolOffBusinessDays: 31 }))).to.deep.equal(['coolOffBusinessDays: must be a whole number of business days from 0 to 30']);
      expect(problemsOf(rules({ coolOffBusinessDays: 1.5 }))).to.have.length(1);
      expect(problemsOf(rules({ holidays: ['2026-02-30'] }))).to.deep.equal(['holidays.0: must be dates as YYYY-MM-DD']);
    });

    it('lists every problem at once, grouped by field for forms', () => {
      try {
        computeSendTime(at('2026-05-11T10:30:00Z'), { coolOffBusinessDays: -1, programTimeZone: 'Nowhere', sendFrom: 'noon', sendUntil: '17:00' });
        expect.fail('should have refused the rules');
      } catch (err) {
        expect(err).to.be.instanceOf(SendWindowRulesError);
        const { message, details, status } = err as SendWindowRulesError;
        expect(status).to.equal(400);
        expect(message)
          .to.match(/^The sending rules are not valid: /)
          .and.contain('coolOffBusinessDays')
          .and.contain('programTimeZone')
          .and.contain('sendFrom');
        expect(Object.keys(details ?? {})).to.have.members(['coolOffBusinessDays', 'programTimeZone', 'sendFrom']);
      }
    });

    it('refuses a loss time that is not a date', () => {
      expect(() => computeSendTime(new Date('not a date'), rules())).to.throw(TypeError, /lostAt must be a valid Date/);
    });
  });

  describe('over a few hundred random losses', () => {
    // A seeded generator (the themes pipeline's), so a failure can be replayed.
    const prng = makeRng;

    const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Asia/Dubai', 'Australia/Sydney', 'Asia/Kolkata', 'Pacific/Chatham'];
    const weekends = [[6, 7], [5, 6], [7], []];
    const windows: [string, string][] = [
      ['09:00', '17:00'],
      ['08:30', '12:00'],
      ['00:00', '24:00'],
      ['01:30', '03:15'],
      ['22:00', '23:59'],
    ];
    const holidays = ['2026-01-01', '2026-03-30', '2026-04-03', '2026-05-01', '2026-10-26', '2026-11-02', '2026-12-25'];

    function isBusiness(day: DateTime, r: SendWindowRules): boolean {
      return !(r.weekendDays ?? [6, 7]).includes(day.weekday) && !(r.holidays ?? []).includes(day.toISODate()!);
    }

    function minutes(hhmm: string): number {
      const [h, m] = hhmm.split(':').map(Number);
      return h! * 60 + m!;
    }

    it('always sends after the loss, on a business day, inside sending hours, and after the full cool-off', () => {
      const random = prng(20260511);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
      const start = Date.parse('2026-01-01T00:00:00Z');
      const span = Date.parse('2027-01-01T00:00:00Z') - start;

      for (let i = 0; i < 400; i++) {
        const [sendFrom, sendUntil] = pick(windows);
        const r = rules({
          coolOffBusinessDays: Math.floor(random() * 8),
          programTimeZone: pick(zones),
          sendFrom,
          sendUntil,
          weekendDays: pick(weekends),
          holidays: random() < 0.5 ? holidays : [],
        });
        const buyer = random() < 0.7 ? pick(zones) : pick([null, 'Not/AZone']);
        const lostAt = new Date(start + Math.floor(random() * span));
        const label = `case ${i}: lost ${lostAt.toISOString()}, buyer ${buyer}, ${JSON.stringify(r)}`;

        const { sendAt, timeZone } = computeSendTime(lostAt, r, buyer);

        expect(timeZone, label).to.equal(buyer && buyer !== 'Not/AZone' ? buyer : r.programTimeZone);
        expect(sendAt.getTime(), label).to.be.at.least(lostAt.getTime());
        const sent = DateTime.fromJSDate(sendAt, { zone: timeZone });
        expect(isBusiness(sent.startOf('day'), r), label).to.equal(true);
        const minuteOfDay = sent.hour * 60 + sent.minute;
        expect(minuteOfDay, label).to.be.within(minutes(sendFrom), minutes(sendUntil) - 1);
        expect(nextSendableTime(sendAt, r, timeZone).getTime(), label).to.equal(sendAt.getTime());

        let businessDaysBetween = 0;
        const lostDay = DateTime.fromJSDate(lostAt, { zone: timeZone }).startOf('day');
        for (let day = lostDay.plus({ days: 1 }); day <= sent.startOf('day'); day = day.plus({ days: 1 })) {
          if (isBusiness(day, r)) businessDaysBetween++;
        }
        expect(businessDaysBetween, label).to.be.at.least(r.coolOffBusinessDays);
      }
    });
  });
});
