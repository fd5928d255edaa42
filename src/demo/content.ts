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
  // Older losses, all answered: enough buyers' words for the themes to show real groups.
  ['Westbrook Logistics', 'Mid-market'],
  ['Amberly Foods', 'SMB'],
  ['Beacon Hill Hospital', 'Enterprise'],
  ['Castlerock Insurance', 'Enterprise'],
  ['Dunmore Realty', 'SMB'],
  ['Elmstead Council', 'Enterprise'],
  ['Fairhaven Credit', 'Mid-market'],
  ['Glenrose Fitness', 'SMB'],
  ['Highfield Engineering', 'Mid-market'],
  ['Inverness Shipping', 'Mid-market'],
  ['Jasper Retail', 'Enterprise'],
  ['Kingsley Tutors', 'SMB'],
  ['Lindenwood Vets', 'SMB'],
  ['Moorgate Partners', 'Mid-market'],
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
      'The budget we had was fixed and your price was over it by a wide margin. The cheaper option covered 80% of what we needed.',
      'We compared total cost over three years and the other vendor came out far cheaper once you add the implementation fees.',
      'Pricing was the deciding factor. Paying extra for every add-on module made the total cost hard to justify.',
    ],
    changed: [
      'A pricing model for occasional users, or a smaller starter package we could grow out of.',
      'If you had moved on price before the final round instead of after we had already decided.',
      'A discount for a multi-year contract, or including the add-ons in the base price.',
      'Transparent pricing from the start so we could budget for it.',
    ],
    missing: [
      'A clear breakdown of what is included at each tier. We had to ask three times what the add-ons cost.',
      'A simple ROI calculation we could show our CFO.',
      'The total cost of ownership over three years, with implementation and add-ons included.',
      'A pricing page. We could not find any prices without booking a call.',
      'A cost comparison against what we pay today.',
    ],
    repNote: [
      'Lost on price, they wanted a 30% discount we could not give.',
      'Budget was cut late in the quarter.',
      'Price objection, competitor undercut us by a lot.',
      'Procurement pushed hard on cost and we would not discount further.',
    ],
  },
  product_fit: {
    why: [
      'You did not support multi-language surveys out of the box, and half our customers are not English speakers.',
      'The reporting was too rigid. We need to build our own dashboards and your product only had fixed reports.',
      'We needed role-based permissions per region and your roadmap only had it for next year.',
      'Your product was missing the offline mode our field teams rely on.',
      'The dashboards could not be customised enough for our board reports.',
      'We needed API access to raw responses and it was only available in the top plan with limits.',
    ],
    changed: [
      'Having multi-language support now rather than on the roadmap.',
      'Custom dashboards. Everything else was fine.',
      'Offline data collection for field staff.',
      'More flexible reporting and the ability to export raw data.',
    ],
    missing: [
      'A real roadmap with dates. The slide we got said "coming soon" for everything we asked about.',
      'Examples of customers our size using the reporting the way we wanted to.',
      'A feature comparison against the other vendors we were looking at.',
      'A clear answer on whether custom dashboards were on the roadmap and when.',
      'A roadmap we could rely on, with dates for the features we asked about.',
    ],
    repNote: [
      'Feature gap on custom reporting.',
      'They needed regional permissions which we do not have yet.',
      'Missing offline mode for field teams.',
      'They wanted custom dashboards, roadmap item.',
    ],
  },
  integrations: {
    why: [
      'It did not integrate with Salesforce the way we needed. The other tool syncs both ways and yours only pushed data one way.',
      'No native connector for our data warehouse. Our IT team did not want to maintain another custom integration.',
      'We run everything on Microsoft Teams and your product had no Teams integration at all.',
      'We needed HubSpot integration and yours was a third-party connector that broke during the trial.',
      'The Salesforce integration only synced every 24 hours and we needed it in real time.',
      'Our data team wanted a direct export to BigQuery and you did not have one.',
    ],
    changed: [
      'A two-way Salesforce sync, or at least a credible date for it.',
      'A native Snowflake connector would have made this an easy yes.',
      'A native HubSpot integration that we did not have to maintain ourselves.',
      'Real-time sync with our CRM.',
    ],
    missing: [
      'Technical documentation for the API before we signed, so our engineers could judge the integration work.',
      'A list of the integrations that actually exist today versus partner ones.',
      'Documentation showing exactly which fields sync with Salesforce.',
      'API documentation and a sandbox so our developers could test the integration.',
      'A list of native integrations, not just the marketplace ones.',
    ],
    repNote: [
      'Integration requirements we could not meet.',
      'IT blocked it over the data warehouse connector.',
      'HubSpot connector failed in the trial.',
      'Needed real-time CRM sync.',
    ],
  },
  ease_of_use: {
    why: [
      'Our team found it hard to use. In the trial people kept getting lost in the survey builder.',
      'It felt complicated. The competitor was simpler and our managers could use it without training.',
      'Setting up even a basic survey took too many steps compared to the other product.',
      'The interface was confusing. Our team needed help for every small change.',
      'The other tool was easier to use and needed almost no training for our managers.',
      'Building reports was too complicated for the people who would use it every day.',
    ],
    changed: [
      'A simpler builder, or templates that get you to a first survey in minutes.',
      'A guided trial with someone showing us the shortcuts.',
      'An easier interface for occasional users.',
      'Training included in the trial so the team could get comfortable.',
    ],
    missing: [
      'Short how-to videos during the trial.',
      'A sandbox with our own kind of data already in it.',
      'Templates for common surveys so we could see how easy it is.',
      'A guided walkthrough of the builder for non-technical users.',
      'Tutorial videos for the reporting part.',
    ],
    repNote: [
      'They found the builder clunky during the trial.',
      'Usability concerns from end users.',
      'End users said it was too hard to learn.',
      'Trial users struggled with the survey builder.',
    ],
  },
  support: {
    why: [
      'Support hours did not cover Asia-Pacific and we have teams in Singapore and Sydney.',
      'During the trial it took four days to get an answer to a support ticket. That scared us.',
      'We wanted a named customer success manager and that was only in the enterprise plan.',
      'We read reviews saying support was slow to respond and the trial confirmed it.',
      'There was no phone support, only email, and that was not acceptable for our operations team.',
      'Your support did not cover weekends and our contact centre runs seven days a week.',
    ],
    changed: [
      'Support in our time zone, even if it cost a bit more.',
      'A faster answer during the trial would have built a lot of confidence.',
      'Faster support responses and a named contact.',
      'Weekend support coverage.',
    ],
    missing: [
      'Your support SLAs in writing.',
      'References from customers in our region about the support they get.',
      'Support response times in writing for each plan.',
      'A clear description of what support is included and what costs extra.',
      'Customer references who could talk to us about support.',
    ],
    repNote: [
      'Support coverage in APAC.',
      'Trial support experience was poor.',
      'Support hours did not match their operations.',
      'Slow ticket response in the trial hurt us.',
    ],
  },
  sales_experience: {
    why: [
      'The sales process felt pushy. We were asked to sign by the end of the month before we had finished evaluating.',
      'We never got a proper demo of our use case, just the standard slides.',
      'Our contact changed twice during the process and we had to explain our needs again each time.',
      'The sales team did not listen to what we needed and kept pitching features we did not care about.',
      'We felt rushed. The discount expired at the end of the quarter and that felt like pressure.',
      'The demo was generic and did not show our use case at all.',
    ],
    changed: [
      'A demo built around our actual workflow instead of a generic one.',
      'Less pressure and more time to evaluate properly.',
      'A sales process that listened to our requirements.',
      'A tailored demo with our own data.',
    ],
    missing: [
      'A straight answer on implementation timelines.',
      'Someone who understood our industry.',
      'Someone technical on the sales calls who could answer our questions.',
      'A proposal that addressed our actual requirements.',
      'Follow-up answers to the questions we asked in the demo.',
    ],
    repNote: [
      'Lost momentum after the account changed hands.',
      'Buyer felt we rushed the close.',
      'Demo missed their use case.',
      'Buyer said we pushed too hard on timing.',
    ],
  },
  implementation: {
    why: [
      'The implementation plan was twelve weeks and we needed to be live before our customer conference in six.',
      'We were worried about migrating five years of survey history and your answer on migration was vague.',
      'The other vendor offered to do the whole setup for us. You expected our team to do most of it.',
      'The onboarding would have taken three months and the other vendor promised four weeks.',
      'We did not have the internal resources for the setup your team expected from us.',
      'The data migration from our old tool sounded risky and nobody could tell us how long it would take.',
    ],
    changed: [
      'A faster onboarding option, even a basic one to start with.',
      'A migration plan with a clear owner on your side.',
      'A shorter onboarding plan with your team doing more of the setup.',
      'A clear migration plan with dates and responsibilities.',
    ],
    missing: [
      'A realistic implementation timeline with milestones.',
      'A case study of a migration from our current tool.',
      'An implementation plan with milestones and who does what.',
      'A realistic estimate of how long onboarding takes for a company our size.',
      'Details on how you migrate data from our current tool.',
    ],
    repNote: [
      'Timeline did not fit their launch date.',
      'Migration concerns.',
      'Onboarding too long for their timeline.',
      'They did not have resources for the setup.',
    ],
  },
  trust: {
    why: [
      'Your security questionnaire answers were incomplete and our CISO would not approve it.',
      'We had concerns that you are a smaller company and might not be around in three years.',
      'Data residency: we needed our data hosted in the EU and that was not available.',
      'Our security team could not get the answers they needed about data encryption and access controls.',
      'You could not sign our data processing agreement without changes our legal team would not accept.',
      "We were not sure about your company's long term future compared to the bigger vendor.",
    ],
    changed: [
      'A SOC 2 Type II report ready to share on day one.',
      'EU hosting would have settled it.',
      'Security documentation and a completed questionnaire early in the process.',
      'Data hosting in our region.',
    ],
    missing: [
      'Security documentation upfront instead of after several requests.',
      'Information about your financial stability and customer base.',
      'Your security certifications and a completed security questionnaire.',
      'A standard data processing agreement we could review early.',
      'Evidence of financial stability and how many customers like us you have.',
    ],
    repNote: ['Security review stalled.', 'EU data residency requirement.', 'Failed the security review.', 'Legal could not agree on the DPA.'],
  },
  no_decision: {
    why: [
      'We decided not to buy anything this year. The budget went to a different project.',
      'Our team was reorganised halfway through the evaluation and the project lost its sponsor.',
      'We realised we could get by with spreadsheets for another year.',
      'The project was put on hold after a change in leadership.',
      'We ran out of time this budget cycle and will look again next year.',
      'Internally we could not agree on who owns customer feedback, so nothing was bought.',
    ],
    changed: [
      'Nothing you could have done, the timing was wrong for us.',
      'A business case that showed the cost of waiting might have helped our sponsor.',
      'Help building the internal business case.',
      'A smaller pilot we could have started without a full budget.',
    ],
    missing: [
      'A way to start small without a big commitment.',
      'Numbers on what similar companies gained in the first year.',
      'A business case template we could take to our leadership.',
      'Examples of the return similar customers got in the first year.',
      'A pilot option with a lower commitment.',
    ],
    repNote: ['Went dark after reorg.', 'No budget this year.', 'Project on hold after leadership change.', 'No decision, budget moved to next year.'],
  },
};
