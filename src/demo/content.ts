// The demo workspace's made-up but realistic material: companies, people, competitors, and what buyers
// and reps say about lost deals, in their own words. Everything seeded from here is marked demo.

export const competitors = ['Northwind Insights', 'Clearpath', 'Vantage Suite', 'Lumen CX'] as const;

export const reps = [
  { name: 'Priya Natarajan', email: 'priya.natarajan@example.com' },
  { name: 'Tom Becker', email: 'tom.becker@example.com' },
  { name: 'Ana Lima', email: 'ana.lima@example.com' },
  { name: 'Marcus Reid', email: 'marcus.reid@example.com' },
] as const;

export const marketers = [
  { name: 'Jess Okafor', email: 'jess.okafor@example.com' },
  { name: 'Daniel Kowalski', email: 'daniel.kowalski@example.com' },
] as const;

export const segments = ['SMB', 'Mid-market', 'Enterprise'] as const;
export const productLines = ['Analytics', 'Surveys', 'Platform'] as const;
export const regions = ['North America', 'EMEA', 'APAC'] as const;

export const companies = [
  ['Harbor Freight Logistics', 'Mid-market'],
  ['Alder & Finch Legal', 'SMB'],
  ['Meridian Health Partners', 'Enterprise'],
  ['Copperline Manufacturing', 'Mid-market'],
  ['Bluewater Credit Union', 'Mid-market'],
  ['Stonebridge Retail Group', 'Enterprise'],
  ['Kestrel Software', 'SMB'],
  ['Oakmont University', 'Enterprise'],
  ['Pinecrest Insurance', 'Enterprise'],
  ['Ridgeway Foods', 'Mid-market'],
  ['Sable Travel', 'SMB'],
  ['Tidewater Energy', 'Enterprise'],
  ['Verity Clinical Labs', 'Mid-market'],
  ['Wren Design Studio', 'SMB'],
  ['Yellowtail Media', 'SMB'],
  ['Zenith Payroll', 'Mid-market'],
  ['Brightwell Pharmacy', 'Mid-market'],
  ['Cobalt Robotics', 'Mid-market'],
  ['Driftwood Hotels', 'Enterprise'],
  ['Evergreen Property', 'SMB'],
  ['Foxglove Biotech', 'Mid-market'],
  ['Granite State Bank', 'Enterprise'],
  ['Hollis Architecture', 'SMB'],
  ['Ironclad Security', 'Mid-market'],
  ['Juniper Schools', 'Enterprise'],
  ['Larkspur Events', 'SMB'],
  ['Maple Street Clinics', 'Mid-market'],
  ['Northgate Telecom', 'Enterprise'],
  ['Orchard Analytics', 'SMB'],
  ['Parkside Dental', 'SMB'],
  ['Quarry Lane Brewing', 'SMB'],
  ['Redwood Capital', 'Enterprise'],
  ['Silverline Freight', 'Mid-market'],
  ['Thistle Home Care', 'Mid-market'],
  ['Union Square Media', 'Mid-market'],
  ['Vireo Outdoor', 'SMB'],
] as const;

export const buyers = [
  ['Rachel Adams', 'VP Customer Experience'],
  ['Omar Haddad', 'Head of Insights'],
  ['Lena Fischer', 'Director of Operations'],
  ['Kenji Watanabe', 'CX Program Manager'],
  ['Sofia Rossi', 'Chief Marketing Officer'],
  ['David Mensah', 'IT Director'],
  ['Grace Liu', 'Research Lead'],
  ['Henrik Larsen', 'Head of Procurement'],
  ['Maya Patel', 'Customer Success Director'],
  ['Luis Romero', 'COO'],
] as const;

interface ReasonVoice {
  why: string[];
  changed: string[];
  missing: string[];
  repNote: string[];
}

// Keyed by reason code of the default taxonomy.
export const voices: Record<string, ReasonVoice> = {
  price: {
    why: [
      'Honestly it came down to price. Your quote was almost 40% higher for the same number of seats and finance would not sign it.',
      'The per-seat pricing did not work for us. We have a lot of occasional users and paying full price for each of them made no sense.',
      'Too expensive for what we needed. The other vendor gave us a flat fee and a discount for paying annually.',
    ],
    changed: [
      'A pricing model for occasional users, or a smaller starter package we could grow out of.',
      'If you had moved on price before the final round instead of after we had already decided.',
    ],
    missing: [
      'A clear breakdown of what is included at each tier. We had to ask three times what the add-ons cost.',
      'A simple ROI calculation we could show our CFO.',
    ],
    repNote: ['Lost on price, they wanted a 30% discount we could not give.', 'Budget was cut late in the quarter.'],
  },
  product_fit: {
    why: [
      'You did not support multi-language surveys out of the box, and half our customers are not English speakers.',
      'The reporting was too rigid. We need to build our own dashboards and your product only had fixed reports.',
      'We needed role-based permissions per region and your roadmap only had it for next year.',
    ],
    changed: [
      'Having multi-language support now rather than on the roadmap.',
      'Custom dashboards. Everything else was fine.',
    ],
    missing: [
      'A real roadmap with dates. The slide we got said "coming soon" for everything we asked about.',
      'Examples of customers our size using the reporting the way we wanted to.',
    ],
    repNote: ['Feature gap on custom reporting.', 'They needed regional permissions which we do not have yet.'],
  },
  integrations: {
    why: [
      'It did not integrate with Salesforce the way we needed. The other tool syncs both ways and yours only pushed data one way.',
      'No native connector for our data warehouse. Our IT team did not want to maintain another custom integration.',
      'We run everything on Microsoft Teams and your product had no Teams integration at all.',
    ],
    changed: [
      'A two-way Salesforce sync, or at least a credible date for it.',
      'A native Snowflake connector would have made this an easy yes.',
    ],
    missing: [
      'Technical documentation for the API before we signed, so our engineers could judge the integration work.',
      'A list of the integrations that actually exist today versus partner ones.',
    ],
    repNote: ['Integration requirements we could not meet.', 'IT blocked it over the data warehouse connector.'],
  },
  ease_of_use: {
    why: [
      'Our team found it hard to use. In the trial people kept getting lost in the survey builder.',
      'It felt complicated. The competitor was simpler and our managers could use it without training.',
      'Setting up even a basic survey took too many steps compared to the other product.',
    ],
    changed: [
      'A simpler builder, or templates that get you to a first survey in minutes.',
      'A guided trial with someone showing us the shortcuts.',
    ],
    missing: [
      'Short how-to videos during the trial.',
      'A sandbox with our own kind of data already in it.',
    ],
    repNote: ['They found the builder clunky during the trial.', 'Usability concerns from end users.'],
  },
  support: {
    why: [
      'Support hours did not cover Asia-Pacific and we have teams in Singapore and Sydney.',
      'During the trial it took four days to get an answer to a support ticket. That scared us.',
      'We wanted a named customer success manager and that was only in the enterprise plan.',
    ],
    changed: [
      'Support in our time zone, even if it cost a bit more.',
      'A faster answer during the trial would have built a lot of confidence.',
    ],
    missing: [
      'Your support SLAs in writing.',
      'References from customers in our region about the support they get.',
    ],
    repNote: ['Support coverage in APAC.', 'Trial support experience was poor.'],
  },
  sales_experience: {
    why: [
      'The sales process felt pushy. We were asked to sign by the end of the month before we had finished evaluating.',
      'We never got a proper demo of our use case, just the standard slides.',
      'Our contact changed twice during the process and we had to explain our needs again each time.',
    ],
    changed: [
      'A demo built around our actual workflow instead of a generic one.',
      'Less pressure and more time to evaluate properly.',
    ],
    missing: [
      'A straight answer on implementation timelines.',
      'Someone who understood our industry.',
    ],
    repNote: ['Lost momentum after the account changed hands.', 'Buyer felt we rushed the close.'],
  },
  implementation: {
    why: [
      'The implementation plan was twelve weeks and we needed to be live before our customer conference in six.',
      'We were worried about migrating five years of survey history and your answer on migration was vague.',
      'The other vendor offered to do the whole setup for us. You expected our team to do most of it.',
    ],
    changed: [
      'A faster onboarding option, even a basic one to start with.',
      'A migration plan with a clear owner on your side.',
    ],
    missing: [
      'A realistic implementation timeline with milestones.',
      'A case study of a migration from our current tool.',
    ],
    repNote: ['Timeline did not fit their launch date.', 'Migration concerns.'],
  },
  trust: {
    why: [
      'Your security questionnaire answers were incomplete and our CISO would not approve it.',
      'We had concerns that you are a smaller company and might not be around in three years.',
      'Data residency: we needed our data hosted in the EU and that was not available.',
    ],
    changed: [
      'A SOC 2 Type II report ready to share on day one.',
      'EU hosting would have settled it.',
    ],
    missing: [
      'Security documentation upfront instead of after several requests.',
      'Information about your financial stability and customer base.',
    ],
    repNote: ['Security review stalled.', 'EU data residency requirement.'],
  },
  no_decision: {
    why: [
      'We decided not to buy anything this year. The budget went to a different project.',
      'Our team was reorganised halfway through the evaluation and the project lost its sponsor.',
      'We realised we could get by with spreadsheets for another year.',
    ],
    changed: [
      'Nothing you could have done, the timing was wrong for us.',
      'A business case that showed the cost of waiting might have helped our sponsor.',
    ],
    missing: [
      'A way to start small without a big commitment.',
      'Numbers on what similar companies gained in the first year.',
    ],
    repNote: ['Went dark after reorg.', 'No budget this year.'],
  },
};
