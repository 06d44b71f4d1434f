import { CapacityArea as A, CapacityModality as M, DisclosureAudience, Sector, Tlp, UnRegionalGroup } from '@cbm/database';
import type { CreateNeedDto } from '../needs/dto/need.dto';
import type { CreateOfferDto } from '../offers/dto/offer.dto';

/** How the demo tells its records apart from real ones (and so adds them once). */
export const DEMO_CAPACITY_MARK = '(Demo data)';

export interface DemoNeed {
  stateCode: string;
  body: CreateNeedDto;
}

export interface DemoOffer {
  stateCode: string;
  body: CreateOfferDto;
}

export interface DemoCapacity {
  needs: DemoNeed[];
  offers: DemoOffer[];
  /** Proposals: [index of the offer, index of the need, message, accepted (becomes an engagement)]. */
  proposals: Array<{ offer: number; need: number; message: string; accepted: boolean; update?: string }>;
}

const day = (now: Date, days: number) => new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Needs and offers across the five regional groups, one accepted proposal (an engagement under way)
 * and one pending, so that a fresh start shows matching, proposals and engagements in the Swagger UI.
 * Bodies are what the API takes (demo-capacity.spec.ts validates them with the API's DTOs).
 */
export function demoCapacity(now = new Date()): DemoCapacity {
  const shared = { tlp: 'GREEN' as const, audience: DisclosureAudience.ALL_STATES, selectedStates: [] };
  const needs: DemoNeed[] = [
    {
      stateCode: 'FJI',
      body: {
        ...shared,
        title: `Establishing a national CERT ${DEMO_CAPACITY_MARK}`,
        description: 'Advice on mandate, constituency, services and staffing for a first national CERT, and mentoring through its first year.',
        areas: [A.CERT_ESTABLISHMENT_AND_MATURITY, A.INCIDENT_RESPONSE],
        sectors: [],
        modalities: [M.ADVISORY_MISSION, M.MENTORING],
        languages: ['en'],
        neededFrom: day(now, 14),
        neededBy: day(now, 270),
        selfAssessment: { model: 'Oxford Cybersecurity Capacity Maturity Model (2021)', level: 'Start-up', notes: 'Dimension 4 (incident response) reviewed in 2025.' },
      },
    },
    {
      stateCode: 'SEN',
      body: {
        ...shared,
        title: `Cadre de protection des infrastructures critiques (énergie) ${DEMO_CAPACITY_MARK}`,
        description: "Accompagnement pour identifier les opérateurs d'importance vitale du secteur de l'énergie et rédiger le cadre réglementaire.",
        areas: [A.CRITICAL_INFRASTRUCTURE_PROTECTION, A.LEGISLATION_AND_POLICY],
        sectors: [Sector.ENERGY],
        modalities: [M.ADVISORY_MISSION, M.TRAINING],
        languages: ['fr'],
        neededBy: day(now, 180),
      },
    },
    {
      stateCode: 'KEN',
      body: {
        ...shared,
        title: `Cybercrime investigation training for prosecutors ${DEMO_CAPACITY_MARK}`,
        description: 'Training on electronic evidence, mutual legal assistance and the handling of seized devices.',
        areas: [A.CYBERCRIME, A.TECHNICAL_TRAINING],
        sectors: [],
        modalities: [M.TRAINING],
        languages: ['en', 'sw'],
        neededBy: day(now, 120),
      },
    },
    {
      stateCode: 'COL',
      body: {
        ...shared,
        title: `Ejercicio nacional de gestión de crisis cibernéticas ${DEMO_CAPACITY_MARK}`,
        description: 'Diseño y conducción de un ejercicio de mesa con los sectores financiero y eléctrico.',
        areas: [A.EXERCISES],
        sectors: [Sector.FINANCE, Sector.ENERGY],
        modalities: [M.EXERCISE],
        languages: ['es'],
        neededBy: day(now, 150),
      },
    },
    {
      stateCode: 'PAK',
      body: {
        ...shared,
        tlp: 'AMBER' as const,
        title: `Malware analysis lab and training ${DEMO_CAPACITY_MARK}`,
        description: 'Tooling and hands-on training for six analysts of the national CERT, after a request we could not act on for lack of capacity.',
        areas: [A.ACCESS_TO_TECHNOLOGY, A.INCIDENT_RESPONSE],
        sectors: [],
        modalities: [M.EQUIPMENT_OR_TOOLS, M.TRAINING],
        languages: ['en', 'ur'],
        neededBy: day(now, 200),
      },
    },
  ];
  const offers: DemoOffer[] = [
    {
      stateCode: 'EST',
      body: {
        ...shared,
        title: `CERT maturity mentoring (SIM3) ${DEMO_CAPACITY_MARK}`,
        description: 'Peer mentoring by a national CERT on the SIM3 maturity model, with a self-assessment workshop.',
        areas: [A.CERT_ESTABLISHMENT_AND_MATURITY, A.INCIDENT_RESPONSE],
        sectors: [],
        modalities: [M.MENTORING, M.PEER_EXCHANGE],
        languages: ['en', 'ru'],
        regions: [],
        experts: 3,
        implementingOrganisation: 'National CERT',
      },
    },
    {
      stateCode: 'JPN',
      body: {
        ...shared,
        title: `Malware analysis training with a lab kit ${DEMO_CAPACITY_MARK}`,
        description: 'A two-week course for CERT analysts, with the analysis workstations left to the trainees.',
        areas: [A.ACCESS_TO_TECHNOLOGY, A.TECHNICAL_TRAINING, A.INCIDENT_RESPONSE],
        sectors: [],
        modalities: [M.TRAINING, M.EQUIPMENT_OR_TOOLS],
        languages: ['en'],
        regions: [UnRegionalGroup.ASIA_PACIFIC, UnRegionalGroup.AFRICAN],
        places: 12,
        experts: 2,
        availableFrom: day(now, 0),
        availableUntil: day(now, 365),
        implementingOrganisation: 'National cybersecurity agency',
      },
    },
    {
      stateCode: 'MAR',
      body: {
        ...shared,
        title: `Formation à la protection des infrastructures critiques ${DEMO_CAPACITY_MARK}`,
        description: 'Formation de cinq jours pour les régulateurs et opérateurs, en français ou en arabe.',
        areas: [A.CRITICAL_INFRASTRUCTURE_PROTECTION],
        sectors: [Sector.ENERGY, Sector.WATER],
        modalities: [M.TRAINING],
        languages: ['fr', 'ar'],
        regions: [UnRegionalGroup.AFRICAN],
        places: 25,
      },
    },
    {
      stateCode: 'CHL',
      body: {
        ...shared,
        title: `Diseño de ejercicios cibernéticos ${DEMO_CAPACITY_MARK}`,
        description: 'Apoyo para diseñar y evaluar ejercicios de mesa nacionales.',
        areas: [A.EXERCISES],
        sectors: [],
        modalities: [M.EXERCISE, M.ADVISORY_MISSION],
        languages: ['es', 'en'],
        regions: [UnRegionalGroup.LATIN_AMERICAN_AND_CARIBBEAN],
        experts: 2,
      },
    },
    {
      stateCode: 'CAN',
      body: {
        ...shared,
        title: `Cyber diplomacy and norms course ${DEMO_CAPACITY_MARK}`,
        description: 'A course for diplomats on the UN framework of responsible State behaviour, in English or French.',
        areas: [A.NORMS_AND_CYBER_DIPLOMACY],
        sectors: [],
        modalities: [M.TRAINING, M.PEER_EXCHANGE],
        languages: ['en', 'fr'],
        regions: [],
        places: 30,
      },
    },
  ];
  return {
    needs,
    offers,
    proposals: [
      { offer: 1, need: 4, message: 'We can run the course in our training centre and ship the lab kit beforehand.', accepted: true, update: 'Course dates agreed; the lab kit has shipped.' },
      { offer: 0, need: 0, message: 'Our CERT can mentor yours through its first year, starting with a SIM3 workshop.', accepted: false },
    ],
  };
}

/** The TLP of a demo body as stored. */
export function demoTlp(label: 'GREEN' | 'AMBER'): Tlp {
  return label === 'AMBER' ? Tlp.AMBER : Tlp.GREEN;
}
