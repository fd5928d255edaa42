// Hand-written fragments of lost-deal answers, in the voice of buyers, and a deterministic generator that
// combines them. It wrote test/fixtures/themes/labelled.jsonl (the labelled quality set: `npx tsx
// bench/themes-corpus.ts > test/fixtures/themes/labelled.jsonl`) and makes the synthetic answers
// bench/themes.ts times at 1k/10k/100k. Every fragment was written for this project.
import { makeRng, type Rng } from '../src/themes/pipeline/prng.ts';

export interface ReasonFragments {
  /** whole first sentences saying the reason */
  cores: string[];
  /** second sentences that add detail */
  extras: string[];
  /** one to three word answers */
  shorts: string[];
  /** long, hand-written answers used as they are */
  longs: string[];
}

export const reasons: Record<string, ReasonFragments> = {
  price: {
    cores: [
      'your price was way too high for what we get',
      'the pricing was about 40% above the other quote',
      'it was simply too expensive for a team our size',
      'the cost per seat did not fit our budget',
      'we could not justify the price to finance',
      'the other vendor came in much cheaper',
      'licence costs were double what we pay today',
      'your quote was out of our price range',
      'the annual fee was more than we could afford',
      'pricing jumped a lot after the first year',
      'cost was the deciding factor, you were the most expensive',
      'the per user pricing gets crazy once you add everyone',
      'too pricey compared to the alternatives we looked at',
      'the discount came too late and was too small',
      'finance said the total cost of ownership was too high',
      'we found a cheaper option that does most of the same',
      'the price tag was hard to swallow',
      'your pricing model charges for things we will never use',
      'expensive add ons for features that should be included',
      'we would have signed at a lower price point',
      'the renewal uplift in the contract scared our CFO',
      'value for money just was not there',
      'the minimum seat count made it too costly',
      'budget wise you were the priciest by far',
      'the ROI did not add up at that price',
    ],
    extras: [
      'We asked twice for a better number.',
      'Procurement pushed back hard on the cost.',
      'If the price had been 20% lower we would have gone with you.',
      'Our CFO would not sign off on that spend.',
      'The competitor offered a three year price lock.',
      'Paying extra for the API tier felt like nickel and diming.',
      'It is a great tool but the money was the issue.',
      'The implementation fee on top was the last straw.',
    ],
    shorts: ['price', 'too expensive', 'pricing', 'cost', 'too pricey', 'expensive', 'price too high', 'cheaper elsewhere'],
    longs: [
      'Honestly we loved the demo and the team was great, but when the proposal came back it was almost twice what we had budgeted, and even after the discount it was still the most expensive option on the table. Our finance lead could not justify it for year one.',
      'Price. We compared three tools and yours was the priciest by a wide margin. The features were comparable so it came down to cost in the end.',
      'The per seat model killed it for us, we have a lot of occasional users and paying full price for each of them made the total cost way higher than the flat fee the other vendor offered.',
      'We had a fixed budget for this line item and your quote blew through it. Nobody argued about the quality, it was purely the money.',
      'the pricing was confusing and expensive, every useful feature was in a higher tier and the sales rep could not give us a clear total cost',
    ],
  },
  product_fit: {
    cores: [
      'you are missing a feature we really need, custom reporting',
      'the product did not have the workflow automation we asked for',
      'no support for multi currency which is a must for us',
      'key functionality was still on the roadmap, not available today',
      'it lacked the advanced analytics our team depends on',
      'the tool could not handle our approval workflow',
      'missing capabilities around forecasting',
      'there was no mobile app and our field team needs one',
      'your product did not fit our use case well',
      'we needed custom fields and permissions at a granular level',
      'the dashboards were too basic for our needs',
      'no offline mode, which our reps rely on',
      'the feature set was thinner than the competitor',
      'it could not do bulk editing which we do daily',
      'lack of a proper audit trail feature',
      'limited reporting, we could not build the views we need',
      'functionality gaps in the core module',
      'we needed multi language support and it was not there',
      'the product is not built for companies with multiple brands',
      'missing the scheduling feature our managers asked for',
      'no way to customise the templates the way we wanted',
      'the competitor simply had more features out of the box',
      'your roadmap promises were not enough, we need it now',
      'product fit was poor for our industry',
    ],
    extras: [
      'We were told it is coming next quarter but we could not wait.',
      'A workaround existed but it was clunky.',
      'That feature was a hard requirement in our RFP.',
      'Everything else looked good.',
      'Our power users flagged it in the trial.',
      'Without it the tool is only half useful to us.',
    ],
    shorts: ['missing features', 'features', 'product fit', 'functionality', 'lacked features', 'feature gaps'],
    longs: [
      'We ran a two week trial and the team kept hitting the same wall: there is no way to build custom reports with our own fields. Your rep said it is on the roadmap but we need it this year, so we went with the tool that already has it.',
      'The product is nice but it does not do what we need. We have complex approval chains with multiple sign offs and your workflow builder only supports a single approver.',
      'Missing functionality. Specifically forecasting and territory management, both of which the other vendor had built in.',
      'it just didnt have the features, our team needs advanced filtering, saved views and bulk actions and none of those were there yet',
      'Honestly the gap was capability. For our use case the competitor had a much richer feature set, and your roadmap did not line up with our timeline.',
    ],
  },
  integrations: {
    cores: [
      'no native integration with Salesforce',
      'it did not integrate with our ERP system',
      'the HubSpot connector was too limited',
      'we need a two way sync with our CRM and you only offer one way',
      'integrations with our existing stack were weak',
      'your API was missing endpoints we need',
      'no connector for SAP',
      'the Slack integration was basic at best',
      'it would not connect to our data warehouse',
      'syncing with NetSuite required a third party middleware',
      'the integration with Microsoft Teams did not work properly',
      'we rely on Zapier and there was no app',
      'lack of integrations with the tools we already use',
      'the API rate limits were too low for our volumes',
      'no webhook support for the events we care about',
      'it does not plug into our single source of truth',
      'the Jira integration was missing custom field mapping',
      'we would have had to build the integrations ourselves',
      'data export and import options were too limited',
      'the marketplace had no connector for our billing system',
    ],
    extras: [
      'Our IT team did not want to maintain custom code.',
      'The other vendor had it out of the box.',
      'That sync is central to how our team works.',
      'Your docs said it was possible but nobody could show us.',
      'We tested it in the sandbox and records kept duplicating.',
    ],
    shorts: ['integrations', 'no salesforce integration', 'integration', 'api', 'crm sync', 'intergrations'],
    longs: [
      'Everything we do lives in Salesforce, and your integration only pushes data one way. We need changes to flow back and forth automatically, otherwise the team ends up updating two systems and nobody will do that.',
      'Integration with our ERP was the blocker. The other tool has a certified connector, with yours we would have needed a consultant and middleware, which added cost and risk.',
      'The API was too limited. We wanted to pull data into our warehouse nightly and half the objects were not exposed.',
      'integrations integrations integrations. we use hubspot, slack and netsuite and you only had a decent connector for one of them',
    ],
  },
  support: {
    cores: [
      'your support team took days to answer our tickets during the trial',
      'customer service was slow to respond',
      'we never got a straight answer from support',
      'support is only available in US hours and we are in Europe',
      'the support experience during the pilot was poor',
      'no dedicated customer success manager at our tier',
      'our questions were bounced between people and never resolved',
      'the help desk kept closing tickets without fixing anything',
      'references told us the support is unresponsive',
      'nobody picked up the phone when our pilot broke',
      'response times from your support were too long',
      'the onboarding support was lacking',
      'we had a critical bug and waited a week for a reply',
      'support only by email, no chat or phone',
      'the knowledge base was outdated and support did not help',
      'account management went silent after the demo',
      'poor responsiveness from the support team',
      'the competitor promised 24/7 support with a named contact',
    ],
    extras: [
      'For a tool this central we need someone to pick up.',
      'It made us nervous about life after signing.',
      'We escalated twice and nothing changed.',
      'Good product, but we cannot risk that level of service.',
      'Their SLA was much stronger.',
    ],
    shorts: ['support', 'bad support', 'slow support', 'customer service', 'unresponsive', 'suport was slow'],
    longs: [
      'During the pilot we raised four tickets and the fastest reply took three days. If that is how you treat a prospect we were worried how you would treat us as a customer.',
      'Support. We are in Asia and your team only works US hours, so every question cost us a day. The competitor has local support staff.',
      'The product itself was fine but the service around it was not. No named contact, tickets got passed around, and when something broke in the trial nobody owned it.',
      'we asked for help setting up SSO in the pilot and waited over a week for a response, that basically ended it',
    ],
  },
  implementation: {
    cores: [
      'the implementation timeline was six months, far too long',
      'onboarding looked too complex for our small team',
      'setup required too much professional services',
      'the rollout plan was too slow for our deadline',
      'implementation would have taken too much of our IT time',
      'time to value was too long',
      'the migration from our current system looked painful',
      'configuration was complicated and needed consultants',
      'we did not have the internal resources to implement it',
      'the deployment needed a dedicated project manager on our side',
      'data migration was going to take months',
      'too much effort to get up and running',
      'the onboarding programme was twelve weeks long',
      'your implementation partner quoted a long project',
      'go live would have slipped past our busy season',
      'the competitor could have us live in two weeks',
      'the setup was heavy, lots of configuration before any value',
      'we worried about a long and risky rollout',
    ],
    extras: [
      'We needed something live before the new fiscal year.',
      'Our IT backlog is already full.',
      'The project plan alone was thirty pages.',
      'Nobody on our side had time to own it.',
      'We got burned by a long rollout last time.',
    ],
    shorts: ['implementation', 'too long to implement', 'onboarding', 'setup too complex', 'time to value', 'implmentation time'],
    longs: [
      'The implementation plan your team proposed was five to six months with a lot of work on our side. We had a hard deadline before the holiday season and the other vendor committed to going live in three weeks.',
      'It looked like a big project. Data migration, configuration, training, a consultant for the integrations. We are a small team and could not take that on this year.',
      'time to value. we needed results this quarter and the onboarding alone would have taken most of it',
      'Setup was way too complex. During the trial it took us a week just to configure the basics, and your partner quoted another two months of services.',
    ],
  },
  incumbent: {
    cores: [
      'we decided to stay with our current provider',
      'our incumbent matched the offer and we renewed',
      'the existing vendor has a long relationship with our leadership',
      'switching costs were too high, we stayed put',
      'our current tool does the job well enough',
      'the incumbent threw in extra modules to keep us',
      'our CEO is close friends with the founder of the other company',
      'we already use their suite for everything else',
      'they are part of our existing enterprise agreement',
      'we went with the vendor we have worked with for ten years',
      'the competitor had the inside track from the start',
      'our parent company mandates their platform',
      'we consolidated onto the suite we already pay for',
      'the other vendor is already deployed in the rest of the group',
      'renewing with our current supplier was the path of least resistance',
      'the competitor was already embedded in our processes',
      'they had a relationship with our head of sales',
    ],
    extras: [
      'It was hard to argue for a change.',
      'Nobody wanted to retrain the whole team.',
      'Their account manager has been with us for years.',
      'Honestly you never had much of a chance.',
      'Bundling made it almost free for us.',
    ],
    shorts: ['incumbent', 'stayed with current vendor', 'renewed existing contract', 'existing relationship', 'status quo', 'went with the incumbant'],
    longs: [
      'We have been with our current provider for eight years and they know our business. When we told them we were looking, they matched your price and added training. It was hard to justify the switching cost after that.',
      'Our group already has an enterprise agreement with the other vendor, so their tool was effectively included. Procurement would not approve a second contract.',
      'the incumbent. they have a strong relationship with our leadership and the decision was pretty much made before we started talking to you',
      'In the end we stayed with what we have. Switching would have meant migrating ten years of history and retraining everyone for only a slightly better tool.',
    ],
  },
  security: {
    cores: [
      'you did not have SOC 2 Type II yet',
      'our security review flagged too many open items',
      'data residency in the EU was a requirement you could not meet',
      'no single sign on in the tier we were looking at',
      'our infosec team was not comfortable with your data handling',
      'GDPR compliance questions were not answered well',
      'the security questionnaire took too long and had gaps',
      'no HIPAA compliance',
      'we require ISO 27001 certification',
      'concerns about where our customer data would be stored',
      'the lack of audit logs failed our compliance check',
      'legal had issues with the data processing agreement',
      'no option for on premise or private cloud hosting',
      'encryption at rest was not clearly documented',
      'your pen test report was out of date',
      'role based access controls were not granular enough for compliance',
      'failed our vendor risk assessment',
    ],
    extras: [
      'That is non negotiable in our industry.',
      'Our CISO blocked it.',
      'We are a regulated business so this matters a lot.',
      'The competitor passed the review in a week.',
      'We could not get answers in time for the committee.',
    ],
    shorts: ['security', 'compliance', 'soc2', 'no sso', 'data residency', 'securty review'],
    longs: [
      'Our infosec team sent the standard questionnaire and it took almost a month to get answers back, and even then there were gaps around encryption and access logging. In a regulated industry we cannot take that risk.',
      'Data residency. All customer data has to stay in the EU and you could only host in the US.',
      'Compliance killed it, no SOC 2 report yet and our policy does not allow exceptions for systems holding customer data',
      'SSO and SCIM were only in the enterprise tier, and without them our security team would not approve the tool.',
    ],
  },
  no_decision: {
    cores: [
      'the project was put on hold',
      'budget was frozen for the rest of the year',
      'we decided not to buy anything for now',
      'priorities changed after the reorg',
      'leadership paused all new spend',
      'there was a hiring freeze and the initiative died',
      'our champion left the company and nobody picked it up',
      'we are revisiting this next year',
      'no decision was made, it just stalled',
      'the budget got reallocated to another project',
      'timing was not right for us',
      'a merger put everything on ice',
      'we never got sign off from the board',
      'management wanted to wait until the new fiscal year',
      'the initiative lost its sponsor',
      'we decided to keep doing it manually for now',
      'cost cutting across the business stopped the purchase',
      'the whole evaluation got shelved',
    ],
    extras: [
      'Nothing to do with you really.',
      'Maybe we will come back to it.',
      'It could come back next quarter.',
      'The team still wants it.',
      'We did not choose anyone else either.',
    ],
    shorts: ['no budget', 'on hold', 'timing', 'budget freeze', 'no decision', 'bad timing', 'postponed'],
    longs: [
      'We did not pick anyone. Halfway through the evaluation the company announced a restructuring, all discretionary budget was frozen, and the project was shelved. It may come back next year.',
      'Our sponsor, the VP who started the project, left in March. After that nobody owned it and the budget was moved elsewhere.',
      'no decision yet, leadership froze spending until after the merger closes',
      'Timing. We were in the middle of a reorg and could not take on a new initiative, regardless of the vendor.',
    ],
  },
  sales_experience: {
    cores: [
      'the sales rep was too pushy',
      'your salesperson kept calling us every day',
      'the sales process felt aggressive',
      'your account executive did not listen to our needs',
      'we felt pressured to sign before the end of the quarter',
      'the rep was slow to send the proposal',
      'it took weeks to get a quote from your sales team',
      'the sales team overpromised and it showed in the demo',
      'too many people on your side, too many calls',
      'the demo was generic and not tailored to us',
      'your rep did not know the product well',
      'follow up from sales was inconsistent',
      'high pressure closing tactics put us off',
      'the sales cycle was long and disorganised',
      'we were handed between three different reps',
      'your team never followed up after the workshop',
      'the salesman badmouthed the competitor which felt unprofessional',
    ],
    extras: [
      'It left a bad impression.',
      'The competitor felt like a partner instead.',
      'We did not feel heard.',
      'Our team found it exhausting.',
      'Just a different style from what we expect.',
    ],
    shorts: ['pushy sales', 'sales rep', 'aggressive sales', 'sales process', 'slow proposal', 'too pushy'],
    longs: [
      'Your rep called and emailed almost daily, even after we said we needed two weeks to discuss internally. The end of quarter discount with a 48 hour deadline felt like pressure rather than partnership.',
      'The sales experience was poor. We waited three weeks for a proposal, the demo did not cover our use case, and we had to explain our requirements again to a new rep halfway through.',
      'the account exec overpromised on features that turned out not to exist, which hurt trust',
      'Too pushy. We felt like a quota number, not a customer.',
    ],
  },
  ease_of_use: {
    cores: [
      'the interface was clunky and hard to navigate',
      'our team found the product difficult to use',
      'the UI looked dated compared to the competitor',
      'too many clicks to do simple things',
      'users in the trial struggled with the learning curve',
      'the admin console was confusing',
      'it was not intuitive for non technical users',
      'adoption would have been a problem, the UX is complicated',
      'the mobile experience was frustrating',
      'the navigation is a maze',
      'our reps said it felt like old enterprise software',
      'the interface was overwhelming with too many options',
      'the competitor was much simpler and easier to learn',
      'training everyone on such a complex UI was not realistic',
      'search was slow and the screens were cluttered',
      'ease of use was a big concern in the pilot',
    ],
    extras: [
      'If people do not enjoy using it they will not use it.',
      'Two testers gave up after a day.',
      'Adoption is everything for us.',
      'It felt like it was built for engineers.',
      'We need something the whole team can pick up quickly.',
    ],
    shorts: ['ease of use', 'hard to use', 'clunky ui', 'usability', 'not intuitive', 'confusing interface'],
    longs: [
      'We gave the trial to ten people on the team and most of them could not complete basic tasks without help. The interface has a lot of power but it is not intuitive, and adoption is our biggest risk.',
      'It just felt clunky. Lots of clicks, menus inside menus, and a dated look. The other tool was simple and people got it in five minutes.',
      'usability. our users are not technical and the UI was too complicated for them',
      'The learning curve was steep. Training three hundred frontline staff on it would have been a project in itself.',
    ],
  },
};

/** Ways buyers start an answer, whatever the reason. */
export const openers = [
  '',
  '',
  '',
  '',
  'Honestly, ',
  'To be frank, ',
  'Mainly ',
  'Bottom line: ',
  'For us it was that ',
  'I think ',
  'The main reason: ',
  'Simple, ',
  'In short, ',
  'Primarily because ',
  'Well, ',
  'Overall ',
  'It came down to this: ',
  'If I am honest ',
  'Mostly that ',
  'Biggest issue: ',
];

/** Ways buyers end an answer, whatever the reason. */
export const closers = [
  'Thanks for asking.',
  'Otherwise the team was nice to work with.',
  'The demo was good though.',
  'Nothing else really.',
  'Happy to talk again later.',
  'That is about it.',
  'Good luck.',
  'We liked the people we met.',
  'Appreciate the follow up.',
  'Sorry it did not work out.',
  'Keep in touch.',
  'Hope that helps.',
];

const keyboardNeighbours: Record<string, string> = {
  a: 's',
  e: 'r',
  i: 'o',
  o: 'p',
  t: 'r',
  n: 'm',
  s: 'a',
  r: 't',
  l: 'k',
  c: 'v',
  u: 'y',
  p: 'o',
};

/** One plausible typo in one longer word: a dropped, doubled, swapped or neighbouring letter. */
export function typo(text: string, rng: Rng): string {
  const words = text.split(' ');
  const candidates = words.map((w, i) => [w, i] as const).filter(([w]) => /^[a-z]{5,}$/i.test(w));
  if (candidates.length === 0) return text;
  const [w, i] = candidates[Math.floor(rng() * candidates.length)] as readonly [string, number];
  const pos = 1 + Math.floor(rng() * (w.length - 2));
  const kind = Math.floor(rng() * 4);
  let next = w;
  if (kind === 0) next = w.slice(0, pos) + w.slice(pos + 1);
  else if (kind === 1) next = w.slice(0, pos) + (w[pos] as string) + w.slice(pos);
  else if (kind === 2) next = w.slice(0, pos - 1) + (w[pos] as string) + (w[pos - 1] as string) + w.slice(pos + 1);
  else next = w.slice(0, pos) + (keyboardNeighbours[(w[pos] as string).toLowerCase()] ?? (w[pos] as string)) + w.slice(pos + 1);
  words[i] = next;
  return words.join(' ');
}

function pick<T>(arr: readonly T[], rng: Rng): T {
  return arr[Math.floor(rng() * arr.length)] as T;
}

function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** One composed answer for a reason. */
export function composeAnswer(reason: ReasonFragments, rng: Rng, core?: string): string {
  let text = `${pick(openers, rng)}${core ?? pick(reason.cores, rng)}`;
  text = sentence(text.charAt(0).toUpperCase() + text.slice(1));
  if (rng() < 0.45) text += ` ${pick(reason.extras, rng)}`;
  if (rng() < 0.25) text += ` ${pick(closers, rng)}`;
  const style = rng();
  if (style < 0.15) text = text.toLowerCase().replace(/[.,:]/g, '');
  else if (style < 0.22) text = text.replace(/\.$/, '');
  if (rng() < 0.15) text = typo(text, rng);
  return text;
}

export interface LabelledAnswer {
  id: string;
  text: string;
  label: string;
}

/**
 * The labelled quality set: for each reason every short and long answer, then composed answers (each
 * core sentence used once before any is reused) up to `perReason`, shuffled.
 */
export function labelledSet(perReason = 48, seed = 7): LabelledAnswer[] {
  const rng = makeRng(seed);
  const out: { text: string; label: string }[] = [];
  const seen = new Set<string>();
  for (const [label, r] of Object.entries(reasons)) {
    const texts: string[] = [...r.shorts, ...r.longs];
    let c = 0;
    let guard = 0;
    while (texts.length < perReason && guard++ < 10_000) {
      const t = composeAnswer(r, rng, r.cores[c % r.cores.length]);
      c++;
      if (!seen.has(t.toLowerCase())) texts.push(t);
      seen.add(t.toLowerCase());
    }
    for (const t of texts) out.push({ text: t, label });
  }
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j] as { text: string; label: string }, out[i] as { text: string; label: string }];
  }
  return out.map((o, i) => ({ id: `l${String(i + 1).padStart(3, '0')}`, ...o }));
}

/**
 * `n` synthetic answers for the benchmark: reasons drawn with uneven weights, 8% short answers, 3%
 * long ones, the rest composed. Duplicates happen, as in real data.
 */
export function syntheticAnswers(n: number, seed = 42): LabelledAnswer[] {
  const rng = makeRng(seed);
  const names = Object.keys(reasons);
  const weights = names.map((_, i) => 1 / (1 + i * 0.25));
  const total = weights.reduce((a, b) => a + b, 0);
  const out: LabelledAnswer[] = [];
  for (let i = 0; i < n; i++) {
    let r = rng() * total;
    let k = 0;
    while (k < names.length - 1 && (r -= weights[k] as number) > 0) k++;
    const label = names[k] as string;
    const frag = reasons[label] as ReasonFragments;
    const u = rng();
    const text = u < 0.08 ? pick(frag.shorts, rng) : u < 0.11 ? pick(frag.longs, rng) : composeAnswer(frag, rng);
    out.push({ id: `s${i}`, text, label });
  }
  return out;
}

// Run directly: print the labelled set as JSON lines.
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const a of labelledSet()) process.stdout.write(`${JSON.stringify(a)}\n`);
}
