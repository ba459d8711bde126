/**
 * The real history behind Entente (../shared/domain/history.md), as the commands a user
 * would send. Each step names its source article; dates keep the precision the article gives.
 * Where an article is silent and a command needs a date, `note` says which date was used and why.
 *
 * A value `@key` names the id that an earlier step created: `@party:unaoc`.
 */
export const SOURCES = {
  '000': '2025-12-17-culture-ministry-unaoc-bilateral.txt',
  '001': '2020-12-02-culture-ministry-unaoc-virtual-conference.txt',
  '002': '2021-peace4culture-appeal-to-unesco.txt',
  '003': '2023-03-08-president-receives-unaoc-high-representative.txt',
  '004': 'baku-process-ministerial-meetings.txt',
} as const;
export type SourceId = keyof typeof SOURCES;

export type SeedCommand =
  | 'RegisterParty'
  | 'RenameParty'
  | 'RegisterPerson'
  | 'AppointPerson'
  | 'EndAppointment'
  | 'EstablishPartnership'
  | 'LaunchInitiative'
  | 'AnnounceForum'
  | 'PostponeForum'
  | 'RecordForumHeld'
  | 'SignMoU'
  | 'RecordMeeting'
  | 'CorrectMeetingRecord';

export interface SeedStep {
  /** a name for what the step creates, for later steps to refer to as `@key` */
  key?: string;
  command: SeedCommand;
  /** the stream a command on an existing record acts on (`@person:karimov`) */
  target?: string;
  /** for EndAppointment: the appointment (`@appointment:karimov-acting`) */
  appointment?: string;
  body: Record<string, unknown>;
  source: SourceId | SourceId[];
  note?: string;
}

const party = (key: string, name: string, kind: string, extra: Record<string, unknown>, source: SourceId | SourceId[], note?: string): SeedStep => ({
  key: `party:${key}`,
  command: 'RegisterParty',
  body: { name, kind, ...extra },
  source,
  ...(note ? { note } : {}),
});

const person = (key: string, fullName: string, source: SourceId | SourceId[]): SeedStep => ({
  key: `person:${key}`,
  command: 'RegisterPerson',
  body: { fullName },
  source,
});

const appoint = (
  key: string,
  who: string,
  partyKey: string,
  title: string,
  from: string,
  source: SourceId | SourceId[],
  extra: Record<string, unknown> = {},
  note?: string,
): SeedStep => ({
  key: `appointment:${key}`,
  command: 'AppointPerson',
  target: `@person:${who}`,
  body: { partyId: `@party:${partyKey}`, title, from, ...extra },
  source,
  ...(note ? { note } : {}),
});

const WORLD_FORUM = 'World Forum on Intercultural Dialogue';
const GLOBAL_FORUM = 'UNAOC Global Forum';
/** The tracker records a forum as announced, then held; the sources give only that it was held. */
const KNOWN_AS_HELD = 'The source says only that it was held, and when (at this precision); the announcement is recorded so that the forum can be held.';
const BAKU_PROCESS_PARTNERS = ['@party:unesco', '@party:unaoc', '@party:unwto', '@party:coe', '@party:icesco'];

export const HISTORY: SeedStep[] = [
  // Parties
  party('azerbaijan', 'Republic of Azerbaijan', 'state', { shortName: 'Azerbaijan', countryCode: 'AZ' }, ['000', '001', '002', '003', '004']),
  party('culture-ministry', 'Ministry of Culture of the Republic of Azerbaijan', 'ministry', { countryCode: 'AZ', parentPartyId: '@party:azerbaijan' }, ['000', '001', '002']),
  party('unaoc', 'United Nations Alliance of Civilizations', 'international_organization', { shortName: 'UNAOC' }, ['000', '001', '002', '003']),
  party(
    'un',
    'United Nations',
    'international_organization',
    { shortName: 'UN' },
    ['001', '003'],
    'Registered so that the Secretary-General has an office and the Action Plan a lead.',
  ),
  party('unesco', 'United Nations Educational, Scientific and Cultural Organization', 'international_organization', { shortName: 'UNESCO' }, ['002', '004']),
  party('unwto', 'UN World Tourism Organization', 'international_organization', { shortName: 'UNWTO' }, '004'),
  party('coe', 'Council of Europe', 'international_organization', {}, '004'),
  party('icesco', 'Islamic Educational, Scientific and Cultural Organization', 'international_organization', { shortName: 'ISESCO' }, ['004', '002']),
  party('mexico', 'United Mexican States', 'state', { shortName: 'Mexico', countryCode: 'MX' }, '001'),
  party('ngic', 'Nizami Ganjavi International Center', 'ngo', {}, '003'),
  party('coventry', 'Coventry University, Centre for Trust, Peace and Social Relations', 'academic', {}, '002'),
  party('nam', 'Non-Aligned Movement', 'international_organization', { shortName: 'NAM' }, '003'),
  {
    command: 'RenameParty',
    target: '@party:icesco',
    body: { name: 'Islamic World Educational, Scientific and Cultural Organization', shortName: 'ICESCO', effectiveOn: '2021' },
    source: ['004', '002'],
    note: 'The sources do not date the rename: 004 (2008-2013) says ISESCO, 002 (2021) says ICESCO. Recorded as effective 2021, the first year the new name is attested.',
  },

  // People and their offices
  person('aliyev', 'Ilham Aliyev', ['002', '003', '004']),
  person('karimov', 'Anar Karimov', ['001', '002']),
  person('karimli', 'Adil Karimli', '000'),
  person('moratinos', 'Miguel Ángel Moratinos', ['000', '001', '002', '003']),
  person('guterres', 'António Guterres', '003'),
  person('labardini', 'Juan Rodrigo Labardini Flores', '001'),
  person('almalik', 'Salim M. AlMalik', '002'),
  person('hardy', 'Mike Hardy', '002'),
  appoint('aliyev-president', 'aliyev', 'azerbaijan', 'President', '2008', ['002', '004'], {}, 'In office by 2008, when he launched the Baku Process; the sources give no earlier date.'),
  appoint('karimov-acting', 'karimov', 'culture-ministry', 'First Deputy Minister and Acting Minister of Culture', '2020-12', '001', { acting: true }, 'In office on 2020-12-02; the source gives no start, so the month of the article is used.'),
  {
    command: 'EndAppointment',
    target: '@person:karimov',
    appointment: '@appointment:karimov-acting',
    body: { on: '2021' },
    source: '002',
    note: '002 (2021) calls him Minister: the acting office ended in 2021 at the latest.',
  },
  appoint('karimov-minister', 'karimov', 'culture-ministry', 'Minister of Culture', '2021', '002', {}, '002 (2021) calls him Minister; the source gives no date of appointment, so its year is used.'),
  {
    command: 'EndAppointment',
    target: '@person:karimov',
    appointment: '@appointment:karimov-minister',
    body: { on: '2025-12' },
    source: '000',
    note: 'The sources do not date the hand-over: 000 (2025-12-17) shows Adil Karimli as Minister.',
  },
  appoint('karimli-minister', 'karimli', 'culture-ministry', 'Minister of Culture', '2025-12', '000', {}, 'In office on 2025-12-17; the source gives no start, so the month of the article is used.'),
  appoint('moratinos-hr', 'moratinos', 'unaoc', 'High Representative for the United Nations Alliance of Civilizations', '2020-12', ['001', '002', '003', '000'], {}, 'In office from 2020-12 at the latest (the earliest source) to 2025-12 at least.'),
  appoint('guterres-sg', 'guterres', 'un', 'Secretary-General', '2023-03', '003', {}, 'In office on 2023-03-08; the source gives no start.'),
  appoint('labardini-ambassador', 'labardini', 'mexico', 'Ambassador of Mexico to Azerbaijan', '2020-12', '001', {}, 'In office on 2020-12-02; the source gives no start.'),
  appoint('almalik-dg', 'almalik', 'icesco', 'Director General', '2021', '002', {}, 'In office at the 2021 event; the source gives no start.'),
  appoint(
    'hardy-professor',
    'hardy',
    'coventry',
    'Professor, Chair of Intercultural Relations and founding Director of the Centre',
    '2021',
    '002',
    {},
    'In post at the 2021 event; the source gives no start.',
  ),

  // Partnerships and initiatives
  {
    key: 'initiative:baku-process',
    command: 'LaunchInitiative',
    body: { name: 'Baku Process', kind: 'process', launchedOn: '2008', leadPartyId: '@party:azerbaijan', partnerPartyIds: BAKU_PROCESS_PARTNERS },
    source: ['002', '004'],
  },
  {
    command: 'EstablishPartnership',
    body: { partyIds: ['@party:azerbaijan', '@party:unaoc'], since: '2010', basis: 'UNAOC has been a partner of the Baku Process and the World Forum for Intercultural Dialogue since 2010.' },
    source: '001',
  },
  {
    key: 'initiative:religious-monuments',
    command: 'LaunchInitiative',
    body: {
      name: 'Action Plan for the Protection of Religious Monuments',
      kind: 'action_plan',
      launchedOn: '2020',
      leadPartyId: '@party:un',
      partnerPartyIds: ['@party:unaoc'],
    },
    source: '001',
    note: 'Launched by the UN Secretary-General, implemented by UNAOC. The source gives no date; 001 (2020-12-02) speaks of it as existing, so it is recorded as 2020, the year of that earliest mention.',
  },
  {
    key: 'initiative:peace4culture',
    command: 'LaunchInitiative',
    body: { name: 'Peace4Culture', kind: 'campaign', launchedOn: '2021', leadPartyId: '@party:culture-ministry', partnerPartyIds: [] },
    source: '002',
    note: 'The appeal was addressed to UNESCO; UNESCO is not recorded as a partner of the campaign.',
  },
  {
    key: 'initiative:one-humanity',
    command: 'LaunchInitiative',
    body: { name: 'One Humanity', kind: 'programme', launchedOn: '2023-03', leadPartyId: '@party:unaoc', partnerPartyIds: [] },
    source: '003',
    note: 'Presented on 2023-03-08 as an existing framework (concerts in several cities); Azerbaijan only said it was ready to cooperate.',
  },

  // Forums
  {
    key: 'forum:european-ministerial-2008',
    command: 'AnnounceForum',
    body: { series: 'European ministerial conference on intercultural issues', hostCity: 'Baku', hostPartyId: '@party:azerbaijan', plannedFor: '2008', organizerPartyIds: ['@party:azerbaijan'] },
    source: '004',
    note: KNOWN_AS_HELD,
  },
  { command: 'RecordForumHeld', target: '@forum:european-ministerial-2008', body: { startsOn: '2008', venue: 'Baku' }, source: '004' },
  {
    key: 'forum:islamic-ministerial-2009',
    command: 'AnnounceForum',
    body: { series: 'Islamic ministerial conference on intercultural issues', hostCity: 'Baku', hostPartyId: '@party:azerbaijan', plannedFor: '2009', organizerPartyIds: ['@party:azerbaijan'] },
    source: '004',
    note: KNOWN_AS_HELD,
  },
  { command: 'RecordForumHeld', target: '@forum:islamic-ministerial-2009', body: { startsOn: '2009', venue: 'Baku' }, source: '004' },
  {
    key: 'forum:wfid-1',
    command: 'AnnounceForum',
    body: { series: WORLD_FORUM, edition: 1, title: 'First World Forum on Intercultural Dialogue', hostCity: 'Baku', hostPartyId: '@party:azerbaijan', plannedFor: '2011', organizerPartyIds: ['@party:azerbaijan'], partnerPartyIds: BAKU_PROCESS_PARTNERS },
    source: '004',
    note: KNOWN_AS_HELD,
  },
  { command: 'RecordForumHeld', target: '@forum:wfid-1', body: { startsOn: '2011', venue: 'Baku' }, source: '004' },
  {
    key: 'forum:wfid-2',
    command: 'AnnounceForum',
    body: { series: WORLD_FORUM, edition: 2, title: 'Second World Forum on Intercultural Dialogue', hostCity: 'Baku', hostPartyId: '@party:azerbaijan', plannedFor: '2013', organizerPartyIds: ['@party:azerbaijan'], partnerPartyIds: BAKU_PROCESS_PARTNERS },
    source: '004',
    note: KNOWN_AS_HELD,
  },
  { command: 'RecordForumHeld', target: '@forum:wfid-2', body: { startsOn: '2013', venue: 'Baku' }, source: '004' },
  {
    key: 'forum:gf-7',
    command: 'AnnounceForum',
    body: { series: GLOBAL_FORUM, edition: 7, title: '7th UNAOC Global Forum', hostCity: 'Baku', hostPartyId: '@party:azerbaijan', plannedFor: '2016', organizerPartyIds: ['@party:unaoc'] },
    source: '001',
    note: KNOWN_AS_HELD,
  },
  { command: 'RecordForumHeld', target: '@forum:gf-7', body: { startsOn: '2016', venue: 'Baku' }, source: '001', note: 'Held "at a high level".' },
  {
    key: 'forum:wfid-6',
    command: 'AnnounceForum',
    body: { series: WORLD_FORUM, edition: 6, title: '6th World Forum on Intercultural Dialogue', hostCity: 'Baku', hostPartyId: '@party:azerbaijan', plannedFor: '2021', organizerPartyIds: ['@party:azerbaijan'], partnerPartyIds: ['@party:unaoc'] },
    source: '001',
  },
  {
    key: 'forum:global-baku-forum-2023',
    command: 'AnnounceForum',
    body: { series: 'Global Baku Forum', title: 'Global Baku Forum', hostCity: 'Baku', plannedFor: '2023-03', organizerPartyIds: ['@party:ngic'] },
    source: '003',
  },
  {
    command: 'RecordForumHeld',
    target: '@forum:global-baku-forum-2023',
    body: { startsOn: '2023-03', venue: 'Baku' },
    source: '003',
    note: "UNAOC's High Representative took part. 003 (2023-03-08) gives no dates of the forum, so the month of the article is used.",
  },
  {
    command: 'PostponeForum',
    target: '@forum:wfid-6',
    body: { reason: 'Temporarily suspended due to the COVID-19 pandemic; to resume next year (said on 2023-03-08).', plannedFor: '2024' },
    source: '003',
    note: '003 speaks of the World Forum, not of an edition: the suspended one is the 6th, announced for 2021 (001). "Next year" in 2023 is 2024.',
  },
  {
    key: 'forum:wfid-7',
    command: 'AnnounceForum',
    body: { series: WORLD_FORUM, edition: 7, title: '7th World Forum on Intercultural Dialogue', hostCity: 'Baku', hostPartyId: '@party:azerbaijan', plannedFor: '2026', organizerPartyIds: ['@party:azerbaijan'], partnerPartyIds: ['@party:unaoc'] },
    source: '000',
    note: '"Planned to be held in Baku next year" in an article of 2025-12-17.',
  },
  {
    key: 'forum:gf-12',
    command: 'AnnounceForum',
    body: { series: GLOBAL_FORUM, edition: 12, title: '12th Global Forum of the UN Alliance of Civilizations', hostPartyId: '@party:azerbaijan', plannedFor: '2027', organizerPartyIds: ['@party:unaoc'], proposed: true },
    source: '000',
    note: 'A hosting initiative, to be discussed with the UNAOC Group of Friends.',
  },

  // Agreements
  {
    key: 'agreement:az-mx-cooperation',
    command: 'SignMoU',
    body: {
      title: 'Agreement between Azerbaijan and Mexico on cooperation in education, science, youth, culture and sports',
      kind: 'agreement',
      partyIds: ['@party:azerbaijan', '@party:mexico'],
      signedOn: '2020-12',
      areas: ['education', 'science', 'youth', 'culture', 'sports'],
    },
    source: '001',
    note: 'The source gives no signing date: on 2020-12-02 its implementation was discussed, so it is recorded at that month, the latest the signing can be.',
  },
  {
    key: 'agreement:unaoc-mou',
    command: 'SignMoU',
    body: { title: 'Memorandum of Understanding between the UN Alliance of Civilizations and the Republic of Azerbaijan', partyIds: ['@party:azerbaijan', '@party:unaoc'], signedOn: '2023-03' },
    source: '003',
    note: 'The source gives no signing date: on 2023-03-08 contacts "under the signed Memorandum of Understanding" are reported, so it is recorded at that month, the latest the signing can be.',
  },

  // Meetings
  {
    key: 'meeting:2020-12-02-unaoc',
    command: 'RecordMeeting',
    body: {
      occurredOn: '2020-12-02',
      format: 'virtual',
      title: 'Virtual conference of Acting Minister Anar Karimov and the UN High Representative for the Alliance of Civilizations (UNHCR) Miguel Ángel Moratinos',
      partyIds: ['@party:azerbaijan', '@party:unaoc'],
      participants: [
        { personId: '@person:karimov', partyId: '@party:azerbaijan' },
        { personId: '@person:moratinos', partyId: '@party:unaoc' },
      ],
      topics: [
        'Baku Process',
        '6th World Forum on Intercultural Dialogue in 2021',
        "Damage to Azerbaijan's cultural heritage",
        'Action Plan for the Protection of Religious Monuments',
        'Protection of places of worship',
      ],
      summary: 'UNAOC has been a partner of the Baku Process and the World Forum since 2010; the 7th UNAOC Global Forum was held in Baku in 2016.',
      outcomes: ['Agreed to implement initiatives and projects on intercultural and interreligious relations in the region'],
      commitments: [
        {
          description: 'Present the initiatives and projects on intercultural and interreligious relations at the World Forum on Intercultural Dialogue 2021',
          dueBy: '2021',
          forumId: '@forum:wfid-6',
        },
      ],
      sourceRef: SOURCES['001'],
    },
    source: '001',
    note: 'Typed from the article as written, "(UNHCR)" included; corrected below.',
  },
  {
    command: 'CorrectMeetingRecord',
    target: '@meeting:2020-12-02-unaoc',
    body: {
      reason: 'The article wrote "(UNHCR)", which is another UN body (the Refugee Agency); Mr Moratinos is the UN High Representative for the Alliance of Civilizations (UNAOC).',
      changes: {
        title: 'Virtual conference of Acting Minister Anar Karimov and the UN High Representative for the Alliance of Civilizations Miguel Ángel Moratinos',
      },
    },
    source: '001',
  },
  {
    key: 'meeting:2020-12-02-mexico',
    command: 'RecordMeeting',
    body: {
      occurredOn: '2020-12-02',
      format: 'in_person',
      title: 'Meeting of Acting Minister Anar Karimov with the Ambassador of Mexico',
      partyIds: ['@party:azerbaijan', '@party:mexico'],
      participants: [
        { personId: '@person:karimov', partyId: '@party:azerbaijan' },
        { personId: '@person:labardini', partyId: '@party:mexico' },
      ],
      topics: [
        'The 2020 Karabakh war and damage to cultural sites',
        'Azerbaijan-Mexico relations',
        'Implementation of the agreement on cooperation in education, science, youth, culture and sports',
      ],
      outcomes: ['Joint projects to be implemented'],
      sourceRef: SOURCES['001'],
    },
    source: '001',
    note: 'The article says the Minister "met with" the Ambassador and gives no format; recorded as in person, as ../shared/domain/history.md has it.',
  },
  {
    key: 'meeting:2021-peace4culture',
    command: 'RecordMeeting',
    body: {
      occurredOn: '2021',
      format: 'other',
      title: 'Peace4Culture event: appeal to UNESCO, with video messages',
      partyIds: ['@party:azerbaijan', '@party:unaoc', '@party:coventry', '@party:icesco'],
      participants: [
        { personId: '@person:karimov', partyId: '@party:azerbaijan' },
        { personId: '@person:moratinos', partyId: '@party:unaoc' },
        { personId: '@person:hardy', partyId: '@party:coventry' },
        { personId: '@person:almalik', partyId: '@party:icesco' },
      ],
      topics: ['Peace4Culture global campaign', 'Appeal sent to UNESCO', 'Baku Process', 'World Forum on Intercultural Dialogue'],
      outcomes: ['The campaign invites diplomats, media and scholars to the liberated territories to voice calls for peace'],
      sourceRef: SOURCES['002'],
    },
    source: '002',
    note: 'An event with video messages. The text of the article carries no date; its file name and history.md date it 2021, so the year is used.',
  },
  {
    key: 'meeting:2023-03-08-president',
    command: 'RecordMeeting',
    body: {
      occurredOn: '2023-03-08',
      format: 'in_person',
      title: 'President Ilham Aliyev receives the UNAOC High Representative Miguel Ángel Moratinos',
      partyIds: ['@party:azerbaijan', '@party:unaoc'],
      participants: [
        { personId: '@person:aliyev', partyId: '@party:azerbaijan' },
        { personId: '@person:moratinos', partyId: '@party:unaoc' },
      ],
      topics: [
        'Cooperation under the Memorandum of Understanding',
        'Global Baku Forum',
        'Summit of the Non-Aligned Movement Contact Group in response to COVID-19',
        'One Humanity initiative',
        'Resumption of the World Forum on Intercultural Dialogue',
      ],
      summary: 'Moratinos conveyed the greetings of UN Secretary-General António Guterres.',
      outcomes: ['The World Forum on Intercultural Dialogue to resume in 2024', 'Azerbaijan to continue supporting the Alliance'],
      sourceRef: SOURCES['003'],
    },
    source: '003',
  },
  {
    key: 'meeting:2025-12-17-unaoc',
    command: 'RecordMeeting',
    body: {
      occurredOn: '2025-12-17',
      format: 'in_person',
      title: 'Bilateral meeting of Minister of Culture Adil Karimli and the UNAOC High Representative Miguel Ángel Moratinos',
      partyIds: ['@party:azerbaijan', '@party:unaoc'],
      participants: [
        { personId: '@person:karimli', partyId: '@party:azerbaijan' },
        { personId: '@person:moratinos', partyId: '@party:unaoc' },
      ],
      topics: [
        'Organisation of the 7th World Forum on Intercultural Dialogue (Baku, 2026, with UNAOC)',
        'Hosting the 12th UNAOC Global Forum in Azerbaijan in 2027',
        'Cultural diplomacy',
        'Joint projects',
      ],
      commitments: [
        {
          description: 'Discuss the initiative to host the 12th Global Forum of the UN Alliance of Civilizations in Azerbaijan in 2027 with the UNAOC Group of Friends',
          forumId: '@forum:gf-12',
        },
      ],
      sourceRef: SOURCES['000'],
    },
    source: '000',
    note: 'The article calls it a bilateral meeting, with photographs of it, and gives no format; recorded as in person.',
  },
];
