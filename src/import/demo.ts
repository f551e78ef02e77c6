import { mulberry32 } from './generate';
import type {
  CountryRecord,
  ImportFile,
  Level,
  LinkRecord,
  OfficerRecord,
  OfficerStatus,
  OperationRecord,
  ReportRecord,
  Role,
  ShareLevel,
  SharingRuleRecord,
  SubjectRecord,
  UnitRecord,
  UpdateRecord,
  WantedRecord,
} from './types';

/**
 * The demo network `npm start` loads into an empty database: an Americas-focused
 * migrant-smuggling scenario modelled on the INTERPOL/UNODC Turquesa operations. Three networks
 * run along real corridors (EC→CO→PA→CR→MX→US, VE→CO→PA and BR→BO→CL) and meet at Necoclí and
 * the Darién, so a network query from one of them reaches the other. Deterministic: the same
 * file every time, so tokens printed for DEMO_OFFICERS stay valid across restarts.
 */

export interface DemoOfficer {
  id: string;
  name: string;
  country: string;
  roles: Role[];
  clearance: Level;
  note: string;
}

/** Officers worth logging in as: different countries, roles and clearances. */
export const DEMO_OFFICERS: DemoOfficer[] = [
  { id: 'o-cr-carla', name: 'Carla Jiménez', country: 'CR', roles: ['COORDINATOR', 'OFFICER'], clearance: 'CONFIDENTIAL', note: 'coordinates TURQUESA V (lead country Costa Rica)' },
  { id: 'o-br-ana', name: 'Ana Souza', country: 'BR', roles: ['OFFICER'], clearance: 'RESTRICTED', note: 'Brazilian officer on ANDES SHIELD (participants only)' },
  { id: 'o-co-diego', name: 'Diego Restrepo', country: 'CO', roles: ['ANALYST'], clearance: 'CONFIDENTIAL', note: 'analyst: networks and corridors across the Darién' },
  { id: 'o-pa-luis', name: 'Luis Batista', country: 'PA', roles: ['NCB_ADMIN', 'OFFICER'], clearance: 'RESTRICTED', note: "Panama's NCB administrator: sharing rules and releasability" },
  { id: 'o-es-elena', name: 'Elena Navarro', country: 'ES', roles: ['OVERSIGHT'], clearance: 'CONFIDENTIAL', note: 'oversight: reads the audit trail, not content' },
  { id: 'o-mx-jorge', name: 'Jorge Salinas', country: 'MX', roles: ['OFFICER'], clearance: 'UNCLASSIFIED', note: 'low clearance: sees little beyond unclassified items' },
  { id: 'o-us-sam', name: 'Samantha Reed', country: 'US', roles: ['NETWORK_ADMIN'], clearance: 'RESTRICTED', note: 'network administrator: countries, partners, nominations' },
];

type CountryRow = [code: string, name: string, region: string, defaultShare: ShareLevel, partnerShare: ShareLevel];

const COUNTRIES: CountryRow[] = [
  ['AR', 'Argentina', 'AMERICAS', 'OFFICIAL', 'NONE'],
  ['BO', 'Bolivia', 'AMERICAS', 'OFFICIAL', 'NONE'],
  ['BR', 'Brazil', 'AMERICAS', 'OFFICIAL', 'UNCLASSIFIED'],
  ['BZ', 'Belize', 'AMERICAS', 'UNCLASSIFIED', 'NONE'],
  ['CA', 'Canada', 'AMERICAS', 'RESTRICTED', 'OFFICIAL'],
  ['CL', 'Chile', 'AMERICAS', 'OFFICIAL', 'UNCLASSIFIED'],
  ['CO', 'Colombia', 'AMERICAS', 'RESTRICTED', 'UNCLASSIFIED'],
  ['CR', 'Costa Rica', 'AMERICAS', 'RESTRICTED', 'OFFICIAL'],
  ['CU', 'Cuba', 'AMERICAS', 'NONE', 'NONE'],
  ['DO', 'Dominican Republic', 'AMERICAS', 'OFFICIAL', 'NONE'],
  ['EC', 'Ecuador', 'AMERICAS', 'OFFICIAL', 'UNCLASSIFIED'],
  ['ES', 'Spain', 'EUROPE', 'RESTRICTED', 'OFFICIAL'],
  ['FR', 'France', 'EUROPE', 'OFFICIAL', 'UNCLASSIFIED'],
  ['GT', 'Guatemala', 'AMERICAS', 'OFFICIAL', 'NONE'],
  ['GY', 'Guyana', 'AMERICAS', 'UNCLASSIFIED', 'NONE'],
  ['HN', 'Honduras', 'AMERICAS', 'OFFICIAL', 'NONE'],
  ['HT', 'Haiti', 'AMERICAS', 'UNCLASSIFIED', 'NONE'],
  ['IT', 'Italy', 'EUROPE', 'RESTRICTED', 'OFFICIAL'],
  ['JM', 'Jamaica', 'AMERICAS', 'OFFICIAL', 'NONE'],
  ['MX', 'Mexico', 'AMERICAS', 'OFFICIAL', 'UNCLASSIFIED'],
  ['NI', 'Nicaragua', 'AMERICAS', 'UNCLASSIFIED', 'NONE'],
  ['PA', 'Panama', 'AMERICAS', 'RESTRICTED', 'UNCLASSIFIED'],
  ['PE', 'Peru', 'AMERICAS', 'OFFICIAL', 'NONE'],
  ['PT', 'Portugal', 'EUROPE', 'OFFICIAL', 'NONE'],
  ['PY', 'Paraguay', 'AMERICAS', 'OFFICIAL', 'NONE'],
  ['SV', 'El Salvador', 'AMERICAS', 'OFFICIAL', 'NONE'],
  ['TT', 'Trinidad and Tobago', 'AMERICAS', 'UNCLASSIFIED', 'NONE'],
  ['US', 'United States', 'AMERICAS', 'RESTRICTED', 'UNCLASSIFIED'],
  ['UY', 'Uruguay', 'AMERICAS', 'OFFICIAL', 'NONE'],
  ['VE', 'Venezuela', 'AMERICAS', 'UNCLASSIFIED', 'NONE'],
];

const SHARING_RULES: SharingRuleRecord[] = [
  { from: 'CR', to: 'PA', maxLevel: 'CONFIDENTIAL' },
  { from: 'PA', to: 'CR', maxLevel: 'CONFIDENTIAL' },
  { from: 'PA', to: 'CO', maxLevel: 'RESTRICTED' },
  { from: 'CO', to: 'PA', maxLevel: 'CONFIDENTIAL' },
  { from: 'CO', to: 'EC', maxLevel: 'RESTRICTED' },
  { from: 'CO', to: 'VE', maxLevel: 'NONE' },
  { from: 'MX', to: 'US', maxLevel: 'CONFIDENTIAL', validFrom: '2025-01-01T00:00:00Z', validUntil: '2027-12-31T23:59:59Z' },
  { from: 'US', to: 'MX', maxLevel: 'RESTRICTED' },
  { from: 'US', to: 'CA', maxLevel: 'CONFIDENTIAL' },
  { from: 'BR', to: 'AR', maxLevel: 'CONFIDENTIAL', validFrom: '2026-01-01T00:00:00Z', validUntil: null },
  { from: 'BO', to: 'CL', maxLevel: 'RESTRICTED' },
  { from: 'CL', to: 'BO', maxLevel: 'RESTRICTED' },
  // Lapsed: a bilateral arrangement that ended, so GT's default applies to HN again.
  { from: 'GT', to: 'HN', maxLevel: 'CONFIDENTIAL', validFrom: '2023-01-01T00:00:00Z', validUntil: '2024-12-31T23:59:59Z' },
  { from: 'ES', to: 'PT', maxLevel: 'CONFIDENTIAL' },
  { from: 'EC', to: 'CO', maxLevel: 'RESTRICTED' },
  { from: 'VE', to: 'CO', maxLevel: 'OFFICIAL' },
];

/** Extra units in the corridor countries; every country also has its migrant-smuggling unit. */
const EXTRA_UNITS: UnitRecord[] = [
  { id: 'u-co-dijin', country: 'CO', name: 'DIJIN Human Trafficking and Smuggling Group', specialization: 'HUMAN_TRAFFICKING' },
  { id: 'u-pa-senafront', country: 'PA', name: 'SENAFRONT Darién Border Command', specialization: 'BORDER_POLICE' },
  { id: 'u-mx-inm', country: 'MX', name: 'Document Fraud Unit', specialization: 'DOCUMENT_FRAUD' },
  { id: 'u-us-hsi', country: 'US', name: 'Human Smuggling Task Force', specialization: 'MIGRANT_SMUGGLING' },
  { id: 'u-br-pf', country: 'BR', name: 'Federal Police Border Unit', specialization: 'BORDER_POLICE' },
];

type OfficerRow = [id: string, name: string, rank: string, roles: Role[], clearance: Level, status?: OfficerStatus, unit?: string];

/** Named officers: the showcase ones and the corridor teams. The rest are built per country below. */
const NAMED_OFFICERS: OfficerRow[] = [
  ['o-cr-carla', 'Carla Jiménez', 'Commissioner', ['COORDINATOR', 'OFFICER'], 'CONFIDENTIAL'],
  ['o-cr-mario', 'Mario Vargas', 'Inspector', ['OFFICER'], 'RESTRICTED'],
  ['o-br-ana', 'Ana Souza', 'Inspector', ['OFFICER'], 'RESTRICTED'],
  ['o-br-paulo', 'Paulo Lima', 'Delegado', ['OFFICER', 'ANALYST'], 'CONFIDENTIAL', 'ACTIVE', 'u-br-pf'],
  ['o-co-diego', 'Diego Restrepo', 'Intendente', ['ANALYST'], 'CONFIDENTIAL', 'ACTIVE', 'u-co-dijin'],
  ['o-co-laura', 'Laura Ospina', 'Captain', ['OFFICER'], 'RESTRICTED', 'ACTIVE', 'u-co-dijin'],
  ['o-pa-luis', 'Luis Batista', 'Subcommissioner', ['NCB_ADMIN', 'OFFICER'], 'RESTRICTED'],
  ['o-pa-yaneth', 'Yaneth Carrasco', 'Sergeant', ['OFFICER'], 'OFFICIAL', 'ACTIVE', 'u-pa-senafront'],
  ['o-es-elena', 'Elena Navarro', 'Inspector', ['OVERSIGHT'], 'CONFIDENTIAL'],
  ['o-mx-jorge', 'Jorge Salinas', 'Agent', ['OFFICER'], 'UNCLASSIFIED'],
  ['o-mx-patricia', 'Patricia Orozco', 'Commander', ['COORDINATOR', 'OFFICER'], 'CONFIDENTIAL', 'ACTIVE', 'u-mx-inm'],
  ['o-us-sam', 'Samantha Reed', 'Supervisory Agent', ['NETWORK_ADMIN'], 'RESTRICTED'],
  ['o-us-mike', 'Michael Chen', 'Special Agent', ['OFFICER', 'ANALYST'], 'CONFIDENTIAL', 'ACTIVE', 'u-us-hsi'],
  ['o-ec-andrea', 'Andrea Cevallos', 'Major', ['OFFICER'], 'RESTRICTED'],
  ['o-ve-rafael', 'Rafael Mendoza', 'Inspector', ['OFFICER'], 'OFFICIAL', 'SUSPENDED'],
  ['o-bo-marco', 'Marco Quispe', 'Captain', ['OFFICER'], 'RESTRICTED'],
  ['o-cl-valentina', 'Valentina Rojas', 'Subprefect', ['COORDINATOR', 'OFFICER'], 'CONFIDENTIAL'],
  ['o-pe-rosa', 'Rosa Huamán', 'Major', ['OFFICER'], 'RESTRICTED'],
  ['o-ar-martin', 'Martín Ferreyra', 'Commissioner', ['OFFICER'], 'RESTRICTED'],
  ['o-ht-jean', 'Jean Baptiste', 'Inspector', ['OFFICER'], 'OFFICIAL', 'NOMINATED'],
  ['o-cu-yordan', 'Yordan Pérez', 'Captain', ['OFFICER'], 'OFFICIAL', 'NOMINATED'],
  ['o-gt-ixchel', 'Ixchel Ajú', 'Inspector', ['OFFICER'], 'RESTRICTED', 'SUSPENDED'],
  ['o-it-giulia', 'Giulia Ferrari', 'Commissario', ['ANALYST'], 'RESTRICTED'],
];

const GIVEN = ['Sofía', 'Mateo', 'Camila', 'Santiago', 'Valeria', 'Andrés', 'Lucía', 'Gabriel', 'Isabel', 'Tomás', 'Daniela', 'Felipe'];
const FAMILY = ['García', 'Martínez', 'López', 'Fernández', 'Castillo', 'Morales', 'Herrera', 'Silva', 'Rivas', 'Campos', 'Núñez', 'Ortega'];

function iso(date: string): string {
  return `${date}T00:00:00Z`;
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '.');
}

function buildOfficers(): OfficerRecord[] {
  const named = new Set(NAMED_OFFICERS.map(([id]) => id.slice(2, 4).toUpperCase()));
  const officers: OfficerRecord[] = NAMED_OFFICERS.map(([id, name, rank, roles, clearance, status, unit]) => ({
    id,
    unit: unit ?? `u-${id.slice(2, 4)}-ms`,
    name,
    email: `${slug(name)}@${id.slice(2, 4)}.police.example.org`,
    phone: null,
    rank,
    roles,
    clearance,
    status: status ?? 'ACTIVE',
  }));
  let n = 0;
  // Every country gets an NCB administrator and officers; corridor countries a larger team.
  for (const [code] of COUNTRIES) {
    const lower = code.toLowerCase();
    const team = ['CO', 'PA', 'CR', 'MX', 'US', 'EC', 'BR', 'BO', 'CL'].includes(code) ? 3 : 2;
    const roles: Role[][] = [['NCB_ADMIN', 'OFFICER'], ['OFFICER'], ['ANALYST', 'OFFICER']];
    for (let i = 0; i < team + (named.has(code) ? 0 : 1); i++) {
      const name = `${GIVEN[n % GIVEN.length]} ${FAMILY[(n * 5 + 3) % FAMILY.length]}`;
      const role = code === 'PA' && i === 0 ? ['OFFICER' as const] : roles[i % roles.length];
      officers.push({
        id: `o-${lower}-${i + 1}`,
        unit: `u-${lower}-ms`,
        name,
        email: `${slug(name)}.${n}@${lower}.police.example.org`,
        phone: `+1 555 01${String(n).padStart(2, '0')}`,
        rank: ['Inspector', 'Sergeant', 'Captain'][i % 3],
        roles: role,
        clearance: (['RESTRICTED', 'OFFICIAL', 'CONFIDENTIAL'] as const)[i % 3],
        status: 'ACTIVE',
      });
      n++;
    }
  }
  return officers;
}

const TURQUESA_4 = ['CO', 'CR', 'EC', 'GT', 'HN', 'MX', 'PA', 'PE', 'SV', 'US', 'DO', 'BR', 'CL', 'AR', 'ES'];
const TURQUESA_5 = ['PA', 'CO', 'EC', 'MX', 'US', 'GT', 'HN', 'NI', 'SV', 'BR', 'CL', 'PE', 'CA', 'DO', 'ES', 'IT'];
const ANDES_SHIELD = ['BO', 'CL', 'PE', 'AR'];

const OPERATIONS: OperationRecord[] = [
  {
    id: 'op-turquesa-4',
    codename: 'TURQUESA IV',
    objective: 'Dismantle smuggling networks moving migrants from South America through the Darién to North America.',
    leadCountry: 'PA',
    status: 'CONCLUDED',
    visibility: 'PUBLIC',
    startsAt: iso('2025-10-06'),
    endsAt: '2025-10-24T23:59:59Z',
    participants: TURQUESA_4.filter((c) => c !== 'PA'),
    assignments: [
      { officer: 'o-pa-luis', role: 'COORDINATOR' },
      { officer: 'o-pa-yaneth', role: 'MEMBER' },
      { officer: 'o-co-laura', role: 'MEMBER' },
      { officer: 'o-cr-mario', role: 'MEMBER' },
      { officer: 'o-mx-patricia', role: 'MEMBER' },
      { officer: 'o-us-mike', role: 'ANALYST' },
    ],
  },
  {
    id: 'op-turquesa-5',
    codename: 'TURQUESA V',
    objective: 'Coordinated checks at border crossings, bus terminals and ports along the Pacific corridor; victim identification with IOM.',
    leadCountry: 'CR',
    status: 'ACTIVE',
    visibility: 'NETWORK',
    startsAt: iso('2026-11-16'),
    endsAt: '2026-12-11T23:59:59Z',
    participants: TURQUESA_5,
    assignments: [
      { officer: 'o-cr-carla', role: 'COORDINATOR' },
      { officer: 'o-cr-mario', role: 'MEMBER' },
      { officer: 'o-pa-yaneth', role: 'MEMBER' },
      { officer: 'o-co-diego', role: 'ANALYST' },
      { officer: 'o-co-laura', role: 'MEMBER' },
      { officer: 'o-ec-andrea', role: 'MEMBER' },
      { officer: 'o-mx-patricia', role: 'MEMBER' },
      { officer: 'o-mx-jorge', role: 'MEMBER' },
      { officer: 'o-us-mike', role: 'ANALYST' },
      { officer: 'o-it-giulia', role: 'ANALYST' },
    ],
  },
  {
    id: 'op-andes-shield',
    codename: 'ANDES SHIELD',
    objective: 'Joint investigation of the Corumbá–Santa Cruz–Colchane route; participants only.',
    leadCountry: 'BR',
    status: 'ACTIVE',
    visibility: 'PARTICIPANTS',
    startsAt: iso('2026-09-01'),
    endsAt: '2027-02-28T23:59:59Z',
    participants: ANDES_SHIELD,
    assignments: [
      { officer: 'o-br-ana', role: 'MEMBER' },
      { officer: 'o-br-paulo', role: 'COORDINATOR' },
      { officer: 'o-bo-marco', role: 'MEMBER' },
      { officer: 'o-cl-valentina', role: 'MEMBER' },
      { officer: 'o-pe-rosa', role: 'MEMBER' },
    ],
  },
];

type Metrics = [arrests: number, migrantsDetected: number, victimsRescued: number, checks: number, seizures: number];

const UPDATES: [id: string, op: string, author: string, kind: string, text: string, level: Level, at: string, metrics: Metrics][] = [
  ['up-t4-01', 'op-turquesa-4', 'o-pa-luis', 'SITREP', 'Operation launched: 15 countries, checks at Darién camps and Pacific ports.', 'UNCLASSIFIED', '2025-10-06T08:00:00Z', [0, 0, 0, 0, 0]],
  ['up-t4-02', 'op-turquesa-4', 'o-pa-yaneth', 'CHECKS', 'Screening at Bajo Chiquito and Lajas Blancas reception stations.', 'OFFICIAL', '2025-10-08T17:30:00Z', [0, 1240, 18, 3100, 0]],
  ['up-t4-03', 'op-turquesa-4', 'o-co-laura', 'ARREST', 'Boat operators arrested in Necoclí; two launches seized.', 'OFFICIAL', '2025-10-11T06:10:00Z', [7, 210, 4, 420, 2]],
  ['up-t4-04', 'op-turquesa-4', 'o-cr-mario', 'RESCUE', 'Minors rescued from a bus at Paso Canoas; referred to child protection.', 'OFFICIAL', '2025-10-15T22:45:00Z', [2, 96, 11, 780, 1]],
  ['up-t4-05', 'op-turquesa-4', 'o-mx-patricia', 'SEIZURE', 'Forged visas and 40 stolen passports seized in Tapachula.', 'RESTRICTED', '2025-10-19T14:00:00Z', [5, 310, 0, 1900, 3]],
  ['up-t4-06', 'op-turquesa-4', 'o-us-mike', 'ARREST', 'Receiving cell arrested in Houston after coordinated hand-off.', 'RESTRICTED', '2025-10-23T19:20:00Z', [6, 0, 3, 150, 1]],
  ['up-t5-01', 'op-turquesa-5', 'o-cr-carla', 'SITREP', 'TURQUESA V under way: command centre in San José, liaison officers deployed.', 'UNCLASSIFIED', '2026-11-16T09:00:00Z', [0, 0, 0, 0, 0]],
  ['up-t5-02', 'op-turquesa-5', 'o-pa-yaneth', 'CHECKS', 'Checks at Metetí checkpoint: 2 facilitators identified.', 'OFFICIAL', '2026-11-18T12:00:00Z', [2, 340, 0, 1250, 0]],
  ['up-t5-03', 'op-turquesa-5', 'o-co-laura', 'ARREST', 'Arrest of the Necoclí boat coordinator linked to the Vega network.', 'RESTRICTED', '2026-11-20T05:30:00Z', [3, 120, 6, 300, 1]],
  ['up-t5-04', 'op-turquesa-5', 'o-ec-andrea', 'CHECKS', 'Airport checks in Quito: 14 travellers with stolen Ecuadorian passports.', 'OFFICIAL', '2026-11-21T16:00:00Z', [1, 14, 0, 2200, 14]],
  ['up-t5-05', 'op-turquesa-5', 'o-mx-patricia', 'RESCUE', 'Safe house raided in Tapachula: 23 migrants, 5 minors rescued.', 'RESTRICTED', '2026-11-23T03:15:00Z', [4, 23, 5, 60, 2]],
  ['up-t5-06', 'op-turquesa-5', 'o-mx-jorge', 'CHECKS', 'Bus terminal checks in Ciudad Juárez.', 'UNCLASSIFIED', '2026-11-24T18:00:00Z', [0, 41, 0, 900, 0]],
  ['up-t5-07', 'op-turquesa-5', 'o-us-mike', 'SITREP', 'Financial flows of the Vega network traced to three money remitters.', 'CONFIDENTIAL', '2026-11-26T21:00:00Z', [0, 0, 0, 0, 0]],
  ['up-t5-08', 'op-turquesa-5', 'o-cr-mario', 'ARREST', 'Driver of the Paso Canoas minibus arrested.', 'OFFICIAL', '2026-11-28T10:40:00Z', [1, 18, 2, 410, 1]],
  ['up-as-01', 'op-andes-shield', 'o-br-paulo', 'SITREP', 'Joint team formed in Corumbá; surveillance of the Puerto Quijarro crossing.', 'RESTRICTED', '2026-09-03T10:00:00Z', [0, 0, 0, 0, 0]],
  ['up-as-02', 'op-andes-shield', 'o-bo-marco', 'CHECKS', 'Checks on buses Santa Cruz–Oruro.', 'OFFICIAL', '2026-10-02T15:00:00Z', [1, 57, 0, 640, 0]],
  ['up-as-03', 'op-andes-shield', 'o-cl-valentina', 'RESCUE', 'Group abandoned near Colchane rescued at night.', 'OFFICIAL', '2026-10-29T02:30:00Z', [0, 31, 9, 0, 0]],
  ['up-as-04', 'op-andes-shield', 'o-br-ana', 'ARREST', 'Recruiter arrested in Corumbá with passports of 12 migrants.', 'RESTRICTED', '2026-11-12T13:20:00Z', [1, 12, 0, 35, 12]],
];

// --- Subjects: three networks, with the places where they meet. ----------------------------------

type PersonRow = [id: string, recordedBy: string, name: string, nationality: string, born: string, isProtected: boolean, aliases?: string[]];

const PERSONS: PersonRow[] = [
  // Vega network: EC→CO→PA→CR→MX→US
  ['p-vega', 'EC', 'Ramiro Vega Zambrano', 'EC', '1978-04-12', false, ['El Capitán']],
  ['p-moncada', 'CO', 'Jhon Fredy Moncada', 'CO', '1985-09-30', false, ['El Costeño']],
  ['p-guia', 'PA', 'Eusebio Cunampio', 'PA', '1990-02-14', false],
  ['p-chofer', 'CR', 'Randall Solís Mora', 'CR', '1982-07-07', false],
  ['p-coyote', 'MX', 'Héctor Ibarra Lugo', 'MX', '1975-11-19', false, ['El Güero']],
  ['p-receptor', 'US', 'Brian Castillo', 'US', '1988-03-03', false],
  ['p-cajera', 'EC', 'Mercedes Loor', 'EC', '1992-12-01', false],
  ['p-victim-1', 'CR', 'Minor A. (rescued at Paso Canoas)', 'EC', '2011-06-20', true],
  ['p-victim-2', 'MX', 'Nayeli T.', 'EC', '2000-01-15', true],
  ['p-witness-1', 'PA', 'Witness W-17', 'CO', '1995-05-05', true],
  // Cúcuta network: VE→CO→PA
  ['p-cucuta-boss', 'CO', 'Yorman Jesús Parra', 'VE', '1983-08-08', false, ['Gocho']],
  ['p-trochero', 'CO', 'Wilmer Duarte', 'VE', '1996-10-10', false],
  ['p-recruiter-ve', 'VE', 'Daniela Rivas', 'VE', '1991-04-04', false],
  ['p-victim-3', 'CO', 'Minor B.', 'VE', '2012-09-09', true],
  ['p-boatman', 'CO', 'Luis Alberto Palacios', 'CO', '1979-01-21', false],
  // Andes network: BR→BO→CL
  ['p-andes-boss', 'BO', 'Edwin Mamani Choque', 'BO', '1980-05-17', false, ['El Inge']],
  ['p-corumba', 'BR', 'Francisco das Chagas', 'BR', '1987-02-02', false],
  ['p-colchane', 'CL', 'Cristián Araya', 'CL', '1993-07-30', false],
  ['p-recruiter-br', 'BR', 'Joana Pereira', 'BR', '1990-11-11', false],
  ['p-victim-4', 'CL', 'Victim V-4', 'HT', '1998-03-12', true],
  ['p-victim-5', 'BO', 'Minor C.', 'VE', '2010-12-24', true],
];

const SIMPLE_SUBJECTS: SubjectRecord[] = [
  { id: 'org-vega', kind: 'ORGANIZATION', recordedBy: 'EC', name: 'Transportes Vega S.A.' },
  { id: 'org-tours', kind: 'ORGANIZATION', recordedBy: 'CO', name: 'Turismo Golfo de Urabá' },
  { id: 'org-andes', kind: 'ORGANIZATION', recordedBy: 'BO', name: 'Agencia Frontera Sur' },
  { id: 'loc-necocli', kind: 'LOCATION', recordedBy: 'CO', name: 'Necoclí pier', countryCode: 'CO' },
  { id: 'loc-darien', kind: 'LOCATION', recordedBy: 'PA', name: 'Bajo Chiquito, Darién', countryCode: 'PA' },
  { id: 'loc-canoas', kind: 'LOCATION', recordedBy: 'CR', name: 'Paso Canoas border post', countryCode: 'CR' },
  { id: 'loc-tapachula', kind: 'LOCATION', recordedBy: 'MX', name: 'Tapachula safe house', countryCode: 'MX' },
  { id: 'loc-juarez', kind: 'LOCATION', recordedBy: 'MX', name: 'Ciudad Juárez warehouse', countryCode: 'MX' },
  { id: 'loc-cucuta', kind: 'LOCATION', recordedBy: 'CO', name: 'Cúcuta trochas', countryCode: 'CO' },
  { id: 'loc-corumba', kind: 'LOCATION', recordedBy: 'BR', name: 'Corumbá bus station', countryCode: 'BR' },
  { id: 'loc-quijarro', kind: 'LOCATION', recordedBy: 'BO', name: 'Puerto Quijarro crossing', countryCode: 'BO' },
  { id: 'loc-colchane', kind: 'LOCATION', recordedBy: 'CL', name: 'Colchane altiplano crossing', countryCode: 'CL' },
  { id: 'ph-vega', kind: 'PHONE', recordedBy: 'EC', number: '+593 99 555 0142' },
  { id: 'ph-moncada', kind: 'PHONE', recordedBy: 'CO', number: '+57 310 555 0199' },
  { id: 'ph-coyote', kind: 'PHONE', recordedBy: 'MX', number: '+52 962 555 0107' },
  { id: 'ph-parra', kind: 'PHONE', recordedBy: 'CO', number: '+57 315 555 0123' },
  { id: 'ph-andes', kind: 'PHONE', recordedBy: 'BO', number: '+591 7 555 0188' },
  { id: 'ph-corumba', kind: 'PHONE', recordedBy: 'BR', number: '+55 67 95555 0101' },
  { id: 'v-launch', kind: 'VEHICLE', recordedBy: 'CO', identifier: 'Launch "La Gaviota" MC-05-1123' },
  { id: 'v-minibus', kind: 'VEHICLE', recordedBy: 'CR', identifier: 'CR plate BHT-482' },
  { id: 'v-truck', kind: 'VEHICLE', recordedBy: 'MX', identifier: 'MX plate UTR-93-11' },
  { id: 'v-andes-bus', kind: 'VEHICLE', recordedBy: 'BO', identifier: 'BO plate 4521-KTD' },
  { id: 'd-ec-stolen', kind: 'TRAVEL_DOCUMENT', recordedBy: 'EC', number: 'A1234567', issuingCountry: 'EC', documentType: 'PASSPORT', status: 'STOLEN', reportedAt: '2025-09-02T00:00:00Z' },
  { id: 'd-ec-stolen-2', kind: 'TRAVEL_DOCUMENT', recordedBy: 'EC', number: 'A7654321', issuingCountry: 'EC', documentType: 'PASSPORT', status: 'STOLEN', reportedAt: '2026-10-15T00:00:00Z' },
  { id: 'd-ve-lost', kind: 'TRAVEL_DOCUMENT', recordedBy: 'CO', number: '123-456-789', issuingCountry: 'VE', documentType: 'PASSPORT', status: 'LOST', reportedAt: '2026-02-20T00:00:00Z' },
  { id: 'd-mx-revoked', kind: 'TRAVEL_DOCUMENT', recordedBy: 'MX', number: 'G 0098 7766', issuingCountry: 'MX', documentType: 'PASSPORT', status: 'REVOKED', reportedAt: '2025-12-01T00:00:00Z' },
  { id: 'd-co-valid', kind: 'TRAVEL_DOCUMENT', recordedBy: 'CO', number: 'PE204518', issuingCountry: 'CO', documentType: 'PASSPORT', status: 'VALID' },
  { id: 'd-br-stolen', kind: 'TRAVEL_DOCUMENT', recordedBy: 'BR', number: 'FX-908172', issuingCountry: 'BR', documentType: 'PASSPORT', status: 'STOLEN', reportedAt: '2026-08-30T00:00:00Z' },
  { id: 'd-bo-id', kind: 'TRAVEL_DOCUMENT', recordedBy: 'BO', number: '8812345 LP', issuingCountry: 'BO', documentType: 'ID_CARD', status: 'VALID' },
  { id: 'd-ht-visa', kind: 'TRAVEL_DOCUMENT', recordedBy: 'CL', number: 'V-2026-00417', issuingCountry: 'CL', documentType: 'VISA', status: 'REVOKED', reportedAt: '2026-10-30T00:00:00Z' },
];

interface Network {
  name: string;
  route: string[];
  /** Countries whose officers write about it, most active first. */
  writers: string[];
  subjects: string[];
  operation: string;
  themes: string[];
}

const NETWORKS: Network[] = [
  {
    name: 'Vega network',
    route: ['EC', 'CO', 'PA', 'CR', 'MX', 'US'],
    writers: ['CO', 'PA', 'CR', 'MX', 'EC', 'US'],
    subjects: ['p-vega', 'p-moncada', 'p-guia', 'p-chofer', 'p-coyote', 'p-receptor', 'p-cajera', 'p-victim-1', 'p-victim-2', 'p-witness-1', 'org-vega', 'org-tours', 'loc-necocli', 'loc-darien', 'loc-canoas', 'loc-tapachula', 'loc-juarez', 'ph-vega', 'ph-moncada', 'ph-coyote', 'v-launch', 'v-minibus', 'v-truck', 'd-ec-stolen', 'd-ec-stolen-2', 'd-mx-revoked'],
    operation: 'op-turquesa-5',
    themes: ['Darién crossing organised for', 'Boat departures from Necoclí paid to', 'Safe house used by', 'Payments collected by', 'Stolen passports supplied to', 'Bus transfer at Paso Canoas arranged by'],
  },
  {
    name: 'Cúcuta network',
    route: ['VE', 'CO', 'PA'],
    writers: ['CO', 'PA', 'VE', 'EC'],
    subjects: ['p-cucuta-boss', 'p-trochero', 'p-recruiter-ve', 'p-victim-3', 'p-boatman', 'p-moncada', 'loc-cucuta', 'loc-necocli', 'loc-darien', 'ph-parra', 'd-ve-lost', 'd-co-valid', 'org-tours'],
    operation: 'op-turquesa-5',
    themes: ['Irregular crossings through the trochas run by', 'Recruitment of Venezuelan migrants by', 'Transport to Necoclí organised by', 'Debt bondage imposed by'],
  },
  {
    name: 'Andes network',
    route: ['BR', 'BO', 'CL'],
    writers: ['BR', 'BO', 'CL', 'PE', 'AR'],
    subjects: ['p-andes-boss', 'p-corumba', 'p-colchane', 'p-recruiter-br', 'p-victim-4', 'p-victim-5', 'org-andes', 'loc-corumba', 'loc-quijarro', 'loc-colchane', 'ph-andes', 'ph-corumba', 'v-andes-bus', 'd-br-stolen', 'd-bo-id', 'd-ht-visa'],
    operation: 'op-andes-shield',
    themes: ['Altiplano crossing at Colchane guided by', 'Bus transport Santa Cruz–Oruro run by', 'Recruitment in Corumbá by', 'Abandonment of migrants by'],
  },
];

const LINK_KIND_BY_PREFIX: Record<string, string> = {
  'p-': 'ASSOCIATE_OF',
  'org': 'MEMBER_OF',
  'loc': 'SEEN_AT',
  'ph-': 'USES_PHONE',
  'v-': 'USES_VEHICLE',
  'd-': 'USES_DOCUMENT',
};

function linkKind(to: string): string {
  return LINK_KIND_BY_PREFIX[to.slice(0, 3)] ?? LINK_KIND_BY_PREFIX[to.slice(0, 2)] ?? 'ASSOCIATE_OF';
}

const LEVEL_CYCLE: Level[] = ['OFFICIAL', 'RESTRICTED', 'UNCLASSIFIED', 'RESTRICTED', 'CONFIDENTIAL', 'OFFICIAL'];

function authorsByCountry(officers: OfficerRecord[]): Map<string, string[]> {
  const authors = new Map<string, string[]>();
  for (const officer of officers) {
    if (officer.status !== 'ACTIVE' || !officer.roles.some((r) => r === 'OFFICER' || r === 'ANALYST' || r === 'COORDINATOR')) continue;
    const code = officer.id.slice(2, 4).toUpperCase();
    authors.set(code, [...(authors.get(code) ?? []), officer.id]);
  }
  return authors;
}

function buildReports(officers: OfficerRecord[]): { reports: ReportRecord[]; links: LinkRecord[] } {
  const random = mulberry32(2023_11_27);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const authors = authorsByCountry(officers);
  const members = new Map(OPERATIONS.map((op) => [op.id, new Set([op.leadCountry, ...(op.participants ?? [])])]));
  const reports: ReportRecord[] = [];
  const links: LinkRecord[] = [];
  for (let i = 1; i <= 216; i++) {
    const network = NETWORKS[i % 7 < 4 ? 0 : i % 7 < 6 ? 1 : 2];
    const owner = network.writers[Math.min(network.writers.length - 1, Math.floor(random() * random() * network.writers.length))];
    const id = `r-${String(i).padStart(4, '0')}`;
    const subjects = [...new Set(Array.from({ length: 2 + Math.floor(random() * 4) }, () => pick(network.subjects)))];
    const lead = subjects.find((s) => s.startsWith('p-') && !PERSONS.find((p) => p[0] === s)?.[5]) ?? subjects[0];
    const leadName = PERSONS.find((p) => p[0] === lead)?.[2] ?? lead;
    const created = Date.UTC(2024, 0, 1) + Math.floor(random() * 1060) * 86_400_000 + Math.floor(random() * 86_400) * 1000;
    const scoped = i % 5 === 0 && members.get(network.operation)!.has(owner);
    const releasability =
      i % 11 === 0
        ? { mode: 'ALLOW' as const, countries: network.route.filter((c) => c !== owner).slice(0, 3) }
        : i % 13 === 0
          ? { mode: 'DENY' as const, countries: ['VE', 'CU'].filter((c) => c !== owner) }
          : { mode: 'NETWORK' as const, countries: [] };
    // A few short-lived reports, some of them already expired by late 2026.
    const expiresAt = i % 17 === 0 ? new Date(created + 180 * 86_400_000).toISOString().replace('.000Z', 'Z') : null;
    reports.push({
      id,
      owner,
      author: pick(authors.get(owner)!),
      title: `${pick(network.themes)} ${leadName}`,
      summary: `${network.name}: movement along ${network.route.join(' → ')}; ${subjects.length} subjects identified.`,
      classification: LEVEL_CYCLE[i % LEVEL_CYCLE.length],
      handling: (['H0', 'H0', 'H1', 'H2', 'H3'] as const)[i % 5],
      evaluation: `${pick(['A', 'B', 'B', 'C', 'X'])}${1 + Math.floor(random() * 4)}`,
      releasability,
      operation: scoped ? network.operation : null,
      createdAt: new Date(created).toISOString().replace('.000Z', 'Z'),
      expiresAt,
      sourceDescription: pick(['Registered informant in Necoclí', 'Interview at reception station', 'Lawful intercept', 'Seized phone extraction', 'Open-source social media monitoring']),
      route: { origin: network.route[0], transit: network.route.slice(1, -1), destination: network.route[network.route.length - 1] },
      subjects,
    });
    for (let l = 1; l < subjects.length; l++) {
      links.push({ id: `l-${id.slice(2)}-${l}`, from: subjects[0], to: subjects[l], kind: linkKind(subjects[l]), report: id });
    }
  }
  return { reports, links };
}

// --- Wanted persons (screenPerson) and a record kept twice (possibleDuplicates). ---------------

const WANTED: Record<string, WantedRecord> = {
  'p-vega': { by: 'EC', since: '2025-03-10T00:00:00Z', reference: 'EC-FGE-2025-0311' },
  'p-coyote': { by: 'MX', since: '2024-11-02T00:00:00Z', reference: 'MX-FGR-24-1187' },
  'p-cucuta-boss': { by: 'CO', since: '2026-01-20T00:00:00Z', reference: 'CO-DIJIN-26-0042' },
};

/** Panama's own record of the boatman Colombia knows as Jhon Fredy Moncada, with his phone. */
const PANAMA_RECORDS: SubjectRecord[] = [
  { id: 'p-moncada-pa', kind: 'PERSON', recordedBy: 'PA', name: 'MONCADA, Jhon Freddy', aliases: [], nationality: 'CO', dateOfBirth: '1985-09-30', protected: false },
  { id: 'ph-moncada-pa', kind: 'PHONE', recordedBy: 'PA', number: '(+57) 3105550199' },
];

const PANAMA_REPORT: ReportRecord = {
  id: 'r-0217',
  owner: 'PA',
  author: 'o-pa-yaneth',
  title: 'Boat crew identified at Bajo Chiquito',
  summary: 'A Colombian boatman questioned at the reception station; his phone was seized.',
  classification: 'OFFICIAL',
  handling: 'H1',
  evaluation: 'B2',
  releasability: { mode: 'NETWORK', countries: [] },
  operation: null,
  createdAt: '2026-11-20T15:00:00Z',
  expiresAt: null,
  sourceDescription: 'Interview at reception station',
  route: { origin: 'CO', transit: [], destination: 'PA' },
  subjects: ['p-moncada-pa', 'ph-moncada-pa', 'loc-darien'],
};

function buildSubjects(): SubjectRecord[] {
  const persons: SubjectRecord[] = PERSONS.map(([id, recordedBy, name, nationality, born, isProtected, aliases]) => ({
    id,
    kind: 'PERSON',
    recordedBy,
    name,
    aliases: aliases ?? [],
    nationality,
    dateOfBirth: born,
    protected: isProtected,
    ...(WANTED[id] ? { wanted: WANTED[id] } : {}),
  }));
  return [...persons, ...SIMPLE_SUBJECTS, ...PANAMA_RECORDS];
}

export function buildDemoData(): ImportFile {
  const countries: CountryRecord[] = COUNTRIES.map(([code, name, region, defaultShareLevel, partnerShareLevel]) => ({
    code,
    name,
    region,
    defaultShareLevel,
    partnerShareLevel,
  }));
  const units: UnitRecord[] = [
    ...COUNTRIES.map(([code, name]) => ({
      id: `u-${code.toLowerCase()}-ms`,
      country: code,
      name: `${name} Migrant Smuggling Unit`,
      specialization: 'MIGRANT_SMUGGLING',
    })),
    ...EXTRA_UNITS,
  ];
  const officers = buildOfficers();
  const built = buildReports(officers);
  const reports = [...built.reports, PANAMA_REPORT];
  const links: LinkRecord[] = [
    ...built.links,
    { id: 'l-0217-1', from: 'p-moncada-pa', to: 'ph-moncada-pa', kind: linkKind('ph-moncada-pa'), report: PANAMA_REPORT.id },
  ];
  const updates: UpdateRecord[] = UPDATES.map(([id, operation, author, kind, text, classification, postedAt, m]) => ({
    id,
    operation,
    author,
    kind,
    text,
    classification,
    postedAt,
    metrics: { arrests: m[0], migrantsDetected: m[1], victimsRescued: m[2], checks: m[3], seizures: m[4] },
  }));
  return {
    countries,
    sharingRules: SHARING_RULES,
    partners: [
      { id: 'iom', name: 'International Organization for Migration' },
      { id: 'unodc', name: 'United Nations Office on Drugs and Crime' },
    ],
    units,
    officers,
    operations: OPERATIONS,
    subjects: buildSubjects(),
    reports,
    links,
    updates,
  };
}
