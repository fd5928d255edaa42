// The redaction and wording rules of src/disclosure on their own: what is taken out of a buyer's words,
// what is left alone, and how an anonymous buyer is described.
import { expect } from 'chai';
import { anonymousAttribution, article, namedAttribution, showAnswer } from '../../src/disclosure/index.ts';
import { redactContacts, redactIdentity } from '../../src/disclosure/redact.ts';

describe('disclosure: redaction and wording', () => {
  it('takes the buyer’s name, company (with or without its legal form), email domain and phone out wholly', () => {
    const who = { name: 'Zoe Zephyr', company: 'Zephyr Mutual Ltd', email: 'zoe@zephyrmutual.example' };
    expect(redactIdentity('Zoe here, from ZEPHYR MUTUAL (see zephyrmutual.example); Zephyr Mutual Ltd’s board, and zoe’s team.', who)).to.equal(
      '[name] here, from [company] (see [company]); [company]’s board, and [name]’s team.',
    );
    expect(redactIdentity('Call (555) 010-2345 or +44 20 7946 0958, or write to z.z+win@other.example.', who)).to.equal(
      'Call [phone] or [phone], or write to [email].',
    );
  });

  it('leaves years, dates, amounts and everyday words alone', () => {
    const who = { name: 'Will Price', company: 'Acme Analytics', email: 'will@gmail.com' };
    expect(
      redactIdentity('In 2023-2024 we will ask about the price again; 1 200 000 a year from 2024-03-15 is too much for analytics. Will said so.', who),
    ).to.equal('In 2023-2024 we will ask about the price again; 1 200 000 a year from 2024-03-15 is too much for analytics. [name] said so.');
    expect(redactIdentity('Acme chose gmail.', who), 'a mail provider’s domain is not the company').to.equal('[company] chose gmail.');
  });

  it('keeps a link’s neighbours: quotes, brackets and the end of the sentence', () => {
    expect(redactContacts('=HYPERLINK("http://evil.example","click") or (https://a.example/x?y=1). See www.b.example.')).to.equal(
      '=HYPERLINK("[link]","click") or ([link]). See [link].',
    );
  });

  it('says “an” or “a” as the word is said', () => {
    expect(['Enterprise', 'SMB', 'MSP', 'hour', 'Mid-market', 'university', 'Public sector', 'NGO'].map((w) => `${article(w)} ${w}`)).to.deep.equal([
      'an Enterprise',
      'an SMB',
      'an MSP',
      'an hour',
      'a Mid-market',
      'a university',
      'a Public sector',
      'an NGO',
    ]);
    expect(anonymousAttribution('Enterprise')).to.equal('A buyer at an enterprise company');
    expect(anonymousAttribution('SMB')).to.equal('A buyer at a small business');
    expect(anonymousAttribution('Public sector')).to.equal('A buyer at a Public sector company');
    expect(anonymousAttribution('OEM')).to.equal('A buyer at an OEM company');
    expect(namedAttribution({ name: 'Nora Named', role: 'CFO', company: 'Northwind' })).to.equal('Nora Named, CFO, Northwind');
  });

  it('shows each audience what the buyer allowed: a quote never shows an answer for the team only', () => {
    const buyer = { name: 'Zoe Zephyr', company: 'Zephyr Mutual', segment: 'Enterprise' };
    const parts = [
      { text: 'Zoe liked the demo', permission: 'named' as const },
      { text: 'Zephyr Mutual needed SSO', permission: 'internal' as const },
    ];
    expect(showAnswer({ parts, buyer }, 'quote')).to.deep.equal({ text: 'Zoe liked the demo', attribution: 'Zoe Zephyr, Zephyr Mutual', named: true });
    expect(showAnswer({ parts, buyer }, 'list')).to.deep.equal({
      text: '[name] liked the demo. [company] needed SSO.',
      attribution: 'A buyer at an enterprise company',
      named: false,
    });
    expect(showAnswer({ parts, buyer }, 'record')?.text).to.equal('Zoe liked the demo. Zephyr Mutual needed SSO.');
    expect(showAnswer({ parts: [parts[1]!], buyer }, 'quote')).to.equal(null);
  });
});
